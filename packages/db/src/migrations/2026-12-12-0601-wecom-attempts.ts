import { type Kysely, sql } from 'kysely';

/*
 * 企业微信 group robot: when a robot message was last attempted. WeCom takes at most 20
 * messages a minute per robot; a drain counts the attempts of the last minute from this
 * column and posts no more than what is left. A nullable column without a default: no
 * table rewrite. Frozen in time; runs as the owner role.
 */
const statements = [
  `alter table wecom_outbox add column last_attempt_at timestamptz`,
  `create index wecom_outbox_attempted_idx on wecom_outbox (tenant_id, last_attempt_at)
     where last_attempt_at is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
