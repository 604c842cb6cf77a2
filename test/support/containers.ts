import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const podmanSocket = process.env.LABGATE_TEST_DOCKER_SOCKET ?? '/run/podman/podman.sock';

/**
 * Podman's Docker API and the test notebook image, both made on first need and reused after (the
 * image tag carries its recipe's hash). Returns the image name.
 */
export function ensureNotebookImage(): string {
  execFileSync('bash', [path.join(root, 'scripts/ensure-containers.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return execFileSync('bash', [path.join(root, 'scripts/build-notebook-image.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  }).trim();
}

/**
 * The test image with a real JupyterLab 4.6.3 frontend and labgate's extension, built from npm on
 * first need (scripts/build-lab-image.sh) on top of the notebook image, and reused after.
 */
export function ensureLabImage(): string {
  return execFileSync('bash', [path.join(root, 'scripts/build-lab-image.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  }).trim();
}
