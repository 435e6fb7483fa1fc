import type { TaskType } from '@crm/db';
import { localDayOf } from '@crm/domain';
import { type Channel, resolvePlugin } from '@crm/plugin-sdk';
import type { z } from 'zod';
import { readCalendarSettings } from '../calendar/calendar.service';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import type { NotificationDraft } from '../notifications/notifications.schemas';
import { notifyUsers } from '../notifications/notifications.service';
import { tenantProfileId } from '../plugins/effective-settings';
import type { HostPlugin } from '../plugins/host-plugin';
import type { PluginRegistry } from '../plugins/registry';
import type { MemberScope, Scope } from '../scope';
import { noteWebhookDeliveries } from '../webhooks/webhooks.service';
import {
  type CadenceRow,
  type CancelReasons,
  countActiveCustomers,
  countPendingPlans,
  decidePlan,
  endUnfitPlans,
  insertMissingPlans,
  lockTenantPlans,
  type PendingPlan,
  type PlanRow,
  type ReplanTarget,
  replaceCadences,
  rolledBack,
  selectApprovers,
  selectCadences,
  selectCustomerPlans,
  selectDecisions,
  selectMemberName,
  selectNextOccurrences,
  selectPendingPlans,
  selectPlanSettings,
  selectPlanStatus,
  syncPlanTasks,
  updatePlanGoals,
  updatePlanSettings,
} from './plans.repository';
import type {
  approvalsOutput,
  customerPlansOutput,
  decisionResult,
  PlanOutput,
  planSettingsOutput,
  ReplanOutcome,
} from './plans.schemas';

export type { ReplanTarget } from './plans.repository';
export type { ReplanOutcome } from './plans.schemas';

/**
 * Maintenance plans (维护计划): every active customer has a plan per cadence of its tier; plans
 * put their next occurrences on the task list up to the tenant's horizon and are kept current —
 * in the transaction of the change — when a customer changes tier or owner, is archived or
 * merged, and when the cadences change. One entry point does all of it: `replanCustomers`.
 */

/** Tenants up to this many active customers see a plan preview before a 行业配置 save and are re-planned inside it. */
export const PLANS_INLINE_LIMIT = 200_000;

/** The task type of a cadence: its first channel's. */
const TASK_TYPE_OF_CHANNEL: Record<Channel, TaskType> = {
  visit: 'visit',
  video_call: 'video_call',
  phone: 'call',
  online: 'online',
  wechat: 'wechat',
  email: 'email',
  sms: 'other',
  content: 'content_push',
};

/** Why a plan's open task was cancelled, in the owner's language. */
const CANCEL_REASONS: CancelReasons = {
  tier_changed: {
    'zh-CN': '客户层级已变，改按新层级的维护计划',
    en: "The customer's tier changed; the new tier's plan applies",
  },
  customer_inactive: { 'zh-CN': '客户已归档或合并', en: 'The customer was archived or merged' },
  cadence_removed: { 'zh-CN': '该维护节奏已停用', en: 'This cadence is no longer in use' },
  rescheduled: {
    'zh-CN': '维护节奏已调整，日期改按新节奏',
    en: 'The cadence changed; dates follow the new cadence',
  },
  inactive: { 'zh-CN': '维护计划未生效', en: 'The maintenance plan is not active' },
};

/** Today in the tenant's work calendar (its time zone): the first day plans schedule from. */
export async function planToday(scope: Scope, now: Date = new Date()): Promise<string> {
  const { timeZone } = await readCalendarSettings(scope);
  return localDayOf({ timeZone }, now);
}

/** The cadences a plugin gives with these settings, as the tenant's rows. */
export function cadenceRowsOf(plugin: HostPlugin, settings: unknown): CadenceRow[] {
  return resolvePlugin(plugin, settings).cadences.map((cadence, position) => ({
    cadenceKey: cadence.key,
    tier: cadence.tier,
    everyCount: cadence.interval.every,
    unit: cadence.interval.unit,
    taskType: TASK_TYPE_OF_CHANNEL[cadence.channels[0] ?? 'phone'],
    titleZh: cadence.labels['zh-CN'],
    titleEn: cadence.labels.en,
    goals: (cadence.goals ?? []).map((goal) => ({ 'zh-CN': goal['zh-CN'], en: goal.en })),
    requiresApproval: cadence.requiresApproval === true,
    position,
  }));
}

