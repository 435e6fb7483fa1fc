import type { Database, IndustryProfile, Kysely, Transaction } from '@crm/db';
import type { Locale } from '../locale';

/**
 * The queries of signing up and in, before any tenant is in scope: users by email, a new
 * user, a new tenant with its owner, the first membership, a password change. Sessions
 * themselves are @crm/auth's (the Lucia design). `db` is the executor of a scope without a
 * tenant, or the new tenant's transaction.
 */
type Executor = Transaction<Database> | Kysely<Database>;

export function selectUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function selectPasswordHash(db: Executor, userId: string) {
  return db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
}

export function insertUser(
  db: Executor,
  values: { id: string; email: string; name: string; passwordHash: string; locale: Locale },
) {
  return db
    .insertInto('users')
    .values({
      id: values.id,
      email: values.email,
      name: values.name,
      password_hash: values.passwordHash,
      locale: values.locale,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertTenantAndOwner(
  db: Executor,
  tenant: { id: string; name: string; industry: IndustryProfile },
  userId: string,
) {
  const row = await db.insertInto('tenants').values(tenant).returningAll().executeTakeFirstOrThrow();
  await db
    .insertInto('memberships')
    .values({ tenant_id: tenant.id, user_id: userId, role: 'owner' })
    .execute();
  return row;
}

/** The tenant of the user's oldest membership, or null. */
export async function selectFirstTenantId(db: Executor, userId: string): Promise<string | null> {
  const membership = await db
    .selectFrom('memberships')
    .select('tenant_id')
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .executeTakeFirst();
  return membership?.tenant_id ?? null;
}

export async function updatePassword(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: new Date() })
    .where('id', '=', userId)
    .execute();
}
