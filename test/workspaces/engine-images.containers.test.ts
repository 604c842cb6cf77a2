import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine, createEngineImages, findEngine, probeSocket } from '../../src/workspaces/index.ts';
import { buildContext } from '../../src/workspaces/image-context.ts';
import { podmanSocket } from '../support/containers.ts';

// The engine calls `npm start` builds its image with, on a tiny image of their own (seconds, not minutes).
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-engine-images-'));
const repository = `localhost/labgate-images-test-${process.pid}`;
const engine = connectEngine(podmanSocket);
const images = createEngineImages(engine);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const tag of ['build', 'base', 'broken'])
    await engine.docker
      .getImage(`${repository}:${tag}`)
      .remove({ force: true })
      .catch(() => undefined);
});

describe('images on the engine, from local files only', () => {
  it('finds the engine that answers `_ping`, and says what the others are', async () => {
    expect(await probeSocket(podmanSocket)).toEqual({
      socket: podmanSocket,
      answer: 'answers',
      kind: 'podman',
    });
    const { found, probes } = await findEngine([path.join(dir, 'none.sock'), podmanSocket]);
    expect(found?.socket).toBe(podmanSocket);
    expect(probes[0]).toEqual({ socket: path.join(dir, 'none.sock'), answer: 'missing' });
  });

  it('makes a base from a root file system tar (FROM scratch), then builds on it, with progress and labels', async () => {
    mkdirSync(path.join(dir, 'rootfs/etc'), { recursive: true });
    writeFileSync(path.join(dir, 'rootfs/etc/hello'), 'hello\n');
    execFileSync('tar', ['-C', path.join(dir, 'rootfs'), '-cf', path.join(dir, 'rootfs.tar'), '.']);
    writeFileSync(
      path.join(dir, 'Base'),
      'FROM scratch\nADD rootfs.tar /\nENV PATH=/usr/bin:/bin\nUSER learner\nWORKDIR /home/learner\n',
    );
    await images.build({
      context: buildContext(dir, [
        ['Base', 'Containerfile'],
        ['rootfs.tar', 'rootfs.tar'],
      ]),
      name: `${repository}:base`,
      dockerfile: 'Containerfile',
      buildArgs: {},
      labels: {},
      onFraction: () => undefined,
    });
    const base = await engine.docker.getImage(`${repository}:base`).inspect();
    expect(base.Config).toMatchObject({ User: 'learner', WorkingDir: '/home/learner' });
    expect(base.Config.Env).toContain('PATH=/usr/bin:/bin');

    writeFileSync(path.join(dir, 'Containerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY rootfs/ /\n');
    mkdirSync(path.join(dir, 'tool'));
    writeFileSync(path.join(dir, 'tool/run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const built: number[] = [];
    expect(await images.exists(`${repository}:build`)).toBe(false);
    await images.build({
      context: buildContext(dir, [
        ['Containerfile', 'Containerfile'],
        ['tool', 'rootfs/usr/local/lib/tool'],
      ]),
      name: `${repository}:build`,
      dockerfile: 'Containerfile',
      buildArgs: { BASE_IMAGE: `${repository}:base` },
      labels: { 'org.labgate.sources': 'abc123' },
      onFraction: (f) => built.push(f),
    });
    expect(await images.exists(`${repository}:build`)).toBe(true);
    expect(built.length).toBeGreaterThan(1);
    expect(built.at(-1)).toBe(1);
    const info = await engine.docker.getImage(`${repository}:build`).inspect();
    expect(info.Config.Labels).toMatchObject({ 'org.labgate.sources': 'abc123' });
    expect(info.Config.User).toBe('learner');
  });

  it('a context naming a missing file fails the build, naming it', async () => {
    await expect(
      images.build({
        context: buildContext(dir, [['no-such-file', 'Containerfile']]),
        name: `${repository}:broken`,
        dockerfile: 'Containerfile',
        buildArgs: {},
        labels: {},
        onFraction: () => undefined,
      }),
    ).rejects.toThrow(/no-such-file/);
  });
});
