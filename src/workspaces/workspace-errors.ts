import { AppError } from '../errors.ts';

export const workspaceErrors = {
  engineDown: (why: string) =>
    new AppError({
      code: 'WORKSPACE_ENGINE_DOWN',
      status: 503,
      message: `labgate cannot reach the container engine: ${why}.`,
      hint: 'The administrator should check that Docker (or podman system service) is running and that labgate can use its socket.',
    }),
  /** An engine known here to leave workspace networks unisolated (README, "Workspace networks"). */
  engineUnsafe: (engine: string) =>
    new AppError({
      code: 'WORKSPACE_ENGINE_UNSAFE',
      status: 503,
      message: `labgate starts no workspace on ${engine}: launched together, workspaces there can reach each other.`,
      hint: 'The administrator should set network_backend = "cni" in /etc/containers/containers.conf and restart podman system service (README, “Workspace networks”).',
      details: { engine },
    }),
  imageMissing: (image: string) =>
    new AppError({
      code: 'WORKSPACE_IMAGE_MISSING',
      status: 503,
      message: `The notebook image "${image}" is not on the container engine.`,
      hint: 'The administrator should pull or build it (scripts/build-notebook-image.sh for tests), then you can launch again.',
    }),
  notReady: (seconds: number, logs: string) =>
    new AppError({
      code: 'WORKSPACE_NOT_READY',
      status: 504,
      message: `The notebook server did not answer within ${seconds} s.${logs ? ` Its last words: ${logs}` : ''}`,
      hint: 'Launch again; if it keeps failing, the administrator should check the image and the machine’s load.',
    }),
  /** Swarm did not run the workspace's task: `why` is Swarm's own reason (rejected, failed, no node). */
  taskFailed: (why: string, logs: string) =>
    new AppError({
      code: 'WORKSPACE_TASK_FAILED',
      status: 503,
      message: `Docker Swarm could not run the notebook server: ${why.replace(/\.$/, '')}.${logs ? ` Its last words: ${logs}` : ''}`,
      hint: 'Launch again later; if it keeps failing, the administrator should check the image and the nodes (docker service ps).',
      details: { why },
    }),
  /** WORKSPACE_SWARM_ADDRESS=gwbridge reaches only tasks on labgate's own node. */
  swarmOtherNode: () =>
    new AppError({
      code: 'WORKSPACE_SWARM_OTHER_NODE',
      status: 503,
      message:
        'Docker Swarm ran the notebook server on another node, which labgate cannot reach through this node’s docker_gwbridge (WORKSPACE_SWARM_ADDRESS=gwbridge).',
      hint: 'The administrator should run labgate on the workspaces’ overlay network (WORKSPACE_SWARM_ADDRESS=overlay), or pin workspaces to labgate’s node with WORKSPACE_NODE_LABEL.',
    }),
  imageBuildFailed: (o: { step: string; why: string; fix: string }) =>
    new AppError({
      code: 'WORKSPACE_IMAGE_BUILD_FAILED',
      status: 503,
      message: `labgate could not prepare the JupyterLab image (${o.step}): ${o.why}`,
      hint: o.fix,
    }),
};
