import { AppError } from '../errors.ts';

const nothingLost = 'Nothing in your workspace was changed or lost.';

/** Every refusal of the git API: what happened, and what the learner can do. */
export const gitErrors = {
  gitFailed: (command: string, why: string) =>
    new AppError({
      code: 'GIT_FAILED',
      status: 500,
      message: `git ${command} failed: ${why}.`,
      hint: `${nothingLost} Try again; if it keeps failing, tell your teacher what this message says.`,
      details: { command, why },
    }),
  notARepository: () =>
    new AppError({
      code: 'GIT_NOT_A_REPOSITORY',
      status: 409,
      message: 'Your workspace folder is not a git repository (its .git folder is missing or not a folder).',
      hint: 'Launch the activity again from your course: labgate will copy your repository back, keeping your files aside.',
    }),
  unsafeConfig: (keys: string[]) =>
    new AppError({
      code: 'GIT_UNSAFE_CONFIG',
      status: 409,
      message: `Your repository’s git settings contain ${keys.join(', ')}, which could run programs; labgate does not use a repository set up this way.`,
      hint: `In a terminal, remove them (git config --unset ${keys[0]}), then try again. ${nothingLost}`,
      details: { keys: keys.join(', ') },
    }),
  midOperation: (operation: string, abort: string) =>
    new AppError({
      code: 'GIT_MID_OPERATION',
      status: 409,
      message: `Your repository is in the middle of a ${operation} started outside labgate.`,
      hint: `Finish it, or cancel it in a terminal with ${abort}, then try again. ${nothingLost}`,
      details: { operation, abort },
    }),
  detachedHead: (sha: string, branch: string) =>
    new AppError({
      code: 'GIT_DETACHED_HEAD',
      status: 409,
      message: `Your repository is not on a branch (it shows commit ${sha.slice(0, 7)} on its own).`,
      hint: `In a terminal, run git switch ${branch} (your changes come along), then try again. ${nothingLost}`,
      details: { sha: sha.slice(0, 7), branch },
    }),
  locked: () =>
    new AppError({
      code: 'GIT_LOCKED',
      status: 409,
      message: 'Another git command is working in your repository, or one was interrupted.',
      hint: 'Wait a moment and try again. If no terminal is running git, delete the file .git/index.lock.',
    }),
  busy: () =>
    new AppError({
      code: 'GIT_BUSY',
      status: 409,
      message:
        'Another git operation on your workspace (from another window or tab, perhaps) is still running.',
      hint: `Wait for it to finish, then try again. ${nothingLost}`,
    }),
  filesTooBig: (files: Array<{ path: string; bytes: number }>, limitBytes: number) =>
    new AppError({
      code: 'GIT_FILES_TOO_BIG',
      status: 413,
      message: `${files.map((f) => `${f.path} (${megabytes(f.bytes)})`).join(', ')} ${files.length > 1 ? 'are' : 'is'} over the ${megabytes(limitBytes)} limit for files saved to GitLab.`,
      hint: `Make ${files.length > 1 ? 'them' : 'it'} smaller, or list ${files.length > 1 ? 'them' : 'it'} in .gitignore to keep ${files.length > 1 ? 'them' : 'it'} only in your workspace. Nothing was saved; your files are unchanged.`,
      details: { files: files.map((f) => f.path).join(', '), limit: megabytes(limitBytes) },
    }),
  remoteUnreachable: (why: string) =>
    new AppError({
      code: 'GIT_REMOTE_UNREACHABLE',
      status: 502,
      message: `labgate could not reach GitLab: ${why}.`,
      hint: `Your work is safe in your workspace. Try again in a minute.`,
      details: { why },
    }),
  remoteRefused: (why: string) =>
    new AppError({
      code: 'GIT_REMOTE_REFUSED',
      status: 502,
      message: `GitLab refused labgate’s access to your repository: ${why}.`,
      hint: 'Your work is safe in your workspace. Launch the activity again from your course; if it continues, tell your teacher.',
      details: { why },
    }),
  pushRejected: (why: string) =>
    new AppError({
      code: 'GIT_PUSH_REJECTED',
      status: 409,
      message: `GitLab did not accept your work, even after bringing in its newer changes: ${why}.`,
      hint: 'Your work is committed in your workspace. Try again in a minute.',
      details: { why },
    }),
  badRequest: (operation: string, why: string) =>
    new AppError({
      code: 'GIT_BAD_REQUEST',
      status: 400,
      message: `The ${operation} request was not understood: ${why}.`,
      hint: 'Reload JupyterLab and try again.',
      details: { operation, why },
    }),
  diskFull: (usedBytes: number, limitBytes: number, biggest: Array<{ path: string; bytes: number }>) =>
    new AppError({
      code: 'GIT_DISK_FULL',
      status: 507,
      message: `Your workspace is full: it holds ${megabytes(usedBytes)} of its ${megabytes(limitBytes)}.`,
      hint: `Delete files you do not need, starting with the biggest (${biggest.map((b) => `${b.path}: ${megabytes(b.bytes)}`).join(', ') || 'none found'}), then try again. ${nothingLost}`,
      details: {
        used: megabytes(usedBytes),
        limit: megabytes(limitBytes),
        biggest: biggest.map((b) => `${b.path} (${megabytes(b.bytes)})`).join(', '),
      },
    }),
  badPath: (path: string) =>
    new AppError({
      code: 'GIT_BAD_PATH',
      status: 400,
      message: `"${path}" is not a file of your repository.`,
      hint: 'Open a file inside your work folder, then try again.',
      details: { path },
    }),
};

export function megabytes(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
