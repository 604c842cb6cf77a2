import { connect, createServer, type Server } from 'node:net';

/**
 * A forge on the host's loopback (the embedded one) is out of a container's reach: this forwards one
 * port, on the bridge address of each workspace network, to it. Nothing else of the host is exposed.
 */
export function createForgeRelay(o: { port: number; log: { warn(o: object, msg: string): void } }) {
  const listeners = new Map<string, Promise<Server | undefined>>();

  function listen(address: string): Promise<Server | undefined> {
    return new Promise((resolve) => {
      const server = createServer((socket) => {
        const upstream = connect(o.port, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        const close = () => (socket.destroy(), upstream.destroy());
        socket.on('error', close);
        upstream.on('error', close);
      });
      server.once('error', (err) => {
        o.log.warn({ err, address }, 'the forge relay could not listen on a workspace network');
        listeners.delete(address);
        resolve(undefined);
      });
      server.listen(o.port, address, () => resolve(server));
    });
  }

  return {
    port: o.port,
    /** Listens on `address` (a workspace network's gateway) unless it already does. */
    async ensure(address: string): Promise<boolean> {
      let listening = listeners.get(address);
      if (!listening) listeners.set(address, (listening = listen(address)));
      return (await listening) !== undefined;
    },
    async release(address: string) {
      const server = await listeners.get(address);
      listeners.delete(address);
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
    },
    async close() {
      await Promise.all([...listeners.keys()].map((a) => this.release(a)));
    },
  };
}

export type ForgeRelay = ReturnType<typeof createForgeRelay>;
