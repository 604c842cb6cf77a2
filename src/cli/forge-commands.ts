import type { Command } from 'commander';
import { say } from './terminal-text.ts';
import { checkForge } from '../forge/index.ts';

export function addForgeCommands(program: Command) {
  const forge = program.command('forge').description('work with the GitLab labgate uses');
  forge
    .command('check')
    .description('diagnose a GitLab for labgate: reachable, version, administrator token, OIDC sign-in')
    .requiredOption('--url <url>', 'the GitLab URL, e.g. https://gitlab.example.org')
    .requiredOption('--token <token>', 'an administrator personal access token with the api scope')
    .action(async (o: { url: string; token: string }) => {
      if (!URL.canParse(o.url))
        throw new Error(`--url must be an absolute URL such as https://gitlab.example.org, got "${o.url}"`);
      const results = await checkForge({ url: o.url, token: o.token });
      for (const r of results) {
        say(`${r.ok ? '✓' : '✗'} ${r.name.padEnd(9)} ${r.detail}`);
        if (r.fix) say(`  → ${r.fix}`);
      }
      const failed = results.filter((r) => !r.ok).length;
      say('', failed ? `${failed} check(s) failed.` : 'GitLab is ready for labgate.');
      process.exitCode = failed ? 1 : 0;
    });
}