/**
 * Writes the tenant's cadences in force from its plugin and settings (at tenant creation, on
 * every 行业配置 save or reset, at start-up after a plugin upgrade); whether they changed.
 */
export async function syncTenantCadences(
  scope: Scope,
  plugin: HostPlugin,
  settings: unknown,
): Promise<boolean> {
  return (await replaceCadences(scope, cadenceRowsOf(plugin, settings))) > 0;
}

/**
 * THE re-plan, for the whole tenant or the customers a change touched, in the caller's
 * transaction: plans that no longer fit end, missing plans are created (pending when they need
 * approval), and open plan tasks from today to the horizon follow the plans — added, moved to
 * the customer's owner, cancelled with a reason. Set-based; running it twice changes nothing
 * the second time. Callers: the re-tier (job, 行业配置 save), reassignment, edits, archive,
 * merge, import, approval, the daily job.
 */
export async function replanCustomers(
  scope: Scope,
  target: ReplanTarget,
  options: { today?: string } = {},
): Promise<ReplanOutcome> {
  if (Array.isArray(target) && target.length === 0) return NOTHING;
  const today = options.today ?? (await planToday(scope));
  // Two whole-tenant runs (the daily job, a save) wait for each other; a change of a few
  // customers does not wait for a long run (occasion keys and the one-open-plan index keep
  // overlapping runs from doubling anything).
  if (target === 'all') await lockTenantPlans(scope);
  const plansEnded = await endUnfitPlans(scope, target);
  const { created, pending, pendingSample } = await insertMissingPlans(
    scope,
    target,
    today,
    NOTIFY_PENDING_LIMIT + 1,
  );
  // A change of a few customers tells their approvers at once; a run that starts many plans
  // (a first generation, a cadence change) leaves them to the inbox and the daily digest.
  if (pendingSample.length > 0 && pendingSample.length <= NOTIFY_PENDING_LIMIT)
    await notifyApprovers(scope, pendingSample);
  const tasks = await syncPlanTasks(scope, target, today, CANCEL_REASONS);
  noteWebhookDeliveries(scope.trx, tasks.webhookDeliveries);
  return {
    plansCreated: created,
    plansPending: pending,
    plansEnded,
    tasksAdded: tasks.added,
    tasksMoved: tasks.moved,
    tasksCancelled: tasks.cancelled,
  };
}

/** Up to this many plans that start waiting in one re-plan are announced to their approvers one by one. */
const NOTIFY_PENDING_LIMIT = 20;

/** Tells the approvers of each plan (the owner's team's managers, admins and owners) that it waits for them. */
async function notifyApprovers(scope: Scope, plans: readonly PendingPlan[]): Promise<void> {
  const requester = scope.userId ? await selectMemberName(scope, scope.userId) : null;
  const drafts: NotificationDraft[] = [];
  for (const plan of plans) {
    for (const userId of await selectApprovers(scope, [plan.customerId])) {
      if (userId === scope.userId) continue;
      drafts.push({
        userId,
        kind: 'plan_approval',
        message: 'plan_approval',
        params: { customer: plan.customerName, plan: plan.title, requester: requester ?? '系统 / System' },
        link: '/plans/approvals',
        entity: { kind: 'maintenance_plan', id: plan.planId },
        dedupKey: `plan_approval:${plan.planId}:${Date.now()}`,
      });
    }
  }
  if (drafts.length > 0) await notifyUsers(scope, drafts);
}

const NOTHING: ReplanOutcome = {
  plansCreated: 0,
  plansPending: 0,
  plansEnded: 0,
  tasksAdded: 0,
  tasksMoved: 0,
  tasksCancelled: 0,
};

/**
 * After a 行业配置 save or reset: the cadences in force follow the settings, and the tenant is
 * re-planned — every customer when the cadences changed, else the customers whose tier the
 * save's re-tier moved.
 */
export async function replanAfterSettings(
  scope: Scope,
  plugin: HostPlugin,
  settings: unknown,
  options: { today?: string } = {},
): Promise<ReplanOutcome> {
  const changed = await syncTenantCadences(scope, plugin, settings);
  return replanCustomers(scope, changed ? 'all' : 'changed_now', options);
}

