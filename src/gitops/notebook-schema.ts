import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The newest minor version nbformat ships a schema for, by major version. */
const newestMinor: Record<number, number> = { 3: 0, 4: 5 };
const schemas = new Map<string, Json>();
let ajv: Ajv | undefined;

/** `additionalProperties` made true everywhere and unknown cell and output types allowed. */
function relaxed(value: unknown, key = ''): unknown {
  if (key === 'additionalProperties') return true;
  if (Array.isArray(value)) return value.map((v) => relaxed(v));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relaxed(v, k)]));
}

function load(major: number, minor: number): Json {
  const name = major === 3 ? 'nbformat.v3' : `nbformat.v4.${Math.min(minor, newestMinor[4]!)}`;
  const file = new URL(`./nbformat-schemas/${name}.schema.json`, import.meta.url);
  const { $schema: _draft04, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Json;
  if (minor <= newestMinor[major]!) return schema;
  // A notebook from a later minor version: checked the way nbformat checks it (validator.py get_validator).
  const future = relaxed(schema) as { definitions: Record<string, { oneOf: unknown[] }> };
  future.definitions['cell']?.oneOf.push({ $ref: '#/definitions/unrecognized_cell' });
  future.definitions['output']?.oneOf.push({ $ref: '#/definitions/unrecognized_output' });
  return future;
}

// strict off: nbformat's schemas carry keywords Ajv does not know (`item`, `source_hidden`).
const instance = () => (ajv ??= new Ajv({ strict: false, verbose: true }));

/** The schema (or one of its definitions, `ref` = `#/definitions/…`), compiled once on first use. */
const validator = (key: string, ref: string): ValidateFunction => instance().getSchema(key + ref)!;

/** The schema for the notebook's version; a minor that is not a count gets the newest, which says so. */
function schemaKey(nb: Json): string | undefined {
  const major = nb['nbformat'];
  if (typeof major !== 'number' || newestMinor[major] === undefined) return undefined;
  const stated = nb['nbformat_minor'];
  const minor =
    typeof stated === 'number' && Number.isInteger(stated) ? Math.max(stated, 0) : newestMinor[major]!;
  const key = `nbformat-${major}.${Math.min(minor, newestMinor[major]! + 1)}`;
  if (!schemas.has(key)) {
    const schema = load(major, minor);
    instance().addSchema(schema, key);
    schemas.set(key, schema);
  }
  return key;
}

/** A JSON pointer as a reader names the place: `cells/3/outputs/0/data/text/plain`. */
const where = (pointer: string) =>
  pointer.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~') || 'top level';

function describe(e: ErrorObject): string {
  const p = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
  if (p.additionalProperty !== undefined) return `${e.message} (${p.additionalProperty})`;
  if (p.allowedValues) return `must be one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? e.keyword;
}

interface Branch {
  tag?: string;
  allowed: string[];
  ref?: string;
  value?: unknown;
}

/** For a `oneOf` of cell or output types: the branch whose `cell_type`/`output_type` enum has the value's. */
function branchFor(schema: Json, oneOf: ErrorObject): Branch {
  const definitions = schema['definitions'] as Record<string, { properties?: Record<string, Json> }>;
  const branches = ((oneOf.schema ?? []) as Array<{ $ref?: string }>).map((b) => ({
    ref: b.$ref,
    properties: definitions[b.$ref?.replace('#/definitions/', '') ?? '']?.properties ?? {},
  }));
  const tag = ['cell_type', 'output_type'].find((t) => branches.some((b) => b.properties[t]));
  if (!tag) return { allowed: [] };
  const allowedBy = (b: (typeof branches)[number]) => (b.properties[tag]?.['enum'] ?? []) as string[];
  const value = isObject(oneOf.data) ? oneOf.data[tag] : undefined;
  const ref = branches.find((b) => allowedBy(b).includes(value as string))?.ref;
  return { tag, allowed: branches.flatMap(allowedBy), value, ...(ref ? { ref } : {}) };
}

function firstProblem(key: string, ref: string, value: unknown, at: string): string | undefined {
  const validate = validator(key, ref);
  if (validate(value)) return undefined;
  const errors = validate.errors ?? [];
  const cause = errors[errors.length - 1]!; // Ajv stops at the first failing keyword, after its branches' errors
  if (cause.keyword !== 'oneOf') return `${where(at + cause.instancePath)}: ${describe(cause)}`;
  const path = at + cause.instancePath;
  const branch = branchFor(schemas.get(key)!, cause);
  // A cell or an output: report what is wrong for its own type, as nbformat does.
  if (branch.ref) return firstProblem(key, branch.ref, cause.data, path);
  if (branch.tag && branch.value === undefined)
    return `${where(path)}: must have required property '${branch.tag}'`;
  if (branch.tag) return `${where(`${path}/${branch.tag}`)}: must be one of ${branch.allowed.join(', ')}`;
  const inside = errors.filter((e) => e !== cause && e.instancePath === cause.instancePath);
  return `${where(path)}: ${[...new Set(inside.map(describe))].join(' or ') || describe(cause)}`;
}

/**
 * What nbformat's JSON schema for this notebook's version rejects first, as `location: problem`, or
 * undefined when the notebook conforms. Minor versions newer than nbformat's are checked as it does.
 */
export function findSchemaProblem(notebook: unknown): string | undefined {
  if (!isObject(notebook)) return 'top level: must be an object';
  const key = schemaKey(notebook);
  if (!key) return `nbformat: must be 3 or 4 (is ${JSON.stringify(notebook['nbformat'])})`;
  return firstProblem(key, '', notebook, '');
}
