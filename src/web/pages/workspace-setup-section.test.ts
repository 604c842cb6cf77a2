import { describe, expect, it } from 'vitest';
import { workspaceSetupFragment, workspaceSetupSection } from './workspace-setup-section.ts';

const text = (h: { value: string } | '') =>
  h === ''
    ? ''
    : h.value
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();

describe('the home pages’ JupyterLab setup section', () => {
  it('while building: the step of seven and its time, refreshed live', () => {
    const v = {
      state: 'building' as const,
      step: 'extension-build' as const,
      index: 4,
      of: 7,
      cached: false,
      fraction: 0.25,
      startedAt: 0,
      stepStartedAt: 0,
    };
    expect(text(workspaceSetupFragment('en', v, 95_000))).toBe(
      'Preparing JupyterLab (first start only) Step 4/7: labgate’s JupyterLab extension: build… (1 min 35 s so far) Learners who launch now wait on their progress page; it goes on by itself.',
    );
    expect(text(workspaceSetupFragment('fr', v, 20_000))).toContain(
      'Étape 4/7 : extension JupyterLab de labgate : compilation… (depuis 20 s)',
    );
    const section = workspaceSetupSection('en', v);
    expect(section !== '' && section.value).toContain('data-live="yes"');
    expect(section !== '' && section.value).toContain("fetch('/workspace-setup?lang=en')");
  });

  it('off: why, and the command that turns workspaces on, escaped; no script once settled', () => {
    const off = workspaceSetupSection('fr', {
      state: 'no-engine',
      reason: 'silent',
      probes: [],
      fix: 'sudo bash scripts/ensure-containers.sh',
      unset: '/tmp/<b>.sock',
    });
    const markup = off === '' ? '' : off.value;
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('/tmp/&lt;b&gt;.sock');
    expect(text(off)).toMatch(
      /Pour les activer, lancez sudo bash scripts\/ensure-containers\.sh \(et retirez DOCKER_SOCKET ?, qui désigne \/tmp\/&lt;b&gt;\.sock ?\), puis relancez npm start/,
    );
    expect(workspaceSetupSection('en', undefined)).toBe('');
  });
});
