import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The production image needs Docker Hub and PyPI, which this network lacks: its R kernel is checked in
// the recipe here, and run for real in the image `npm start` builds (test/e2e/demo-workspace-setup…).
const dockerfile = readFileSync(
  path.resolve(import.meta.dirname, '../../images/notebook/Dockerfile'),
  'utf8',
).replace(/\\\n/g, ' ');

describe('the production notebook image', () => {
  it('offers an R kernel (IRkernel) beside Python, registered where Jupyter looks', () => {
    expect(dockerfile).toMatch(
      /apt-get install -y --no-install-recommends .*\br-base-core\b.*\br-cran-irkernel\b/,
    );
    expect(dockerfile).toMatch(/IRkernel::installspec\(user = FALSE, prefix = "\/usr\/local"\)/);
    expect(dockerfile).toMatch(/pip install .*"ipykernel/);
  });
});
