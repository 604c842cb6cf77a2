// Shapes of labgate's git API answers, parsed (never cast) from the JSON the server sends.

export type ChangedFileState = 'modified' | 'added' | 'deleted' | 'untracked' | 'renamed';

export interface IChangedFile {
  readonly path: string;
  readonly state: ChangedFileState;
}

export interface ILastCommit {
  readonly sha: string;
  readonly message: string;
  readonly date: string;
}

/** How full the learner's folder is (its disk is limited). */
export interface IDiskRoom {
  readonly usedBytes: number;
  readonly limitBytes: number;
  readonly nearlyFull: boolean;
}

export interface IStatusResult {
  readonly branch: string | null;
  readonly ahead: number;
  readonly behind: number;
  readonly teacherUpdates: number;
  readonly changed: readonly IChangedFile[];
  readonly lastCommit: ILastCommit | null;
  readonly disk: IDiskRoom | null;
}

export interface ICommitResult {
  readonly committed: boolean;
  readonly sha: string | null;
  readonly pushed: boolean;
  readonly files: readonly string[];
  /** Commits the push sent to GitLab: this one and earlier saves (0 from servers that do not say). */
  readonly sent: number;
  readonly pulledFirst: boolean;
  /** What bringing GitLab's newer commits in did, when it happened. */
  readonly pull: IPullResult | null;
  readonly disk: IDiskRoom | null;
}

/** Whose version was kept beside the learner's: the teacher's, or their own from GitLab. */
export type VersionSource = 'teacher' | 'gitlab';

export interface IKeptAside {
  readonly path: string;
  readonly incoming: string;
  readonly from: VersionSource;
}

/** What the cell-by-cell merge of a notebook did that the learner should hear about. */
export interface INotebookNote {
  readonly path: string;
  readonly from: VersionSource;
  readonly kind: 'type-changed' | 'outputs-dropped';
  readonly position: number;
}

export interface IPullResult {
  readonly changed: readonly string[];
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  readonly restored: readonly string[];
  readonly keptAside: readonly IKeptAside[];
  readonly notebookNotes: readonly INotebookNote[];
  readonly teacherCommits: number;
  readonly upToDate: boolean;
}

export interface IOpenResult {
  readonly url: string;
}

/** What labgate says about the learner's session: their LMS's language, where its own pages are. */
export interface ISessionInfo {
  readonly locale: string;
  readonly links: { readonly signOut: string; readonly reset: string };
}

export interface IGitApiError {
  readonly code: string;
  readonly message: string;
}

export class InvalidResponseError extends Error {}

type JsonRecord = Record<string, unknown>;

const CHANGED_FILE_STATES: readonly string[] = ['modified', 'added', 'deleted', 'untracked', 'renamed'];

function asRecord(value: unknown, what: string): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidResponseError(`${what} is not an object`);
  }
  return value as JsonRecord;
}

function readString(record: JsonRecord, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new InvalidResponseError(`${key} is not a string`);
  return value;
}

function readNullableString(record: JsonRecord, key: string): string | null {
  return record[key] === null ? null : readString(record, key);
}

function readNumber(record: JsonRecord, key: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidResponseError(`${key} is not a number`);
  }
  return value;
}

function readBoolean(record: JsonRecord, key: string): boolean {
  const value = record[key];
  if (typeof value !== 'boolean') throw new InvalidResponseError(`${key} is not a boolean`);
  return value;
}

function readArray<T>(record: JsonRecord, key: string, parseItem: (item: unknown) => T): T[] {
  const value = record[key];
  if (!Array.isArray(value)) throw new InvalidResponseError(`${key} is not an array`);
  return value.map(parseItem);
}

/** A field newer than some labgate servers: absent reads as `fallback`, present must parse. */
function optional<T>(record: JsonRecord, key: string, parse: (value: unknown) => T, fallback: T): T {
  return record[key] === undefined || record[key] === null ? fallback : parse(record[key]);
}

function parseSource(value: unknown): VersionSource {
  if (value !== 'teacher' && value !== 'gitlab')
    throw new InvalidResponseError(`unknown source ${String(value)}`);
  return value;
}

function parseDisk(value: unknown): IDiskRoom {
  const record = asRecord(value, 'the disk');
  return {
    usedBytes: readNumber(record, 'usedBytes'),
    limitBytes: readNumber(record, 'limitBytes'),
    nearlyFull: readBoolean(record, 'nearlyFull'),
  };
}

