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

/** What the labgate menu offers beside git: pages of labgate itself. */
export type AccountAction = 'reset' | 'signOut';

export const ACCOUNT_ACTIONS: readonly AccountAction[] = ['reset', 'signOut'];

export const ACCOUNT_COMMAND_IDS: Readonly<Record<AccountAction, string>> = {
  reset: 'labgate:reset-environment',
  signOut: 'labgate:sign-out',
};

export const PLUGIN_ID = 'labgate-jupyter:plugin';
