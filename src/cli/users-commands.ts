import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { openPersonData } from '../app/person-data.ts';
import { loadConfig } from '../config.ts';
import { executeErasure, personExport, planErasure, recordCounts, type ErasurePlan } from '../flows/index.ts';
import type { PersonSummary } from '../identity/index.ts';
import { confirmed } from './confirm.ts';
import { complain, jsonText, printTable, say } from './terminal-text.ts';

type PersonData = Awaited<ReturnType<typeof openPersonData>>;

/** Runs `work` on the database, forge and engine this command is configured with, closing after. */
export async function withPersonData<T>(work: (d: PersonData) => Promise<T>): Promise<T> {
  const { openPersonData } = await import('../app/person-data.ts');
  const data = await openPersonData(loadConfig('cli'));
  try {
    return await work(data);
  } finally {
    await data.close();
  }
}

/** The one person `id` names (labgate id or LMS user id), or undefined after saying why (exit code 2). */
async function onePerson(d: PersonData, id: string): Promise<PersonSummary | undefined> {
  const found = await d.people.find(id);
  if (found.length === 1) return found[0];
  complain(
    found.length === 0
      ? `labgate: nobody has the labgate id or LMS user id "${id}"; see \`labgate users list\`.`
      : `labgate: "${id}" is the LMS user id of ${found.length} people (labgate ids ${found.map((p) => p.id).join(', ')}); give one of those.`,
  );
  process.exitCode = 2;
  return undefined;
}

const lmsIds = (p: PersonSummary) => p.identities.map((i) => `${i.kind}:${i.issuer}:${i.subject}`).join(' ');

/** What an erasure removes, as a person reads it before confirming. */
export function describePlan(plan: ErasurePlan, who: string) {
  say(`${who}:`);
  const counts = Object.entries(recordCounts(plan.records));
  say(`  labgate records: ${counts.map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}`);
  const authored = Object.entries(plan.records.authored);
  if (authored.length)
    say(`  kept, author name removed: ${authored.map(([t, rows]) => `${t} ${rows.length}`).join(', ')}`);
  for (const f of plan.forks) say(`  fork on the forge: ${f.path ?? `project ${f.id} (not found there)`}`);
  if (plan.forgeAccount)
    say(`  GitLab account: ${plan.forgeAccount.username} (id ${plan.forgeAccount.id}), with what it owns`);
  for (const w of plan.workspaces)
    say(
      `  workspace ${w.assignment}: container ${w.container || '?'}, files ${w.storage.join(', ') || 'none'}`,
    );
  say('  Grades already sent to the LMS stay in the LMS: erase them there if needed.');
}

export function addUserDataCommands(users: Command) {
  users
    .command('list')
    .description('list people labgate knows, with their LMS ids and courses')
    .option('--course <id>', 'only people enrolled in this course')
    .option('--role <role>', 'with --course: learner, teacher or ta')
    .option('--json', 'print JSON (every field)')
    .action(async (o: { course?: string; role?: string; json?: boolean }) => {
      const list = await withPersonData((d) =>
        d.people.list({
          ...(o.course ? { courseId: o.course } : {}),
          ...(o.role ? { role: o.role } : {}),
        }),
      );
      if (o.json) return void process.stdout.write(`${jsonText(list)}\n`);
      printTable(
        list.map((p) => ({
          id: p.id,
          name: p.name ?? '',
          email: p.email ?? '',
          lms_ids: lmsIds(p),
          courses: p.courses.map((c) => `${c.courseId}:${c.role}`).join(' '),
          disabled: p.disabled ? 'yes' : '',
        })),
        false,
      );
    });

  users
    .command('show')
    .description(
      'what labgate holds on a person: records per table, forks, GitLab account, workspaces (JSON)',
    )
    .argument('<id>', 'labgate user id, or the LMS user id')
    .action(async (id: string) => {
      await withPersonData(async (d) => {
        const person = await onePerson(d, id);
        if (!person) return;
        const plan = await planErasure(d.deps, { userId: person.id });
        const shown = {
          person,
          records: recordCounts(plan.records),
          authored: Object.fromEntries(Object.entries(plan.records.authored).map(([t, r]) => [t, r.length])),
          gitlab: { account: plan.forgeAccount ?? null, forks: plan.forks },
          workspaces: plan.workspaces,
        };
        process.stdout.write(`${jsonText(shown)}\n`);
      });
    });

  users
    .command('export')
    .description('every record labgate holds on a person, as JSON (secrets such as tokens withheld)')
    .argument('<id>', 'labgate user id, or the LMS user id')
    .option('--out <file>', 'write to this file (mode 0600) instead of the standard output')
    .action(async (id: string, o: { out?: string }) => {
      await withPersonData(async (d) => {
        const person = await onePerson(d, id);
        if (!person) return;
        const plan = await planErasure(d.deps, { userId: person.id });
        const text = `${jsonText(personExport(person, plan, d.services.now()))}\n`;
        if (!o.out) return void process.stdout.write(text);
        await writeFile(o.out, text, { mode: 0o600, flag: 'wx' });
        say(`exported ${person.id} to ${o.out}`);
      });
    });

  users
    .command('erase')
    .description(
      'erase a person: labgate records, forks and GitLab account, workspaces and their files (asks first)',
    )
    .argument('<id>', 'labgate user id, or the LMS user id')
    .option('--dry-run', 'list what would go and change nothing')
    .option('--yes', 'do not ask (scripts, CI)')
    .action(async (id: string, o: { dryRun?: boolean; yes?: boolean }) => {
      await withPersonData(async (d) => {
        const person = await onePerson(d, id);
        if (!person) return;
        const plan = await planErasure(d.deps, { userId: person.id });
        describePlan(
          plan,
          `${o.dryRun ? 'would erase' : 'erasing'} ${person.id} (${person.name ?? 'no name'})`,
        );
        if (o.dryRun) return say('dry run: nothing was changed');
        if (!(await confirmed(`Erase ${person.id} for good?`, o))) return;
        const report = await executeErasure(d.deps, plan);
        if (report.failed.length === 0) return say(`erased ${person.id}`);
        for (const f of report.failed) complain(`labgate: could not remove ${f.what}: ${f.error}`);
        complain(
          `labgate: ${person.id} is disabled and their labgate records are kept so that running this again finishes the erasure.`,
        );
        process.exitCode = 1;
      });
    });
}
