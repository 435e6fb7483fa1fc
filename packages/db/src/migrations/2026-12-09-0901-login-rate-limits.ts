import { type Kysely, sql } from 'kysely';

/*
 * Sign-in rate limits kept in PostgreSQL, so every web process counts the same tries
 * (T3.5 with several processes behind a balancer). Rows of rate-limiter-flexible's
 * PostgreSQL store: the key (a SHA-256 of the limiter's key — no email or address is kept),
 * the points consumed in the window and when the window ends (ms since the epoch). Global:
 * a sign-in happens before a tenant is known. Frozen in time; runs as the owner role.
 */
const statements = [
  `create table login_rate_limits (
     key text primary key check (length(key) = 64),
     points integer not null default 0,
     expire bigint
   )`,
  `create index login_rate_limits_expire_idx on login_rate_limits (expire)`,
  `grant select, insert, update, delete on login_rate_limits to crm_app`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The login rate limits migration cannot be reverted.');
}
