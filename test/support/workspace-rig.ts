import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createWorkspaceGit, createWorkspaceLauncher, type GitOperation } from '../../src/flows/index.ts';
import { createGitlabForge, createProvisioner } from '../../src/forge/index.ts';
import { createTemplateMirror } from '../../src/gitops/index.ts';
import { createWorkspaceStore, type Workspace } from '../../src/workspaces/index.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab } from './gitlab-lite.ts';
import { openTestDatabase } from './test-database.ts';
import { testWorkspaceParts } from './workspace-parts.ts';

/**
 * Learners' workspaces in real containers, wired as app.ts wires them: gitlab-lite with a template
 * `teachers/ex1` holding `files`, the provisioner, the launcher and the git buttons' flow.
 */
export async function startWorkspaceRig(o: {
  image: string;
  files: Record<string, string>;
  diskBytes?: number;
  tmpBytes?: number;
}) {
  const t = await startTestGitlab();
  const d = await openTestDatabase();
  const root = mkdtempSync(path.join(tmpdir(), 'labgate-rig-'));
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  const template = await t.api.Projects.create({ name: 'ex1', namespaceId: teachers.id as number });
  const teacherDir = path.join(t.work, 'teacher');
  const teacherGit = async (args: string[], cwd = teacherDir) => {
    const r = await runGit(args, cwd);
    if (r.code !== 0) throw new Error(`git ${args[0]}: ${r.out}`);
  };
  await teacherGit(['clone', '-q', cloneUrl(t.lite.url, 'teachers/ex1', rootToken), teacherDir], t.work);
  /** The teacher changes the template and pushes. */
  const teacherPushes = async (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(teacherDir, name)), { recursive: true });
      writeFileSync(path.join(teacherDir, name), content);
    }
    await teacherGit(['add', '-A']);
    await teacherGit(['commit', '-q', '-m', 'The exercise']);
    await teacherGit(['push', '-q', 'origin', 'HEAD:main']);
  };
  await teacherGit(['checkout', '-q', '-b', 'main']);
  await teacherPushes(o.files);
  const forge = createGitlabForge({ url: t.lite.url, token: rootToken });
  const provisioner = createProvisioner({
    db: d.db,
    forge,
    log: pino({ level: 'silent' }),
    options: { pollMs: 50 },
  });
  provisioner.start();
  const parts = testWorkspaceParts({ root, forgeUrl: t.lite.url, ...o });
  const workspaces = createWorkspaceStore(d.db);
  const launcher = createWorkspaceLauncher({
    forge,
    provisioner,
    spawner: parts.spawner,
    sandbox: parts.sandbox,
    workspaces,
    settings: {
      image: o.image,
      allowedImages: [],
      limits: { memoryBytes: 512 << 20, cpus: 1, pids: 256 },
      maxRunning: 10,
    },
  });
  const git = createWorkspaceGit({
    forge,
    provisioner,
    sandbox: parts.sandbox,
    templates: createTemplateMirror({ dir: path.join(root, 'mirrors'), refreshMs: 0 }),
    settings: { image: o.image, maxFileBytes: 20 << 20, diskLimitBytes: o.diskBytes ?? 256 << 20 },
  });
  const learners: string[] = [];
  return {
    t,
    root,
    parts,
    templateId: template.id as number,
    teacherPushes,
    /** A learner's first launch, to a running workspace with their fork cloned. */
    async launch(userId: string): Promise<Workspace> {
      learners.push(userId);
      const job = await provisioner.provision(userId, {
        kind: 'fork',
        person: { externUid: userId, username: userId, name: userId, email: `${userId}@x.invalid` },
        course: { id: 'c1', path: 'c1', name: 'C1' },
        assignment: { slug: 'ex1', title: 'Ex 1', template: 'teachers/ex1' },
      });
      const ws = await launcher.launch({
        userId,
        courseId: 'c1',
        assignment: 'ex1',
        provisioningId: job.id,
        person: { name: userId, email: `${userId}@x.invalid` },
      });
      await launcher.settled(ws.id);
      const ready = (await workspaces.find(ws.id))!;
      if (ready.status !== 'running') throw new Error(`launch of ${userId} failed: ${ready.error}`);
      return ready;
    },
    /** A git button pressed by the learner. */
    git: (ws: Workspace, op: GitOperation, body: unknown = {}) => git.run(ws, op, body),
    /** Runs a command in the learner's container as the learner (what they can do in a terminal). */
    async asLearner(userId: string, argv: string[], stdin?: string) {
      const session = await parts.sandbox.open({ userId, assignment: 'ex1', image: o.image, network: false });
      try {
        const r = await session.run(argv, stdin === undefined ? {} : { stdin: Buffer.from(stdin) });
        return { code: r.code, out: r.stdout.toString('utf8'), err: r.stderr };
      } finally {
        await session.close();
      }
    },
    async close() {
      await parts.forget(learners.map((u) => [u, 'ex1']));
      await provisioner.stop();
      await parts.close();
      await d.close();
      await t.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export type WorkspaceRig = Awaited<ReturnType<typeof startWorkspaceRig>>;
