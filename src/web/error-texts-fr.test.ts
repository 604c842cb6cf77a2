import { describe, expect, it } from 'vitest';
import { gitErrors } from '../gitops/git-errors.ts';
import { sandboxErrors } from '../workspaces/sandbox/sandbox-errors.ts';
import { workspaceErrors } from '../workspaces/workspace-errors.ts';
import { frenchText } from './error-texts-fr.ts';

describe('French texts for what a learner meets in their workspace', () => {
  it('says how full the workspace is and which files to delete first', () => {
    const fr = frenchText(
      gitErrors.diskFull(990 * 2 ** 20, 1024 * 2 ** 20, [{ path: 'data.csv', bytes: 700 * 2 ** 20 }]),
    );
    expect(fr?.message).toMatch(/Votre espace est plein/);
    expect(fr?.message).toContain('990');
    expect(fr?.hint).toContain('data.csv');
    expect(fr?.hint).toMatch(/Rien n’a été modifié ni perdu/);
  });

  it('covers every sandbox error with a message that keeps the learner’s work safe', () => {
    for (const e of [
      sandboxErrors.ended('exec closed'),
      sandboxErrors.refused('write', 'link', 'a.ipynb is a link'),
      sandboxErrors.unavailable('no engine'),
    ]) {
      const fr = frenchText(e);
      expect(fr, e.code).toBeDefined();
      expect(fr?.hint).toMatch(/Rien n’a été modifié ni perdu/);
    }
  });

  it('tells why no workspace opens on an engine that would not keep them apart, and what the administrator sets', () => {
    const fr = frenchText(workspaceErrors.engineUnsafe('Podman 4.3.1 with the netavark network backend'));
    expect(fr?.message).toContain('Podman 4.3.1');
    expect(fr?.message).toMatch(/aucun espace de travail/);
    expect(fr?.hint).toContain('network_backend = "cni"');
  });
});
