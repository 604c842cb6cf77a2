export type { Spawner, WorkspaceSpec, RunningWorkspace, WorkspaceInfo } from './spawner.ts';
export { createDockerSpawner, type DockerSpawnerOptions } from './docker-spawner.ts';
export { containerName, workspaceFolder } from './workspace-names.ts';
