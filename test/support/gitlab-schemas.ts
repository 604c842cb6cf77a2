import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// GitLab's own response schemas (spec/fixtures/api/schemas), copied from shared/contracts with their LICENSE.
const root = path.resolve(import.meta.dirname, '../../fixtures/gitlab-contracts/schemas');
const base = 'https://gitlab.test/schemas/';

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? schemaFiles(path.join(dir, e.name))
      : e.name.endsWith('.json')
        ? [path.join(dir, e.name)]
        : [],
  );
}

type Schema = { properties?: Record<string, Schema>; items?: Schema; enum?: string[] } & Record<
  string,
  unknown
>;

/**
 * GitLab's fixture lists only the OmniAuth providers its own spec configures; real GitLab accepts any
 * configured provider, and labgate's users come with `openid_connect`.
 */
function allowOpenidConnect(schema: Schema) {
  const provider = schema.properties?.identities?.items?.properties?.provider;
  if (provider?.enum) provider.enum = [...provider.enum, 'openid_connect'];
}

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
for (const file of schemaFiles(root)) {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
  allowOpenidConnect(schema);
  ajv.addSchema({ ...schema, $id: base + path.relative(root, file).split(path.sep).join('/') });
}

/** Validates a response against GitLab's schema, e.g. `gitlabSchema('public_api/v4/user/admin.json')`. */
export function gitlabSchema(name: string): ValidateFunction {
  const validate = ajv.getSchema(base + name);
  if (!validate) throw new Error(`no GitLab schema named ${name}`);
  return validate;
}

export function expectSchema(name: string, value: unknown) {
  const validate = gitlabSchema(name);
  if (!validate(value))
    throw new Error(`${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`);
}
