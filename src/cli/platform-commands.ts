import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { printTable, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';

/** https everywhere, except http on this machine (a local LMS while trying labgate). */
function platformUrl(name: string, value: string): string {
  if (!URL.canParse(value)) throw new Error(`${name} must be an absolute URL, got "${value}"`);
  const url = new URL(value);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error(`${name} must use https:// (http:// only for localhost), got "${value}"`);
  }
  return url.href;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function identifier(name: string, value: string): string {
  if (!value.trim() || value.length > 500)
    throw new Error(`${name} must be 1 to 500 characters, got ${value.length}`);
  return value;
}

export function addPlatformCommands(program: Command) {
  const platforms = program.command('platforms').description('manage LTI 1.3 platforms (LMS registrations)');

  platforms
    .command('add')
    .description('register an LTI 1.3 platform; prints the tool URLs to give the LMS')
    .requiredOption('--issuer <url>', 'the platform issuer (iss), e.g. https://moodle.example.org')
    .requiredOption('--client-id <id>', 'the client id the LMS gave labgate')
    .requiredOption('--auth-login-url <url>', 'the platform OIDC authorization endpoint')
    .requiredOption('--jwks-url <url>', 'the platform public keyset URL')
    .requiredOption('--deployment-id <id>', 'a deployment id (repeat for several)', collect)
    .option('--token-url <url>', 'the platform OAuth2 token endpoint (for grade passback)')
    .option('--name <name>', 'what to call this LMS')
    .action(
      async (o: {
        issuer: string;
        clientId: string;
        authLoginUrl: string;
        jwksUrl: string;
        deploymentId: string[];
        tokenUrl?: string;
        name?: string;
      }) => {
        // The issuer is kept byte for byte: it must equal the token's iss, and URL parsing would add a slash.
        const issuer = identifier('--issuer', o.issuer);
        const issuerHost = new URL(platformUrl('--issuer', issuer)).host;
        const registration = {
          name: o.name ?? issuerHost,
          issuer,
          clientId: identifier('--client-id', o.clientId),
          authLoginUrl: platformUrl('--auth-login-url', o.authLoginUrl),
          jwksUrl: platformUrl('--jwks-url', o.jwksUrl),
          tokenUrl: o.tokenUrl ? platformUrl('--token-url', o.tokenUrl) : undefined,
          deploymentIds: o.deploymentId.map((d) => identifier('--deployment-id', d)),
        };
        const platform = await withServices((s) => s.platforms.registerPlatform(registration));
        const base = loadConfig('cli').http.publicBaseUrl.href.replace(/\/$/, '');
        say(`platform ${platform.id} registered for ${platform.issuer} (client ${platform.clientId})`);
        say('Give the LMS these tool settings:');
        say(`  login initiation URL:   ${base}/lti/1.3/login`);
        say(`  redirect / launch URL:  ${base}/lti/1.3/launch`);
        say(`  public keyset (JWKS):   ${base}/.well-known/jwks.json`);
      },
    );

  platforms
    .command('list')
    .description('list registered LTI 1.3 platforms')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withServices((s) => s.platforms.listPlatforms());
      printTable(
        list.map((p) => ({
          id: p.id,
          name: p.name,
          issuer: p.issuer,
          'client id': p.clientId,
          deployments: p.deploymentIds.join(' '),
        })),
        Boolean(o.json),
      );
    });
}
