import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { freePort } from './support/labgate-process.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

// The simulator's JWKS is fetched over HTTP from labgate's own public URL, so labgate listens for real.
let t: TestApp;
let base: string;
beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  t = await startTestApp({ env: { PUBLIC_BASE_URL: base } });
  await t.app.server.listen({ port, host: 'localhost' });
});
afterAll(async () => t.close());

interface Visit {
  url: URL;
  status: number;
  body: string;
  /** The auto-posting form of the last page that had one: what an LMS page would post. */
  lastForm?: { action: string; fields: URLSearchParams };
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function autoPostForm(body: string) {
  const form = /<form method="post" action="([^"]*)" id="launch">([\s\S]*?)<\/form>/.exec(body);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g))
    fields.append(unescape(m[1]!), unescape(m[2]!));
  return { action: unescape(form[1]!), fields };
}

/** A minimal browser: keeps cookies, follows redirects and submits auto-posting forms, as a real one would. */
function newBrowser() {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (/max-age=0\b/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  };
  async function go(start: string, o: { stopAt?: RegExp; form?: URLSearchParams } = {}): Promise<Visit> {
    let url = new URL(start, base);
    let form = o.form;
    let lastForm: Visit['lastForm'];
    for (let hop = 0; hop < 12; hop++) {
      const res = await fetch(url, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          accept: 'text/html',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: form.toString() } : {}),
      });
      remember(res);
      const body = await res.text();
      const next = res.headers.get('location');
      const posted = res.status === 200 ? autoPostForm(body) : undefined;
      if (posted) lastForm = posted;
      if (o.stopAt?.test(url.pathname) || (!next && !posted)) {
        return { url, status: res.status, body, ...(lastForm ? { lastForm } : {}) };
      }
      url = next ? new URL(next, url) : new URL(posted!.action, url);
      form = next ? undefined : posted!.fields;
    }
    throw new Error(`too many hops, last at ${url.href}`);
  }
  return { go, jar };
}

describe('the LMS simulator as an LTI 1.3 platform', () => {
  it('launches a FUN learner through OIDC login and a signed id_token to a home page naming them', async () => {
    const visit = await newBrowser().go('/simulator/lti13/launch?flavour=openedx&role=learner&locale=en');
    expect(visit.url.pathname, visit.body).toBe('/home');
    expect(visit.body).toMatch(/data-testid="user-name">Alice Martin</);
    expect(visit.body).toMatch(/data-testid="role">learner</);
    expect(visit.body).toMatch(/data-testid="course-title">Recherche reproductible \(démo\)</);
    expect(visit.body).toMatch(/data-testid="lms">FUN</);
  });

  it('launches a Moodle teacher from the simulator page’s own form (version=1.3)', async () => {
    const visit = await newBrowser().go(
      '/simulator/launch?version=1.3&flavour=moodle&role=teacher&locale=en&name=Bernard+D.',
    );
    expect(visit.url.pathname, visit.body).toBe('/home');
    expect(visit.body).toMatch(/data-testid="user-name">Bernard D\.</);
    expect(visit.body).toMatch(/data-testid="role">teacher</);
    expect(visit.body).toMatch(/data-testid="lms">Moodle \(démo\)</);
  });

  it('mints tokens the way the platform is registered: one platform, its JWKS, its claims', async () => {
    const platforms = await t.app.services.platforms.listPlatforms();
    expect(platforms).toEqual([
      expect.objectContaining({
        issuer: `${base}/simulator`,
        clientId: 'labgate-simulator',
        deploymentIds: ['1'],
        authLoginUrl: `${base}/simulator/lti13/authorize`,
        jwksUrl: `${base}/simulator/lti13/jwks`,
      }),
    ]);
    const jwks = (await (await fetch(`${base}/simulator/lti13/jwks`)).json()) as { keys: object[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' })]);

    // A restart finds the registration and adds none.
    const again = await buildApp(t.config, { db: t.db });
    await again.close();
    expect(await t.app.services.platforms.listPlatforms()).toHaveLength(1);
  });

  it('refuses the same id_token posted twice (the state is single-use)', async () => {
    const browser = newBrowser();
    const first = await browser.go('/simulator/lti13/launch?role=learner&locale=en', {
      stopAt: /^\/lti\/1\.3\/launch$/,
    });
    expect(first.status).toBe(303);
    const replay = await browser.go(first.lastForm!.action, { form: first.lastForm!.fields });
    expect(replay.status).toBe(401);
    expect(replay.body).toContain('LTI13_STATE');
  });

  it('answers a forged authorization request with a 400, as a platform would', async () => {
    const browser = newBrowser();
    const login = await browser.go('/simulator/lti13/launch?role=learner', {
      stopAt: /^\/simulator\/lti13\/authorize$/,
    });
    expect(login.status).toBe(200);
    const good = new URLSearchParams(login.url.search);
    const tries: Array<[Record<string, string>, string]> = [
      [{ redirect_uri: 'https://evil.test/lti/1.3/launch' }, 'redirect_uri'],
      [{ lti_message_hint: `${good.get('lti_message_hint')!}x` }, 'lti_message_hint'],
      [{ login_hint: 'someone-else' }, 'login_hint'],
      [{ client_id: 'other' }, 'client_id'],
      [{ nonce: '' }, 'nonce'],
    ];
    for (const [over, name] of tries) {
      const url = new URL(login.url);
      for (const [k, v] of Object.entries(over)) url.searchParams.set(k, v);
      const res = await fetch(url, { headers: { accept: 'application/json' } });
      expect(res.status, name).toBe(400);
      expect(await res.text()).toContain(name);
    }
  });
});
