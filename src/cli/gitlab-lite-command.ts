import path from 'node:path';
import type { Command } from 'commander';
import { say } from './terminal-text.ts';
import { startGitlabLite } from '../../gitlab-lite/index.ts';
import { documentView } from '../grading/index.ts';

export function addGitlabLiteCommand(program: Command) {
  program
    .command('gitlab-lite')
    .description('run gitlab-lite, the embedded GitLab-compatible forge, on its own')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '8929')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'where its database and repositories live', '.labgate/gitlab-lite')
    .requiredOption('--root-token <token>', 'personal access token of root, the instance administrator')
    .option(
      '--oidc-issuer <url>',
      'sign people in through this OpenID Connect provider (labgate: <url>/oidc)',
    )
    .option('--oidc-client-id <id>', 'the client id labgate gave (`labgate oidc-clients add`)')
    .option('--oidc-client-secret <secret>', 'its secret')
    .option('--no-auto-sign-in', 'show the sign-in page instead of going straight to the provider')
    .option(
      '--allow-local-hook-urls',
      'let webhooks post to loopback and private networks (labgate on the same machine or network)',
    )
    .action(
      async (o: {
        port: string;
        host: string;
        data: string;
        rootToken: string;
        oidcIssuer?: string;
        oidcClientId?: string;
        oidcClientSecret?: string;
        autoSignIn: boolean;
        allowLocalHookUrls?: boolean;
      }) => {
        if (o.oidcIssuer && (!o.oidcClientId || !o.oidcClientSecret))
          throw new Error('--oidc-issuer needs --oidc-client-id and --oidc-client-secret');
        const port = Number(o.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new Error(`--port must be a whole number from 0 to 65535, got "${o.port}"`);
        }
        const lite = await startGitlabLite({
          host: o.host,
          port,
          dataDir: path.resolve(o.data),
          rootToken: o.rootToken,
          renderer: documentView,
          ...(o.allowLocalHookUrls ? { allowLocalHookUrls: true } : {}),
          ...(o.oidcIssuer
            ? {
                oidc: {
                  issuer: o.oidcIssuer,
                  clientId: o.oidcClientId!,
                  clientSecret: o.oidcClientSecret!,
                  label: 'labgate',
                  autoSignIn: o.autoSignIn,
                },
              }
            : {}),
        });
        say(`gitlab-lite is serving ${lite.url} (API ${lite.url}/api/v4, data in ${path.resolve(o.data)})`);
        const stop = async () => {
          await lite.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );
}
