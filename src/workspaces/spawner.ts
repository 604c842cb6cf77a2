/** One learner's workspace for one assignment: what to run, with what limits, and where their files live. */
export interface WorkspaceSpec {
  userId: string;
  assignment: string;
  image: string;
  /** On labgate's storage; bind-mounted as the learner's home work folder. */
  workspaceDir: string;
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
  /** Creates the container if missing, starts it if stopped, and resolves once Jupyter answers. */
  start(spec: WorkspaceSpec): Promise<RunningWorkspace>;
  stop(userId: string, assignment: string): Promise<void>;
  /** Whether the container runs now (the database may say so after an engine restart when it does not). */
  isRunning(userId: string, assignment: string): Promise<boolean>;
  /** Removes the container (the files stay on labgate's storage): the next start is a fresh environment. */
  remove(userId: string, assignment: string): Promise<void>;
  list(): Promise<WorkspaceInfo[]>;
}
