/**
 * One learner of the launch storm, as their browser goes: the LMS's signed LTI 1.1 POST, the
 * redirects to their session and their launch page (signed in), then the page's progress stream until
 * the workspace runs or is refused, and Jupyter answering through labgate. All through the proxy.
 */
import { signedLaunchUrl } from '../src/lti/index.ts';
import { demoConsumerKey, lti11LaunchParams, signLti11Launch } from '../src/simulator/index.ts';

const french = {
  first: ['Camille', 'Léa', 'Hugo', 'Chloé', 'Théo', 'Inès', 'Jules', 'Zoé', 'Maël', 'Anaïs'],
  last: ['Martin', 'Lefèvre', 'Dubois', 'Moreau', 'Girard', 'Fournier', 'Lambert', 'Rousseau'],
};
const english = {
  first: ['Olivia', 'Jack', 'Amelia', 'Harry', 'Isla', 'Oliver', 'Ava', 'George', 'Emily', 'Noah'],
  last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Davies', 'Wright'],
};

/** Learner `n` of a run: a fresh LMS id; every other one French (on FUN), the others English (Moodle). */
export function learnerOf(run: string, n: number) {
  const locale = n % 2 === 0 ? ('fr' as const) : ('en' as const);
  const names = locale === 'fr' ? french : english;
  const name = `${names.first[n % names.first.length]} ${names.last[Math.floor(n / 2) % names.last.length]}`;
  return { userId: `${run}-${n}`, name, locale, flavour: locale === 'fr' ? 'openedx' : 'moodle' } as const;
}

/** Where a launch's time went, as its progress stream tells (ms since the launch was asked for). */
export interface LaunchTimeline {
  phases: Array<{ phase: string; startMs: number; endMs?: number }>;
  readyMs?: number;
}

/** `timeline` when the stream came from the replica running the launch (it keeps the timeline). */
export type WorkspaceOutcome =
  { kind: 'running'; ms: number; timeline?: LaunchTimeline } | { kind: 'refused' };

export interface LearnerResult {
  postedAt: number;
  signedInMs?: number;
  workspaceId?: string;
  workspace?: WorkspaceOutcome;
  /** Why this learner's launch stopped (an HTTP status, a failed workspace), grouped by kind. */
  error?: string;
}

/** An error of the storm, named by its kind (what the bench counts). */
class StormError extends Error {}

const cookieOf = (res: Response) => /labgate_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
const answered = async (what: string, res: Response, status: number) => {
  await res.arrayBuffer();
  if (res.status !== status) throw new StormError(`${what}: HTTP ${res.status}`);
  return res;
};
/** A refusal because every workspace slot is taken: not an error of the storm. */
const serverFull = /workspaces of this server are in use/;

/** The progress stream ends when the launch does; reconnects as EventSource does if cut before. */
async function launchEnd(base: string, cookie: string, id: string, deadline: number) {
  for (;;) {
    const res = await fetch(`${base}/launch/${id}/events`, {
      headers: { cookie },
      signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    }).catch(() => undefined);
    if (res && res.status !== 200) await answered('GET /launch/<id>/events', res, 200);
    const text = res ? await res.text().catch(() => '') : '';
    const last = [...text.matchAll(/^data: (.*)$/gm)].at(-1)?.[1];
    type View = { status: string; error?: string | null; timeline?: LaunchTimeline };
    const view = last ? (JSON.parse(last) as View) : undefined;
    if (view?.status === 'running' || view?.status === 'failed') return view;
    if (Date.now() > deadline) throw new StormError('workspace not running in time');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function workspaceOf(base: string, cookie: string, id: string, t0: number, deadline: number) {
  const end = await launchEnd(base, cookie, id, deadline);
  if (end.status === 'failed') {
    if (serverFull.test(end.error ?? '')) return { kind: 'refused' } as const;
    throw new StormError(`workspace failed: ${(end.error ?? '').split(/[.:]/)[0]}`);
  }
  for (;;) {
    const res = await fetch(`${base}/user/${id}/api/status`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status === 200)
      return {
        kind: 'running',
        ms: Date.now() - t0,
        ...(end.timeline ? { timeline: end.timeline } : {}),
      } as const;
    if (Date.now() > deadline) throw new StormError(`GET /user/<id>/api/status: HTTP ${res.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Learner `n`'s launch through `base` (the proxy); never throws: what went wrong is in `error`. */
export async function launchLearner(
  o: { base: string; secret: string; run: string; waitSeconds: number },
  n: number,
): Promise<LearnerResult> {
  const person = learnerOf(o.run, n);
  const base = new URL(o.base);
  const params = lti11LaunchParams({ ...person, role: 'learner' }, base).map(([k, v]): [string, string] =>
    k === 'lis_person_contact_email_primary' ? [k, `${person.userId}@learners.invalid`] : [k, v],
  );
  const launchUrl = signedLaunchUrl(base, '/lti/launch');
  const postedAt = Date.now();
  const result: LearnerResult = { postedAt };
  try {
    const fields = signLti11Launch({
      launchUrl,
      consumerKey: demoConsumerKey,
      secret: o.secret,
      nowSeconds: Math.floor(postedAt / 1000),
      params,
    });
    const post = await answered(
      'POST /lti/launch',
      await fetch(launchUrl, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' }),
      303,
    );
    const cookie = `labgate_session=${cookieOf(post)}`;
    const next = (res: Response) => new URL(res.headers.get('location') ?? '/', base);
    const onward = await answered(
      'GET /launch/continue',
      await fetch(next(post), { headers: { cookie }, redirect: 'manual' }),
      303,
    );
    const id = /^\/launch\/([0-9a-f]{20})$/.exec(next(onward).pathname)?.[1];
    if (!id) throw new StormError(`no launch page after sign-in (sent to ${next(onward).pathname})`);
    result.workspaceId = id;
    const page = await fetch(next(onward), { headers: { cookie }, redirect: 'manual' });
    await page.arrayBuffer();
    if (page.status !== 200 && page.status !== 303) await answered('GET /launch/<id>', page, 200);
    result.signedInMs = Date.now() - postedAt;
    // A browser asks for the icon of a page that names none (each learner is a browser of their own).
    await answered('GET /favicon.ico', await fetch(new URL('/favicon.ico', base)), 200);
    result.workspace = await workspaceOf(o.base, cookie, id, postedAt, postedAt + o.waitSeconds * 1000);
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    result.error = err instanceof StormError ? err.message : `network: ${cause ?? (err as Error).message}`;
  }
  return result;
}
