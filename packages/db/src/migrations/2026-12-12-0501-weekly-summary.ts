import { type Kysely, sql } from 'kysely';

/*
 * Dashboards, second part:
 * - the weekly summary (每周指标摘要) jobs' queues: one fan-out job, one per tenant;
 * - opportunities lost by date, which the win rate reads beside the won ones
 *   (`opportunities_won_idx` has those).
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create index opportunities_lost_idx on opportunities (tenant_id, lost_at) where lost_at is not null`,
  `select pgboss.create_queue('dashboards.weekly-summary-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('dashboards.weekly-summary-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The weekly summary migration cannot be reverted.');
}
