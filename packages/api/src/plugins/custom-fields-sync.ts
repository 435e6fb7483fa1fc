import type { CrmDatabase, Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import type { Logger } from '../logger';
import type { HostPlugin } from './host-plugin';
import type { PluginRegistry } from './registry';

/** A plugin's custom fields as rows of custom_field_definitions (source 'plugin'). */
function fieldRows(plugin: HostPlugin) {
  return (plugin.customFields ?? []).map((field, position) => ({
    key: field.key,
    label_zh: field.labels['zh-CN'],
    label_en: field.labels.en,
    type: field.type,
    options: (field.options ?? []).map((option) => ({
      value: option.value,
      labelZh: option.labels['zh-CN'],
      labelEn: option.labels.en,
    })),
    required: field.required ?? false,
    sensitive: field.sensitive ?? false,
    validation: field.validation ?? {},
    position,
  }));
}

/**
 * Makes a tenant's plugin-sourced custom field definitions match its plugin: missing fields
 * are added; existing plugin fields get the plugin's labels, options, required flag and
 * bounds (and are restored if archived); plugin fields the plugin no longer declares are
 * retired (their values stay on the customers). A field's type and sensitivity are never
 * changed once it exists — values are stored by them — and a field the tenant defined itself
 * under the same key is left alone. Idempotent: a second run changes nothing. Returns the
 * number of definitions added or changed.
 */
export async function syncPluginCustomFields(
  trx: Transaction<Database>,
  tenantId: string,
  plugin: HostPlugin,
): Promise<number> {
  const rows = fieldRows(plugin);
  const retired = await sql`
    update custom_field_definitions set archived_at = now()
    where tenant_id = ${tenantId}::uuid and source = 'plugin' and archived_at is null
      and not (key = any(${rows.map((row) => row.key)}::text[]))`.execute(trx);
  if (rows.length === 0) return Number(retired.numAffectedRows ?? 0);
  const result = await sql`
    insert into custom_field_definitions
      (tenant_id, key, label_zh, label_en, type, options, required, sensitive, validation, position, source)
    select ${tenantId}::uuid, f.key, f.label_zh, f.label_en, f.type, f.options, f.required, f.sensitive,
           f.validation,
           coalesce((select max(position) + 1 from custom_field_definitions where tenant_id = ${tenantId}::uuid), 0)
             + f.position,
           'plugin'
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as f(key text, label_zh text, label_en text, type text, options jsonb, required boolean,
           sensitive boolean, validation jsonb, position integer)
    on conflict (tenant_id, key) do update
      set label_zh = excluded.label_zh,
          label_en = excluded.label_en,
          options = excluded.options,
          required = excluded.required,
          validation = excluded.validation,
          archived_at = null
      where custom_field_definitions.source = 'plugin'
        and (custom_field_definitions.label_zh, custom_field_definitions.label_en,
             custom_field_definitions.options, custom_field_definitions.required,
             custom_field_definitions.validation, custom_field_definitions.archived_at is null)
            is distinct from (excluded.label_zh, excluded.label_en, excluded.options, excluded.required,
                              excluded.validation, true)`.execute(trx);
  return Number(retired.numAffectedRows ?? 0) + Number(result.numAffectedRows ?? 0);
}

/**
 * At start-up: every tenant on a loaded plugin gets that plugin's custom fields (one
 * statement per tenant, each in its own tenant transaction). A failure for one tenant is
 * logged and does not stop the others.
 */
export async function syncAllPluginCustomFields(
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
      changed += await database.withTenant(tenantId, async (trx) => {
        const tenant = await trx
          .selectFrom('tenants')
          .select('industry')
          .where('id', '=', tenantId)
          .executeTakeFirst();
        const plugin = tenant ? registry.get(tenant.industry) : undefined;
        return plugin ? syncPluginCustomFields(trx, tenantId, plugin) : 0;
      });
    } catch (error) {
      logger.error({ tenantId, err: error }, 'industry plugin custom fields: sync failed for a tenant');
    }
  }
  if (changed > 0) logger.info({ tenants: tenants.length, changed }, 'industry plugin custom fields synced');
  return { tenants: tenants.length, changed };
}
