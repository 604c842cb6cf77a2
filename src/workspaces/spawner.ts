/** One learner's workspace for one assignment: what to run, with what limits. */
export interface WorkspaceSpec {
  userId: string;
  assignment: string;
  image: string;
  /** The path prefix the Jupyter server is reached under through labgate's proxy, e.g. /user/<id>/. */
  baseUrl: string;
  /** The Jupyter server's token: added by the proxy, never shown to the browser. */
  token: string;
  limits: { memoryBytes: number; cpus: number; pids: number };
}

export interface RunningWorkspace {
  name: string;
  /** Where labgate reaches the Jupyter server (loopback only). */
  target: string;
}

export interface WorkspaceInfo {
  name: string;
  userId: string;
  assignment: string;
  state: 'running' | 'stopped';
  startedAt: number | undefined;
}

/** Runs workspaces on a container engine (Docker, Swarm, or Podman's Docker API). */
export interface Spawner {
  /**
   * Creates the learner's storage and container if missing and starts it; resolves once the
   * container runs (the Jupyter server may still be starting: see `waitReady`).
   */
  start(spec: WorkspaceSpec): Promise<void>;
  /** Resolves once the Jupyter server answers; fails with its last words if it does not. */
  waitReady(spec: WorkspaceSpec): Promise<RunningWorkspace>;
  /** Stops the workspace; its files stay and the next start is a fresh container. */
  stop(userId: string, assignment: string): Promise<void>;
  /** Whether the container runs now (the database may say so after an engine restart when it does not). */
  isRunning(userId: string, assignment: string): Promise<boolean>;
  /** Whether the learner's files exist (a workspace whose storage vanished is made again from the fork). */
  hasStorage(userId: string, assignment: string): Promise<boolean>;
  /** Removes the container (the files stay): the next start is a fresh environment. */
  remove(userId: string, assignment: string): Promise<void>;
  /**
   * The engine's workspaces. A workspace that came from the warm pool has empty `userId` and
   * `assignment` (an engine's labels are fixed when the container is made): the database knows them.
   */
  list(): Promise<WorkspaceInfo[]>;
}
