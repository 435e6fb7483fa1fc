import { sql } from 'kysely';
import type { Scope } from '../scope';

/** Every query of the tenant's settings: its customer rules live on its `tenants` row. */

export function selectTenantRules(scope: Scope) {
  return scope.trx
    .selectFrom('tenants')
    .selectAll()
    .where('id', '=', scope.tenantId)
    .executeTakeFirstOrThrow();
}

/** The keys of the tenant's active custom fields, in their order. */
export async function selectActiveCustomFieldKeys(scope: Scope): Promise<string[]> {
  const fields = await scope.trx
    .selectFrom('custom_field_definitions')
    .select('key')
    .where('tenant_id', '=', scope.tenantId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .execute();
  return fields.map((field) => field.key);
}

export async function updateTenantRules(
  scope: Scope,
  rules: {
    valueHighAmount: string;
    valueMidAmount: string;
    activityWindowDays: number;
    activityHighTouches: number;
    activityMidTouches: number;
    completenessWeights: Record<string, number>;
  },
): Promise<void> {
  await scope.trx
    .updateTable('tenants')
    .set({
      value_high_amount: rules.valueHighAmount,
      value_mid_amount: rules.valueMidAmount,
      activity_window_days: rules.activityWindowDays,
      activity_high_touches: rules.activityHighTouches,
      activity_mid_touches: rules.activityMidTouches,
      completeness_weights: sql<string>`${JSON.stringify(rules.completenessWeights)}::jsonb`,
    })
    .where('id', '=', scope.tenantId)
    .execute();
}
