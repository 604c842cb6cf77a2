/**
 * One timed JupyterLab load in a real browser (bench/lab-browser.ts): a new page in the given context
 * (a new context is a cold HTTP cache), from `page.goto` to the moment the learner can work, with the
 * page's network read from Chromium's DevTools protocol until then.
 */
import type { BrowserContext } from 'playwright-core';

export type LoadKind = 'lab' | 'notebook';

export interface LoadFigures {
  ms: number;
  requests: number;
  /** Answered by the browser's cache, no request sent (disk or memory cache). */
  fromCache: number;
  /** Asked to the server, which answered 304 Not Modified. */
  revalidated: number;
  /** Encoded response bodies received from the network (what compression shrinks). */
  encodedBytes: number;
  /** The same bodies once decoded. */
  decodedBytes: number;
}

// JupyterLab's splash screen fades out once `app.restored` resolves (@jupyterlab/apputils-extension:splash).
const shellRestored = `(() => {
  const splash = document.getElementById('jupyterlab-splash');
  return !splash || splash.classList.contains('splash-fade');
})()`;
const visible = (selector: string) =>
  `!!document.querySelector(${JSON.stringify(selector)})?.checkVisibility()`;

/** Usable: the shell restored, the file browser listing the folder, a launcher or a document open. */
const usableLab = [
  shellRestored,
  visible('#filebrowser .jp-DirListing-item'),
  visible('#jp-main-dock-panel .jp-MainAreaWidget'),
].join(' && ');
/** The notebook open, its cells shown and its kernel named in the toolbar (idle is read on its socket). */
const openNotebook = [
  usableLab,
  visible('#jp-main-dock-panel .jp-NotebookPanel .jp-Cell'),
  `!['', 'No Kernel'].includes(document.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName')?.textContent ?? '')`,
].join(' && ');

// A kernel's status message on its channels WebSocket (JSON text, or the v1 binary protocol's JSON parts).
const idleStatus = /"execution_state":\s*"idle"/;

/** A network between the browser and labgate, as DevTools emulates it (on encoded bytes). */
export interface Link {
  mbps: number;
  rttMs: number;
}

/** Loads `url` in a new page of `context` and times it to usable (`lab`) or to an idle notebook. */
export async function timeLoad(
  context: BrowserContext,
  url: string,
  kind: LoadKind,
  link?: Link,
): Promise<LoadFigures> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (link) {
    const bytesPerSecond = (link.mbps * 1e6) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: link.rttMs,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
  }
  const seen = new Map<
    string,
    { url?: string; cached?: boolean; notModified?: boolean; head?: number; wire?: number; decoded: number }
  >();
  const of = (id: string) => seen.get(id) ?? seen.set(id, { decoded: 0 }).get(id)!;
  let kernelIdleAt: number | undefined;
  let onKernelIdle = () => {};
  const kernelIdle = new Promise<void>((resolve) => (onKernelIdle = resolve));
  cdp.on('Network.requestWillBeSent', (e) => (of(e.requestId).url = e.request.url));
  cdp.on('Network.requestServedFromCache', (e) => (of(e.requestId).cached = true));
  cdp.on('Network.responseReceived', (e) => {
    const r = of(e.requestId);
    r.cached ||= e.response.fromDiskCache === true;
    r.head = e.response.encodedDataLength;
  });
  // Chromium reports a revalidated response as the cached 200; the status on the wire says 304.
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    if (e.statusCode === 304) of(e.requestId).notModified = true;
  });
  cdp.on('Network.dataReceived', (e) => (of(e.requestId).decoded += e.dataLength));
  cdp.on('Network.loadingFinished', (e) => (of(e.requestId).wire = e.encodedDataLength));
  cdp.on('Network.webSocketFrameReceived', (e) => {
    const { opcode, payloadData } = e.response;
    const text = opcode === 2 ? Buffer.from(payloadData, 'base64').toString('latin1') : payloadData;
    if (kernelIdleAt === undefined && idleStatus.test(text)) {
      kernelIdleAt = performance.now();
      onKernelIdle();
    }
  });
  const started = performance.now();
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(kind === 'lab' ? usableLab : openNotebook, undefined, { timeout: 120_000 });
    let ready = performance.now();
    if (kind === 'notebook') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        kernelIdle,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no idle kernel within 120 s at ${url}`)), 120_000);
        }),
      ]).finally(() => clearTimeout(timer));
      ready = Math.max(ready, kernelIdleAt!);
    }
    const all = [...seen.values()].filter((r) => r.url !== undefined && !r.url.startsWith('data:'));
    const fetched = all.filter((r) => !r.cached && !r.notModified);
    return {
      ms: ready - started,
      requests: all.length,
      fromCache: all.filter((r) => r.cached).length,
      revalidated: all.filter((r) => r.notModified).length,
      // The wire's count less the headers (what had arrived when the response started).
      encodedBytes: fetched.reduce((sum, r) => sum + (r.wire ?? 0) - (r.head ?? 0), 0),
      decodedBytes: fetched.reduce((sum, r) => sum + r.decoded, 0),
    };
  } finally {
    await page.close();
  }
}
