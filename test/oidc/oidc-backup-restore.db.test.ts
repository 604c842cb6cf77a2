import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { restoreDatabase, writeBackupFile, type Db } from '../../src/db/index.ts';
import { everyRow, openBlankDatabase, type BlankDatabase } from '../support/backup-rig.ts';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { freePort } from '../support/labgate-process.ts';
import { formEncode, learnerParams, postLaunch, signedLaunch, type TestApp } from '../support/test-app.ts';
import { browse, gitlabAuthorization, gitlabCallback, startOidcApp } from './oidc-rig.ts';

let t: TestGitlab;
let before: Awaited<ReturnType<typeof startOidcApp>> | undefined;
let restored: Awaited<ReturnType<typeof buildApp>> | undefined;
let target: BlankDatabase | undefined;
let dir: string;

beforeAll(async () => {
  t = await startTestGitlab();
  dir = mkdtempSync(path.join(tmpdir(), 'labgate-oidc-backup-'));
});
afterAll(async () => {
  await restored?.close();
  await target?.close();
  await before?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const kept = [
  'users',
  'user_identities',
  'courses',
  'enrolments',
  'provisionings',
  'oidc_clients',
  'oidc_keys',
  'tool_keys',
  'lti_consumers',
];
async function keptRows(db: Db) {
  const all = await everyRow(db);
  return Object.fromEntries(kept.map((name) => [name, all[name]]));
}

async function gitlabAccountMade(db: Db, labgateId: string) {
  for (let i = 0; i < 100; i++) {
    const jobs = await db
      .selectFrom('provisionings')
      .select('status')
      .where('user_id', '=', labgateId)
      .execute();
    if (jobs.length && jobs.every((j) => j.status === 'done')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('provisioning did not finish');
}

const getJson = async (url: string) => (await fetch(url)).json() as Promise<JSONWebKeySet>;

describe('a GitLab sign-in through labgate survives a backup and a restore into a new database', () => {
  it('signs the same person in to the same GitLab account, with an ID token the JWKS published before verifies', async () => {
    const port = await freePort();
    before = await startOidcApp(t, { port });
    const { issuer, base, gitlab } = before;
    const { session, labgateId } = await before.signIn('teacher-backup', 'Grace Hopper', {
      lis_person_contact_email_primary: 'grace@example.edu',
    });
    await gitlabAccountMade(before.app.db, labgateId);
    const oidcJwks = await getJson(`${issuer}/jwks`);
    const toolJwks = await getJson(`${base}/.well-known/jwks.json`);
    const consumer = before.app.consumer;

    const file = path.join(dir, 'labgate.jsonl.gz');
    await writeBackupFile(before.app.db, file, { labgateVersion: 'test' });
    const rowsBefore = await keptRows(before.app.db);
    await before.close(); // and its database with it: only the file is left
    before = undefined;

    target = await openBlankDatabase();
    await restoreDatabase(target.db, file);
    expect(await keptRows(target.db)).toEqual(rowsBefore);
    const config = loadConfig('demo', {
      PUBLIC_BASE_URL: base,
      LOG_LEVEL: 'silent',
      EMBEDDED_FORGE: 'off',
      FORGE_URL: t.lite.url,
      FORGE_TOKEN: rootToken,
    });
    restored = await buildApp(config, { db: target.db });
    await restored.server.listen({ port, host: '127.0.0.1' });
    expect(await getJson(`${issuer}/jwks`)).toEqual(oidcJwks);
    expect(await getJson(`${base}/.well-known/jwks.json`)).toEqual(toolJwks);

    // GitLab, as configured before the backup: same client id and secret, same issuer.
    const gitlabSide = await client.discovery(
      new URL(issuer),
      gitlab.clientId,
      gitlab.clientSecret,
      undefined,
      {
        execute: [client.allowInsecureRequests],
      },
    );
    // The person's browser still holds the session cookie it had before the backup.
    const request = await gitlabAuthorization(gitlabSide);
    const end = await browse(request.url, { labgate_session: session }, gitlabCallback);
    expect(end.url).toMatch(/^https:\/\/gitlab\.test\/users\/auth\/openid_connect\/callback\?code=/);
    const tokens = await client.authorizationCodeGrant(gitlabSide, new URL(end.url), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    const { payload } = await jwtVerify(tokens.id_token!, createLocalJWKSet(oidcJwks), {
      issuer,
      audience: gitlab.clientId,
    });
    expect(payload).toMatchObject({ sub: labgateId, nonce: request.nonce });
    const [gitlabUser] = await t.api.Users.all({ externUid: labgateId, provider: 'openid_connect' });
    const userinfo = await client.fetchUserInfo(gitlabSide, tokens.access_token, labgateId);
    expect(userinfo).toMatchObject({
      sub: labgateId,
      preferred_username: gitlabUser!.username,
      email: 'grace@example.edu',
    });

    // The LMS keeps signing launches with the consumer secret it had: the same person comes back.
    const launch = await postLaunch(
      { app: restored } as TestApp,
      formEncode(
        signedLaunch({ consumer } as TestApp, {
          signedUrl: `${base}/lti/launch`,
          params: learnerParams({
            user_id: 'teacher-backup',
            roles: 'Instructor',
            lis_person_name_full: 'Grace Hopper',
          }),
        }),
      ),
    );
    expect(launch.statusCode).toBe(303);
    expect(await target.db.selectFrom('users').select('id').execute()).toEqual([{ id: labgateId }]);
  });
});
