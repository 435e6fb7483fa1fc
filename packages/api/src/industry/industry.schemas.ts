import { z } from 'zod';
import { replanOutput } from '../plans/plans.schemas';

const labels = z.object({ 'zh-CN': z.string(), en: z.string() });

export const tierOutput = z.object({
  key: z.string(),
  labels,
  description: labels.nullable(),
});

export const profileOutput = z.object({
  id: z.string(),
  version: z.string(),
  labels,
  description: labels.nullable(),
  modelKind: z.enum(['weighted', 'thresholds', 'rfm']).nullable(),
  tiers: z.array(tierOutput),
});

export const currentOutput = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ok'), profileId: z.string(), profile: profileOutput }),
  /** The tenant's profile was refused at start-up (or is not configured on this server). */
  z.object({ state: z.literal('unavailable'), profileId: z.string(), message: z.string() }),
]);

const person = z.object({ id: z.uuid(), name: z.string() }).nullable();

export const settingsOutput = z.object({
  profile: profileOutput,
  /** The saved version in force; 0 while the plugin's defaults were never changed. */
  version: z.number().int(),
  settingsVersion: z.number().int(),
  defaults: z.record(z.string(), z.unknown()),
  overrides: z.record(z.string(), z.unknown()),
  settings: z.record(z.string(), z.unknown()),
  /** JSON Schema of the settings (zod's toJSONSchema): the web form is generated from it. */
  schema: z.record(z.string(), z.unknown()),
  changedAt: z.string().nullable(),
  changedBy: person,
  /** Saved overrides no longer validate with the plugin's rules: the defaults are in force. */
  storedInvalid: z.boolean(),
});

const settingsInput = z.record(z.string(), z.unknown());

export const previewInput = z.strictObject({ settings: settingsInput });

export const saveInput = z.strictObject({
  settings: settingsInput,
  /** The version the admin edited; a save over a newer one is refused (INDUSTRY_SETTINGS_STALE). */
  expectedVersion: z.number().int().min(0),
  note: z.string().trim().max(500).optional(),
});

export const resetInput = z.strictObject({
  expectedVersion: z.number().int().min(0),
  note: z.string().trim().max(500).optional(),
});

export const matrixCell = z.object({ from: z.string().nullable(), to: z.string(), count: z.number().int() });

export const previewOutput = z.object({
  tiers: z.array(tierOutput),
  /** Every (from tier, to tier) pair with at least one customer; from null: not tiered yet. */
  matrix: z.array(matrixCell),
  total: z.number().int(),
  moving: z.number().int(),
  sample: z.array(
    z.object({
      customerId: z.uuid(),
      name: z.string(),
      from: z.string().nullable(),
      to: z.string(),
      score: z.number().nullable(),
    }),
  ),
  /**
   * What the save would do to maintenance plans and their tasks (the save's own re-tier and
   * re-plan, rolled back); null when the tenant is too large to re-plan inside a request.
   */
  plans: replanOutput.nullable(),
});

export const saveOutput = z.object({
  version: z.number().int(),
  /** 'done': customers were re-tiered with the save; 'queued': a re-tier job will (large tenants). */
  retier: z.enum(['done', 'queued']),
  moved: z.number().int().nullable(),
  /** What the save did to maintenance plans and their tasks; null: a re-plan job will (large tenants). */
  plans: replanOutput.nullable(),
});

export const historyInput = z.strictObject({ limit: z.number().int().min(1).max(100).optional() }).optional();

export const historyOutput = z.array(
  z.object({
    version: z.number().int(),
    pluginId: z.string(),
    settingsVersion: z.number().int(),
    changedAt: z.string(),
    changedBy: person,
    note: z.string().nullable(),
    /** Back to the plugin's defaults. */
    reset: z.boolean(),
    changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })),
  }),
);

export const customerTierInput = z.strictObject({ customerId: z.uuid() });

export const customerTierOutput = z.object({
  tier: z.string().nullable(),
  tierLabels: labels.nullable(),
  score: z.number().nullable(),
  changedAt: z.string().nullable(),
  /** When the tier was last computed (null: not tiered yet). */
  computedAt: z.string().nullable(),
  /** Set while the tier waits for the next full run (待重算), with that run's time. */
  pendingSince: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  /** The customer changed and its re-tier is queued (it runs within seconds). */
  queued: z.boolean(),
  settingsVersion: z.number().int().nullable(),
  explanation: z.record(z.string(), z.unknown()).nullable(),
  /** Labels of the model's dimensions by key, to name each line of the explanation. */
  dimensionLabels: z.record(z.string(), labels),
  /** Moves between tiers, newest first. */
  history: z.array(
    z.object({
      from: z.string().nullable(),
      to: z.string(),
      score: z.number().nullable(),
      reason: z.string(),
      changedAt: z.string(),
    }),
  ),
});

/** The profiles a new organisation may choose, in the server's configured order. */
export const profileChoicesOutput = z.array(
  z.object({
    id: z.string(),
    labels,
    description: labels.nullable(),
    /** The kind a new customer starts as in the create form (the plugin's `defaultCustomerKind`). */
    defaultCustomerKind: z.enum(['person', 'company']),
  }),
);
