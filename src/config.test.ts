import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('gives demo mode embedded defaults', () => {
    const c = loadConfig('demo', {});
    expect(c.http.publicBaseUrl.href).toBe('http://localhost:8080/');
    expect(c.db.url).toMatch(/^sqlite:.*labgate\.db$/);
    expect(c.simulator.enabled).toBe(true);
    expect(c.lti.timestampWindowSeconds).toBe(300);
  });

  it('requires PUBLIC_BASE_URL for serve, naming the setting', () => {
    expect(() => loadConfig('serve', {})).toThrow(/^Setting PUBLIC_BASE_URL: required/);
  });

  it.each([
    ['PORT', 'eighty', /^Setting PORT: expected a whole number from 1 to 65535, got "eighty"\.$/],
    ['PORT', '70000', /^Setting PORT: expected a whole number/],
    ['PUBLIC_BASE_URL', 'labgate.example.org', /^Setting PUBLIC_BASE_URL: expected an absolute URL/],
    ['PUBLIC_BASE_URL', 'ftp://x.org', /^Setting PUBLIC_BASE_URL: expected an http/],
    ['PUBLIC_BASE_URL', 'https://x.org/?a=1', /without query/],
    ['DATABASE_URL', 'mysql://x', /^Setting DATABASE_URL: expected sqlite:<file path> or postgres:/],
    [
      'LTI_TIMESTAMP_WINDOW_SECONDS',
      '5',
      /^Setting LTI_TIMESTAMP_WINDOW_SECONDS: expected a whole number from 30/,
    ],
    ['SIMULATOR', 'maybe', /^Setting SIMULATOR: /],
  ])('%s=%s stops startup with one clear line', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig('demo', { [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads a JSON file named by LABGATE_CONFIG; the environment wins over it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labgate-config-'));
    const file = path.join(dir, 'labgate.json');
    writeFileSync(file, JSON.stringify({ PORT: 9000, PUBLIC_BASE_URL: 'https://lab.example.org/' }));
    const c = loadConfig('serve', { LABGATE_CONFIG: file, PORT: '9001' });
    expect(c.http.port).toBe(9001);
    expect(c.http.publicBaseUrl.href).toBe('https://lab.example.org/');
  });

  it('names an unreadable, invalid or unknown-key config file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labgate-config-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => loadConfig('demo', { LABGATE_CONFIG: bad })).toThrow(
      /^Setting LABGATE_CONFIG: cannot read .*not valid JSON/,
    );
    expect(() => loadConfig('demo', { LABGATE_CONFIG: path.join(dir, 'missing.json') })).toThrow(/ENOENT/);
    const unknown = path.join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ PROT: '80' }));
    expect(() => loadConfig('demo', { LABGATE_CONFIG: unknown })).toThrow(/unknown setting "PROT"/);
  });

  it('never echoes a secret it refuses', () => {
    const refuse = () => loadConfig('demo', { FORGE_URL: 'https://gitlab.example.edu', FORGE_TOKEN: 'tiny' });
    expect(refuse).toThrow(/Setting FORGE_TOKEN: .*got \(hidden\)/);
    expect(refuse).not.toThrow(/tiny/);
  });
});
