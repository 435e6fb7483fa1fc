import {
  LEAD_SOURCES,
  POOL_ENTITIES,
  POOL_MOVE_KINDS,
  POOL_RELEASE_REASONS,
  POOL_UNMATCHED,
  ROLES,
  userText,
} from '@crm/domain';
import { z } from 'zod';

export const poolEntityInput = z.strictObject({ entity: z.enum(POOL_ENTITIES) });

/** The 公海 list: one entity's records in the pool, newest release first. */
export const listPoolInput = z.strictObject({
  entity: z.enum(POOL_ENTITIES),
  search: userText({ max: 100 }).optional(),
  /** Leads: by grade (A, B, C …). */
  grades: z
    .array(userText({ required: true, max: 8 }))
    .max(20)
    .optional(),
  /** Customers: by tier key. */
  tiers: z
    .array(userText({ required: true, max: 100 }))
    .max(20)
    .optional(),
  sources: z.array(z.enum(LEAD_SOURCES)).max(LEAD_SOURCES.length).optional(),
  reasons: z.array(z.enum(POOL_RELEASE_REASONS)).max(POOL_RELEASE_REASONS.length).optional(),
  /** How it came to the pool: released by a rep, recycled by the rules, or never assigned. */
  via: z.enum(['release', 'recycle', 'assign']).optional(),
  industry: userText({ max: 100 }).optional(),
  region: userText({ max: 100 }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListPoolInput = z.infer<typeof listPoolInput>;

export const poolItemOutput = z.object({
  id: z.uuid(),
  entity: z.enum(POOL_ENTITIES),
  /** A lead's person or company, a customer's name. */
  name: z.string(),
  company: z.string().nullable(),
  grade: z.string().nullable(),
  tier: z.string().nullable(),
  source: z.enum(LEAD_SOURCES).nullable(),
  region: z.string().nullable(),
  industry: z.string().nullable(),
  releasedAt: z.string().nullable(),
  /** The move that brought it here: release (with its reason and note), recycle or assign. */
  via: z.enum(POOL_MOVE_KINDS).nullable(),
  reason: z.enum(POOL_RELEASE_REASONS).nullable(),
  note: z.string().nullable(),
  previousOwnerName: z.string().nullable(),
  lastContactAt: z.string().nullable(),
  createdAt: z.string(),
});
export type PoolItemOutput = z.infer<typeof poolItemOutput>;

export const poolPageOutput = z.object({
  items: z.array(poolItemOutput),
  nextCursor: z.string().nullable(),
});
export type PoolPageOutput = z.infer<typeof poolPageOutput>;

/** The member's day in the pool: how many they may still claim today, and how many wait. */
export const poolSummaryOutput = z.object({
  today: z.string(),
  claimLimit: z.number().int(),
  claimedToday: z.number().int(),
  remaining: z.number().int(),
  leads: z.number().int(),
  customers: z.number().int(),
});
export type PoolSummaryOutput = z.infer<typeof poolSummaryOutput>;

export const claimInput = z.strictObject({
  entity: z.enum(POOL_ENTITIES),
  ids: z.array(z.uuid()).min(1).max(50),
});
export type ClaimInput = z.infer<typeof claimInput>;

export const claimOutput = z.object({ claimed: z.number().int(), remaining: z.number().int() });
export type ClaimOutput = z.infer<typeof claimOutput>;

/** 释放: a rep gives up a lead or customer to the pool, saying why. */
export const releaseInput = z.strictObject({
  entity: z.enum(POOL_ENTITIES),
  id: z.uuid(),
  reason: z.enum(POOL_RELEASE_REASONS),
  note: userText({ max: 500, multiline: true }).optional(),
});
export type ReleaseInput = z.infer<typeof releaseInput>;
export const releaseOutput = z.object({ id: z.uuid() });

/** A manager gives records in the pool to a member (of their team). */
export const assignFromPoolInput = z.strictObject({
  entity: z.enum(POOL_ENTITIES),
  ids: z.array(z.uuid()).min(1).max(100),
  userId: z.uuid(),
});
export type AssignFromPoolInput = z.infer<typeof assignFromPoolInput>;
export const assignFromPoolOutput = z.object({ assigned: z.number().int() });

export const poolRecordInput = z.strictObject({ entity: z.enum(POOL_ENTITIES), id: z.uuid() });
export type PoolRecordInput = z.infer<typeof poolRecordInput>;

export const poolMoveOutput = z.object({
  id: z.uuid(),
  kind: z.enum(POOL_MOVE_KINDS),
  occurredAt: z.string(),
  fromUserName: z.string().nullable(),
  toUserName: z.string().nullable(),
  actorName: z.string().nullable(),
  teamName: z.string().nullable(),
  ruleName: z.string().nullable(),
  reason: z.enum(POOL_RELEASE_REASONS).nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type PoolMoveOutput = z.infer<typeof poolMoveOutput>;

const days = z.number().int().min(1).max(3650);

/** One recycle rule as the settings page shows it: the plugin's days, the tenant's, the one in force. */
export const recycleRuleOutput = z.object({
  /** A grade or tier key; `*` for the rest. */
  key: z.string(),
  /** What users see: A, 战略客户 … (`*`: 其他). */
  labelZh: z.string(),
  labelEn: z.string(),
  pluginDays: days.nullable(),
  /** The tenant's override: a number, null (never), or absent (inherits). */
  overridden: z.boolean(),
  tenantDays: days.nullable(),
  /** In force: null never. */
  days: days.nullable(),
});
export type RecycleRuleOutput = z.infer<typeof recycleRuleOutput>;

export const poolSettingsOutput = z.object({
  claimLimits: z.array(z.object({ role: z.enum(ROLES), limit: z.number().int(), overridden: z.boolean() })),
  defaultClaimLimit: z.number().int(),
  pluginClaimLimit: z.number().int(),
  warnDaysBefore: z.number().int(),
  pluginWarnDaysBefore: z.number().int(),
  unmatched: z.enum(POOL_UNMATCHED),
  leadRules: z.array(recycleRuleOutput),
  customerRules: z.array(recycleRuleOutput),
});
export type PoolSettingsOutput = z.infer<typeof poolSettingsOutput>;

const limit = z.number().int().min(0).max(10000);

export const savePoolSettingsInput = z.strictObject({
  /** Per role; a role left out uses the default. */
  claimLimits: z.partialRecord(z.enum(ROLES), limit).default({}),
  /** Null: the plugin's (or 10). */
  defaultClaimLimit: limit.nullable(),
  warnDaysBefore: z.number().int().min(0).max(60).nullable(),
  unmatched: z.enum(POOL_UNMATCHED),
});
export type SavePoolSettingsInput = z.infer<typeof savePoolSettingsInput>;

export const saveRecycleRuleInput = z
  .strictObject({
    entity: z.enum(POOL_ENTITIES),
    key: z.string().regex(/^(\*|[a-z][a-z0-9_]{0,99})$/),
    /** `inherit`: the plugin's again; `never`: never recycled; `days`: after so many days. */
    mode: z.enum(['inherit', 'never', 'days']),
    days: days.optional(),
  })
  .refine((rule) => rule.mode !== 'days' || rule.days !== undefined, {
    path: ['days'],
    message: 'say after how many days',
  });
export type SaveRecycleRuleInput = z.infer<typeof saveRecycleRuleInput>;

/** Runs the recycle for a day now (an admin's 立即回收, and tests with a fixed clock). */
export const recycleRunOutput = z.object({
  today: z.string(),
  leads: z.number().int(),
  customers: z.number().int(),
  warned: z.number().int(),
});
export type RecycleRunOutput = z.infer<typeof recycleRunOutput>;
