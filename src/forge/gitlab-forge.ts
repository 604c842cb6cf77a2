import * as gitbeaker from '@gitbeaker/core';
import { presetResourceArguments } from '@gitbeaker/requester-utils';
import type { Forge } from './forge.ts';
import { createGitlabErasure } from './gitlab-erasure.ts';
import { createGitlabGroups } from './gitlab-groups.ts';
import { createGitlabHooks } from './gitlab-hooks.ts';
import { createGitlabProjects } from './gitlab-projects.ts';
import { createGitlabReaders } from './gitlab-readers.ts';
import { createGitlabReceipts } from './gitlab-receipts.ts';
import { createGitlabRepository } from './gitlab-repository.ts';
import { createRequester, type ForgeCallSample } from './gitlab-requester.ts';
import { createGitlabUsers } from './gitlab-users.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retry.ts';

export interface GitlabForgeOptions {
  url: string;
  /** An administrator's personal access token with the `api` scope. */
  token: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Told of every HTTP request to GitLab, retries included (metrics). */
  observe?: (sample: ForgeCallSample) => void;
}

/** The Forge on GitLab's REST API through gitbeaker's resources and labgate's own retry policy. */
export function createGitlabForge(o: GitlabForgeOptions): Forge {
  const requesterFn = createRequester({
    timeoutMs: o.timeoutMs ?? 15_000,
    retry: o.retry ?? defaultRetryPolicy,
    ...(o.observe ? { observe: o.observe } : {}),
  });
  const resources = presetResourceArguments(
    {
      Users: gitbeaker.Users,
      Groups: gitbeaker.Groups,
      GroupMembers: gitbeaker.GroupMembers,
      Projects: gitbeaker.Projects,
      ProjectMembers: gitbeaker.ProjectMembers,
      ProtectedBranches: gitbeaker.ProtectedBranches,
      ProjectAccessTokens: gitbeaker.ProjectAccessTokens,
      Repositories: gitbeaker.Repositories,
      Commits: gitbeaker.Commits,
      RepositoryFiles: gitbeaker.RepositoryFiles,
      ProjectHooks: gitbeaker.ProjectHooks,
      Events: gitbeaker.Events,
      Tags: gitbeaker.Tags,
    },
    { requesterFn },
  );
  const options = { host: o.url, token: o.token };
  const api = {
    users: new resources.Users(options),
    groups: new resources.Groups(options),
    groupMembers: new resources.GroupMembers(options),
    projects: new resources.Projects(options),
    projectMembers: new resources.ProjectMembers(options),
    protectedBranches: new resources.ProtectedBranches(options),
    projectAccessTokens: new resources.ProjectAccessTokens(options),
    repositories: new resources.Repositories(options),
    commits: new resources.Commits(options),
    repositoryFiles: new resources.RepositoryFiles(options),
    projectHooks: new resources.ProjectHooks(options),
    events: new resources.Events(options),
    tags: new resources.Tags(options),
  };
  return {
    url: o.url.replace(/\/+$/, ''),
    ...createGitlabUsers(api),
    ...createGitlabGroups(api),
    ...createGitlabProjects(api),
    ...createGitlabRepository(api),
    ...createGitlabHooks(api),
    ...createGitlabReceipts(api),
    ...createGitlabReaders(api),
    ...createGitlabErasure(api),
  };
}
