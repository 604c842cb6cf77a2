import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Lti13PlatformRow } from '../../db/index.ts';
import { AppError } from '../../errors.ts';

export interface Platform {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  authLoginUrl: string;
  jwksUrl: string;
  tokenUrl: string | undefined;
  deploymentIds: string[];
}

const deploymentList = z.array(z.string());
const toPlatform = (r: Lti13PlatformRow): Platform => ({
  id: r.id,
  name: r.name,
  issuer: r.issuer,
  clientId: r.client_id,
  authLoginUrl: r.auth_login_url,
  jwksUrl: r.jwks_url,
  tokenUrl: r.token_url ?? undefined,
  deploymentIds: deploymentList.parse(JSON.parse(r.deployment_ids)),
});

export type PlatformRegistration = Omit<Platform, 'id'>;

export function createPlatformStore(db: Db, now: () => number = Date.now) {
  /** The platform with this issuer and client id, or the issuer's only one when no client id is given. */
  async function findPlatform(issuer: string, clientId: string | undefined): Promise<Platform | undefined> {
    let query = db.selectFrom('lti13_platforms').selectAll().where('issuer', '=', issuer);
    if (clientId) query = query.where('client_id', '=', clientId);
    const rows = await query.limit(2).execute();
    return rows.length === 1 ? toPlatform(rows[0]!) : undefined;
  }

  async function getPlatform(id: string): Promise<Platform | undefined> {
    const row = await db.selectFrom('lti13_platforms').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toPlatform(row);
  }

  /** Inserts unless (issuer, client id) is taken; true when this call made the row. */
  async function insertPlatform(p: PlatformRegistration): Promise<boolean> {
    const result = await db
      .insertInto('lti13_platforms')
      .values({
        id: randomUUID(),
        name: p.name,
        issuer: p.issuer,
        client_id: p.clientId,
        auth_login_url: p.authLoginUrl,
        jwks_url: p.jwksUrl,
        token_url: p.tokenUrl ?? null,
        deployment_ids: JSON.stringify(p.deploymentIds),
        created_at: now(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async function registerPlatform(p: PlatformRegistration): Promise<Platform> {
    if (!(await insertPlatform(p))) {
      throw new AppError({
        code: 'LTI13_PLATFORM_EXISTS',
        status: 409,
        message: `A platform with issuer ${p.issuer} and client id ${p.clientId} is already registered.`,
      });
    }
    return (await findPlatform(p.issuer, p.clientId))!;
  }

  /** Registers the platform unless it exists; idempotent across restarts and concurrent starts. */
  async function ensurePlatform(p: PlatformRegistration): Promise<Platform> {
    const existing = await findPlatform(p.issuer, p.clientId);
    if (existing) return existing;
    await insertPlatform(p);
    return (await findPlatform(p.issuer, p.clientId))!;
  }

  /** Sets (or clears) where the platform issues service tokens (AGS, NRPS). */
  async function setTokenUrl(id: string, tokenUrl: string | undefined): Promise<void> {
    await db
      .updateTable('lti13_platforms')
      .set({ token_url: tokenUrl ?? null })
      .where('id', '=', id)
      .execute();
  }

  async function listPlatforms(): Promise<Platform[]> {
    return (await db.selectFrom('lti13_platforms').selectAll().orderBy('created_at').execute()).map(
      toPlatform,
    );
  }

  return { findPlatform, getPlatform, registerPlatform, ensurePlatform, setTokenUrl, listPlatforms };
}

export type PlatformStore = ReturnType<typeof createPlatformStore>;
