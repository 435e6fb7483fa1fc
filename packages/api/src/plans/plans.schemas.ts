import { TASK_TYPES, userText } from '@crm/domain';
import { z } from 'zod';

const labels = z.object({ 'zh-CN': z.string(), en: z.string() });
const planStatus = z.enum(['draft', 'pending', 'active', 'rejected', 'ended']);

/** What a re-plan did (or, in a preview, would do). */
export const replanOutput = z.object({
  plansCreated: z.number().int(),
  plansPending: z.number().int(),
  plansEnded: z.number().int(),
  tasksAdded: z.number().int(),
  tasksMoved: z.number().int(),
  tasksCancelled: z.number().int(),
});
export type ReplanOutcome = z.infer<typeof replanOutput>;

const cadenceOutput = z.object({
  key: z.string(),
  tier: z.string(),
  labels,
  every: z.number().int(),
  unit: z.enum(['day', 'week', 'month']),
  taskType: z.enum(TASK_TYPES),
  goals: z.array(labels),
  requiresApproval: z.boolean(),
});

const decisionOutput = z.object({
  action: z.enum(['submit', 'approve', 'reject']),
  comment: z.string().nullable(),
  by: z.string().nullable(),
  at: z.string(),
});

export const planOutput = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  customerName: z.string(),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  tier: z.string(),
  tierLabels: labels.nullable(),
  status: planStatus,
  cadence: cadenceOutput.nullable(),
  cadenceKey: z.string(),
  /** The admin's own goals for this plan. */
  goals: z.array(z.string()),
  anchorOn: z.string(),
  submittedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionComment: z.string().nullable(),
  endedAt: z.string().nullable(),
  endReason: z.enum(['tier_changed', 'cadence_removed', 'customer_inactive']).nullable(),
  next: z.array(
    z.object({ taskId: z.uuid(), dueOn: z.string(), title: z.string(), type: z.enum(TASK_TYPES) }),
  ),
  decisions: z.array(decisionOutput),
});
export type PlanOutput = z.infer<typeof planOutput>;

export const customerPlansInput = z.strictObject({ customerId: z.uuid() });
export const customerPlansOutput = z.object({ plans: z.array(planOutput) });

export const approvalsInput = z
  .strictObject({
    cursor: z.string().max(500).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });
export const approvalsOutput = z.object({
  items: z.array(planOutput),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

const comment = userText({ multiline: true, max: 1000 });

export const approveInput = z.strictObject({ planId: z.uuid(), comment: comment.optional() });
export const rejectInput = z.strictObject({
  planId: z.uuid(),
  comment: userText({ multiline: true, max: 1000, required: true }),
});
export const submitInput = z.strictObject({ planId: z.uuid(), comment: comment.optional() });
export const decisionResult = z.object({ id: z.uuid(), status: planStatus, tasksAdded: z.number().int() });

export const goalsInput = z.strictObject({
  planId: z.uuid(),
  goals: z.array(userText({ required: true, max: 100 })).max(10),
});
export const goalsOutput = z.object({ id: z.uuid(), goals: z.array(z.string()) });

export const planSettingsOutput = z.object({
  requireApproval: z.boolean(),
  horizonDays: z.number().int(),
  cadences: z.array(cadenceOutput),
  pendingCount: z.number().int(),
});
export const planSettingsInput = z.strictObject({
  requireApproval: z.boolean(),
  horizonDays: z.number().int().min(7).max(366),
});
export const savePlanSettingsOutput = replanOutput;
