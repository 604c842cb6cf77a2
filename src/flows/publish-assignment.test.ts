import { describe, expect, it } from 'vitest';
import { allowedImages, suggestSlug } from './publish-assignment.ts';

describe('what the publish form suggests and allows', () => {
  it('suggests a short name from a title, as the page’s script does', () => {
    expect(suggestSlug('Exercice 1 — Données')).toBe('exercice-1-donnees');
    expect(suggestSlug('  « Régression » linéaire !  ')).toBe('regression-lineaire');
    expect(suggestSlug('---')).toBe('');
    expect(suggestSlug('x'.repeat(80))).toHaveLength(60);
  });

  it('allows the default image first, then the others, and none without workspaces', () => {
    expect(allowedImages({ default: 'lab:1', others: ['lab-r:1', 'lab:1'] })).toEqual(['lab:1', 'lab-r:1']);
    expect(allowedImages({ default: undefined, others: [] })).toEqual([]);
  });
});
