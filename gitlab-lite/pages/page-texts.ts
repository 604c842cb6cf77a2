import type { PageLocale } from './document-renderer.ts';

/** Every word on the forge's project pages, in each language a learner may read them in. */
export interface PageTexts {
  projects: string;
  yourProjects: string;
  noProjects: string;
  signedInAs: string;
  signOut: string;
  signIn: string;
  language: string;
  notFoundTitle: string;
  notFoundHeading: string;
  notFoundText: string;
  visibility: Record<string, string>;
  updated: (date: string) => string;
  emptyRepo: string;
  files: string;
  history: string;
  name: string;
  parentFolder: string;
  submodule: string;
  lastCommit: string;
  raw: string;
  download: string;
  showSource: string;
  showRendered: string;
  binaryFile: (size: string) => string;
  tooLarge: (size: string) => string;
  emptyFile: string;
  newer: string;
  older: string;
  page: (n: number) => string;
  noCommits: string;
  browseFiles: string;
  commit: string;
  parents: string;
  changedFiles: (n: number) => string;
  status: Record<'added' | 'deleted' | 'modified' | 'renamed' | 'typechange', string>;
  binaryChanged: (before: string, after: string) => string;
  diffTooLarge: string;
  notShown: (n: number) => string;
  noNewline: string;
  modeChanged: (a: string, b: string) => string;
  before: string;
  after: string;
  viewFile: string;
  noChanges: string;
  units: [string, string, string, string];
}

const en: PageTexts = {
  projects: 'Projects',
  yourProjects: 'Your projects',
  noProjects: 'You are not a member of any project yet.',
  signedInAs: 'Signed in as',
  signOut: 'Sign out',
  signIn: 'Sign in',
  language: 'Language',
  notFoundTitle: 'Page Not Found',
  notFoundHeading: '404: Page not found',
  notFoundText: 'Make sure the address is correct and the page has not moved.',
  visibility: { private: 'Private', internal: 'Internal', public: 'Public' },
  updated: (date) => `Updated ${date}`,
  emptyRepo: 'The repository for this project is empty.',
  files: 'Files',
  history: 'History',
  name: 'Name',
  parentFolder: 'Parent folder',
  submodule: 'submodule',
  lastCommit: 'Last commit',
  raw: 'Open raw',
  download: 'Download',
  showSource: 'Show source',
  showRendered: 'Show rendered file',
  binaryFile: (size) => `Binary file (${size}): it cannot be shown here.`,
  tooLarge: (size) => `This file (${size}) is too large to show here.`,
  emptyFile: 'Empty file.',
  newer: 'Newer',
  older: 'Older',
  page: (n) => `Page ${n}`,
  noCommits: 'No commits yet.',
  browseFiles: 'Browse files',
  commit: 'Commit',
  parents: 'Parent',
  changedFiles: (n) => (n === 1 ? '1 changed file' : `${n} changed files`),
  status: {
    added: 'added',
    deleted: 'deleted',
    modified: 'modified',
    renamed: 'renamed',
    typechange: 'type changed',
  },
  binaryChanged: (a, b) => `Binary file changed (${a} → ${b}).`,
  diffTooLarge: 'These changes are too large to show here.',
  notShown: (n) => (n === 1 ? '1 more file is not shown.' : `${n} more files are not shown.`),
  noNewline: 'No newline at end of file',
  modeChanged: (a, b) => `File mode changed from ${a} to ${b}.`,
  before: 'Before',
  after: 'After',
  viewFile: 'View file',
  noChanges: 'No changes.',
  units: ['bytes', 'KiB', 'MiB', 'GiB'],
};

const fr: PageTexts = {
  projects: 'Projets',
  yourProjects: 'Vos projets',
  noProjects: 'Vous n’êtes encore membre d’aucun projet.',
  signedInAs: 'Connecté·e en tant que',
  signOut: 'Se déconnecter',
  signIn: 'Se connecter',
  language: 'Langue',
  notFoundTitle: 'Page introuvable',
  notFoundHeading: '404 : page introuvable',
  notFoundText: 'Vérifiez que l’adresse est correcte et que la page n’a pas été déplacée.',
  visibility: { private: 'Privé', internal: 'Interne', public: 'Public' },
  updated: (date) => `Mis à jour le ${date}`,
  emptyRepo: 'Le dépôt de ce projet est vide.',
  files: 'Fichiers',
  history: 'Historique',
  name: 'Nom',
  parentFolder: 'Dossier parent',
  submodule: 'sous-module',
  lastCommit: 'Dernier commit',
  raw: 'Ouvrir le fichier brut',
  download: 'Télécharger',
  showSource: 'Afficher la source',
  showRendered: 'Afficher le rendu',
  binaryFile: (size) => `Fichier binaire (${size}) : il ne peut pas être affiché ici.`,
  tooLarge: (size) => `Ce fichier (${size}) est trop volumineux pour être affiché ici.`,
  emptyFile: 'Fichier vide.',
  newer: 'Plus récents',
  older: 'Plus anciens',
  page: (n) => `Page ${n}`,
  noCommits: 'Aucun commit pour l’instant.',
  browseFiles: 'Parcourir les fichiers',
  commit: 'Commit',
  parents: 'Parent',
  changedFiles: (n) => (n <= 1 ? `${n} fichier modifié` : `${n} fichiers modifiés`),
  status: {
    added: 'ajouté',
    deleted: 'supprimé',
    modified: 'modifié',
    renamed: 'renommé',
    typechange: 'type modifié',
  },
  binaryChanged: (a, b) => `Fichier binaire modifié (${a} → ${b}).`,
  diffTooLarge: 'Ces modifications sont trop volumineuses pour être affichées ici.',
  notShown: (n) =>
    n === 1 ? 'Un autre fichier n’est pas affiché.' : `${n} autres fichiers ne sont pas affichés.`,
  noNewline: 'Pas de saut de ligne à la fin du fichier',
  modeChanged: (a, b) => `Mode du fichier changé de ${a} à ${b}.`,
  before: 'Avant',
  after: 'Après',
  viewFile: 'Voir le fichier',
  noChanges: 'Aucune modification.',
  units: ['octets', 'Kio', 'Mio', 'Gio'],
};

export const pageTexts: Record<PageLocale, PageTexts> = { en, fr };

/** `12.3 KiB` / `12,3 Kio`. */
export function formatSize(bytes: number, locale: PageLocale): string {
  const units = pageTexts[locale].units;
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const number = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    maximumFractionDigits: u === 0 ? 0 : 1,
  }).format(n);
  return `${number} ${units[u]}`;
}

/**
 * A commit date as its author's clock showed it (`2026-12-01T14:03:00+01:00` → `1 Dec 2026, 14:03`):
 * the forge does not know the reader's time zone, the author's own is the one the learner lived.
 */
export function formatDate(iso: string, locale: PageLocale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, mo - 1, d, h, mi)));
}
