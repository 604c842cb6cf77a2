import { describe, expect, it } from 'vitest';
import { teachingErrors } from '../flows/index.ts';
import { frenchText } from './error-texts-fr.ts';

describe('French for the roster’s deadline and extension forms', () => {
  it('covers every refusal, with what was typed', () => {
    const all = [
      teachingErrors.pastDeadline('2020-01-01 09:00'),
      teachingErrors.badTime('vendredi'),
      teachingErrors.badZone('Mars/Olympus'),
      teachingErrors.notInCourse('personne@exemple.org'),
      teachingErrors.ambiguous('Ana', 2),
      teachingErrors.noDeadline(),
    ];
    for (const e of all) expect(frenchText(e), e.code).toBeDefined();
    expect(frenchText(all[0]!)?.message).toContain('2020-01-01 09:00');
    expect(frenchText(all[3]!)?.message).toContain('personne@exemple.org');
    expect(frenchText(all[4]!)?.message).toMatch(/^2 apprenant/);
  });
});
