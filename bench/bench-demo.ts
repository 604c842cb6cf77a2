/**
 * The demo app with workspaces on Podman, for benches that launch learners for real: a temp data
 * folder, a loopback port (bench-port.ts), the test image. `close()` removes only this run's workspaces (its
 * own database lists them: other labgate processes may share the engine) and its folders.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { podmanSocket, removeWorkspaces } from '../test/support/containers.ts';
import { listenOnSomePort } from './bench-port.ts';

export async function startBenchDemo(name: string, env: Record<string, string> = {}) {
  const image = execFileSync('bash', ['scripts/build-notebook-image.sh'], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(path.join(tmpdir(), `labgate-bench-${name}-`));
  chmodSync(dir, 0o755); // labgate runs git in workspaces as the learners' uid, which must reach them
  const { app, port } = await listenOnSomePort((port) =>
    buildApp(
      loadConfig('demo', {
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        WORKSPACE_IMAGE: image,
        DOCKER_SOCKET: podmanSocket,
        WORKSPACE_ENTRY: 'tree',
        ...env,
      }),
    ),
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    app,
    base,
    dir,
    image,
    async close() {
      const ids = (await app.services.db.selectFrom('workspaces').select('id').execute()).map((w) => w.id);
      await app.warmPool?.close({ drain: true });
      await app.close();
      await removeWorkspaces(ids);
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}-workspaces`, { recursive: true, force: true });
    },
  };
}
