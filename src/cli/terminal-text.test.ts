import { describe, expect, it } from 'vitest';
import { jsonText, visible } from './terminal-text.ts';

describe('visible: text from LMSs, forges and files made safe for a terminal', () => {
  it('shows C0, DEL, C1 and bidi controls as escapes', () => {
    expect(visible('a\x1b[31mb\rc\nd\te\x7f\x9b\u202ef\u2066')).toBe(
      'a\\x1b[31mb\\rc\\nd\\te\\x7f\\x9b\\u202ef\\u2066',
    );
  });

  it('leaves ordinary text, accents and joiners alone, and tabs when asked', () => {
    expect(visible('Élodie Ñúñez — 数学 👩‍🔬')).toBe('Élodie Ñúñez — 数学 👩‍🔬');
    expect(visible('\tx = 1', { keepTabs: true })).toBe('\tx = 1');
  });

  it('writes JSON whose value is unchanged but holds no raw C1 or bidi character', () => {
    const value = { title: 'a\u009b2J\u202eb\x1b' };
    const text = jsonText(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
