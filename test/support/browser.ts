import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, headless, with the flags this closed network needs (machine.md §7). */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const flags = (extraArgs: string[]) => [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  ...extraArgs,
];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, args: flags(extraArgs) });
}