/** Runs `work` (which re-plans) and rolls back everything it wrote: the preview is the re-plan itself. */
export function previewReplan(scope: Scope, work: () => Promise<ReplanOutcome>): Promise<ReplanOutcome> {
  return rolledBack(scope, work);
}

/** Whether the tenant is small enough to re-plan (and preview) inside a request. */
export async function replansInline(scope: Scope): Promise<boolean> {
  return (await countActiveCustomers(scope, PLANS_INLINE_LIMIT)) <= PLANS_INLINE_LIMIT;
}

function planOutputOf(
  row: PlanRow,
  cadences: Map<string, CadenceRow>,
  tierLabels: (tier: string) => { 'zh-CN': string; en: string } | null,
  next: PlanOutput['next'],
  decisions: PlanOutput['decisions'],
): PlanOutput {
  const cadence = cadences.get(row.cadenceKey);
  return {
    id: row.id,
    customerId: row.customerId,
    customerName: row.customerName,
    owner: row.ownerUserId ? { id: row.ownerUserId, name: row.ownerName ?? '' } : null,
    tier: row.tier,
    tierLabels: tierLabels(row.tier),
    status: row.status,
    cadenceKey: row.cadenceKey,
    cadence: cadence
      ? {
          key: cadence.cadenceKey,
          tier: cadence.tier,
          labels: { 'zh-CN': cadence.titleZh, en: cadence.titleEn },
          every: cadence.everyCount,
          unit: cadence.unit,
          taskType: cadence.taskType,
          goals: cadence.goals,
          requiresApproval: cadence.requiresApproval,
        }
      : null,
    goals: row.goals,
    anchorOn: row.anchorOn,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.decidedByName,
    decisionComment: row.decisionComment,
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: row.endReason,
    next,
    decisions,
  };
}

type TierLabels = (tier: string) => { 'zh-CN': string; en: string } | null;

/** The tier labels of the tenant's plugin (none when its profile is not loaded). */
async function tierLabelsOf(scope: Scope, registry: PluginRegistry): Promise<TierLabels> {
  const plugin = registry.get(await tenantProfileId(scope.trx, scope.tenantId));
  const tiers = new Map(
    (plugin?.tierModel?.tiers ?? []).map((tier) => [
      tier.key,
      { 'zh-CN': tier.labels['zh-CN'], en: tier.labels.en },
    ]),
  );
  return (tier) => tiers.get(tier) ?? null;
}

async function plansOutput(scope: Scope, registry: PluginRegistry, rows: PlanRow[], perPlan: number) {
  const ids = rows.map((row) => row.id);
  const tierLabels = await tierLabelsOf(scope, registry);
  const cadences = await selectCadences(scope);
  const next = await selectNextOccurrences(scope, ids, perPlan);
  const decisions = await selectDecisions(scope, ids);
  const byKey = new Map(cadences.map((cadence) => [cadence.cadenceKey, cadence]));
  return rows.map((row) =>
    planOutputOf(
      row,
      byKey,
      tierLabels,
      next
        .filter((task) => task.planId === row.id)
        .map(({ taskId, dueOn, title, type }) => ({ taskId, dueOn, title, type })),
      decisions
        .filter((decision) => decision.planId === row.id)
        .map((decision) => ({
          action: decision.action,
          comment: decision.comment,
          by: decision.byName,
          at: decision.at.toISOString(),
        })),
    ),
  );
}

/** A customer's plans for its 360 card: open ones with their next occurrences, then recently ended ones. */
export async function customerPlans(
  scope: Scope,
  registry: PluginRegistry,
  customerId: string,
): Promise<z.infer<typeof customerPlansOutput>> {
  const rows = await selectCustomerPlans(scope, customerId);
  return { plans: await plansOutput(scope, registry, rows, 3) };
}

/** The approvals inbox: plans waiting for a decision whose customers the member sees, oldest first. */
export async function listApprovals(
  scope: Scope,
  registry: PluginRegistry,
  input: { cursor?: string | null | undefined; limit: number },
): Promise<z.infer<typeof approvalsOutput>> {
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectPendingPlans(
    scope,
    input.limit + 1,
    after ? { submittedAt: after.timestamp, id: after.id } : null,
  );
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: await plansOutput(scope, registry, page, 3),
    nextCursor:
      rows.length > input.limit && last ? encodeTimestampCursor(last.submittedAtText, last.id) : null,
    total: await countPendingPlans(scope),
  };
}