function parseNotebookNote(item: unknown): INotebookNote {
  const record = asRecord(item, 'a notebook note');
  const kind = readString(record, 'kind');
  if (kind !== 'type-changed' && kind !== 'outputs-dropped')
    throw new InvalidResponseError(`unknown note ${kind}`);
  return {
    path: readString(record, 'path'),
    from: parseSource(record.from),
    kind,
    position: readNumber(record, 'position'),
  };
}

function parseString(item: unknown): string {
  if (typeof item !== 'string') throw new InvalidResponseError('a list item is not a string');
  return item;
}

function parseChangedFile(item: unknown): IChangedFile {
  const record = asRecord(item, 'a changed file');
  const state = readString(record, 'state');
  if (!CHANGED_FILE_STATES.includes(state)) throw new InvalidResponseError(`unknown file state ${state}`);
  return { path: readString(record, 'path'), state: state as ChangedFileState };
}

export function parseStatusResult(value: unknown): IStatusResult {
  const record = asRecord(value, 'the status');
  const lastCommit = record.lastCommit === null ? null : asRecord(record.lastCommit, 'the last commit');
  return {
    branch: readNullableString(record, 'branch'),
    ahead: readNumber(record, 'ahead'),
    behind: readNumber(record, 'behind'),
    teacherUpdates: readNumber(record, 'teacherUpdates'),
    changed: readArray(record, 'changed', parseChangedFile),
    lastCommit: lastCommit && {
      sha: readString(lastCommit, 'sha'),
      message: readString(lastCommit, 'message'),
      date: readString(lastCommit, 'date'),
    },
    disk: optional(record, 'disk', parseDisk, null),
  };
}

export function parseCommitResult(value: unknown): ICommitResult {
  const record = asRecord(value, 'the commit result');
  return {
    committed: readBoolean(record, 'committed'),
    sha: readNullableString(record, 'sha'),
    pushed: readBoolean(record, 'pushed'),
    files: readArray(record, 'files', parseString),
    sent: optional(record, 'sent', (v) => readNumber({ v }, 'v'), 0),
    pulledFirst: readBoolean(record, 'pulledFirst'),
    pull: optional(record, 'pull', parsePullResult, null),
    disk: optional(record, 'disk', parseDisk, null),
  };
}

export function parsePullResult(value: unknown): IPullResult {
  const record = asRecord(value, 'the pull result');
  return {
    changed: readArray(record, 'changed', parseString),
    renamed: readArray(record, 'renamed', (item) => {
      const rename = asRecord(item, 'a rename');
      return { from: readString(rename, 'from'), to: readString(rename, 'to') };
    }),
    restored: readArray(record, 'restored', parseString),
    keptAside: readArray(record, 'keptAside', (item) => {
      const kept = asRecord(item, 'a file kept aside');
      return {
        path: readString(kept, 'path'),
        incoming: readString(kept, 'incoming'),
        from: optional(kept, 'from', parseSource, 'teacher'),
      };
    }),
    notebookNotes: optional(record, 'notebookNotes', (v) => readArray({ v }, 'v', parseNotebookNote), []),
    teacherCommits: readNumber(record, 'teacherCommits'),
    upToDate: readBoolean(record, 'upToDate'),
  };
}

export function parseOpenResult(value: unknown): IOpenResult {
  return { url: readString(asRecord(value, 'the open result'), 'url') };
}

export function parseSessionInfo(value: unknown): ISessionInfo {
  const record = asRecord(value, 'the session');
  const links = asRecord(record.links, 'the links');
  return {
    locale: readString(record, 'locale'),
    links: { signOut: readHttpUrl(links, 'signOut'), reset: readHttpUrl(links, 'reset') },
  };
}

/** A web address the window may be sent to (never a `javascript:` one). */
function readHttpUrl(record: JsonRecord, key: string): string {
  let url: URL;
  try {
    url = new URL(readString(record, key));
  } catch {
    throw new InvalidResponseError(`${key} is not a web address`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InvalidResponseError(`${key} is not a web address`);
  return url.href;
}

/** The `{ "error": { code, message } }` body of a refused request, or undefined when it has another shape. */
export function findGitApiError(value: unknown): IGitApiError | undefined {
  try {
    const error = asRecord(asRecord(value, 'the body').error, 'the error');
    return { code: readString(error, 'code'), message: readString(error, 'message') };
  } catch {
    return undefined;
  }
}
