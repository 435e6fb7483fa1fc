import type { Database, Kysely, Session, Transaction, User } from '@crm/db';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

export type SessionPolicy = {
  /** Signed out after this long without a request. */
  inactivityTimeoutMs: number;
  /** Signed out this long after sign-in, however active. */
  absoluteLifetimeMs: number;
  /** last_active_at is written at most this often (bounded refresh). */
  activityWriteIntervalMs: number;
};

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  inactivityTimeoutMs: 72 * 60 * 60 * 1000,
  absoluteLifetimeMs: 30 * 24 * 60 * 60 * 1000,
  activityWriteIntervalMs: 5 * 60 * 1000,
};

/** 20 bytes (160 bits) from the CSPRNG, base32: 32 characters. Used for session and invitation secrets. */
export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export type IssuedSession = { token: string; session: Session };

/** A new session (`id.secret`); the database keeps the id and SHA-256 of the secret only. */
export async function createSession(
  trx: Transaction<Database>,
  userId: string,
  activeTenantId: string | null,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<IssuedSession> {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const now = new Date();
  const session = await trx
    .insertInto('sessions')
    .values({
      id,
      secret_hash: hashSecret(secret),
      user_id: userId,
      active_tenant_id: activeTenantId,
      created_at: now,
      last_active_at: now,
      expires_at: new Date(now.getTime() + policy.absoluteLifetimeMs),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token: `${id}.${secret}`, session };
}

export type ValidatedSession = { session: Session; user: Pick<User, 'id' | 'email' | 'name' | 'locale'> };

/** Returns the session and its user, or null when the token is unknown, wrong, expired or idle. */
export async function validateSessionToken(
  trx: Kysely<Database> | Transaction<Database>,
  token: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ValidatedSession | null> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length !== 32 || secret.length !== 32) return null;
  const row = await trx
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.email', 'users.name', 'users.locale', 'users.disabled_at'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  if (!constantTimeEqual(new Uint8Array(row.secret_hash), hashSecret(secret))) return null;
  const now = Date.now();
  const idle = now - row.last_active_at.getTime() >= policy.inactivityTimeoutMs;
  if (row.disabled_at !== null || idle || row.expires_at.getTime() <= now) {
    await trx.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  const { email, name, locale, disabled_at: _disabled, ...session } = row;
  if (now - session.last_active_at.getTime() >= policy.activityWriteIntervalMs) {
    session.last_active_at = new Date(now);
    await trx
      .updateTable('sessions')
      .set({ last_active_at: session.last_active_at })
      .where('id', '=', id)
      .execute();
  }
  return { session, user: { id: row.user_id, email, name, locale } };
}

export async function invalidateSession(trx: Transaction<Database>, sessionId: string): Promise<void> {
  await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Signs the user out everywhere, or everywhere but `exceptSessionId`. */
export async function invalidateUserSessions(
  trx: Transaction<Database>,
  userId: string,
  exceptSessionId?: string,
): Promise<number> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function setActiveTenant(
  trx: Transaction<Database>,
  sessionId: string,
  tenantId: string | null,
) {
  await trx.updateTable('sessions').set({ active_tenant_id: tenantId }).where('id', '=', sessionId).execute();
}

/** Constant-time check of a presented secret against its stored SHA-256. */
export function secretMatches(storedHash: Uint8Array, presentedSecret: string): boolean {
  return constantTimeEqual(new Uint8Array(storedHash), hashSecret(presentedSecret));
}

/** A session's public handle: shown to its user, never usable as a credential. */
export function publicSessionId(sessionId: string): string {
  return Buffer.from(sha256(new TextEncoder().encode(sessionId)))
    .toString('hex')
    .slice(0, 32);
}

export async function listUserSessions(db: Kysely<Database> | Transaction<Database>, userId: string) {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_active_at', 'expires_at', 'active_tenant_id'])
    .where('user_id', '=', userId)
    .orderBy('last_active_at', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, publicId: publicSessionId(row.id) }));
}

/** Signs out every session of `userId` that is working in `tenantId` (an admin's kill switch). */
export async function invalidateTenantSessionsOfUser(
  trx: Transaction<Database>,
  userId: string,
  tenantId: string,
): Promise<number> {
  const result = await trx
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('active_tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
