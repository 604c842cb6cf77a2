import { accountDisabled } from './account-disabled.ts';
import type { SessionStore, UpstreamPerson, UserStore } from '../identity/index.ts';

/**
 * A person the operator's identity provider vouches for becomes a labgate session. The same person
 * coming back is found by that identity; on their first visit, a verified e-mail address that
 * exactly one labgate user has (from their LMS) links them to that user, so they reach the same
 * GitLab account; otherwise they are a new user.
 */
export async function signInFromUpstream(
  deps: {
    users: Pick<
      UserStore,
      'findUserByIdentity' | 'findUserByEmail' | 'linkIdentity' | 'ensureUser' | 'findUser'
    >;
    sessions: Pick<SessionStore, 'startSession'>;
    sessionTtlSeconds: number;
  },
  o: { person: UpstreamPerson; providerName: string; locale: string },
) {
  const identity = {
    kind: 'oidc' as const,
    issuer: o.person.issuer,
    clientId: o.person.clientId,
    subject: o.person.sub,
  };
  let userId = (await deps.users.findUserByIdentity(identity))?.id;
  if (!userId && o.person.email && o.person.emailVerified) {
    const known = await deps.users.findUserByEmail(o.person.email);
    if (known) {
      await deps.users.linkIdentity(known.id, identity);
      userId = known.id;
    }
  }
  const user = userId ? await deps.users.findUser(userId) : undefined;
  if (user?.disabled) throw accountDisabled();
  userId ??= (
    await deps.users.ensureUser(identity, {
      ...(o.person.name ? { name: o.person.name } : {}),
      ...(o.person.email ? { email: o.person.email } : {}),
    })
  ).id;
  return deps.sessions.startSession({
    userId,
    courseId: undefined,
    role: undefined,
    via: `${o.providerName} (OpenID Connect)`,
    locale: o.locale,
    returnUrl: undefined,
    ttlSeconds: deps.sessionTtlSeconds,
  });
}
