export type { Spawner, WorkspaceSpec, RunningWorkspace, WorkspaceInfo } from './spawner.ts';
export type {
  Sandbox,
  SandboxSession,
  SandboxTarget,
  RunResult,
  RunOptions,
  FileInfo,
  DiskUsage,
} from './sandbox/sandbox.ts';
export { connectAgent, agentCommand } from './sandbox/agent-client.ts';
export { refusalReason } from './sandbox/sandbox-errors.ts';
export { createDockerSpawner, type DockerSpawnerOptions } from './docker-spawner.ts';
export { createDockerSandbox, type DockerSandboxOptions } from './docker-sandbox.ts';
export { createScratchSandboxes, type ScratchSandboxes, type ScratchTarget } from './docker-scratch.ts';
export { connectEngine, type Engine, type EngineKind } from './docker-engine.ts';
export { createWorkspaceStorage, type StorageKind, type WorkspaceStorage } from './docker-storage.ts';
export { createWorkspaceNetworks, networkName } from './docker-network.ts';
export { createForgeRelay, type ForgeRelay } from './forge-relay.ts';
export { canMakeDiskImages } from './disk-image.ts';
export { containerName, workspaceFolder } from './workspace-names.ts';
export { homeWork } from './container-spec.ts';
export {
  createWorkspaceStore,
  type Workspace,
  type WorkspaceStore,
  type WorkspaceStatus,
  type WorkspaceStep,
} from './workspace-store.ts';
export { createDockerJobs, type DockerJobs, type JobSpec, type JobOutcome } from './docker-job.ts';
