import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cpus } from 'node:os';
import { createLogger } from '../logger.ts';
import { openServices } from '../app.ts';
import type { Config } from '../config.ts';
import { createGitlabForge, createProvisioner } from '../forge/index.ts';
import { buildClassGrading } from './grading.ts';

/** The forge from FORGE_URL, or the running demo's embedded one (its port and token in DATA_DIR). */
export async function forgeSettings(config: Config) {
  if (config.forge) return config.forge;
  const dir = path.join(config.dataDir, 'gitlab-lite');
  const [port, token] = await Promise.all(
    ['port', 'root-token'].map((f) =>
      readFile(path.join(dir, f), 'utf8').then(
        (s) => s.trim(),
        () => undefined,
      ),
    ),
  );
  if (!port || !token)
    throw new Error(
      'no forge: set FORGE_URL and FORGE_TOKEN, or start the demo (npm start) with this DATA_DIR',
    );
  return { url: `http://127.0.0.1:${port}`, token, group: 'labgate' };
}

/** Class grading for the command line, on the configured database, forge and container engine. */
export async function openClassGrading(config: Config) {
  const services = await openServices(config);
  const settings = await forgeSettings(config);
  const forge = createGitlabForge({ url: settings.url, token: settings.token });
  const log = createLogger('silent');
  const provisioner = createProvisioner({
    db: services.db,
    forge,
    log,
    now: services.now,
    options: { rootGroupPath: settings.group },
  });
  const image = config.grading.image;
  // Without an image the spec is still read (validate, assignments add); a run asks for --image.
  const grading = buildClassGrading({
    config,
    services,
    forge,
    provisioner,
    image: image ?? '',
    uid: config.grading.uid,
  });
  return { grading, image, defaultConcurrency: cpus().length, close: services.close };
}
