/**
 * At most `size` workspaces booting at once, first come first served. Twenty Jupyter servers starting
 * together on two cores all finish late; admitted a few at a time, the first learners are in early.
 */
export function createStartSlots(size: number) {
  let busy = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy--;
  };
  return {
    /** Runs `work` once a slot is free; the slot is held until it ends, however it ends. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (busy < size) busy++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

export type StartSlots = ReturnType<typeof createStartSlots>;

/**
 * A workspace booted in a slot: `started` once its container runs, `answering` once Jupyter answers;
 * the slot is held until then (or until either fails).
 */
export function bootInSlot<T>(slots: StartSlots, start: () => Promise<void>, ready: () => Promise<T>) {
  let up!: () => void;
  let down!: (err: unknown) => void;
  const started = new Promise<void>((resolve, reject) => ((up = resolve), (down = reject)));
  const answering = slots.run(async () => {
    await start().then(up, (err: unknown) => {
      down(err);
      throw err;
    });
    return ready();
  });
  return { started, answering };
}
