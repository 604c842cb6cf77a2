import type * as gitbeaker from '@gitbeaker/core';
import type { ForgeIdentity, ForgeUser } from './forge.ts';
import { ForgeCallError, isForgeStatus } from './forge-errors.ts';

export const oidcProvider = 'openid_connect';

/** GitLab usernames: letters, digits, `_ - .`, not starting with `-`/`.` nor ending in `.` (path_regex.rb). */
export function usernameCandidate(wish: string, attempt: number): string {
  const base =
    wish
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9_.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 50) || 'learner';
  return attempt === 0 ? base : `${base}${attempt + 1}`;
}

const emailTaken = (err: unknown) =>
  (isForgeStatus(err, 409) || isForgeStatus(err, 400)) && /email/i.test((err as ForgeCallError).description);

/** Used when the LMS's email already belongs to another GitLab account (a teacher's own, say). */
const placeholderEmail = (externUid: string) =>
  `${externUid.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}@users.labgate.invalid`;

const usernameTaken = (err: unknown) =>
  (isForgeStatus(err, 409) || isForgeStatus(err, 400)) &&
  /username/i.test((err as ForgeCallError).description);

export function createGitlabUsers(api: { users: gitbeaker.Users }) {
  async function findByIdentity(externUid: string): Promise<ForgeUser | undefined> {
    const [found] = await api.users.all({ externUid, provider: oidcProvider, maxPages: 1 });
    return found && { id: found.id as number, username: found.username as string };
  }

  async function ensureUser(identity: ForgeIdentity): Promise<ForgeUser> {
    const existing = await findByIdentity(identity.externUid);
    if (existing) return existing;
    const fallbackEmail = placeholderEmail(identity.externUid);
    let email = identity.email;
    let attempt = 0;
    while (attempt < 20) {
      try {
        const created = await api.users.create({
          email,
          name: identity.name,
          username: usernameCandidate(identity.username, attempt),
          externUid: identity.externUid,
          provider: oidcProvider,
          forceRandomPassword: true,
          skipConfirmation: true,
        });
        return { id: created.id as number, username: created.username as string };
      } catch (err) {
        // A concurrent launch of the same person may have created them meanwhile.
        const raced = await findByIdentity(identity.externUid);
        if (raced) return raced;
        if (emailTaken(err) && email !== fallbackEmail) {
          email = fallbackEmail;
          continue;
        }
        if (!usernameTaken(err)) throw err;
        attempt++;
      }
    }
    throw new ForgeCallError({
      call: 'POST /users',
      status: 409,
      description: `no free username near "${identity.username}"`,
    });
  }

  return { ensureUser, findUser: findByIdentity };
}
