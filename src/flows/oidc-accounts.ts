import type { Provisioner } from '../forge/index.ts';
import type { OidcAccount, UserStore } from '../identity/index.ts';
import { placeholderDomain, type ForgeUsernames } from './forge-persona.ts';

/**
 * The claims GitLab reads about a person, exactly as labgate created their GitLab account: the same
 * subject (their labgate id, the identity's extern_uid), username, name and e-mail.
 */
export function createOidcAccounts(deps: {
  users: Pick<UserStore, 'findUser'>;
  provisioner: Pick<Provisioner, 'listForUser'> | undefined;
  /** Pseudonymous: GitLab reads the username for a name and a placeholder address, never the LMS's. */
  forgeUsernames?: ForgeUsernames;
}) {
  return async function findAccount(sub: string): Promise<OidcAccount | undefined> {
    const user = await deps.users.findUser(sub);
    if (!user) return undefined;
    const jobs = (await deps.provisioner?.listForUser(sub)) ?? [];
    const known = jobs.find((j) => j.state.forgeUser);
    if (deps.forgeUsernames === 'pseudonymous') {
      const shown = known?.state.forgeUser?.username ?? sub;
      return {
        sub,
        preferredUsername: known?.state.forgeUser?.username,
        name: shown,
        email: `${shown}${placeholderDomain}`,
        emailVerified: false,
        disabled: user.disabled,
      };
    }
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
