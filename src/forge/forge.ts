/** A learner or teacher as the forge knows them, linked to labgate's OIDC identity. */
export interface ForgeUser {
  id: number;
  username: string;
}

export interface ForgeIdentity {
  /** labgate's stable OIDC subject for this person; GitLab stores it as the identity's extern_uid. */
  externUid: string;
  /** Wished-for username; a free variant is taken if GitLab already has it. */
  username: string;
  name: string;
  email: string;
}

export interface ForgeGroup {
  id: number;
  fullPath: string;
  webUrl: string;
}

export interface ForgeProject {
  id: number;
  pathWithNamespace: string;
  defaultBranch: string;
  /** No commits at all: nothing to fork. */
  emptyRepo: boolean;
  /** `none` for a project made directly; `scheduled`, `started`, `finished` or `failed` for a fork. */
  importStatus: string;
  importError: string | undefined;
  forkedFromId: number | undefined;
  httpUrl: string;
  webUrl: string;
}

/** Developer (30) pushes, Reporter (20) reads code, Maintainer (40) manages the project. */
export type ForgeAccess = 20 | 30 | 40;

export interface RepoToken {
  /** The forge's id of the token, to revoke it. */
  id: number;
  token: string;
  /** The last day the token works (GitLab expires tokens by date). */
  expiresAt: string;
}

export interface ForgeCommit {
  sha: string;
  committedAt: string;
}

/** A push as the forge recorded it: `pushedAt` is the forge's clock, never a commit date. */
export interface ForgePush {
  /** Stable across retries: the hook's Idempotency-Key, or `event:<id>` from the events API. */
  key: string;
  projectId: number;
  /** Branch name without `refs/heads/`. */
  ref: string;
  /** Undefined when the push made the branch. */
  before: string | undefined;
  /** Undefined when the push deleted the branch. */
  after: string | undefined;
  pushedAt: number;
  author: string;
}

/** A project a person can read, as a template to choose. */
export interface ForgeProjectChoice {
  id: number;
  pathWithNamespace: string;
  name: string;
  emptyRepo: boolean;
}

/** What labgate needs from a GitLab (real, or gitlab-lite). Every method is safe to call again. */
export interface Forge {
  /** Its base URL now (FORGE_URL, or the embedded forge's): stored fork and group links are rebased onto it. */
  readonly url: string;
  ensureUser(identity: ForgeIdentity): Promise<ForgeUser>;
  /** The account linked to labgate's subject `externUid`, if any. */
  findUser(externUid: string): Promise<ForgeUser | undefined>;
  /** Deletes the account and what it made, for good (a person's erasure). */
  deleteUser(id: number): Promise<void>;
  /** Makes a project read-only for everyone, admins included; `missing` when it is gone. */
  archiveProject(id: number): Promise<'archived' | 'missing'>;
  /** Deletes a project for good, even where GitLab would only mark it for deletion. */
  eraseProject(id: number): Promise<void>;
  /**
   * The group at `path` (under `parentId`) that carries `marker` in its description, made if absent;
   * a path taken by someone else's group or a user moves on to `path-2`, `path-3`….
   */
  ensureGroup(o: { path: string; name: string; parentId?: number; marker: string }): Promise<ForgeGroup>;
  findProject(idOrPath: number | string): Promise<ForgeProject | undefined>;
  /**
   * Starts a fork of `templateId` at `namespace`/`path` (private), or returns the project already
   * there when it is a fork of the same template (a retried or concurrent request). `taken` when the
   * path holds something else.
   */
  startFork(o: {
    templateId: number;
    namespace: ForgeGroup;
    path: string;
    name: string;
  }): Promise<{ project: ForgeProject } | { taken: true }>;
  deleteProject(id: number): Promise<void>;
  grantProjectAccess(projectId: number, userId: number, level: ForgeAccess): Promise<void>;
  grantGroupAccess(groupId: number, userId: number, level: ForgeAccess): Promise<void>;
  /** Lets Developers push and merge to `branch`, force pushes still refused. */
  openBranchToDevelopers(projectId: number, branch: string): Promise<void>;
  /**
   * A token for this one repository that expires within `days`: `write` reads and pushes, `read` only
   * reads. Tokens of the same kind left over for more than an hour (a crash before revoking) are revoked.
   */
  mintRepoToken(projectId: number, o: { days: number; access: 'read' | 'write' }): Promise<RepoToken>;
  revokeRepoToken(projectId: number, tokenId: number): Promise<void>;
  /** A private project at `namespace`/`path`, made empty when absent (e.g. an assignment's grading repository). */
  ensureProject(o: { namespace: ForgeGroup; path: string; name: string }): Promise<ForgeProject>;
  /** The newest commit of `ref` (made at or before `until`), or undefined when there is none. */
  latestCommit(projectId: number, ref: string, until?: Date): Promise<ForgeCommit | undefined>;
  /** The files of a commit as a tar, refused over `maxBytes`. */
  archive(projectId: number, sha: string, maxBytes: number): Promise<Buffer>;
  /** Whether `branch` holds a file at `path` (false for a folder, or a branch that does not exist). */
  fileExists(projectId: number, path: string, branch: string): Promise<boolean>;
  /** A project hook posting push events to `url` with `token` as X-Gitlab-Token; one per URL (updated). */
  ensurePushHook(projectId: number, o: { url: string; token: string }): Promise<void>;
  /** Branch pushes the forge recorded for the project at or after `since`, oldest first (events API). */
  pushEvents(projectId: number, since: Date): Promise<ForgePush[]>;
  /** Protects `branch` so that no one can push to it (a deadline's lock); safe to call again. */
  lockBranch(projectId: number, branch: string): Promise<void>;
  /** An annotated tag at `sha`; `exists` when the name is taken (the tag is left as it is). */
  createTag(
    projectId: number,
    o: { name: string; sha: string; message: string },
  ): Promise<'created' | 'exists'>;
  /** Projects `userId` can read (Reporter or more, or public), matching `search` on path or name. */
  readableProjects(userId: number, search: string, limit: number): Promise<ForgeProjectChoice[]>;
  /** Whether `userId` can read the project (Reporter or more, or public). */
  canRead(userId: number, projectId: number): Promise<boolean>;
  /** One commit on `branch` adding or replacing `files` (the branch is made when the repository is empty). */
  commitFiles(
    projectId: number,
    o: {
      branch: string;
      message: string;
      files: Array<{ path: string; content: Buffer }>;
      /** The commit's author, when not the token's user (labgate's own commits to learners' forks). */
      author?: { name: string; email: string };
      /** Where `branch` starts when it does not exist yet (labgate's feedback branch beside a locked one). */
      startBranch?: string;
    },
  ): Promise<ForgeCommit>;
}
