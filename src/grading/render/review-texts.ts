import type { BlockDiff, DiffSummary, OutputDiff } from '../diff/diff-model.ts';

/** The words of the review fragment, in each language a grader may read it in. */
export interface ReviewTexts {
  op: Record<BlockDiff['op'], string>;
  output: Record<OutputDiff['op'], string>;
  kind: Record<string, string>;
  cell: (n: number) => string;
  movedFrom: (n: number) => string;
  unchangedCells: (n: number) => string;
  summary: (s: DiffSummary) => string;
  previous: string;
  next: string;
  showAll: string;
  noEol: string;
  empty: string;
  source: string;
  volatileOnly: string;
  coarse: string;
  attachments: string;
  metadata: string;
  executionCount: string;
}

const en: ReviewTexts = {
  op: { unchanged: 'unchanged', modified: 'modified', added: 'added', removed: 'removed', moved: 'moved' },
  output: {
    unchanged: 'output unchanged',
    modified: 'output changed',
    added: 'output added',
    removed: 'output removed',
  },
  kind: { code: 'code', markdown: 'Markdown', raw: 'raw', prose: 'text', frontmatter: 'front matter' },
  cell: (n) => `cell ${n}`,
  movedFrom: (n) => `moved from cell ${n}`,
  unchangedCells: (n) => (n === 1 ? '1 unchanged cell' : `${n} unchanged cells`),
  summary: (s) =>
    `${s.modified} modified, ${s.added} added, ${s.removed} removed, ${s.moved} moved, ${s.unchanged} unchanged`,
  previous: 'Previous change',
  next: 'Next change',
  showAll: 'Show unchanged cells',
  noEol: 'no newline at end',
  empty: 'empty',
  source: 'Source',
  volatileOnly: 'differs only in memory addresses, timings or progress bars (ignored)',
  coarse: 'too large to compare line by line in time: shown as replaced',
  attachments: 'attachments changed',
  metadata: 'metadata changed',
  executionCount: 'execution count changed',
};

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

const fr: ReviewTexts = {
  op: {
    unchanged: 'inchangée',
    modified: 'modifiée',
    added: 'ajoutée',
    removed: 'supprimée',
    moved: 'déplacée',
  },
  output: {
    unchanged: 'sortie inchangée',
    modified: 'sortie modifiée',
    added: 'sortie ajoutée',
    removed: 'sortie supprimée',
  },
  kind: { code: 'code', markdown: 'Markdown', raw: 'brute', prose: 'texte', frontmatter: 'en-tête' },
  cell: (n) => `cellule ${n}`,
  movedFrom: (n) => `déplacée depuis la cellule ${n}`,
  unchangedCells: (n) => `${plural(n, 'cellule')} ${n > 1 ? 'inchangées' : 'inchangée'}`,
  summary: (s) =>
    [
      plural(s.modified, 'modifiée'),
      plural(s.added, 'ajoutée'),
      plural(s.removed, 'supprimée'),
      plural(s.moved, 'déplacée'),
      plural(s.unchanged, 'inchangée'),
    ].join(', '),
  previous: 'Modification précédente',
  next: 'Modification suivante',
  showAll: 'Afficher les cellules inchangées',
  noEol: 'pas de saut de ligne à la fin',
  empty: 'vide',
  source: 'Source',
  volatileOnly:
    'ne diffère que par des adresses mémoire, des temps ou des barres de progression (non pris en compte)',
  coarse: 'trop grand pour être comparé ligne à ligne à temps : montré comme remplacé',
  attachments: 'pièces jointes modifiées',
  metadata: 'métadonnées modifiées',
  executionCount: "numéro d'exécution modifié",
};

export const reviewTexts = { en, fr } as const;
