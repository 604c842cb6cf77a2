import { execFile } from 'node:child_process';
import { inheritedEnv } from '../config.ts';
import { gitErrors } from './git-errors.ts';

/** Where git runs, as whom, and with which credentials for the one remote URL of the command. */
export interface GitContext {
  dir: string;
  /** Runs git as this uid/gid (the learner's in the container) when labgate runs as root. */
  uid?: number;
  author: { name: string; email: string };
  timeoutMs?: number;
}

export interface Remote {
  url: string;
  branch: string;
  /** A token for HTTP Basic auth, fetched only when a command talks to this remote. */
  token: () => Promise<string>;
}

// The repository is the learner's: its .git/config and hooks could run commands in labgate. These
// settings, given on the command line, win over anything in it (see repo-guard.ts for the rest).
const hardening = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.pager=cat',
  'core.editor=true',
  'core.askPass=',
  'credential.helper=',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'protocol.allow=never',
  'protocol.http.allow=always',
  'protocol.https.allow=always',
  'protocol.file.allow=never',
  'core.quotePath=false',
  'merge.conflictStyle=merge',
  'pull.rebase=false',
  'advice.detachedHead=false',
  'init.defaultBranch=main',
  'fetch.recurseSubmodules=false',
  'submodule.recurse=false',
  'gc.auto=0',
];

// The token reaches git through the environment only: never in a URL, a file, or the container.
const credentialHelper = '!f() { echo username=labgate; echo "password=$LABGATE_GIT_TOKEN"; }; f';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs `git args…` in the learner's repository. Resolves for any exit code listed in `okCodes`
 * (default: 0 only); otherwise rejects with a GitFailure carrying git's last words (token removed).
 */
export async function git(
  ctx: GitContext,
  args: string[],
  o: { okCodes?: number[]; remote?: Remote } = {},
): Promise<GitResult> {
  const r = await run(ctx, args, o);
  return { ...r, stdout: r.stdout.toString('utf8') };
}

/** The bytes of `path` at `ref`, or undefined when that commit has no such file. */
export async function readBlob(ctx: GitContext, ref: string, file: string): Promise<Buffer | undefined> {
  const r = await run(ctx, ['cat-file', 'blob', `${ref}:${file}`], { okCodes: [0, 128] });
  return r.code === 0 ? r.stdout : undefined;
}

async function run(
  ctx: GitContext,
  args: string[],
  o: { okCodes?: number[]; remote?: Remote },
): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  const config = [
    ...hardening,
    `safe.directory=${ctx.dir}`,
    // Only the remote this command talks to gets the token.
    ...(o.remote ? [`credential.${new URL(o.remote.url).origin}.helper=${credentialHelper}`] : []),
  ].flatMap((c) => ['-c', c]);
  const token = o.remote ? await o.remote.token() : '';
  const asLearner = ctx.uid !== undefined && process.getuid?.() === 0;
  const result = await new Promise<{ stdout: Buffer; stderr: string; code: number }>((resolve, reject) => {
    const child = execFile(
      'git',
      [...config, ...args],
      {
        cwd: ctx.dir,
        env: inheritedEnv({
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_NAME: ctx.author.name,
          GIT_AUTHOR_EMAIL: ctx.author.email,
          GIT_COMMITTER_NAME: ctx.author.name,
          GIT_COMMITTER_EMAIL: ctx.author.email,
          GIT_MERGE_AUTOEDIT: 'no',
          LC_ALL: 'C',
          HOME: '/nonexistent',
          LABGATE_GIT_TOKEN: token,
        }),
        timeout: ctx.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'buffer',
        ...(asLearner ? { uid: ctx.uid, gid: ctx.uid } : {}),
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        if (err && code === -1) {
          const why = err.killed
            ? `it took longer than ${Math.round((ctx.timeoutMs ?? 120_000) / 1000)} s and was stopped`
            : (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'git is not installed'
              : err.message;
          return reject(gitErrors.gitFailed(args[0] ?? 'git', why));
        }
        resolve({ stdout, stderr: stderr.toString('utf8'), code });
      },
    );
    child.stdin?.end();
  });
  if ((o.okCodes ?? [0]).includes(result.code)) return result;
  const lastWords = result.stderr
    .replaceAll(token || '\u0000', '[token]')
    .trim()
    .split('\n')
    .filter(Boolean)
    .slice(-3)
    .join(' ');
  throw gitErrors.gitFailed(args[0] ?? 'git', lastWords || `exit code ${result.code}`);
}

/** Splits NUL-separated git output (`-z`), dropping the empty tail. */
export const nulSplit = (text: string) => text.split('\0').filter((s) => s !== '');
