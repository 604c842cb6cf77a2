/** What a command run in the sandbox gave back. */
export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** stdout went over the size asked for and was cut. */
  truncated: boolean;
  timedOut: boolean;
}

export interface RunOptions {
  /** Added to a minimal environment (PATH, LC_ALL=C, HOME=/nonexistent): nothing else is inherited. */
  env?: Record<string, string>;
  stdin?: Buffer;
  /** Relative to the learner's folder. */
  cwd?: string;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** RLIMIT_FSIZE of the command: no file it writes grows past this. */
  fileSizeLimitBytes?: number;
}

export interface FileInfo {
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
}

export interface DiskUsage {
  /** What the learner's folder takes on disk. */
  usedBytes: number;
  /** Size and room of the file system it lives on (its own, when the engine enforces a limit). */
  fsBytes: number;
  fsFreeBytes: number;
  /** The biggest entries at the top of the folder, for telling the learner what to delete. */
  biggest: Array<{ path: string; bytes: number }>;
}

/**
 * One labgate operation's channel into a learner's sandbox: every command runs there as the learner,
 * every path is relative to their folder, and nothing here touches the host's files.
 */
export interface SandboxSession {
  run(argv: string[], o?: RunOptions): Promise<RunResult>;
  /** The file's bytes; undefined when missing. Links, folders and devices are refused. */
  read(path: string, maxBytes: number): Promise<Buffer | undefined>;
  /** Replaces the file at once (a temporary file renamed over it; a link there is replaced, never followed). */
  write(path: string, data: Buffer | string): Promise<void>;
  stat(path: string): Promise<FileInfo | undefined>;
  /** Refused when the new name is taken. */
  rename(from: string, to: string): Promise<void>;
  list(path?: string): Promise<string[]>;
  usage(): Promise<DiskUsage>;
  /** A forge URL as the sandbox reaches it (an embedded forge on loopback is relayed). */
  forgeUrl(url: string): string;
  close(): Promise<void>;
}

/** Which workspace to work in, and whether the operation talks to the forge. */
export interface SandboxTarget {
  userId: string;
  assignment: string;
  image: string;
  /** The forge is needed (fetch, push, clone); otherwise a stopped workspace's sandbox has no network. */
  network: boolean;
}

/** Opens sessions in a learner's running container, or in a short-lived one when it is stopped. */
export interface Sandbox {
  open(target: SandboxTarget): Promise<SandboxSession>;
}
