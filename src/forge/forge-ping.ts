/**
 * Whether GitLab answers its API with labgate's token (`GET /api/v4/version`), within `timeoutMs`:
 * resolves, or rejects with a short reason that names no URL or token (readiness probes show it).
 */
export async function pingForge(o: { url: string; token: string; timeoutMs: number }): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${o.url.replace(/\/+$/, '')}/api/v4/version`, {
      headers: { 'private-token': o.token },
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new Error(
      e.name === 'TimeoutError'
        ? `no answer within ${o.timeoutMs} ms`
        : `unreachable (${e.cause?.code ?? e.name})`,
    );
  }
  await res.body?.cancel();
  if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
}
