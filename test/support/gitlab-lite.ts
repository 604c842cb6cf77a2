import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Gitlab } from '@gitbeaker/rest';
import { startGitlabLite } from '../../gitlab-lite/index.ts';
import { documentView } from '../../src/grading/index.ts';

const exec = promisify(execFile);
export const rootToken = 'root-token-for-tests';

/**
 * A gitlab-lite on a free port and fresh data dir, a root gitbeaker client, and a scratch work dir.
 * Hooks may post to 127.0.0.1, where the tests' receivers listen.
 */
export async function startTestGitlab() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gitlab-lite-'));
  const work = mkdtempSync(path.join(tmpdir(), 'gitlab-lite-work-'));
  const t = {
    dataDir,
    work,
    lite: await startGitlabLite({
      port: 0,
      dataDir,
      rootToken,
      allowLocalHookUrls: true,
      renderer: documentView,
    }),
    api: undefined as unknown as InstanceType<typeof Gitlab>,
    /** Stops and starts again on the same data, as after a crash or an upgrade. */
    restart: async () => {
      await t.lite.close();
      t.lite = await startGitlabLite({
        port: 0,
        dataDir,
        rootToken,
        allowLocalHookUrls: true,
        renderer: documentView,
      });
      t.api = new Gitlab({ host: t.lite.url, token: rootToken });
    },
    close: async () => {
      await t.lite.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
  t.api = new Gitlab({ host: t.lite.url, token: rootToken });
  return t;
}

export type TestGitlab = Awaited<ReturnType<typeof startTestGitlab>>;

/**
 * Runs git as a learner's machine would, never prompting; resolves with its exit code and output.
 * `env` adds variables, e.g. GIT_COMMITTER_DATE for a learner whose clock is wrong.
 */
export async function runGit(args: string[], cwd: string, env: Record<string, string> = {}) {
  const who = {
    GIT_AUTHOR_NAME: 'T',
    GIT_AUTHOR_EMAIL: 't@x.invalid',
    GIT_COMMITTER_NAME: 'T',
    GIT_COMMITTER_EMAIL: 't@x.invalid',
  };
  try {
    const { stdout, stderr } = await exec('git', args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...who, ...env },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** The clone URL of a project, with a token as git's Basic password. */
export function cloneUrl(baseUrl: string, fullPath: string, token?: string) {
  const url = new URL(`${baseUrl}/${fullPath}.git`);
  if (token) {
    url.username = 'anything';
    url.password = token;
  }
  return url.href;
}
