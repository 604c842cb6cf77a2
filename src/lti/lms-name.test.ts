import { describe, expect, it } from 'vitest';
import { lmsDisplayName } from './lms-name.ts';

describe('what an LMS is called on pages', () => {
  it('is its instance name, with its product only when the name does not already say it', () => {
    expect(lmsDisplayName('moodle', 'Moodle (démo)', 'registered')).toBe('Moodle (démo)');
    expect(lmsDisplayName('moodle', 'Université de Rennes', 'registered')).toBe(
      'Moodle · Université de Rennes',
    );
    expect(lmsDisplayName('canvas', undefined, 'registered')).toBe('Canvas');
    expect(lmsDisplayName(undefined, 'FUN', 'registered')).toBe('FUN');
    expect(lmsDisplayName(undefined, '  ', 'FUN MOOC')).toBe('FUN MOOC');
    expect(lmsDisplayName('openedx', 'FUN', 'x')).toBe('Open edX · FUN');
  });
});
