/** One line of `labgate forge check`: what was checked, whether it holds, and what to do if not. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const oidcSettings = `gitlab_rails['omniauth_providers'] = [{ name: "openid_connect", label: "Course login", args: { issuer: "<labgate's public URL>", discovery: true, uid_field: "sub", pkce: true, scope: ["openid","profile","email"], response_type: "code", client_options: { identifier: "<client id>", secret: "<secret>", redirect_uri: "<GitLab URL>/users/auth/openid_connect/callback" } } }]`;

async function get(url: string, token: string | undefined, timeoutMs: number) {
  return fetch(url, {
    headers: token ? { 'private-token': token } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
}

const reason = (err: unknown) => {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'no answer in time';
  return e.cause?.code ?? e.cause?.message ?? e.message;
};

async function json(res: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const body = (await res.json()) as unknown;
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Diagnoses a GitLab for labgate, stopping at the first check the next ones depend on: reachable and
 * GitLab, token valid, token an administrator's with the `api` scope, OIDC sign-in through labgate.
 */
export async function checkForge(o: {
  url: string;
  token: string;
  timeoutMs?: number;
}): Promise<CheckResult[]> {
  const base = o.url.replace(/\/+$/, '');
  const timeoutMs = o.timeoutMs ?? 10_000;
  const results: CheckResult[] = [];

  let version: Response;
  try {
    version = await get(`${base}/api/v4/version`, o.token, timeoutMs);
  } catch (err) {
    results.push({
      name: 'reachable',
      ok: false,
      detail: `cannot reach ${base}: ${reason(err)}`,
      fix: 'Check the URL (scheme, host, port) and that this machine can reach GitLab (DNS, firewall, proxy).',
    });
    return results;
  }
  const versionBody = await json(version);
  if (version.status !== 401 && (!version.ok || typeof versionBody?.version !== 'string')) {
    results.push({
      name: 'reachable',
      ok: false,
      detail: `${base} answered ${version.status} to /api/v4/version, which is not what GitLab answers`,
      fix: 'Give the URL of the GitLab instance itself (https://gitlab.example.org), without /api/v4 or a project path.',
    });
    return results;
  }
  results.push({ name: 'reachable', ok: true, detail: `${base} answers` });
  if (version.status === 401) {
    results.push({
      name: 'token',
      ok: false,
      detail: 'GitLab refused the token (401 Unauthorized)',
      fix: 'The token is wrong, revoked or expired: create a personal access token for an administrator with the api scope.',
    });
    return results;
  }
  const v = String(versionBody!.version);
  const major = Number.parseInt(v, 10);
  results.push(
    major >= 16
      ? { name: 'version', ok: true, detail: `GitLab ${v}` }
      : {
          name: 'version',
          ok: false,
          detail: `GitLab ${v} is older than 16.0, which labgate is tested against`,
          fix: 'Upgrade GitLab to 16.0 or newer.',
        },
  );

  const user = await get(`${base}/api/v4/user`, o.token, timeoutMs);
  const userBody = await json(user);
  if (user.status === 403) {
    results.push({
      name: 'token',
      ok: false,
      detail: `the token lacks a scope (${String(userBody?.error_description ?? userBody?.message ?? 'insufficient scope')})`,
      fix: 'Create the token with the api scope.',
    });
    return results;
  }
  if (!user.ok || !userBody) {
    results.push({
      name: 'token',
      ok: false,
      detail: `GET /user answered ${user.status}`,
      fix: 'Create a new administrator token with the api scope.',
    });
    return results;
  }
  results.push(
    userBody.is_admin === true
      ? {
          name: 'admin',
          ok: true,
          detail: `the token belongs to ${String(userBody.username)}, an administrator`,
        }
      : {
          name: 'admin',
          ok: false,
          detail: `the token belongs to ${String(userBody.username)}, who is not an administrator`,
          fix: 'labgate creates users and forks for learners: use a token of an administrator (with the api scope).',
        },
  );

  // auto_sign_in=false shows the page even when GitLab sends everyone straight to the provider.
  const signIn = await get(`${base}/users/sign_in?auto_sign_in=false`, undefined, timeoutMs).catch(
    () => undefined,
  );
  const page = signIn?.ok ? await signIn.text() : '';
  results.push(
    page.includes('/users/auth/openid_connect')
      ? { name: 'oidc', ok: true, detail: 'the sign-in page offers OpenID Connect sign-in' }
      : {
          name: 'oidc',
          ok: false,
          detail:
            'the sign-in page offers no OpenID Connect sign-in, so learners cannot sign in to GitLab through labgate',
          fix: `In /etc/gitlab/gitlab.rb set gitlab_rails['omniauth_enabled'] = true and ${oidcSettings}, then run gitlab-ctl reconfigure.`,
        },
  );
  return results;
}
