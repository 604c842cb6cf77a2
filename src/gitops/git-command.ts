import type { CommitLang } from './commit-wording.ts';
import { gitErrors } from './git-errors.ts';
import type { WorkFolder } from './work-folder.ts';

/** Where git runs (the learner's sandbox), and as whom commits are authored. */
export interface GitContext {
  folder: WorkFolder;
  author: { name: string; email: string };
  /** The learner's language: the commits labgate makes for them are worded in it (English when absent). */
  lang?: CommitLang;
  timeoutMs?: number;
}

export interface Remote {
  /** As the sandbox reaches it. */
  url: string;
  branch: string;
  /** A token for HTTP Basic auth, fetched only when a command talks to this remote. */
  token: () => Promise<string>;
}

// Defence in depth: git runs as the learner in their own sandbox, so their settings can only act on
// their own work; still, labgate's commands behave the same whatever the repository's config says.
const hardening = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.pager=cat',
  'core.editor=true',
  'core.askPass=',
  'credential.helper=',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'log.showSignature=false',
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
  'diff.ignoreSubmodules=all',
  'status.submoduleSummary=false',
  'gc.auto=0',
  'safe.directory=*',
];

// The token reaches git through the environment of the one command that needs it: never a URL or a file.
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
  o: { okCodes?: number[]; remote?: Remote; stdin?: Buffer } = {},
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
  o: { okCodes?: number[]; remote?: Remote; stdin?: Buffer },
): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  const config = [
    ...hardening,
    // Only the remote this command talks to gets the token.
    ...(o.remote ? [`credential.${new URL(o.remote.url).origin}.helper=${credentialHelper}`] : []),
  ].flatMap((c) => ['-c', c]);
  const token = o.remote ? await o.remote.token() : '';
  const timeoutMs = ctx.timeoutMs ?? 120_000;
  const result = await ctx.folder.run(['git', ...config, ...args], {
    env: {
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: ctx.author.name,
      GIT_AUTHOR_EMAIL: ctx.author.email,
      GIT_COMMITTER_NAME: ctx.author.name,
      GIT_COMMITTER_EMAIL: ctx.author.email,
      GIT_MERGE_AUTOEDIT: 'no',
      ...(token ? { LABGATE_GIT_TOKEN: token } : {}),
    },
    timeoutMs,
    maxOutputBytes: 256 * 1024 * 1024,
    ...(o.stdin ? { stdin: o.stdin } : {}),
  });
  if (result.timedOut)
    throw gitErrors.gitFailed(
      args[0] ?? 'git',
      `it took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`,
    );
  if (result.truncated) throw gitErrors.gitFailed(args[0] ?? 'git', 'its answer was too large');
  if (result.code === 127)
    throw gitErrors.gitFailed(args[0] ?? 'git', 'git is not installed in the workspace image');
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
