/**
 * A bench's labgate on a loopback port it picks before building the app (PUBLIC_BASE_URL names it).
 * Chosen below Linux's ephemeral range (32768 and up, where outgoing connections take their local
 * ports: a bench once collided with one), and picked again if taken anyway.
 */
export async function listenOnSomePort<
  T extends {
    server: { listen(o: { host: string; port: number }): Promise<unknown> };
    close(): Promise<void>;
  },
>(build: (port: number) => Promise<T>): Promise<{ app: T; port: number }> {
  for (let tries = 1; ; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const app = await build(port);
    try {
      await app.server.listen({ host: '127.0.0.1', port });
      return { app, port };
    } catch (err) {
      await app.close();
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || tries === 5) throw err;
    }
  }
}
