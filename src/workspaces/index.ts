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
export { createWarmPool, type WarmPool, type WarmPoolOptions } from './docker-pool.ts';
export { createWarmPools, type WarmPools, type WarmPoolsOptions } from './docker-pools.ts';
export { sweepPoolLeftovers } from './docker-removal.ts';
export { createDockerSandbox, type DockerSandboxOptions } from './docker-sandbox.ts';
export { createSwarmSpawner, type SwarmSpawnerOptions } from './swarm-spawner.ts';
export { createSwarmSandbox } from './swarm-sandbox.ts';
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
export { createEngineImages, type EngineImages } from './docker-images.ts';
export { findEngine, probeSocket, type SocketProbe, type SocketAnswer } from './docker-probe.ts';
export { labImageNames, checkoutRoot, labRecipe, type LabImageNames } from './lab-image-recipe.ts';
export {
  ensureLabImage,
  buildSteps,
  stepTitles,
  type BuildEvent,
  type BuildStep,
} from './lab-image-build.ts';
export {
  createImageSetup,
  type ImageSetup,
  type ImageSetupView,
  type NoEngineReason,
} from './image-setup.ts';
export { engineAdvice } from './engine-advice.ts';
export { workspaceErrors } from './workspace-errors.ts';
