import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The checkout labgate runs from: the image `npm start` builds comes from its sources. */
export const checkoutRoot = path.resolve(import.meta.dirname, '../..');

/**
 * The JupyterLab image `npm start` builds, as scripts/build-notebook-image.sh and
 * scripts/build-lab-image.sh make it with the podman CLI (here through the engine's API, so that
 * Docker serves too). Its tags are computed as theirs are, so each finds the other's image cached.
 */
export const labRecipe = {
  base: {
    script: 'scripts/build-notebook-image.sh',
    repository: 'localhost/labgate-notebook',
    suite: 'bookworm',
    packages: [
      'git',
      'ca-certificates',
      'python3-jupyter-server',
      'python3-jupyterlab-server',
      'python3-nbclassic',
      'python3-ipykernel',
      'jupyter-core',
      'python3-nbclient',
      'r-base-core',
      'r-cran-irkernel',
    ],
    hook: 'chroot "$1" useradd --create-home --uid 1000 --shell /bin/bash learner',
    changes: [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'ENV PYDEVD_DISABLE_FILE_VALIDATION=1',
      'ENV SETUPTOOLS_USE_DISTUTILS=stdlib',
      'USER learner',
      'WORKDIR /home/learner',
      'CMD ["/bin/bash"]',
    ],
  },
  lab: {
    /** Sources only: build outputs and node_modules follow from them and the lockfiles. */
    inputs: [
      'scripts/build-lab-image.sh',
      'jupyter-extension/package.json',
      'jupyter-extension/package-lock.json',
      'jupyter-extension/tsconfig.json',
      'jupyter-extension/src',
      'jupyter-extension/style',
      'images/test-lab/package.json',
      'images/test-lab/package-lock.json',
      'images/test-lab/build.mjs',
      'images/test-lab/Containerfile',
      'images/test-lab/src',
      'images/test-lab/templates',
      'images/test-lab/python',
      'images/test-lab/config',
    ],
    /** npm projects built in this order: the extension, then the frontend. */
    projects: { extension: 'jupyter-extension', frontend: 'images/test-lab' },
    containerfile: 'images/test-lab/Containerfile',
    /** What the build context holds: [from the checkout, to the context] (its rootfs/ is copied to /). */
    context: [
      ['images/test-lab/dist/static', 'rootfs/usr/local/share/labgate-test-lab/static'],
      ['images/test-lab/dist/schemas', 'rootfs/usr/local/share/labgate-test-lab/schemas'],
      ['images/test-lab/dist/themes', 'rootfs/usr/local/share/labgate-test-lab/themes'],
      ['images/test-lab/templates', 'rootfs/usr/local/share/labgate-test-lab/templates'],
      ['jupyter-extension/labextension', 'rootfs/usr/local/share/jupyter/labextensions/labgate-jupyter'],
      [
        'images/test-lab/python/labgate_test_lab.py',
        'rootfs/usr/local/lib/python3.11/dist-packages/labgate_test_lab.py',
      ],
      [
        'images/test-lab/config/labgate-test-lab.json',
        'rootfs/etc/jupyter/jupyter_server_config.d/labgate-test-lab.json',
      ],
      ['images/test-lab/config/jupyter_server_config.json', 'rootfs/etc/jupyter/jupyter_server_config.json'],
      ['images/test-lab/Containerfile', 'Containerfile'],
    ] as const,
  },
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Regular files at or under `rel`, as `find rel -type f` lists them (links are not followed). */
async function filesAt(root: string, rel: string): Promise<string[]> {
  const st = await lstat(path.join(root, rel));
  if (st.isFile()) return [rel];
  if (!st.isDirectory()) return [];
  const names = await readdir(path.join(root, rel));
  return (await Promise.all(names.map((n) => filesAt(root, `${rel}/${n}`)))).flat();
}

/** `sha256sum` of each input file in C-locale order, then the base image's name, hashed: the script's tag. */
async function sourcesHash(root: string, baseImage: string) {
  const files = (await Promise.all(labRecipe.lab.inputs.map((i) => filesAt(root, i)))).flat();
  files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let listing = '';
  for (const f of files) listing += `${sha256(await readFile(path.join(root, f)))}  ${f}\n`;
  return sha256(`${listing}${baseImage}\n`).slice(0, 12);
}

export interface LabImageNames {
  /** The Debian system with Jupyter Server, ipykernel, R and git (mmdebstrap, then imported). */
  base: string;
  /** That plus the JupyterLab frontend and labgate's extension: the workspace image. */
  lab: string;
  /** The hash of the lab image's sources, also its `org.labgate.sources` label. */
  sources: string;
}

/** The names the images get from the sources in `root` (a changed source is a new tag, hence a build). */
export async function labImageNames(
  o: { root?: string; repository?: string; baseRepository?: string } = {},
): Promise<LabImageNames> {
  const root = o.root ?? checkoutRoot;
  const recipe = await readFile(path.join(root, labRecipe.base.script));
  const base = `${o.baseRepository ?? labRecipe.base.repository}:test-${sha256(recipe).slice(0, 12)}`;
  const sources = await sourcesHash(root, base);
  return { base, lab: `${o.repository ?? 'localhost/labgate-lab'}:test-${sources}`, sources };
}
