/** The operations labgate's git API serves under `<base URL>/git-api/<operation>`. */
export type GitOperation = 'status' | 'commit' | 'pull' | 'open' | 'check';

export const GIT_OPERATIONS: readonly GitOperation[] = ['status', 'commit', 'pull', 'open', 'check'];

export const COMMAND_IDS: Readonly<Record<GitOperation, string>> = {
  status: 'labgate-git:status',
  commit: 'labgate-git:commit',
  pull: 'labgate-git:pull',
  open: 'labgate-git:open',
  check: 'labgate-git:check',
};

export const PLUGIN_ID = 'labgate-jupyter:plugin';
