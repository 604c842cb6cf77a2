import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import type { ICommitResult, IOpenResult, IPullResult, ISessionInfo, IStatusResult } from './responses';
import {
  findGitApiError,
  parseCommitResult,
  parseOpenResult,
  parsePullResult,
  parseSessionInfo,
  parseStatusResult,
} from './responses';
import type { GitOperation } from './tokens';
import { parseCheckResult, type ICheckResult } from './check-result';

/** What a call to labgate's git API can come to; every case is shown to the learner. */
export type GitApiOutcome<T> =
  | { readonly kind: 'done'; readonly value: T }
  /** labgate answered with an error whose message is already a sentence for the learner. */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string }
  /** The request never got an answer (network down, server gone). */
  | { readonly kind: 'unreachable' }
  /** Something answered, but not labgate's git API (a proxy error page, an old server…). */
  | { readonly kind: 'unexpected'; readonly status: number };

export interface IGitApi {
  status(): Promise<GitApiOutcome<IStatusResult>>;
  commit(message: string | undefined): Promise<GitApiOutcome<ICommitResult>>;
  pull(): Promise<GitApiOutcome<IPullResult>>;
  open(path: string): Promise<GitApiOutcome<IOpenResult>>;
  check(): Promise<GitApiOutcome<ICheckResult>>;
  /** The learner's language and labgate's pages; no git runs. */
  session(): Promise<GitApiOutcome<ISessionInfo>>;
}

export function createGitApi(
  settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
): IGitApi {
  const post = <T>(operation: GitOperation | 'session', body: object, parse: (value: unknown) => T) =>
    postToGitApi(settings, operation, body, parse);
  return {
    status: () => post('status', {}, parseStatusResult),
    commit: (message) => post('commit', message ? { message } : {}, parseCommitResult),
    pull: () => post('pull', {}, parsePullResult),
    open: (path) => post('open', { path }, parseOpenResult),
    check: () => post('check', {}, parseCheckResult),
    session: () => post('session', {}, parseSessionInfo),
  };
}

async function postToGitApi<T>(
  settings: ServerConnection.ISettings,
  operation: GitOperation | 'session',
  body: object,
  parse: (value: unknown) => T,
): Promise<GitApiOutcome<T>> {
  const url = URLExt.join(settings.baseUrl, 'git-api', operation);
  const init: RequestInit = {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  };
  let response: Response;
  try {
    // makeRequest adds the Jupyter token or the XSRF header, as for any Jupyter API call.
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch {
    return { kind: 'unreachable' };
  }
  const json = await readJson(response);
  if (!response.ok) {
    const error = findGitApiError(json);
    return error
      ? { kind: 'refused', status: response.status, ...error }
      : { kind: 'unexpected', status: response.status };
  }
  try {
    return { kind: 'done', value: parse(json) };
  } catch {
    return { kind: 'unexpected', status: response.status };
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
