import { describe, expect, it } from 'vitest';
import { displayName, pathSlug, withSuffix } from './forge-names.ts';

describe('forge names', () => {
  it('turns spaces, accents and emoji into a valid GitLab path', () => {
    expect(pathSlug('Recherche reproductible — Module 1', 'course')).toBe('recherche-reproductible-module-1');
    expect(pathSlug('Élève 🚀 Ñandú', 'learner')).toBe('eleve-nandu');
    expect(pathSlug('🚀🚀', 'course')).toBe('course');
    expect(pathSlug('.hidden.git', 'x')).toBe('hidden');
    expect(pathSlug('-a-', 'x')).toBe('a');
  });

  it('keeps a 255-character name within GitLab’s limits, suffix included', () => {
    const long = 'a'.repeat(300);
    expect(pathSlug(long, 'x', 255)).toHaveLength(255);
    expect(withSuffix(pathSlug(long, 'x', 255), 2)).toHaveLength(255);
    expect(withSuffix('ex1-alice', 2)).toBe('ex1-alice-3');
    expect(displayName(long, 'x')).toHaveLength(255);
  });

  it('keeps letters of any script and emoji in display names, and drops what GitLab refuses', () => {
    expect(displayName('Exercice 1 — Données (v2) 🚀', 'x')).toBe('Exercice 1 Données v2 🚀');
    expect(displayName('--- ***', 'Assignment')).toBe('Assignment');
    expect(displayName('Πρόγραμμα: 数据', 'x')).toBe('Πρόγραμμα 数据');
  });
});
