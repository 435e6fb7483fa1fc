import { moneyInput } from '@crm/domain';
import { z } from 'zod';

/**
 * The thresholds and weights that turn a tenant's data into system tags and completeness.
 * The lifecycle thresholds are shown here read-only: they are settings of the industry
 * profile (设置 → 行业配置), the one place they are changed.
 */
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

export const updateCustomerRulesInput = z.strictObject({
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
