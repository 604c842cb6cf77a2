import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
let projectId: number;
let reporter: string;

const commit = async (body: Record<string, unknown>, token = rootToken) => {
  const res = await fetch(`${t.lite.url}/api/v4/projects/${projectId}/repository/commits`, {
    method: 'POST',
    headers: { 'private-token': token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  t = await startTestGitlab();
  const group = await t.api.Groups.create('Course C', 'course-c');
  projectId = (await t.api.Projects.create({ name: 'empty', namespaceId: group.id as number })).id as number;
  const rita = await t.api.Users.create({
    email: 'r@x.invalid',
    name: 'Rita',
    username: 'rita',
    forceRandomPassword: true,
  });
  await t.api.ProjectMembers.add(projectId, 20, { userId: rita.id as number });
  reporter = (await t.api.UserImpersonationTokens.create(rita.id as number, 'api', ['api'])).token as string;
});
afterAll(async () => t.close());

describe('gitlab-lite POST /projects/:id/repository/commits', () => {
  it('makes the first commit of an empty repository (commit/detail.json), base64 content kept byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 10]);
    const res = await commit({
      branch: 'main',
      commit_message: 'Add the assignment',
      actions: [
        { action: 'create', file_path: 'ex1.ipynb', content: '{"cells":[]}\n' },
        {
          action: 'create',
          file_path: 'data/blob.bin',
          content: bytes.toString('base64'),
          encoding: 'base64',
        },
      ],
    });
    expect(res.status).toBe(201);
    expectSchema('public_api/v4/commit/detail.json', res.body);
    expect(res.body).toMatchObject({
      title: 'Add the assignment',
      parent_ids: [],
      author_name: 'Administrator',
      committer_email: 'admin@example.com',
      stats: { additions: 1, deletions: 0, total: 1 },
      project_id: projectId,
    });
    const project = await t.api.Projects.show(projectId);
    expect(project.empty_repo).toBe(false);
    const blob = (await t.api.RepositoryFiles.show(projectId, 'data/blob.bin', 'main')) as {
      content: string;
    };
    expect(Buffer.from(blob.content, 'base64')).toEqual(bytes);
  });

  it('updates, moves and deletes files on the branch in one commit', async () => {
    const res = await commit({
      branch: 'main',
      commit_message: 'Rework',
      actions: [
        { action: 'update', file_path: 'ex1.ipynb', content: '{"cells":[1]}\n' },
        { action: 'move', previous_path: 'data/blob.bin', file_path: 'data/moved.bin' },
        { action: 'create', file_path: 'gone.txt', content: 'x' },
        { action: 'delete', file_path: 'gone.txt' },
      ],
    });
    expect(res.status).toBe(201);
    const tree = (await t.api.Repositories.allRepositoryTrees(projectId, { recursive: true })) as Array<{
      path: string;
      type: string;
    }>;
    expect(
      tree
        .filter((e) => e.type === 'blob')
        .map((e) => e.path)
        .sort(),
    ).toEqual(['data/moved.bin', 'ex1.ipynb']);
    expect((res.body.parent_ids as string[]).length).toBe(1);
  });

  it('refuses what Files::MultiService refuses, with GitLab’s words', async () => {
    const cases: Array<[Record<string, unknown>, number, unknown]> = [
      [{ commit_message: 'm', actions: [] }, 400, { message: '400 Bad request - branch is required' }],
      [{ branch: 'main', actions: [] }, 400, { message: '400 Bad request - commit_message is required' }],
      [
        { branch: 'main', commit_message: 'm' },
        400,
        { message: '400 Bad request - Provide at least one action, or set allow_empty to true' },
      ],
      [
        {
          branch: 'main',
          commit_message: 'm',
          actions: [{ action: 'create', file_path: 'ex1.ipynb', content: '' }],
        },
        400,
        { message: 'A file with this name already exists' },
      ],
      [
        {
          branch: 'main',
          commit_message: 'm',
          actions: [{ action: 'update', file_path: 'nope.txt', content: '' }],
        },
        400,
        { message: "A file with this name doesn't exist" },
      ],
      [
        { branch: 'main', commit_message: 'm', actions: [{ action: 'rename', file_path: 'a' }] },
        400,
        {
          message: '400 Bad request - actions[0][action] must be one of: create, update, move, delete, chmod',
        },
      ],
      [
        {
          branch: 'other',
          commit_message: 'm',
          actions: [{ action: 'create', file_path: 'a', content: '' }],
        },
        400,
        { message: 'You can only create or edit files when you are on a branch' },
      ],
    ];
    for (const [body, status, answer] of cases) expect(await commit(body)).toEqual({ status, body: answer });
  });

  it('makes a new branch from start_branch, and refuses Reporters', async () => {
    const res = await commit({
      branch: 'feature',
      start_branch: 'main',
      commit_message: 'On a branch',
      actions: [{ action: 'create', file_path: 'f.txt', content: 'f' }],
    });
    expect(res.status).toBe(201);
    expect((await t.api.Branches.show(projectId, 'feature')).commit.id).toBe(res.body.id);
    const denied = await commit(
      {
        branch: 'feature',
        commit_message: 'm',
        actions: [{ action: 'create', file_path: 'g', content: '' }],
      },
      reporter,
    );
    expect(denied).toEqual({
      status: 403,
      body: { message: '403 Forbidden - You are not allowed to push into this branch' },
    });
  });
});
