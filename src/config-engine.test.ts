import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

// WORKSPACE_ENGINE and the Swarm settings (README, "Docker Swarm").
const serve = (env: Record<string, string>) =>
  loadConfig('serve', {
    PUBLIC_BASE_URL: 'https://labgate.example.org',
    FORGE_URL: 'https://gitlab.example.org',
    FORGE_TOKEN: 'glpat-0123456789',
    WORKSPACE_IMAGE: 'labgate/notebook:1',
    ...env,
  });

describe('the workspace engine setting', () => {
  it('runs workspaces as containers on one engine unless told otherwise', () => {
    expect(serve({}).workspaces).toMatchObject({ engine: 'docker', swarm: undefined });
  });

  it('with WORKSPACE_ENGINE=swarm, joins labgate-workspaces by its overlay address unless told otherwise', () => {
    expect(serve({ WORKSPACE_ENGINE: 'swarm' }).workspaces).toMatchObject({
      engine: 'swarm',
      swarm: { network: 'labgate-workspaces', address: 'overlay', nodeLabel: undefined },
    });
    const pinned = serve({
      WORKSPACE_ENGINE: 'swarm',
      WORKSPACE_SWARM_NETWORK: 'course-ws',
      WORKSPACE_SWARM_ADDRESS: 'gwbridge',
      WORKSPACE_NODE_LABEL: 'labgate.workspaces=yes',
    });
    expect(pinned.workspaces?.swarm).toEqual({
      network: 'course-ws',
      address: 'gwbridge',
      nodeLabel: { name: 'labgate.workspaces', value: 'yes' },
    });
  });

  it.each([
    [{ WORKSPACE_ENGINE: 'kubernetes' }, /^Setting WORKSPACE_ENGINE: /],
    [
      { WORKSPACE_ENGINE: 'swarm', WORKSPACE_NODE_LABEL: 'workers' },
      /expected a node label and its value such as/,
    ],
    [{ WORKSPACE_ENGINE: 'swarm', WORKSPACE_SWARM_ADDRESS: 'host' }, /^Setting WORKSPACE_SWARM_ADDRESS: /],
    [
      { WORKSPACE_ENGINE: 'swarm', WORKSPACE_WARM_POOL: '3' },
      /^Setting WORKSPACE_WARM_POOL: .* set it to 0\.$/,
    ],
    [{ WORKSPACE_ENGINE: 'swarm', WORKSPACE_STORAGE: 'image' }, /every node shares .*; use folder\.$/],
    [
      { WORKSPACE_ENGINE: 'swarm', WORKSPACE_WARM_POOL: '0,labgate/notebook:1=2' },
      /^Setting WORKSPACE_WARM_POOL: .* set it to 0\.$/,
    ],
  ])('%o stops startup with one clear line', (env, message) => {
    expect(() => serve(env)).toThrow(message);
  });
});

describe('the warm pool setting (WORKSPACE_WARM_POOL)', () => {
  const allowed = { WORKSPACE_IMAGES_ALLOWED: 'labgate/r-notebook:2,labgate/julia:1' };

  it('keeps N waiting per image, and another number for the images named with one', () => {
    expect(serve({}).workspaces).toMatchObject({ warmPool: 0 });
    expect(serve({}).workspaces?.warmPoolSizes).toBeUndefined();
    expect(serve({ WORKSPACE_WARM_POOL: '20' }).workspaces).toMatchObject({ warmPool: 20 });
    const sized = serve({ ...allowed, WORKSPACE_WARM_POOL: '20, labgate/r-notebook:2=5,labgate/julia:1=0' });
    expect(sized.workspaces).toMatchObject({
      warmPool: 20,
      warmPoolSizes: { 'labgate/r-notebook:2': 5, 'labgate/julia:1': 0 },
    });
    // Only the named images, none for the others.
    const only = serve({ ...allowed, WORKSPACE_WARM_POOL: 'labgate/r-notebook:2=3' });
    expect(only.workspaces).toMatchObject({ warmPool: 0, warmPoolSizes: { 'labgate/r-notebook:2': 3 } });
  });

  it.each([
    ['twenty', /^Setting WORKSPACE_WARM_POOL: expected a number .* "twenty" is neither/],
    ['1001', /"1001" is neither/],
    ['20,', /"" is neither/],
    ['20,labgate/r-notebook:2=-1', /"labgate\/r-notebook:2=-1" is neither/],
    [
      '20,labgate/python:3=2',
      /^Setting WORKSPACE_WARM_POOL: "labgate\/python:3" is neither WORKSPACE_IMAGE nor/,
    ],
  ])('refuses %s with one clear line', (setting, message) => {
    expect(() => serve({ ...allowed, WORKSPACE_WARM_POOL: setting })).toThrow(message);
  });
});
