import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourseStore } from '../src/courses/index.ts';
import { rootToken, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
import { openTestDatabase } from './support/test-database.ts';

// `labgate assignments add` publishes through the same use case as the course page, with the same checks.
const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/labgate.js');
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let gitlab: TestGitlab;
let courseId = '';
const dataDir = mkdtempSync(path.join(tmpdir(), 'labgate-publish-cli-'));

beforeAll(async () => {
  database = await openTestDatabase();
  gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  for (const [name, readme] of [
    ['ex1', true],
    ['empty', false],
  ] as const)
    await gitlab.api.Projects.create({
      name,
      namespaceId: teachers.id as number,
      initializeWithReadme: readme,
    });
  const ex1 = await gitlab.api.Projects.show('teachers/ex1');
  await gitlab.api.Commits.create(ex1.id as number, 'main', 'A part in a folder', [
    { action: 'create', filePath: 'notebooks/part 1.ipynb', content: '{}' },
  ]);
  courseId = (
    await createCourseStore(database.db).createCourse({
      lms: 'lti11:k',
      contextId: 'course-v1:Inria+RR101+2026',
      title: 'Recherche reproductible',
    })
  ).id;
});
afterAll(async () => {
  await database?.close();
  await gitlab?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function labgate(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        FORGE_URL: gitlab.lite.url,
        FORGE_TOKEN: rootToken,
        WORKSPACE_IMAGE: 'labgate-notebook:test',
        WORKSPACE_IMAGES_ALLOWED: 'labgate-notebook-r:test',
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const add = (...more: string[]) =>
  labgate(['assignments', 'add', '--course', courseId, '--template', 'teachers/ex1', ...more]);

describe('labgate assignments add', () => {
  it('adds an exercise with its image, deadline and late policy, and lists them', async () => {
    const added = await add(
      '--slug',
      'ex1',
      '--title',
      'Exercice 1',
      '--image',
      'labgate-notebook-r:test',
      '--deadline',
      '2099-12-18T18:00:00+01:00',
      '--late-policy',
      'lock',
      '--open',
      './README.md',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('assignment ex1 added: learners get a fork of teachers/ex1');
    expect(added.stdout).toContain(
      'workspace image: labgate-notebook-r:test; deadline: 2099-12-18T17:00:00.000Z; after it: forks locked',
    );
    expect(added.stdout).toContain('learners land in: README.md');
    expect(added.stdout).toContain('LMS link: add the custom parameter assignment=ex1');
    const plain = await add('--slug', 'ex1-plain');
    expect(plain.code, plain.stderr).toBe(0);
    const nested = await add('--slug', 'ex1-part1', '--open', 'notebooks/part 1.ipynb');
    expect(nested.stdout, nested.stderr).toContain('learners land in: notebooks/part 1.ipynb');
    const listed = JSON.parse(
      (await labgate(['assignments', 'list', '--course', courseId, '--json'])).stdout,
    );
    expect(listed).toEqual([
      expect.objectContaining({
        slug: 'ex1',
        opens: 'README.md',
        image: 'labgate-notebook-r:test',
        deadline: '2099-12-18T17:00:00.000Z',
        'late policy': 'lock',
      }),
      expect.objectContaining({ slug: 'ex1-part1', opens: 'notebooks/part 1.ipynb' }),
      expect.objectContaining({
        slug: 'ex1-plain',
        title: 'ex1-plain',
        opens: '(first notebook)',
        image: '(default)',
        deadline: '',
        'late policy': 'accept',
      }),
    ]);
  });

  it.each([
    [
      'an unknown template',
      ['--slug', 'a1', '--template', 'teachers/nope'],
      /^labgate: --template: No project teachers\/nope on http:\/\/127\.0\.0\.1:\d+\.\n {2}Check the path, or create a new template\./m,
    ],
    [
      'a template without commits',
      ['--slug', 'a2', '--template', 'teachers/empty'],
      /--template: The template teachers\/empty has no commit yet.*\n {2}Push a first commit/,
    ],
    [
      'a slug already used',
      ['--slug', 'ex1'],
      /--slug: This course already has an exercise "ex1" \(Exercice 1\)\./,
    ],
    [
      'a deadline in the past',
      ['--slug', 'a3', '--deadline', '2020-01-01T12:00:00Z'],
      /--deadline: The deadline 2020-01-01 12:00 UTC is already past\./,
    ],
    [
      'a deadline that is no date',
      ['--slug', 'a4', '--deadline', 'next friday'],
      /--deadline: "next friday" is not a date and time\./,
    ],
    [
      'an image not allowed',
      ['--slug', 'a5', '--image', 'evil/miner'],
      /--image: The workspace image "evil\/miner" is not allowed on this server\.\n {2}Choose one of: labgate-notebook:test, labgate-notebook-r:test\./,
    ],
    [
      'an unknown late policy',
      ['--slug', 'a6', '--late-policy', 'maybe'],
      /--late-policy: "maybe" is not a late policy\./,
    ],
    [
      'a file to open that leaves the template',
      ['--slug', 'a8', '--open', 'notebooks/../../etc/passwd'],
      /--open: "notebooks\/\.\.\/\.\.\/etc\/passwd" cannot be the file learners land in\.\n {2}Give its path from the top of the template/,
    ],
    [
      'a file to open that the template does not have (letter case counts)',
      ['--slug', 'a9', '--open', 'readme.md'],
      /--open: The template teachers\/ex1 has no file readme\.md on main\./,
    ],
    ['a slug that cannot be one', ['--slug', 'Ex 7'], /--slug: "Ex 7" cannot be the exercise's short name\./],
  ])('refuses %s with a clear message and exit code 2', async (_, args, message) => {
    const res = await add(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('refuses an unknown course, and says so when no forge could check the template', async () => {
    const unknown = await labgate([
      'assignments',
      'add',
      '--course',
      'nope',
      '--slug',
      'x',
      '--template',
      'a/b',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('labgate: --course: No course nope.');
    const unchecked = await labgate(
      ['assignments', 'add', '--course', courseId, '--slug', 'x', '--template', 'a/b'],
      {
        FORGE_URL: '',
        FORGE_TOKEN: '',
        WORKSPACE_IMAGE: '',
        WORKSPACE_IMAGES_ALLOWED: '',
      },
    );
    expect(unchecked.code, unchecked.stderr).toBe(0);
    expect(unchecked.stdout).toContain('the template was not checked: no forge');
  });
});
