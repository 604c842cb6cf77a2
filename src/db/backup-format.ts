import { z } from 'zod';

/**
 * A labgate backup is gzip'd JSON lines: the manifest, then per table a `{"table": name}` line and its
 * rows as JSON arrays in the manifest's column order, then an end line with the SHA-256 of all lines
 * before it. Plain JSON values carry text, numbers and NULL, so SQLite and PostgreSQL read the same file.
 */
export const backupFormatName = 'labgate-backup';
export const backupFormatVersion = 1;

export type DbKind = 'sqlite' | 'postgres';

export const backupTableSchema = z.object({
  name: z.string().min(1),
  columns: z.array(z.string().min(1)).min(1),
  rows: z.number().int().nonnegative(),
});
export type BackupTable = z.infer<typeof backupTableSchema>;

export const backupManifestSchema = z.object({
  format: z.literal(backupFormatName),
  formatVersion: z.number().int().positive(),
  labgateVersion: z.string(),
  createdAt: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  /** The newest migration applied to the database: the schema level the rows fit. */
  schema: z.string().min(1),
  migrations: z.array(z.string().min(1)).min(1),
  tables: z.array(backupTableSchema),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

export const backupTableLineSchema = z.strictObject({ table: z.string() });
export const backupEndLineSchema = z.strictObject({
  end: z.literal(backupFormatName),
  rows: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * One column value as one JSON value: text, finite numbers, booleans and NULL as themselves; what JSON
 * cannot say exactly as a one-key tag (`$bytes` base64, `$bigint` digits, `$number` NaN/±Infinity).
 */
export function encodeValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : { $number: String(value) };
    case 'bigint':
      return { $bigint: value.toString() };
  }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  // A Date or a parsed JSON object would come back different (precision, key order): refuse, loudly.
  throw new UnsupportedValueError(value instanceof Date ? 'date' : typeof value);
}

export class UnsupportedValueError extends Error {
  constructor(readonly kind: string) {
    super(`unsupported value: ${kind}`);
  }
}

const tagged = (v: object, key: string): string | undefined => {
  const entries = Object.entries(v);
  return entries.length === 1 && entries[0]![0] === key && typeof entries[0]![1] === 'string'
    ? entries[0]![1]
    : undefined;
};

/** The value to bind for `cell` on the target database; throws on anything {@link encodeValue} never writes. */
export function decodeValue(cell: unknown, target: DbKind): unknown {
  if (cell === null || typeof cell === 'string') return cell;
  if (typeof cell === 'number' && Number.isFinite(cell)) return cell;
  if (typeof cell === 'boolean') return target === 'sqlite' ? Number(cell) : cell;
  if (typeof cell === 'object' && !Array.isArray(cell)) {
    const bytes = tagged(cell, '$bytes');
    if (bytes !== undefined && /^[A-Za-z0-9+/]*={0,2}$/.test(bytes)) return Buffer.from(bytes, 'base64');
    const big = tagged(cell, '$bigint');
    if (big !== undefined && /^-?\d+$/.test(big)) return target === 'sqlite' ? BigInt(big) : big;
    const num = tagged(cell, '$number');
    if (num === 'NaN' || num === 'Infinity' || num === '-Infinity') return Number(num);
  }
  throw new Error(`a value that is not a column value: ${JSON.stringify(cell).slice(0, 80)}`);
}
