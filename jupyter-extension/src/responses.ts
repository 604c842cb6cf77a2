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

export interface IStatusResult {
  readonly branch: string | null;
  readonly ahead: number;
  readonly behind: number;
  readonly teacherUpdates: number;
  readonly changed: readonly IChangedFile[];
  readonly lastCommit: ILastCommit | null;
}

export interface ICommitResult {
  readonly committed: boolean;
  readonly sha: string | null;
  readonly pushed: boolean;
  readonly files: readonly string[];
  readonly pulledFirst: boolean;
}

export interface IPullResult {
  readonly changed: readonly string[];
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  readonly restored: readonly string[];
  readonly keptAside: readonly { readonly path: string; readonly incoming: string }[];
  readonly teacherCommits: number;
  readonly upToDate: boolean;
}

export interface IOpenResult {
  readonly url: string;
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
  };
}

export function parseCommitResult(value: unknown): ICommitResult {
  const record = asRecord(value, 'the commit result');
  return {
    committed: readBoolean(record, 'committed'),
    sha: readNullableString(record, 'sha'),
    pushed: readBoolean(record, 'pushed'),
    files: readArray(record, 'files', parseString),
    pulledFirst: readBoolean(record, 'pulledFirst'),
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
      return { path: readString(kept, 'path'), incoming: readString(kept, 'incoming') };
    }),
    teacherCommits: readNumber(record, 'teacherCommits'),
    upToDate: readBoolean(record, 'upToDate'),
  };
}

export function parseOpenResult(value: unknown): IOpenResult {
  return { url: readString(asRecord(value, 'the open result'), 'url') };
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
