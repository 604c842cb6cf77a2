import { AppError } from '../errors.ts';

export const workspaceErrors = {
  engineDown: (why: string) =>
    new AppError({
      code: 'WORKSPACE_ENGINE_DOWN',
      status: 503,
      message: `labgate cannot reach the container engine: ${why}.`,
      hint: 'The administrator should check that Docker (or podman system service) is running and that labgate can use its socket.',
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
  imageBuildFailed: (o: { step: string; why: string; fix: string }) =>
    new AppError({
      code: 'WORKSPACE_IMAGE_BUILD_FAILED',
      status: 503,
      message: `labgate could not prepare the JupyterLab image (${o.step}): ${o.why}`,
      hint: o.fix,
    }),
};
