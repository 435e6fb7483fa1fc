import type { Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import type { Scope } from '../scope';
import { type RecordAccess, visibleCustomer } from './access';

/**
 * Built-in key fields a tenant may weigh for completeness ('custom:<key>' adds a custom
 * field). 'contacts' counts for companies only; 'anniversary' is a company's founding date
 * or a person's birthday. The SQL function customer_completeness reads the same keys.
 */
export const COMPLETENESS_KEYS = [
  'phone',
  'email',
  'industry',
  'customer_number',
  'addresses',
  'anniversary',
  'contacts',
  'owner_user_id',
  'need_type',
  'explicit_needs',
  'implicit_needs',
  'pain_points',
  'purchase_plan',
] as const;

/** A profile not updated for this long is stale. */
export const STALE_AFTER_DAYS = 30;
export const staleCondition = sql<boolean>`customers.updated_at < now() - make_interval(days => ${STALE_AFTER_DAYS})`;

/** The completeness of some customers of a tenant, or all of them, in one statement. */
export async function refreshCompleteness(scope: Scope, customerIds: string[] | 'all'): Promise<number> {
  const { trx, tenantId } = scope;
  const only = customerIds === 'all' ? sql`true` : sql`x.id = any(${customerIds}::uuid[])`;
  const result = await sql`
    update customers c set completeness = s.score
    from (
      select x.id, cc.score
      from customers x
      join tenants t on t.id = x.tenant_id
      cross join lateral customer_completeness(to_jsonb(x), t.completeness_weights,
        (select count(*)::int from contacts k where k.tenant_id = x.tenant_id and k.customer_id = x.id)) cc
      where x.tenant_id = ${tenantId} and ${only}
    ) s
    where c.tenant_id = ${tenantId} and c.id = s.id and c.completeness <> s.score`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Per tenant (as far as the member sees): the average, the share at or above 90 %, stale ones. */
export async function completenessSummary(scope: Scope) {
  const { trx, tenantId, access } = scope;
  const row = await trx
    .selectFrom('customers')
    .select([
      sql<number>`count(*)::int`.as('customers'),
      sql<string | null>`round(avg(completeness), 1)::text`.as('average'),
      sql<number>`count(*) filter (where completeness >= 90)::int`.as('complete'),
      sql<number>`count(*) filter (where ${staleCondition})::int`.as('stale'),
    ])
    .where('customers.tenant_id', '=', tenantId)
    .where('customers.archived_at', 'is', null)
    .where(visibleCustomer(access))
    .executeTakeFirstOrThrow();
  return {
    customers: row.customers,
    average: row.average === null ? 0 : Number(row.average),
    completeShare: row.customers === 0 ? 0 : Math.round((1000 * row.complete) / row.customers) / 10,
    complete: row.complete,
    stale: row.stale,
    goal: 90,
  };
}
