import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest } from '../../gitlab-lite/auth.ts';
import { startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

let t: TestGitlab;
const sessions: Record<string, string> = {};

/** A web session for `userId`, as after "Sign in with labgate" (the sign-in itself is tested elsewhere). */
function webSession(userId: number) {
  const id = randomBytes(24).toString('base64url');
  const db = new Database(path.join(t.dataDir, 'gitlab-lite.db'));
  db.prepare('INSERT INTO web_sessions (id_digest, user_id, created_at) VALUES (?, ?, ?)').run(
    digest(id),
    userId,
    new Date().toISOString(),
  );
  db.close();
  return id;
}

const visit = (url: string, who: string) =>
  fetch(`${t.lite.url}${url}`, {
    headers: { cookie: `_gitlab_session=${sessions[who]}` },
    redirect: 'manual',
  });

beforeAll(async () => {
  t = await startTestGitlab();
  const root = await t.api.Groups.create('labgate', 'labgate');
  const course = await t.api.Groups.create('RR101', 'rr101', { parentId: root.id as number });
  await t.api.Projects.create({ name: 'ex1-ana', namespaceId: course.id as number });
  for (const name of ['prof', 'stranger']) {
    const u = await t.api.Users.create({
      name,
      username: name,
      email: `${name}@x.invalid`,
      password: 'Passw0rd-long-1',
    });
    sessions[name] = webSession(u.id as number);
    if (name === 'prof') await t.api.GroupMembers.add(course.id as number, 40, { userId: u.id as number });
  }
});
afterAll(async () => t?.close());

describe('a group’s page, where a teacher’s “Open in GitLab” lands', () => {
  it('lists the course group’s projects to its Maintainer at the group’s web_url', async () => {
    const group = await t.api.Groups.show('labgate/rr101');
    expect(group.web_url).toBe(`${t.lite.url}/groups/labgate/rr101`);
    const page = await visit('/groups/labgate/rr101', 'prof');
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('data-testid="group-name">RR101<');
    expect(body).toContain('href="/labgate/rr101/ex1-ana"');
  });

  it('is GitLab’s 404 for someone who is no member, and the sign-in for nobody', async () => {
    expect((await visit('/groups/labgate/rr101', 'stranger')).status).toBe(404);
    expect((await visit('/groups/labgate/nothing-here', 'prof')).status).toBe(404);
    const anonymous = await fetch(`${t.lite.url}/groups/labgate/rr101`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/users\/sign_in\?redirect_to=/);
  });
});