async function decide(
  scope: MemberScope,
  planId: string,
  from: Parameters<typeof decidePlan>[2],
  to: Parameters<typeof decidePlan>[3],
  action: Parameters<typeof decidePlan>[4],
  comment: string | null,
): Promise<z.infer<typeof decisionResult>> {
  const decided = await decidePlan(scope, planId, from, to, action, comment);
  if (!decided) {
    const status = await selectPlanStatus(scope, planId);
    if (!status) throw appError('PLAN_NOT_FOUND', {}, 'planId');
    throw appError('PLAN_STATUS_CHANGED', {}, 'planId');
  }
  // An approved plan makes its tasks at once, in this transaction.
  const outcome = to === 'active' ? await replanCustomers(scope, [decided.customerId]) : NOTHING;
  const plan = { planId, customerId: decided.customerId, customerName: decided.customerName };
  if (action === 'submit') {
    await notifyApprovers(scope, [{ ...plan, ownerUserId: decided.ownerUserId, title: decided.title }]);
  } else if (decided.ownerUserId && decided.ownerUserId !== scope.userId) {
    // The owner hears the decision and the comment.
    await notifyUsers(scope, [
      {
        userId: decided.ownerUserId,
        kind: 'plan_decided',
        message: to === 'active' ? 'plan_approved' : 'plan_rejected',
        params: {
          customer: decided.customerName,
          approver: (await selectMemberName(scope, scope.userId)) ?? '',
          comment: comment ?? '—',
        },
        link: `/customers/${decided.customerId}`,
        entity: { kind: 'maintenance_plan', id: planId },
        dedupKey: `plan_decided:${planId}:${Date.now()}`,
      },
    ]);
  }
  return { id: planId, status: to, tasksAdded: outcome.tasksAdded };
}

export function approvePlan(scope: MemberScope, input: { planId: string; comment?: string | undefined }) {
  return decide(scope, input.planId, ['pending'], 'active', 'approve', input.comment || null);
}

export function rejectPlan(scope: MemberScope, input: { planId: string; comment: string }) {
  return decide(scope, input.planId, ['pending'], 'rejected', 'reject', input.comment);
}

/** A draft or rejected plan (its goals revised) goes back to the managers' inbox. */
export function submitPlan(scope: MemberScope, input: { planId: string; comment?: string | undefined }) {
  return decide(scope, input.planId, ['draft', 'rejected'], 'pending', 'submit', input.comment || null);
}

export async function setPlanGoals(scope: Scope, input: { planId: string; goals: string[] }) {
  if (!(await updatePlanGoals(scope, input.planId, input.goals)))
    throw appError('PLAN_NOT_FOUND', {}, 'planId');
  return { id: input.planId, goals: input.goals };
}

export async function readPlanSettings(scope: Scope): Promise<z.infer<typeof planSettingsOutput>> {
  const settings = await selectPlanSettings(scope);
  const cadences = await selectCadences(scope);
  const pendingCount = await countPendingPlans(scope);
  return {
    ...settings,
    cadences: cadences.map((cadence) => ({
      key: cadence.cadenceKey,
      tier: cadence.tier,
      labels: { 'zh-CN': cadence.titleZh, en: cadence.titleEn },
      every: cadence.everyCount,
      unit: cadence.unit,
      taskType: cadence.taskType,
      goals: cadence.goals,
      requiresApproval: cadence.requiresApproval,
    })),
    pendingCount,
  };
}

/**
 * Saves the tenant's plan settings; a longer or shorter horizon re-plans every customer at once
 * (plans already made stay as they are when approval is switched on: it applies to new plans).
 */
export async function savePlanSettings(
  scope: Scope,
  input: { requireApproval: boolean; horizonDays: number },
): Promise<ReplanOutcome> {
  const before = await selectPlanSettings(scope);
  await updatePlanSettings(scope, input);
  if (before.horizonDays === input.horizonDays) return NOTHING;
  return replanCustomers(scope, 'all');
}
