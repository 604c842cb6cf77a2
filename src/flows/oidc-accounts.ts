import type { Provisioner } from '../forge/index.ts';
import type { OidcAccount, UserStore } from '../identity/index.ts';

const placeholderDomain = '@users.labgate.invalid';

/**
 * The claims GitLab reads about a person, exactly as labgate created their GitLab account: the same
 * subject (their labgate id, the identity's extern_uid), username, name and e-mail.
 */
export function createOidcAccounts(deps: {
  users: Pick<UserStore, 'findUser'>;
  provisioner: Pick<Provisioner, 'listForUser'> | undefined;
}) {
  return async function findAccount(sub: string): Promise<OidcAccount | undefined> {
    const user = await deps.users.findUser(sub);
    if (!user) return undefined;
    const jobs = (await deps.provisioner?.listForUser(sub)) ?? [];
    const known = jobs.find((j) => j.state.forgeUser);
    const email = known?.spec.person.email ?? user.email ?? `${sub}${placeholderDomain}`;
    return {
      sub,
      preferredUsername: known?.state.forgeUser?.username,
      name: known?.spec.person.name ?? user.displayName ?? 'Learner',
      email,
      emailVerified: !email.endsWith(placeholderDomain),
      disabled: user.disabled,
    };
  };
}
