import type { AppError } from '../errors.ts';
import type { SocketProbe } from './docker-probe.ts';
import type { BuildStep } from './lab-image-build.ts';

/** Why the demo runs without workspaces: no engine socket at all, one that does not answer, or no right to it. */
export type NoEngineReason = 'none' | 'silent' | 'denied' | 'root-only';

/** Where the demo's JupyterLab image stands, as the home page and the terminal show it. */
export type ImageSetupView =
  | { state: 'checking' }
  | {
      state: 'building';
      step: BuildStep;
      index: number;
      of: number;
      /** Its result was there already (a cached base image, fresh node_modules). */
      cached: boolean;
      /** How far the current step is, when the step can tell. */
      fraction: number | undefined;
      startedAt: number;
      stepStartedAt: number;
    }
  | { state: 'ready'; image: string; engine: string; builtSeconds: number | undefined }
  | { state: 'failed'; message: string; fix: string; log: string | undefined }
  | {
      state: 'no-engine';
      reason: NoEngineReason;
      probes: SocketProbe[];
      fix: string;
      /** DOCKER_SOCKET, when it names a socket the fix does not start: to unset as well. */
      unset?: string;
    };

/**
 * The demo's image setup as it goes, for whoever watches (the home page, the terminal) and for
 * launches, which wait for the image instead of failing while it is being built.
 */
export function createImageSetup(now: () => number = Date.now) {
  let view: ImageSetupView = { state: 'checking' };
  const listeners = new Set<(v: ImageSetupView) => void>();
  let settle: { resolve(image: string): void; reject(err: Error): void };
  const ready = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => undefined); // a launch that waits sees the failure; nobody waiting is fine too

  const set = (v: ImageSetupView) => {
    view = v;
    for (const l of listeners) l(v);
  };
  return {
    view: () => view,
    subscribe(listener: (v: ImageSetupView) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    step(s: { step: BuildStep; index: number; of: number; cached: boolean }) {
      const t = now();
      set({
        state: 'building',
        ...s,
        fraction: undefined,
        startedAt: view.state === 'building' ? view.startedAt : t,
        stepStartedAt: t,
      });
    },
    progress(fraction: number) {
      if (view.state === 'building') set({ ...view, fraction });
    },
    ready(image: string, engine: string) {
      const builtSeconds =
        view.state === 'building' ? Math.round((now() - view.startedAt) / 1000) : undefined;
      set({ state: 'ready', image, engine, builtSeconds });
      settle.resolve(image);
    },
    failed(err: AppError, log?: string) {
      set({ state: 'failed', message: err.message, fix: err.hint ?? '', log });
      settle.reject(err);
    },
    noEngine(v: { reason: NoEngineReason; probes: SocketProbe[]; fix: string; unset?: string }) {
      set({ state: 'no-engine', ...v });
    },
    /** Resolves with the image once it is there; fails with the build's error. */
    imageReady: () => ready,
  };
}

export type ImageSetup = ReturnType<typeof createImageSetup>;
