import { readFileSync } from 'node:fs';
import path from 'node:path';

type FileKnobs = Partial<
  Record<
    'forkLatencyMs' | 'forkLatencyJitterMs' | 'responseDelayMs' | 'badGatewayRate' | 'hookDelayMs',
    number
  >
>;

/**
 * Knobs from `<data>/knobs.json`, read once at start: how a test slows or breaks a gitlab-lite it
 * does not start itself (the demo's embedded forge, in another process). Absent file, no knobs.
 */
export function readKnobsFile(dataDir: string): FileKnobs {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, 'knobs.json'), 'utf8');
  } catch {
    return {};
  }
  const given = JSON.parse(text) as Record<string, unknown>;
  const knobs: FileKnobs = {};
  const keys = [
    'forkLatencyMs',
    'forkLatencyJitterMs',
    'responseDelayMs',
    'badGatewayRate',
    'hookDelayMs',
  ] as const;
  for (const key of keys) {
    const value = given[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) knobs[key] = value;
  }
  return knobs;
}
