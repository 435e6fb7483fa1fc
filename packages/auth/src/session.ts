import { createHash } from 'node:crypto';
import type { Database, Kysely, Session, Transaction, User } from '@crm/db';
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

/** SHA-256 (node:crypto: on every tenant request, about ten times faster than a JS digest). */
export function hashSecret(secret: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(secret, 'utf8').digest());
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

/** A token's two halves, or null when it is not shaped like one of ours. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length !== 32 || secret.length !== 32) return null;
  return { id, secret };
}

/** A session row with what a request needs of its user (as validateSessionToken reads it). */
export type SessionWithUser = Session & Pick<User, 'email' | 'name' | 'locale' | 'disabled_at'>;

/**
 * The verdict on a presented secret and the stored row: `valid` (with `touch` when
 * last_active_at is due its bounded refresh), `unknown` (no such session or a wrong secret)
 * or `ended` (expired, idle or the user disabled: the row should be deleted).
 */
export type SessionVerdict =
  | { status: 'valid'; auth: ValidatedSession; touch: boolean }
  | { status: 'unknown' }
  | { status: 'ended' };

export function judgeSession(
  row: SessionWithUser | null | undefined,
  secret: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  now = Date.now(),
): SessionVerdict {
  if (!row) return { status: 'unknown' };
  if (!constantTimeEqual(new Uint8Array(row.secret_hash), hashSecret(secret))) return { status: 'unknown' };
  const idle = now - row.last_active_at.getTime() >= policy.inactivityTimeoutMs;
  if (row.disabled_at !== null || idle || row.expires_at.getTime() <= now) return { status: 'ended' };
  const { email, name, locale, disabled_at: _disabled, ...session } = row;
  const touch = now - session.last_active_at.getTime() >= policy.activityWriteIntervalMs;
  if (touch) session.last_active_at = new Date(now);
  return { status: 'valid', auth: { session, user: { id: row.user_id, email, name, locale } }, touch };
}

/** Writes the refreshed last_active_at of a session judged valid with `touch`. */
export async function touchSession(trx: Kysely<Database> | Transaction<Database>, session: Session) {
  await trx
    .updateTable('sessions')
    .set({ last_active_at: session.last_active_at })
    .where('id', '=', session.id)
    .execute();
}

export async function deleteSession(trx: Kysely<Database> | Transaction<Database>, sessionId: string) {
  await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Returns the session and its user, or null when the token is unknown, wrong, expired or idle. */
export async function validateSessionToken(
  trx: Kysely<Database> | Transaction<Database>,
  token: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ValidatedSession | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const row = await trx
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.email', 'users.name', 'users.locale', 'users.disabled_at'])
    .where('sessions.id', '=', parsed.id)
    .executeTakeFirst();
  const verdict = judgeSession(row, parsed.secret, policy);
  if (verdict.status === 'ended') await deleteSession(trx, parsed.id);
  if (verdict.status !== 'valid') return null;
  if (verdict.touch) await touchSession(trx, verdict.auth.session);
  return verdict.auth;
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
  return createHash('sha256').update(sessionId, 'utf8').digest('hex').slice(0, 32);
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
