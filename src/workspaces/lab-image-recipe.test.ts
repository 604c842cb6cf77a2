import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutRoot, labImageNames, labRecipe } from './lab-image-recipe.ts';

// `npm start` builds through the engine's API what the test setup builds with the two scripts: the same
// Debian packages and image settings, the same inputs, the same tags (so each finds the other's image).
const script = (name: string) => readFileSync(path.join(checkoutRoot, 'scripts', name), 'utf8');
const base = script('build-notebook-image.sh');
const lab = script('build-lab-image.sh');

describe('the JupyterLab image recipe', () => {
  it('makes the Debian base as scripts/build-notebook-image.sh does', () => {
    expect(/^packages=(\S+)$/m.exec(base)?.[1]).toBe(labRecipe.base.packages.join(','));
    expect(/--customize-hook='([^']+)'/.exec(base)?.[1]).toBe(labRecipe.base.hook);
    expect([...base.matchAll(/--change '([^']+)'/g)].map((m) => m[1])).toEqual(labRecipe.base.changes);
    expect(base).toMatch(new RegExp(`mmdebstrap --quiet --variant=apt .* ${labRecipe.base.suite} `, 's'));
  });

  it('hashes the inputs scripts/build-lab-image.sh hashes, and stages what it stages', () => {
    const find = /find (.+?) -type f/s.exec(lab)![1]!;
    expect(find.split(/[\s\\]+/).filter(Boolean)).toEqual(labRecipe.lab.inputs);
    for (const [from] of labRecipe.lab.context)
      expect(lab).toContain(
        path.basename(from) === 'Containerfile' ? '"$frontend/Containerfile"' : path.basename(from),
      );
  });

  it('names both images exactly as the scripts tag them', async () => {
    const names = await labImageNames();
    const baseHash = execFileSync('sha256sum', [path.join(checkoutRoot, 'scripts/build-notebook-image.sh')])
      .toString()
      .slice(0, 12);
    expect(names.base).toBe(`localhost/labgate-notebook:test-${baseHash}`);
    // The script's own hash function, run on this checkout.
    const hashInputs = /^hash_inputs\(\) \{[\s\S]*?^\}$/m.exec(lab)![0];
    const labHash = execFileSync(
      'bash',
      [
        '-c',
        `set -euo pipefail; repo=$1; base_image=$2; ${hashInputs}\nhash_inputs`,
        'x',
        checkoutRoot,
        names.base,
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(names.lab).toBe(`localhost/labgate-lab:test-${labHash}`);
    expect(names.sources).toBe(labHash);
  });

  it('gives another repository another name, and the base repository changes the lab tag', async () => {
    const a = await labImageNames({ repository: 'localhost/mine' });
    const b = await labImageNames({ repository: 'localhost/mine', baseRepository: 'localhost/other-base' });
    expect(a.lab).toMatch(/^localhost\/mine:test-[0-9a-f]{12}$/);
    expect(b.base).toMatch(/^localhost\/other-base:test-/);
    expect(b.lab).not.toBe(a.lab);
  });
});
