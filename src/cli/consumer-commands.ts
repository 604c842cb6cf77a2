import type { Command } from 'commander';
import { printTable, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';

export function addConsumerCommands(program: Command) {
  const consumers = program
    .command('consumers')
    .description('manage LTI 1.1 consumers (LMS keys and secrets)');

  consumers
    .command('add')
    .description('register an LMS; prints its consumer key and a new high-entropy secret once')
    .requiredOption('--name <name>', 'what to call this LMS, e.g. "FUN MOOC Recherche reproductible"')
    .option('--key <key>', 'consumer key to use (default: generated)')
    .option(
      '--origin <url>',
      'the LMS origin, e.g. https://lms.fun-mooc.fr: enables its "return to course" link',
    )
    .action(async (o: { name: string; key?: string; origin?: string }) => {
      const origin = o.origin ? new URL(o.origin).origin : undefined;
      const created = await withServices((s) =>
        s.consumers.addConsumer({
          name: o.name,
          ...(o.key ? { key: o.key } : {}),
          ...(origin ? { allowedOrigin: origin } : {}),
        }),
      );
      say(`consumer key:    ${created.key}`, `consumer secret: ${created.secret}`);
      say('Paste both into the LMS tool settings; the secret is not shown again.');
    });

  consumers
    .command('list')
    .description('list registered LTI 1.1 consumers (secrets are never printed)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withServices((s) => s.consumers.listConsumers());
      printTable(
        list.map((c) => ({
          key: c.key,
          name: c.name,
          origin: c.allowedOrigin ?? '',
          created: c.createdAt.toISOString(),
          'old secret valid until': c.rotationEndsAt?.toISOString() ?? '',
        })),
        Boolean(o.json),
      );
    });

  consumers
    .command('rotate')
    .description('issue a new secret; the old one keeps working during the overlap')
    .argument('<key>', 'consumer key')
    .option('--overlap-hours <hours>', 'how long the old secret stays valid', '24')
    .action(async (key: string, o: { overlapHours: string }) => {
      const hours = Number(o.overlapHours);
      if (!Number.isFinite(hours) || hours < 0 || hours > 720) {
        throw new Error(`--overlap-hours must be a number of hours from 0 to 720, got "${o.overlapHours}"`);
      }
      const r = await withServices((s) => s.consumers.rotateSecret(key, Math.round(hours * 3600)));
      say(`consumer key:    ${r.key}`, `consumer secret: ${r.secret}`);
      say(`The previous secret keeps working until ${r.rotationEndsAt.toISOString()}.`);
    });
}
