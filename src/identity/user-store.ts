import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

/**
 * How an LMS names a person: (consumer key, user_id) for LTI 1.1, (issuer, client id, sub) for 1.3;
 * `oidc` for the operator's own identity provider (direct login).
 */
export interface LmsIdentity {
  kind: 'lti11' | 'lti13' | 'oidc';
  issuer: string;
  clientId: string;
  subject: string;
}

export interface User {
  id: string;
  displayName: string | undefined;
  email: string | undefined;
  /** An administrator disabled the account: labgate signs them in nowhere else. */
  disabled: boolean;
}

export function createUserStore(db: Db, now: () => number = Date.now) {
  const findByIdentity = (identity: LmsIdentity) =>
    db
      .selectFrom('user_identities')
      .innerJoin('users', 'users.id', 'user_identities.user_id')
      .select(['users.id', 'users.display_name', 'users.email', 'users.disabled_at'])
      .where('kind', '=', identity.kind)
      .where('issuer', '=', identity.issuer)
      .where('client_id', '=', identity.clientId)
      .where('subject', '=', identity.subject)
      .executeTakeFirst();

  /** Finds the user behind an LMS identity, creating them on first sight; safe under concurrent launches. */
  async function ensureUser(
    identity: LmsIdentity,
    profile: { name?: string; email?: string },
  ): Promise<User> {
    let row = await findByIdentity(identity);
    if (!row) {
      const id = randomUUID();
      const t = now();
      await db
        .insertInto('users')
        .values({
          id,
          display_name: profile.name ?? null,
          email: profile.email ?? null,
          created_at: t,
          updated_at: t,
        })
        .execute();
      const linked = await db
        .insertInto('user_identities')
        .values({ ...identityColumns(identity), user_id: id, created_at: t })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      // Another launch of the same person won the race: drop our orphan and use theirs.
      if (Number(linked.numInsertedOrUpdatedRows ?? 0) === 0)
        await db.deleteFrom('users').where('id', '=', id).execute();
      row = await findByIdentity(identity);
      if (!row) throw new Error('user identity vanished right after it was created');
    }
    const changed =
      (profile.name !== undefined && profile.name !== row.display_name) ||
      (profile.email !== undefined && profile.email !== row.email);
    if (changed) {
      await db
        .updateTable('users')
        .set({
          display_name: profile.name ?? row.display_name,
          email: profile.email ?? row.email,
          updated_at: now(),
        })
        .where('id', '=', row.id)
        .execute();
    }
    return {
      id: row.id,
      displayName: profile.name ?? row.display_name ?? undefined,
      email: profile.email ?? row.email ?? undefined,
      disabled: row.disabled_at !== null,
    };
  }

  async function findUser(id: string): Promise<User | undefined> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        displayName: row.display_name ?? undefined,
        email: row.email ?? undefined,
        disabled: row.disabled_at !== null,
      }
    );
  }

  /** The person an e-mail address belongs to, when exactly one labgate user has it. */
  async function findUserByEmail(email: string): Promise<User | undefined> {
    const rows = await db
      .selectFrom('users')
      .select('id')
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .limit(2)
      .execute();
    return rows.length === 1 ? findUser(rows[0]!.id) : undefined;
  }

  /** Links another identity to an existing user (safe to repeat). */
  async function linkIdentity(userId: string, identity: LmsIdentity) {
    await db
      .insertInto('user_identities')
      .values({ ...identityColumns(identity), user_id: userId, created_at: now() })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Disables (or enables again) an account; false when there is no such user. */
  async function setDisabled(id: string, disabled: boolean): Promise<boolean> {
    const r = await db
      .updateTable('users')
      .set({ disabled_at: disabled ? now() : null, updated_at: now() })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  return {
    ensureUser,
    findUser,
    findUserByIdentity: findByIdentity,
    findUserByEmail,
    linkIdentity,
    setDisabled,
  };
}

const identityColumns = (i: LmsIdentity) => ({
  kind: i.kind,
  issuer: i.issuer,
  client_id: i.clientId,
  subject: i.subject,
});

export type UserStore = ReturnType<typeof createUserStore>;
