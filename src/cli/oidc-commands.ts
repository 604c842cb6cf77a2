import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createOidcKeys, oidcIssuer } from '../identity/index.ts';
import { printTable, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export function addOidcCommands(program: Command) {
  const clients = program
    .command('oidc-clients')
    .description(
      'applications that sign people in through labgate (GitLab, JupyterHub): OpenID Connect clients',
    );

  clients
    .command('add')
    .description('register a client; prints its id and secret (shown once) and the issuer to configure')
    .requiredOption('--name <name>', 'what it is, e.g. GitLab')
    .requiredOption(
      '--redirect-uri <url>',
      'its callback, e.g. https://gitlab.example.edu/users/auth/openid_connect/callback (repeatable)',
      collect,
      [],
    )
    .option(
      '--third-party',
      'ask people to consent before it gets their name and e-mail (default: first-party)',
    )
    .option(
      '--secret-in-body',
      'the client sends its secret in the POST body (GitLab client_auth_method "query")',
    )
    .action(
      async (o: { name: string; redirectUri: string[]; thirdParty?: boolean; secretInBody?: boolean }) => {
        const made = await withServices((s) =>
          s.oidcClients.add({
            name: o.name,
            redirectUris: o.redirectUri,
            firstParty: !o.thirdParty,
            tokenAuth: o.secretInBody ? 'client_secret_post' : 'client_secret_basic',
          }),
        );
        const issuer = oidcIssuer(loadConfig('cli').http.publicBaseUrl);
        say(`client_id:     ${made.clientId}`);
        say(`client_secret: ${made.clientSecret}   (shown once: copy it now)`);
        say(`issuer:        ${issuer}`);
      },
    );

  clients
    .command('list')
    .description('list the registered clients')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withServices((s) => s.oidcClients.list());
      printTable(
        list.map((c) => ({
          client_id: c.clientId,
          name: c.name,
          first_party: c.firstParty ? 'yes' : 'no',
          redirect_uris: c.redirectUris.join(' '),
        })),
        Boolean(o.json),
      );
    });

  clients
    .command('remove')
    .description('remove a client: its sign-ins stop working at once')
    .argument('<client_id>')
    .action(async (clientId: string) => {
      if (!(await withServices((s) => s.oidcClients.remove(clientId))))
        throw new Error(`no client ${clientId}; see \`labgate oidc-clients list\``);
      say(`client ${clientId} removed`);
    });

  program
    .command('oidc-keys')
    .description('the signing keys of labgate’s OpenID Connect provider')
    .argument(
      '<action>',
      '`list`, or `rotate`: a new key signs from the next start; the old one stays published',
    )
    .action(async (action: string) => {
      const { oidc } = loadConfig('cli');
      await withServices(async (s) => {
        const keys = createOidcKeys(s.db, { rotateDays: oidc.keyRotationDays, keepDays: oidc.keyKeepDays });
        if (action === 'rotate')
          say(`new signing key ${await keys.rotate()}; restart labgate to sign with it`);
        else if (action === 'list')
          printTable(
            (await keys.list()).map((k) => ({ kid: k.kid, created: new Date(k.createdAt).toISOString() })),
            false,
          );
        else throw new Error(`unknown action ${action}: use list or rotate`);
      });
    });

  const users = program.command('users').description('labgate accounts');
  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    users
      .command(name)
      .description(
        disabled
          ? 'disable an account: labgate no longer signs it in to GitLab or other clients'
          : 'enable an account again',
      )
      .argument('<user_id>', 'labgate user id (the OIDC subject)')
      .action(async (id: string) => {
        if (!(await withServices((s) => s.users.setDisabled(id, disabled)))) throw new Error(`no user ${id}`);
        say(`user ${id} ${disabled ? 'disabled' : 'enabled'}`);
      });
}
