import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { LearnerRepo, TemplateMirror } from '../../src/gitops/index.ts';
import { createTemplateMirror, notebookProblem } from '../../src/gitops/index.ts';
import { localSandbox } from '../support/local-sandbox.ts';
import { cloneUrl, rootToken, runGit, type TestGitlab } from '../support/gitlab-lite.ts';

export interface CellSpec {
  id?: string;
  type?: 'code' | 'markdown';
  source: string;
  outputs?: string[];
  count?: number | null;
}

/** A notebook as Jupyter writes it (sorted keys, one-space indent), with stream outputs. */
export function notebook(cells: CellSpec[], o: { minor?: number } = {}): string {
  const nb = {
    cells: cells.map((c) => {
      const type = c.type ?? 'code';
      const base = {
        cell_type: type,
        ...(c.id ? { id: c.id } : {}),
        metadata: {},
        source: c.source.split(/(?<=\n)/),
      };
      return type === 'code'
        ? {
            ...base,
            execution_count: c.count ?? null,
            outputs: (c.outputs ?? []).map((text) => ({
              name: 'stdout',
              output_type: 'stream',
              text: [text],
            })),
          }
        : base;
    }),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: o.minor ?? 5,
  };
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  return `${JSON.stringify(sorted(nb), null, 1)}\n`;
}

export const cellSources = (text: string) =>
  (JSON.parse(text) as { cells: Array<{ source: string[] | string }> }).cells.map((c) =>
    Array.isArray(c.source) ? c.source.join('') : c.source,
  );

async function must(args: string[], cwd: string) {
  const r = await runGit(args, cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.out}`);
  return r.out;
}

function writeFiles(dir: string, files: Record<string, string | null>) {
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    if (content === null) rmSync(full, { force: true });
    else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
}

let counter = 0;
let mirror: TemplateMirror;

/**
 * A teacher's template in gitlab-lite with `files`, the learner's fork of it, and the learner's
 * workspace clone: the three places a pull meets. The teacher works in their own clone.
 */
export async function learnerRig(t: TestGitlab, files: Record<string, string>) {
  const name = `ex${++counter}`;
  mirror ??= createTemplateMirror({ dir: path.join(t.work, 'template-mirrors'), refreshMs: 0 });
  const group = async (p: string) =>
    t.api.Groups.show(p).catch(() => t.api.Groups.create(p.toUpperCase(), p));
  const teachers = await group('teachers');
  await group('learners');
  const template = await t.api.Projects.create({ name, namespaceId: teachers.id as number });
  const teacherDir = path.join(t.work, `${name}-teacher`);
  await must(['clone', '-q', cloneUrl(t.lite.url, `teachers/${name}`, rootToken), teacherDir], t.work);
  await must(['checkout', '-q', '-b', 'main'], teacherDir);
  writeFiles(teacherDir, files);
  await must(['add', '-A'], teacherDir);
  await must(['commit', '-q', '-m', 'Exercise'], teacherDir);
  await must(['push', '-q', 'origin', 'HEAD:main'], teacherDir);
  const fork = await t.api.Projects.fork(template.id as number, {
    namespacePath: 'learners',
    path: `${name}-ada`,
    name: `${name}-ada`,
  });
  for (let i = 0; ; i++) {
    const p = await t.api.Projects.show(fork.id as number);
    if (p.import_status === 'finished') break;
    if (i > 200) throw new Error(`fork ${name} did not finish: ${String(p.import_status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const dir = path.join(t.work, `${name}-workspace`);
  await must(['clone', '-q', cloneUrl(t.lite.url, `learners/${name}-ada`, rootToken), dir], t.work);
  // The workspace's clone remembers no token (labgate's clone does not either).
  await must(['remote', 'set-url', 'origin', cloneUrl(t.lite.url, `learners/${name}-ada`)], dir);
  const token = async () => rootToken;
  const folder = await localSandbox(dir);
  const repo: LearnerRepo = {
    ctx: { folder, author: { name: 'Ada Lovelace', email: 'ada@learners.invalid' } },
    origin: { url: cloneUrl(t.lite.url, `learners/${name}-ada`), branch: 'main', token },
    template: () =>
      mirror.source({
        id: template.id as number,
        url: cloneUrl(t.lite.url, `teachers/${name}`),
        branch: 'main',
        token,
      }),
    maxFileBytes: 1024 * 1024,
    diskLimitBytes: 1024 * 1024 * 1024,
  };
  return {
    repo,
    dir,
    forkPath: `learners/${name}-ada`,
    forkId: fork.id as number,
    /** The teacher changes the template and pushes. */
    teacherPushes: async (change: Record<string, string | null>, message = 'Fix the exercise') => {
      writeFiles(teacherDir, change);
      await must(['add', '-A'], teacherDir);
      await must(['commit', '-q', '-m', message], teacherDir);
      await must(['push', '-q', 'origin', 'HEAD:main'], teacherDir);
    },
    /** The teacher starts the template's history over (a squashed new root), force-pushed. */
    teacherRewritesHistory: async (files: Record<string, string>) => {
      await t.api.ProtectedBranches.unprotect(template.id as number, 'main').catch(() => {});
      await must(['checkout', '-q', '--orphan', `squashed-${Date.now()}`], teacherDir);
      await must(['rm', '-rq', '--cached', '.'], teacherDir);
      for (const f of readdirSync(teacherDir))
        if (f !== '.git') rmSync(path.join(teacherDir, f), { recursive: true });
      writeFiles(teacherDir, files);
      await must(['add', '-A'], teacherDir);
      await must(['commit', '-q', '-m', 'The exercise, squashed'], teacherDir);
      await must(['push', '-q', '--force', 'origin', 'HEAD:main'], teacherDir);
    },
    /** The learner saves work to their fork from another clone (or GitLab's web editor). */
    pushToForkFromElsewhere: async (change: Record<string, string | null>) => {
      const other = path.join(t.work, `${name}-elsewhere`);
      await must(['clone', '-q', cloneUrl(t.lite.url, `learners/${name}-ada`, rootToken), other], t.work);
      writeFiles(other, change);
      await must(['add', '-A'], other);
      await must(['commit', '-q', '-m', 'Saved elsewhere'], other);
      await must(['push', '-q', 'origin', 'HEAD:main'], other);
    },
    /** The learner edits files in JupyterLab (null deletes). */
    learnerEdits: (change: Record<string, string | null>) => writeFiles(dir, change),
    read: (file: string) => readFileSync(path.join(dir, file), 'utf8'),
    /** Every file of the workspace (not .git), by path, with its content. */
    files: () =>
      Object.fromEntries(
        (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
          .filter((e) => e.isFile())
          .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
          .filter((f) => !f.startsWith('.git/'))
          .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
      ),
    ls: () => readdirSync(dir).filter((f) => f !== '.git'),
    git: (args: string[]) => must(args, dir),
    /** Every notebook in the workspace, and why it would not open (undefined when it does). */
    notebookProblems: () =>
      Object.fromEntries(
        readdirSync(dir)
          .filter((f) => f.endsWith('.ipynb'))
          .map((f) => [f, notebookProblem(readFileSync(path.join(dir, f), 'utf8'))]),
      ),
  };
}
