import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { gitErrors } from './git-errors.ts';
import type { TemplateSource } from './template-delivery.ts';

export interface TemplateRemote {
  id: number;
  url: string;
  branch: string;
  /** A token that can only read this template (never the forge's administrator token). */
  token: () => Promise<string>;
}

const credentialHelper = '!f() { echo username=labgate; echo "password=$LABGATE_GIT_TOKEN"; }; f';
const maxPackBytes = 1024 * 1024 * 1024;

/** Runs git on labgate's own mirror (teacher content, never a learner's), with nothing inherited. */
function hostGit(dir: string, args: string[], o: { token?: string; stdin?: string } = {}) {
  return new Promise<Buffer>((resolve, reject) => {
    const child = execFile(
      'git',
      [
        '-c',
        'core.hooksPath=/dev/null',
        '-c',
        'protocol.allow=never',
        '-c',
        'protocol.http.allow=always',
        '-c',
        'protocol.https.allow=always',
        '-c',
        'credential.helper=',
        ...(o.token ? ['-c', `credential.helper=${credentialHelper}`] : []),
        ...args,
      ],
      {
        cwd: dir,
        encoding: 'buffer',
        maxBuffer: maxPackBytes,
        timeout: 300_000,
        env: {
          PATH: '/usr/local/bin:/usr/bin:/bin',
          HOME: '/nonexistent',
          LC_ALL: 'C',
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          ...(o.token ? { LABGATE_GIT_TOKEN: o.token } : {}),
        },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const why = stderr
          .toString('utf8')
          .replaceAll(o.token || '\0', '[token]')
          .trim()
          .split('\n')
          .pop();
        reject(gitErrors.gitFailed(args[0] ?? 'git', `on the template: ${why || err.message}`));
      },
    );
    child.stdin?.on('error', () => {}); // git may not read what it does not need
    child.stdin?.end(o.stdin ?? '');
  });
}

/**
 * labgate's own copy of each template (bare repositories under `dir`), refreshed from the forge at
 * most every `refreshMs` (or the `maxAgeMs` a caller asks for): the sandboxes get the template's
 * commits from here as packs.
 */
export function createTemplateMirror(o: { dir: string; refreshMs?: number }) {
  const refreshed = new Map<number, { at: number; task: Promise<string | undefined> }>();

  async function refresh(t: TemplateRemote): Promise<string | undefined> {
    const dir = path.join(o.dir, `${t.id}.git`);
    if (!existsSync(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await hostGit(dir, ['init', '-q', '--bare']);
    }
    const ref = `refs/heads/${t.branch}`;
    try {
      await hostGit(dir, ['fetch', '-q', '--no-tags', '--', t.url, `+${ref}:${ref}`], {
        token: await t.token(),
      });
    } catch (err) {
      if (/couldn't find remote ref/i.test((err as Error).message)) return undefined;
      throw err;
    }
    return (await hostGit(dir, ['rev-parse', '--verify', `${ref}^{commit}`])).toString().trim();
  }

  return {
    /** The template's newest state, or undefined when it has no such branch yet (an empty template). */
    async source(t: TemplateRemote, ask: { maxAgeMs?: number } = {}): Promise<TemplateSource | undefined> {
      let entry = refreshed.get(t.id);
      if (!entry || Date.now() - entry.at > (ask.maxAgeMs ?? o.refreshMs ?? 5_000)) {
        entry = { at: Date.now(), task: refresh(t) };
        refreshed.set(t.id, entry);
        entry.task.catch(() => refreshed.delete(t.id));
      }
      const head = await entry.task;
      if (!head) return undefined;
      const dir = path.join(o.dir, `${t.id}.git`);
      const recent = (await hostGit(dir, ['rev-list', '--max-count=200', head]))
        .toString()
        .split('\n')
        .filter(Boolean);
      return {
        branch: t.branch,
        head,
        recent,
        pack: async (haves) => {
          const known = haves.filter((h) => recent.includes(h));
          return hostGit(dir, ['pack-objects', '--revs', '--thin', '--stdout', '-q'], {
            stdin: `${head}\n${known.map((h) => `^${h}\n`).join('')}`,
          });
        },
      };
    },
  };
}

export type TemplateMirror = ReturnType<typeof createTemplateMirror>;
