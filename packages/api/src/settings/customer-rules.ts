import type { Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { z } from 'zod';
import { COMPLETENESS_KEYS, refreshCompleteness } from '../customers/completeness.repository';
import { moneyInput } from '../customers/customers.schemas';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';

/** The thresholds and weights that turn a tenant's data into stages, system tags and completeness. */
export const customerRulesOutput = z.object({
  currency: z.string(),
  lifecycleAtRiskDays: z.number().int(),
  lifecycleDormantDays: z.number().int(),
  lifecycleLoyalOrders: z.number().int(),
  valueHighAmount: z.string(),
  valueMidAmount: z.string(),
  activityWindowDays: z.number().int(),
  activityHighTouches: z.number().int(),
  activityMidTouches: z.number().int(),
  completenessWeights: z.record(z.string(), z.number()),
  /** Keys a tenant may weigh: the built-in ones and `custom:<key>` of its active custom fields. */
  completenessKeys: z.array(z.string()),
});
export type CustomerRules = z.infer<typeof customerRulesOutput>;

const days = z.number().int().min(1).max(3650);
export const updateCustomerRulesInput = z.strictObject({
  lifecycleAtRiskDays: days.optional(),
  lifecycleDormantDays: days.optional(),
  lifecycleLoyalOrders: z.number().int().min(2).max(1000).optional(),
  valueHighAmount: moneyInput.optional(),
  valueMidAmount: moneyInput.optional(),
  activityWindowDays: z.number().int().min(7).max(730).optional(),
  activityHighTouches: z.number().int().min(1).max(1000).optional(),
  activityMidTouches: z.number().int().min(1).max(1000).optional(),
  completenessWeights: z
    .record(z.string().max(50), z.number().int().min(0).max(10))
    .refine((weights) => Object.values(weights).some((weight) => weight > 0), {
      error: 'COMPLETENESS_WEIGHTS_EMPTY',
    })
    .optional(),
});
export type UpdateCustomerRulesInput = z.infer<typeof updateCustomerRulesInput>;

async function completenessKeys(trx: Transaction<Database>, tenantId: string): Promise<string[]> {
  const fields = await trx
    .selectFrom('custom_field_definitions')
    .select('key')
    .where('tenant_id', '=', tenantId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .execute();
  return [...COMPLETENESS_KEYS, ...fields.map((field) => `custom:${field.key}`)];
}

export async function readCustomerRules(
  trx: Transaction<Database>,
  tenantId: string,
): Promise<CustomerRules> {
  const row = await trx
    .selectFrom('tenants')
    .selectAll()
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return {
    currency: row.currency,
    lifecycleAtRiskDays: row.lifecycle_at_risk_days,
    lifecycleDormantDays: row.lifecycle_dormant_days,
    lifecycleLoyalOrders: row.lifecycle_loyal_orders,
    valueHighAmount: row.value_high_amount,
    valueMidAmount: row.value_mid_amount,
    activityWindowDays: row.activity_window_days,
    activityHighTouches: row.activity_high_touches,
    activityMidTouches: row.activity_mid_touches,
    completenessWeights: row.completeness_weights,
    completenessKeys: await completenessKeys(trx, tenantId),
  };
}

/**
 * Saves new rules and re-derives every customer of the tenant with them, set-based, in the
 * same transaction: stages, system tags and completeness never lag behind the rules.
 */
export async function updateCustomerRules(
  trx: Transaction<Database>,
  tenantId: string,
  input: UpdateCustomerRulesInput,
): Promise<CustomerRules> {
  const current = await readCustomerRules(trx, tenantId);
  const next = { ...current, ...input };
  if (next.lifecycleAtRiskDays >= next.lifecycleDormantDays) {
    throw appError('THRESHOLD_ORDER', {}, 'lifecycleDormantDays');
  }
  if (Number(next.valueMidAmount) >= Number(next.valueHighAmount)) {
    throw appError('THRESHOLD_ORDER', {}, 'valueHighAmount');
  }
  if (next.activityMidTouches >= next.activityHighTouches) {
    throw appError('THRESHOLD_ORDER', {}, 'activityHighTouches');
  }
  if (input.completenessWeights) {
    const known = new Set(current.completenessKeys);
    for (const key of Object.keys(input.completenessWeights)) {
      if (!known.has(key)) throw appError('COMPLETENESS_KEY_UNKNOWN', { key }, 'completenessWeights');
    }
  }
  const weights = Object.fromEntries(
    Object.entries(next.completenessWeights).filter(([, weight]) => weight > 0),
  );
  await trx
    .updateTable('tenants')
    .set({
      lifecycle_at_risk_days: next.lifecycleAtRiskDays,
      lifecycle_dormant_days: next.lifecycleDormantDays,
      lifecycle_loyal_orders: next.lifecycleLoyalOrders,
      value_high_amount: next.valueHighAmount,
      value_mid_amount: next.valueMidAmount,
      activity_window_days: next.activityWindowDays,
      activity_high_touches: next.activityHighTouches,
      activity_mid_touches: next.activityMidTouches,
      completeness_weights: sql<string>`${JSON.stringify(weights)}::jsonb`,
    })
    .where('id', '=', tenantId)
    .execute();
  await refreshCustomerFacts(trx, tenantId, 'all', 'settings');
  await refreshCompleteness(trx, tenantId, 'all');
  return readCustomerRules(trx, tenantId);
}
