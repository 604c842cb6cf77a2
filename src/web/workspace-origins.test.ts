import { describe, expect, it } from 'vitest';
import { isWorkspacePath, workspaceOrigins } from './workspace-origins.ts';

describe('workspace origins', () => {
  it('puts each workspace on its own host, with labgate’s scheme', () => {
    const o = workspaceOrigins('{id}.ws.example.org', new URL('https://labgate.example.org'));
    expect(o.originOf('ab12')).toBe('https://ab12.ws.example.org');
    expect(o.idOfHost('ab12.ws.example.org')).toBe('ab12');
    expect(o.idOfHost('AB12.WS.example.org:443')).toBe('ab12');
    for (const host of [
      'ws.example.org',
      'labgate.example.org',
      'a.b.ws.example.org',
      'x.ws.example.org:8443',
      'x.ws.example.org.evil.test',
      undefined,
    ])
      expect(o.idOfHost(host)).toBeUndefined();
  });

  it('recognises a workspace origin in an Origin header, scheme included', () => {
    const o = workspaceOrigins('{id}.ws.example.org', new URL('https://labgate.example.org'));
    expect(o.isWorkspaceOrigin('https://ab12.ws.example.org')).toBe(true);
    for (const origin of [
      'http://ab12.ws.example.org',
      'https://labgate.example.org',
      'null',
      'https://ws.example.org',
    ])
      expect(o.isWorkspaceOrigin(origin)).toBe(false);
  });

  it('keeps a port, as browsers send it in Host', () => {
    const o = workspaceOrigins('{id}.ws.localhost:8080', new URL('http://localhost:8080'));
    expect(o.originOf('ab12')).toBe('http://ab12.ws.localhost:8080');
    expect(o.idOfHost('ab12.ws.localhost:8080')).toBe('ab12');
    expect(o.idOfHost('ab12.ws.localhost')).toBeUndefined();
    expect(o.idOfHost('localhost:8080')).toBeUndefined();
  });

  it('knows a workspace’s own paths', () => {
    expect(isWorkspacePath('ab', '/user/ab/lab')).toBe(true);
    expect(isWorkspacePath('ab', '/user/ab')).toBe(true);
    expect(isWorkspacePath('ab', '/user/ab?x')).toBe(true);
    expect(isWorkspacePath('ab', '/user/abc/lab')).toBe(false);
    expect(isWorkspacePath('ab', '/user/ab/\\evil')).toBe(false);
    expect(isWorkspacePath('ab', '//evil.example/user/ab/')).toBe(false);
    expect(isWorkspacePath('ab', '/user/ab/../cd/lab')).toBe(false);
    expect(isWorkspacePath('ab', '/user/ab/%2e%2e/cd/lab')).toBe(false);
  });
});
