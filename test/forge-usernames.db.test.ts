import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcAccounts } from '../src/flows/index.ts';
import { createGitlabForge, createProvisioner } from '../src/forge/index.ts';
import { createPseudonyms, createUserStore } from '../src/identity/index.ts';
import { rootToken, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
import { forkState, launchAndProvision, makeTemplate, startPrivacyApp } from './support/privacy-rig.ts';
import type { TestApp } from './support/test-app.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';

let t: TestGitlab;
const databases: TestDatabase[] = [];
const apps: TestApp[] = [];
let templates: string[];

const forgeEnv = (mode: string) => ({ FORGE_URL: t.lite.url, FORGE_TOKEN: rootToken, FORGE_USERNAMES: mode });
const person = (id: string, name: string, slug = 'ex1') => ({
  user_id: id,
  lis_person_name_full: name,
  lis_person_contact_email_primary: `${id}@example.org`,
  custom_assignment: slug,
});

/** A labgate on `database` in `mode`, with the course and its two assignments (made on first use). */
async function appOn(database: TestDatabase, mode: string, first: boolean) {
  const app = await startPrivacyApp(database, forgeEnv(mode), { firstOnDatabase: first });
  apps.push(app);
  if (first) {
    const course = await app.app.services.courses.ensureCourse({
      lms: 'lti11:test-lms',
      contextId: 'course-v1:Inria+RR101+2026',
      title: 'Recherche reproductible',
      label: 'RR101',
    });
    for (const [i, slug] of ['ex1', 'ex2'].entries())
      await app.app.services.assignments.addAssignment({
        courseId: course.id,
        slug,
        title: slug,
        template: templates[i]!,
      });
  }
  return app;
}

/** The account as GitLab stored it, read back through its API as an administrator. */
const gitlabUser = async (id: number) => (await t.api.Users.show(id)) as unknown as Record<string, unknown>;

beforeAll(async () => {
  t = await startTestGitlab();
  templates = [await makeTemplate(t, 'ex1'), await makeTemplate(t, 'ex2')];
});
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const d of databases) await d.close();
  await t?.close();
});

describe('FORGE_USERNAMES=pseudonymous', () => {
  it('gives GitLab an opaque, stable username per person and neither their name nor their e-mail', async () => {
    const database = await openTestDatabase();
    databases.push(database);
    let app = await appOn(database, 'pseudonymous', true);
    const camille = await launchAndProvision(app, person('camille-lms', 'Camille Durand'));
    const first = await forkState(app.db, camille.userId);
    const username = first.forgeUser.username;
    expect(username).toMatch(/^[0-9a-f]{32}$/);
    const stored = JSON.stringify(await gitlabUser(first.forgeUser.id));
    for (const secret of ['Camille', 'Durand', 'camille-lms', 'example.org'])
      expect(stored).not.toContain(secret);
    expect(await gitlabUser(first.forgeUser.id)).toMatchObject({
      username,
      name: username,
      email: `${username}@users.labgate.invalid`,
    });
    expect(first.fork!.pathWithNamespace).toBe(`labgate/rr101/ex1-${username}`);
    // Keyed: not a bare hash of the LMS identity anyone could recompute from an LMS id.
    for (const guess of ['camille-lms', JSON.stringify(['lti11', 'test-lms', '', 'camille-lms'])])
      expect(createHash('sha256').update(guess).digest('hex')).not.toContain(username);
    // Commits from the workspace are signed with the same placeholder identity.
    const spec = await app.db
      .selectFrom('provisionings')
      .select('spec')
      .where('user_id', '=', camille.userId)
      .executeTakeFirstOrThrow();
    expect(spec.spec).not.toMatch(/Camille|example\.org/);

    const dominique = await launchAndProvision(app, person('dominique-lms', 'Dominique Martin'));
    const other = (await forkState(app.db, dominique.userId)).forgeUser.username;
    expect(other).toMatch(/^[0-9a-f]{32}$/);
    expect(other).not.toBe(username);

    // After a restart (a replica, a restored backup: the key is in the database), the same name again.
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    app = await appOn(database, 'pseudonymous', false);
    const again = await launchAndProvision(app, person('camille-lms', 'Camille Durand', 'ex2'));
    const second = await forkState(app.db, again.userId, 'ex2');
    expect(again.userId).toBe(camille.userId);
    expect(second.forgeUser).toEqual(first.forgeUser);
    expect(second.fork!.pathWithNamespace).toBe(`labgate/rr101/ex2-${username}`);
    const recomputed = await createPseudonyms(app.db).of({
      kind: 'lti11',
      issuer: 'test-lms',
      clientId: '',
      subject: 'camille-lms',
    });
    expect(recomputed).toBe(username);
  });

  it('signs people in to GitLab with the pseudonym as name and a placeholder address', async () => {
    const app = apps.at(-1)!;
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken });
    const provisioner = createProvisioner({ db: app.db, forge, log: pino({ level: 'silent' }) });
    const findAccount = createOidcAccounts({
      users: createUserStore(app.db),
      provisioner,
      forgeUsernames: 'pseudonymous',
    });
    const { user_id: id } = await app.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('subject', '=', 'camille-lms')
      .executeTakeFirstOrThrow();
    const account = await findAccount(id);
    const username = (await forkState(app.db, id)).forgeUser.username;
    expect(account).toMatchObject({
      sub: id,
      preferredUsername: username,
      name: username,
      email: `${username}@users.labgate.invalid`,
    });
    expect(JSON.stringify(account)).not.toMatch(/Camille|example\.org/);
  });

  it('keeps the accounts of learners who had one before the server switched from names', async () => {
    const database = await openTestDatabase();
    databases.push(database);
    const named = await appOn(database, 'names', true);
    const eve = await launchAndProvision(named, person('eve-lms', 'Eve Dupont'));
    const before = await forkState(named.db, eve.userId);
    expect(before.forgeUser.username).toBe('eve-dupont');
    await named.close();
    apps.splice(apps.indexOf(named), 1);

    const pseudonymous = await appOn(database, 'pseudonymous', false);
    await launchAndProvision(pseudonymous, person('eve-lms', 'Eve Dupont', 'ex2'));
    const after = await forkState(pseudonymous.db, eve.userId, 'ex2');
    expect(after.forgeUser).toEqual(before.forgeUser);
    expect(after.fork!.pathWithNamespace).toMatch(/\/ex2-eve-dupont$/); // another database: its own course group
    expect(await t.api.Users.all({ externUid: eve.userId, provider: 'openid_connect' })).toHaveLength(1);
    // A newcomer on the switched server is pseudonymous.
    const frank = await launchAndProvision(pseudonymous, person('frank-lms', 'Frank Moreau'));
    expect((await forkState(pseudonymous.db, frank.userId)).forgeUser.username).toMatch(/^[0-9a-f]{32}$/);
  });
});
