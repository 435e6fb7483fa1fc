import type { CrmDatabase, Database, Transaction } from '@crm/db';
import { resolvePlugin } from '@crm/plugin-sdk';
import { refreshCustomerFacts } from '../customers/facts.repository';
import type { Logger } from '../logger';
import { jobScope } from '../scope';
import { effectiveSettings } from './effective-settings';
import type { HostPlugin } from './host-plugin';
import type { PluginRegistry } from './registry';

/** The lifecycle thresholds a plugin's rules give with these settings (none: the plugin sets none). */
export function lifecycleOf(
  plugin: HostPlugin,
  settings: unknown,
): { atRiskDays: number; dormantDays: number; loyalOrders: number } | null {
  const lifecycle = resolvePlugin(plugin, settings).lifecycle;
  return lifecycle
    ? {
        atRiskDays: lifecycle.atRiskDays,
        dormantDays: lifecycle.dormantDays,
        loyalOrders: lifecycle.loyalOrders,
      }
    : null;
}

/**
 * The lifecycle thresholds (流失预警 / 沉睡 / 忠诚) are settings of the industry profile —
 * one stored place, 行业配置. The stage SQL reads the values in force from the tenant's row
 * (`tenants.lifecycle_*`), which only this function writes: on a 行业配置 save or reset, when
 * a tenant is created and at start-up (a plugin upgrade may change a default). Returns true
 * when the values changed — the caller then re-derives the tenant's stages.
 */
export async function syncPluginLifecycle(
  trx: Transaction<Database>,
  tenantId: string,
  plugin: HostPlugin,
  settings: unknown,
): Promise<boolean> {
  const lifecycle = lifecycleOf(plugin, settings);
  if (!lifecycle) return false;
  const result = await trx
    .updateTable('tenants')
    .set({
      lifecycle_at_risk_days: lifecycle.atRiskDays,
      lifecycle_dormant_days: lifecycle.dormantDays,
      lifecycle_loyal_orders: lifecycle.loyalOrders,
    })
    .where('id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb('lifecycle_at_risk_days', '<>', lifecycle.atRiskDays),
        eb('lifecycle_dormant_days', '<>', lifecycle.dormantDays),
        eb('lifecycle_loyal_orders', '<>', lifecycle.loyalOrders),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * At start-up: every tenant on a loaded plugin has its profile's lifecycle thresholds in
 * force (each tenant in its own transaction; stages re-derived where they changed). A
 * failure for one tenant is logged and does not stop the others.
 */
export async function syncAllPluginLifecycles(
  database: CrmDatabase,
  registry: PluginRegistry,
  logger: Logger,
): Promise<{ tenants: number; changed: number }> {
  const tenants = await database.withoutTenant((db) =>
    db.selectFrom('tenant_directory').select('id').execute(),
  );
  let changed = 0;
  for (const { id: tenantId } of tenants) {
    try {
      const moved = await database.withTenant(tenantId, async (trx) => {
        const tenant = await trx
          .selectFrom('tenants')
          .select('industry')
          .where('id', '=', tenantId)
          .executeTakeFirst();
        if (!tenant || registry.status(tenant.industry).state !== 'ok') return false;
        const effective = await effectiveSettings(trx, tenantId, registry);
        if (!(await syncPluginLifecycle(trx, tenantId, effective.plugin, effective.settings))) return false;
        await refreshCustomerFacts(jobScope(trx, tenantId), 'all', 'settings');
        return true;
      });
      if (moved) changed += 1;
    } catch (error) {
      logger.error(
        { tenantId, err: error },
        'industry plugin lifecycle thresholds: sync failed for a tenant',
      );
    }
  }
  if (changed > 0)
    logger.info({ tenants: tenants.length, changed }, 'industry plugin lifecycle thresholds synced');
  return { tenants: tenants.length, changed };
}
