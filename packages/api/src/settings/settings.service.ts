import { COMPLETENESS_KEYS, refreshCompleteness } from '../customers/completeness.repository';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';
import type { Scope } from '../scope';
import { selectActiveCustomFieldKeys, selectTenantRules, updateTenantRules } from './settings.repository';
import type { CustomerRules, UpdateCustomerRulesInput } from './settings.schemas';

/**
 * Value and activity levels, completeness key fields and weights — and, read-only, the
 * lifecycle thresholds in force (set on 行业配置, the industry profile's settings).
 */
export async function readCustomerRules(scope: Scope): Promise<CustomerRules> {
  const row = await selectTenantRules(scope);
  const customKeys = await selectActiveCustomFieldKeys(scope);
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
    completenessKeys: [...COMPLETENESS_KEYS, ...customKeys.map((key) => `custom:${key}`)],
  };
}

/**
 * Saves new rules (not the lifecycle thresholds: those are the profile's) and re-derives every customer of the tenant with them, set-based, in the
 * same transaction: stages, system tags and completeness never lag behind the rules.
 */
export async function updateCustomerRules(
  scope: Scope,
  input: UpdateCustomerRulesInput,
): Promise<CustomerRules> {
  const current = await readCustomerRules(scope);
  const next = { ...current, ...input };
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
  await updateTenantRules(scope, { ...next, completenessWeights: weights });
  // The customers' derived facts are theirs to recompute (their repository: no service offers it yet).
  await refreshCustomerFacts(scope, 'all', 'settings');
  await refreshCompleteness(scope, 'all');
  return readCustomerRules(scope);
}
