export type { Spawner, WorkspaceSpec, RunningWorkspace, WorkspaceInfo } from './spawner.ts';
export { createDockerSpawner, type DockerSpawnerOptions } from './docker-spawner.ts';
export { containerName, workspaceFolder } from './workspace-names.ts';
export {
  createWorkspaceStore,
  type Workspace,
  type WorkspaceStore,
  type WorkspaceStatus,
  type WorkspaceStep,
} from './workspace-store.ts';
export { cloneFork } from './clone-fork.ts';
export { prepareWorkspaceRoot } from './workspace-root.ts';
