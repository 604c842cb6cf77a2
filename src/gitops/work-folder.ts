/**
 * What gitops needs of the learner's folder: commands run and files reached only through their
 * sandbox (a workspaces SandboxSession fits), never through a path on labgate's host.
 */
export interface WorkFolder {
  run(
    argv: string[],
    o?: {
      env?: Record<string, string>;
      stdin?: Buffer;
      timeoutMs?: number;
      maxOutputBytes?: number;
      fileSizeLimitBytes?: number;
    },
  ): Promise<{ code: number; stdout: Buffer; stderr: string; truncated: boolean; timedOut: boolean }>;
  read(path: string, maxBytes: number): Promise<Buffer | undefined>;
  write(path: string, data: Buffer | string): Promise<void>;
  stat(path: string): Promise<{ type: 'file' | 'dir' | 'link' | 'other'; size: number } | undefined>;
  rename(from: string, to: string): Promise<void>;
  list(path?: string): Promise<string[]>;
  usage(): Promise<{
    usedBytes: number;
    fsBytes: number;
    fsFreeBytes: number;
    biggest: Array<{ path: string; bytes: number }>;
  }>;
}
