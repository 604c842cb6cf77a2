import { readFileSync } from 'node:fs';
import { privilegeErrors } from './privilege-errors.ts';
import type { Account } from './system-user.ts';

/** What /proc/<pid>/status says a process could still do as root; empty when it is fully that user. */
export function rootLeftovers(status: string, to: { uid: number; gid: number }): string[] {
  const values = (name: string) =>
    (status.match(new RegExp(`^${name}:(.*)$`, 'm'))?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const problems: string[] = [];
  for (const [name, id] of [
    ['Uid', to.uid],
    ['Gid', to.gid],
  ] as const) {
    const ids = values(name);
    if (ids.length !== 4 || ids.some((v) => Number(v) !== id))
      problems.push(`${name} is ${ids.join(' ') || 'unknown'}, not ${id} throughout`);
  }
  if (values('Groups').includes('0')) problems.push('still in group 0');
  // Inheritable capabilities alone grant nothing (no file here carries inheritable ones).
  for (const cap of ['CapPrm', 'CapEff', 'CapAmb']) {
    const [mask] = values(cap);
    if (mask !== undefined && BigInt(`0x${mask}`) !== 0n) problems.push(`${cap} is ${mask}`);
  }
  return problems;
}

/** Tries to become root again; each attempt that works is a problem. */
function regainedRoot(): string[] {
  const attempts: Array<[string, () => void]> = [
    ['setuid(0) worked', () => process.setuid!(0)],
    ['seteuid(0) worked', () => process.seteuid!(0)],
    ['setgid(0) worked', () => process.setgid!(0)],
    ['setegid(0) worked', () => process.setegid!(0)],
  ];
  return attempts.flatMap(([what, attempt]) => {
    try {
      attempt();
      return [what];
    } catch {
      return [];
    }
  });
}

/** Drops root for good: groups first, then gid, then uid (the order setuid(2) requires), then checks. */
export function switchUser(to: Account, extraGroups: number[]) {
  process.setgroups!([...new Set([to.gid, ...to.groups, ...extraGroups])]);
  process.setgid!(to.gid);
  process.setuid!(to.uid);
  const problems = [...regainedRoot(), ...rootLeftovers(readFileSync('/proc/self/status', 'utf8'), to)];
  if (problems.length > 0) throw privilegeErrors.notDropped(to.name, problems);
}
