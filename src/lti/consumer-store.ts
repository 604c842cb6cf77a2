import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';

export interface Consumer {
  key: string;
  name: string;
  /** Secrets that verify a launch now: the current one, and the previous one during a rotation overlap. */
  secrets: string[];
  allowedOrigin: string | undefined;
}

export interface ConsumerSummary {
  key: string;
  name: string;
  allowedOrigin: string | undefined;
  createdAt: Date;
  rotationEndsAt: Date | undefined;
}

/** 256 bits, URL-safe: enough that guessing is hopeless and it pastes cleanly into Studio or Moodle. */
export const newSecret = () => randomBytes(32).toString('base64url');
const newKey = () => `labgate-${randomBytes(6).toString('hex')}`;

const validKey = /^[\x21-\x7e]{1,200}$/;

export function createConsumerStore(db: Db, now: () => number = Date.now) {
  async function findConsumer(key: string): Promise<Consumer | undefined> {
    const row = await db
      .selectFrom('lti_consumers')
      .selectAll()
      .where('consumer_key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    const secrets = [row.secret];
    if (row.previous_secret && (row.previous_secret_expires_at ?? 0) > now())
      secrets.push(row.previous_secret);
    return { key: row.consumer_key, name: row.name, secrets, allowedOrigin: row.allowed_origin ?? undefined };
  }

  async function addConsumer(o: { name: string; key?: string; allowedOrigin?: string; secret?: string }) {
    const key = o.key ?? newKey();
    if (!validKey.test(key)) {
      throw new AppError({
        code: 'LTI_CONSUMER_KEY_INVALID',
        status: 400,
        message: `The consumer key "${key}" must be 1 to 200 printable ASCII characters without spaces.`,
      });
    }
    const secret = o.secret ?? newSecret();
    const result = await db
      .insertInto('lti_consumers')
      .values({
        consumer_key: key,
        name: o.name,
        secret,
        previous_secret: null,
        previous_secret_expires_at: null,
        allowed_origin: o.allowedOrigin ?? null,
        created_at: now(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw new AppError({
        code: 'LTI_CONSUMER_EXISTS',
        status: 409,
        message: `A consumer with key "${key}" already exists; use \`labgate consumers rotate ${key}\` for a new secret.`,
      });
    }
    return { key, secret };
  }

  /** New secret now; the old one keeps working for `overlapSeconds` so LMS settings can be updated. */
  async function rotateSecret(key: string, overlapSeconds: number) {
    const row = await db
      .selectFrom('lti_consumers')
      .select('secret')
      .where('consumer_key', '=', key)
      .executeTakeFirst();
    if (!row) {
      throw new AppError({
        code: 'LTI_CONSUMER_NOT_FOUND',
        status: 404,
        message: `No consumer has key "${key}"; \`labgate consumers list\` shows the keys.`,
      });
    }
    const secret = newSecret();
    const rotationEndsAt = now() + overlapSeconds * 1000;
    await db
      .updateTable('lti_consumers')
      .set({ secret, previous_secret: row.secret, previous_secret_expires_at: rotationEndsAt })
      .where('consumer_key', '=', key)
      .execute();
    return { key, secret, rotationEndsAt: new Date(rotationEndsAt) };
  }

  async function listConsumers(): Promise<ConsumerSummary[]> {
    const rows = await db.selectFrom('lti_consumers').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      key: r.consumer_key,
      name: r.name,
      allowedOrigin: r.allowed_origin ?? undefined,
      createdAt: new Date(r.created_at),
      rotationEndsAt:
        r.previous_secret_expires_at && r.previous_secret_expires_at > now()
          ? new Date(r.previous_secret_expires_at)
          : undefined,
    }));
  }

  return { findConsumer, addConsumer, rotateSecret, listConsumers };
}

export type ConsumerStore = ReturnType<typeof createConsumerStore>;
