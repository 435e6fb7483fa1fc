import { sql } from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';

/**
 * Every query of the industry profile's settings: the versioned overrides, who saved them,
 * and a customer's tier with its moves. Scope first.
 */

export async function selectPerson(scope: Scope, userId: string | null) {
  if (!userId) return null;
  const user = await scope.trx
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return user ? { id: user.id, name: user.name } : null;
}

/** One saver at a time per tenant: the version check and the insert cannot interleave. */
export async function lockSettings(scope: Scope): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`industry-settings:${scope.tenantId}`}, 0))`.execute(
    scope.trx,
  );
}

export async function insertSettingsVersion(
  scope: Scope,
  values: {
    version: number;
    pluginId: string;
    overrides: unknown;
    settingsVersion: number;
    changedBy: string;
    note: string | null;
  },
): Promise<void> {
  await scope.trx
    .insertInto('tenant_plugin_settings')
    .values({
      tenant_id: scope.tenantId,
      version: values.version,
      plugin_id: values.pluginId,
      overrides: JSON.stringify(values.overrides),
      settings_version: values.settingsVersion,
      changed_by: values.changedBy,
      note: values.note,
    })
    .execute();
}

/** The tenant's customers that are not archived. */
export async function countActiveCustomers(scope: Scope): Promise<number> {
  const customers = await scope.trx
    .selectFrom('customers')
    .select(sql<string>`count(*)`.as('count'))
    .where('tenant_id', '=', scope.tenantId)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(customers.count);
}

/** Saved versions, newest first, with their saver's name. */
export function selectSettingsVersions(scope: Scope, limit: number) {
  return scope.trx
    .selectFrom('tenant_plugin_settings as s')
    .leftJoin('users as u', 'u.id', 's.changed_by')
    .select([
      's.version',
      's.plugin_id',
      's.overrides',
      's.settings_version',
      's.changed_at',
      's.changed_by',
      's.note',
      'u.name as changed_by_name',
    ])
    .where('s.tenant_id', '=', scope.tenantId)
    .orderBy('s.version', 'desc')
    .limit(limit)
    .execute();
}

/** A customer's tier placement (customer_tiers; none yet: nulls), when the actor sees the customer. */
export function selectCustomerTier(scope: Scope, customerId: string) {
  return scope.trx
    .selectFrom('customers')
    .leftJoin('customer_tiers as placement', (join) =>
      join
        .onRef('placement.tenant_id', '=', 'customers.tenant_id')
        .onRef('placement.customer_id', '=', 'customers.id'),
    )
    .select([
      'placement.tier',
      'placement.score as tier_score',
      'placement.explanation as tier_explanation',
      'placement.changed_at as tier_changed_at',
      'placement.settings_version as tier_settings_version',
      'customers.tier_pending_since',
      // The customer's own run or the tenant's last full run (which writes only the customers it moved).
      sql<Date | null>`case when placement.tier is not null then greatest(placement.computed_at,
        (select t.tiers_computed_at from tenants t where t.id = customers.tenant_id)) end`.as(
        'tier_computed_at',
      ),
      // Touched, its re-tier not run yet.
      sql<boolean>`exists (select 1 from tier_touches k
        where k.tenant_id = customers.tenant_id and k.customer_id = customers.id)`.as('tier_queued'),
    ])
    .where('customers.tenant_id', '=', scope.tenantId)
    .where('customers.id', '=', customerId)
    .where(visibleCustomer(scope.access))
    .executeTakeFirst();
}

/** A customer's latest tier moves, newest first. */
export function selectTierMoves(scope: Scope, customerId: string, limit: number) {
  return scope.trx
    .selectFrom('tier_history')
    .select(['from_tier', 'to_tier', 'score', 'reason', 'changed_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', customerId)
    .orderBy('changed_at', 'desc')
    .limit(limit)
    .execute();
}
