import { randomBytes } from 'node:crypto';
import type { LmsFlavour } from './personas.ts';

/** An activity the simulated LMS made from a tool's deep-linking answer, as Moodle makes one. */
export interface SimulatorLink {
  id: string;
  contextId: string;
  flavour: LmsFlavour;
  locale: 'fr' | 'en';
  title: string;
  text: string | undefined;
  /** The item's custom parameters: sent back in every launch of this link. */
  custom: Record<string, string>;
  createdAt: number;
}

/** A deep-linking request the simulated LMS sent and whose answer it waits for. */
interface AwaitedReturn {
  contextId: string;
  flavour: LmsFlavour;
  locale: 'fr' | 'en';
  expiresAt: number;
}

const returnTtlMs = 60 * 60 * 1000;
const maxEntries = 500;
const random = () => randomBytes(24).toString('base64url');

/** Keeps the newest entries only: the simulator is a demo, its state lives in memory like its key. */
function bounded<V>(map: Map<string, V>) {
  while (map.size > maxEntries) map.delete(map.keys().next().value!);
}

/**
 * The simulated LMS's course content: links made by deep linking, and the requests still awaiting an
 * answer, keyed by the opaque `data` each request sent and its answer must carry back unchanged (so the
 * return URL holds no secret to leak into request logs).
 */
export function createSimulatorLinks(now: () => number = Date.now) {
  const links = new Map<string, SimulatorLink>();
  const awaited = new Map<string, AwaitedReturn>();

  /** Remembers a request about to be sent; returns the `data` it carries. */
  function awaitReturn(o: Omit<AwaitedReturn, 'expiresAt'>): string {
    const data = `simulator-${random()}`;
    awaited.set(data, { ...o, expiresAt: now() + returnTtlMs });
    bounded(awaited);
    return data;
  }

  /** The request an answer carrying this `data` is for, once. */
  function takeReturn(data: unknown): AwaitedReturn | undefined {
    if (typeof data !== 'string') return undefined;
    const found = awaited.get(data);
    awaited.delete(data);
    return found && found.expiresAt > now() ? found : undefined;
  }

  function addLink(o: Omit<SimulatorLink, 'id' | 'createdAt'>): SimulatorLink {
    const link = { ...o, id: `simulator-link-${random().slice(0, 12)}`, createdAt: now() };
    links.set(link.id, link);
    bounded(links);
    return link;
  }

  const findLink = (id: string) => links.get(id);
  const listLinks = (contextId: string) => [...links.values()].filter((l) => l.contextId === contextId);

  return { awaitReturn, takeReturn, addLink, findLink, listLinks };
}

export type SimulatorLinks = ReturnType<typeof createSimulatorLinks>;
