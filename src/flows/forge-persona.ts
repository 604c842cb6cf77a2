import { displayName, pathSlug } from '../forge/index.ts';
import type { LmsIdentity, Pseudonyms } from '../identity/index.ts';

/** FORGE_USERNAMES: GitLab accounts named after people (`names`), or opaque ones (`pseudonymous`). */
export type ForgeUsernames = 'names' | 'pseudonymous';

export interface ForgeNaming {
  mode: ForgeUsernames;
  pseudonyms: Pick<Pseudonyms, 'of'>;
}

/** RFC 2606 reserves `.invalid`: a placeholder address that can never reach anyone. */
export const placeholderDomain = '@users.labgate.invalid';

export interface ForgePerson {
  externUid: string;
  username: string;
  name: string;
  email: string;
}

/**
 * The person as GitLab will know them (and as their commits are signed); their labgate user id is
 * the OIDC subject GitLab links to. Pseudonymous: the LMS's name and e-mail never leave labgate; the
 * username is also the display name, the address a placeholder. Only a new account takes these: an
 * existing one is found by its link (extern_uid), whatever it is called.
 */
export async function forgePersonOf(
  naming: ForgeNaming | undefined,
  o: { userId: string; identity: LmsIdentity; name: string | undefined; email: string | undefined },
): Promise<ForgePerson> {
  if (naming?.mode === 'pseudonymous') {
    const username = await naming.pseudonyms.of(o.identity);
    return { externUid: o.userId, username, name: username, email: `${username}${placeholderDomain}` };
  }
  return {
    externUid: o.userId,
    username: pathSlug(o.name ?? o.email?.split('@')[0] ?? '', 'learner', 40).replace(/[.]/g, '-'),
    name: displayName(o.name ?? '', 'Learner'),
    email: o.email ?? `${o.userId}${placeholderDomain}`,
  };
}
