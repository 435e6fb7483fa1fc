import { hasPermission } from '@crm/auth';
import type { DecisionChainMember } from '@crm/db';
import { addBusinessHours, localDayOf } from '@crm/domain';
import { type PipelineDefinition, type Resolved, resolveSettingRefs } from '@crm/plugin-sdk';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { assertContactOfCustomer, createContact } from '../contacts/contacts.service';
import { createCustomer, getCustomer } from '../customers/customers.service';
import { appError } from '../errors';
import { decodeCursor, encodeCursor, UUID } from '../keyset';
import { findLead, markLeadConverted } from '../leads/leads.service';
import { createOrder } from '../orders/orders.service';
import { effectiveSettings, tenantProfileId } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import type { MemberScope, Scope } from '../scope';
import { completeGeneratedTasks, createTasks } from '../tasks/task-backbone.service';
import { recordWebhookEvent } from '../webhooks/webhooks.service';
import { postToWecom } from '../wecom/wecom.service';
import {
  type CardRow,
  countVisibleOpportunities,
  insertOpportunity,
  type LostReasonRow,
  moveOpportunityRow,
  type OpportunityChanges,
  type OpportunityRow,
  type OpportunitySort,
  type PageRow,
  reassignOpportunityRows,
  replaceLines,
  selectActionDeadlines,
  selectBoard,
  selectHistory,
  selectLeadVisible,
  selectLines,
  selectLostReasons,
  selectOperationsMember,
  selectOpportunity,
  selectOpportunityPage,
  selectReachableMember,
  setActionDone,
  setWonResult,
  totalOfLines,
  updateOpportunity,
  upsertLostReason,
} from './opportunities.repository';
import type {
  BoardInput,
  BoardOutput,
  ConvertLeadInput,
  CreateOpportunityInput,
  ListOpportunitiesInput,
  MoveOpportunityInput,
  OpportunityCardOutput,
  OpportunityDetailOutput,
  OpportunityPageOutput,
  PipelineOutput,
  SaveLostReasonInput,
  SetActionInput,
  UpdateOpportunityInput,
} from './opportunities.schemas';
import {
  type Bilingual,
  DEFAULT_PIPELINE,
  failedGates,
  firstOpenStage,
  type GateFailure,
  gatesOfMove,
  moveAllowed,
  type Pipeline,
  pipelineOf,
  type Stage,
  stageOf,
} from './pipeline';

/*
 * Opportunities (商机): the deals of the tenant's pipeline. Stages, standard actions, gates
 * and lost reasons come from the tenant's plugin (or the core's default stages). A move
 * forward checks the gates of every stage it leaves behind and is refused with what is
 * missing; entering a stage sets its probability, restarts the time in stage and puts SLA
 * tasks on the owner's list for its timed actions; won records the order from the lines,
 * re-derives the customer's facts, lifecycle and tier, and hands the customer to operations.
 * Each use case runs in the caller's transaction.
 */

/** What opportunity use cases need beyond the scope: the industry plugins. */
export type OpportunityDependencies = { plugins: PluginRegistry | undefined };

const OPPORTUNITY = 'opportunity' as const;

// ---------------------------------------------------------------------------------------------
// The pipeline

/** The tenant's pipeline: its plugin's stages with the tenant's settings read, or the core's. */
export async function tenantPipeline(scope: Scope, registry: PluginRegistry | undefined): Promise<Pipeline> {
  if (!registry) return DEFAULT_PIPELINE;
  // One read for the profile and its settings; a profile that is unavailable keeps its
  // pipeline with no settings (the references then go missing: the default pipeline).
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry).catch(() => null);
  const plugin = effective?.plugin ?? registry.get(await tenantProfileId(scope.trx, scope.tenantId));
  if (!plugin?.pipeline) return DEFAULT_PIPELINE;
  const settings = effective?.settings ?? {};
  const known = pipelineMemo.get(plugin)?.get(settings);
  if (known) return known;
  const missing: { path: string; setting: string }[] = [];
  const resolved = resolveSettingRefs(plugin.pipeline, settings, 'pipeline', missing) as Resolved<
    PipelineDefinition<string>
  >;
  const pipeline = missing.length > 0 ? DEFAULT_PIPELINE : pipelineOf(plugin.id, resolved);
  // Effective settings are kept per plugin and overrides (effective-settings.ts): the same
  // object, the same pipeline.
  if (effective) {
    const memo = pipelineMemo.get(plugin) ?? new WeakMap<object, Pipeline>();
    memo.set(settings, pipeline);
    pipelineMemo.set(plugin, memo);
  }
  return pipeline;
}

/** A plugin's pipeline per effective settings object (weakly held: gone with the settings). */
const pipelineMemo = new WeakMap<object, WeakMap<object, Pipeline>>();

type LostReason = { key: string; labels: Bilingual; origin: 'plugin' | 'core' | 'tenant' };

/** The lost reasons a deal may be lost for: the pipeline's (unless hidden), then the tenant's own. */
function lostReasonsOf(pipeline: Pipeline, rows: readonly LostReasonRow[]): LostReason[] {
  const hidden = new Set(rows.filter((row) => row.hidden).map((row) => row.key));
  const origin = pipeline.origin === 'core' ? 'core' : 'plugin';
  const builtIn = pipeline.lostReasons
    .filter((reason) => !hidden.has(reason.key))
    .map((reason) => ({ ...reason, origin }) as LostReason);
  const builtInKeys = new Set(pipeline.lostReasons.map((reason) => reason.key));
  const own = rows
    .filter((row) => !row.hidden && !builtInKeys.has(row.key) && row.label_zh && row.label_en)
    .map((row) => ({
      key: row.key,
      labels: { 'zh-CN': row.label_zh ?? row.key, en: row.label_en ?? row.key },
      origin: 'tenant' as const,
    }));
  return [...builtIn, ...own];
}

function gateWords(stage: Stage): Bilingual[] {
  return stage.gates.map((gate) => {
    if ('minNeeds' in gate) {
      return {
        'zh-CN': `至少记录 ${gate.minNeeds} 条核心需求`,
        en: `At least ${gate.minNeeds} core needs recorded`,
      };
    }
    const failure = failedGates(
      { ...stage, gates: [gate] },
      {
        needs: [],
        actionsDone: [],
        amount: null,
        expectedCloseOn: null,
        contactId: null,
        lineCount: 0,
        competitors: [],
        decisionChainCount: 0,
      },
    )[0];
    const words = failure?.missing ?? { 'zh-CN': '', en: '' };
    return { 'zh-CN': `须${words['zh-CN']}`, en: `Needs ${words.en}` };
  });
}

export async function getPipeline(
  scope: Scope,
  dependencies: OpportunityDependencies,
): Promise<PipelineOutput> {
  const pipeline = await tenantPipeline(scope, dependencies.plugins);
  return {
    origin: pipeline.origin,
    stages: pipeline.stages.map((stage) => ({
      key: stage.key,
      kind: stage.kind,
      labels: stage.labels,
      probability: stage.probability,
      actions: stage.actions.map((action) => ({ ...action })),
      gates: gateWords(stage),
    })),
    lostReasons: lostReasonsOf(pipeline, await selectLostReasons(scope)),
  };
}

/** Adds a lost reason of the tenant's own, renames it, or hides one (the plugin's too). */
export async function saveLostReason(
  scope: MemberScope,
  dependencies: OpportunityDependencies,
  input: SaveLostReasonInput,
): Promise<PipelineOutput> {
  const pipeline = await tenantPipeline(scope, dependencies.plugins);
  const builtIn = pipeline.lostReasons.some((reason) => reason.key === input.key);
  if (!input.hidden && !builtIn && (!input.labelZh || !input.labelEn)) {
    throw appError('OPPORTUNITY_LOST_REASON_LABELS_REQUIRED', {}, input.labelZh ? 'labelEn' : 'labelZh');
  }
  await upsertLostReason(scope, {
    key: input.key,
    label_zh: builtIn ? null : (input.labelZh ?? null),
    label_en: builtIn ? null : (input.labelEn ?? null),
    hidden: input.hidden,
  });
  return getPipeline(scope, dependencies);
}

// ---------------------------------------------------------------------------------------------
// Reading

function toCard(row: CardRow): OpportunityCardOutput {
  return {
    id: row.id,
    name: row.name,
    customerId: row.customer_id,
    customerName: row.customer_name,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    stage: row.stage,
    stageKind: row.stage_kind,
    stageEnteredAt: new Date(row.stage_entered_at).toISOString(),
    amount: row.amount,
    currency: row.currency,
    expectedCloseOn: row.expected_close_on,
    probability: row.probability,
    needsCount: row.needs_count,
    lostReason: row.lost_reason,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const SORT_VALUE: Record<OpportunitySort, RegExp> = {
  created: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?)?$/,
  in_stage: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?)?$/,
  close: /^(\d{4}-\d{2}-\d{2}|infinity)$/,
  amount: /^-?\d{1,16}(\.\d{1,2})?$/,
};

function cursorOf(sort: OpportunitySort, row: PageRow): string {
  return encodeCursor([sort, row.sort_text, row.id]);
}

function pageOf(sort: OpportunitySort, rows: PageRow[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toCard),
    nextCursor: rows.length > limit && last ? cursorOf(sort, last) : null,
  };
}

export async function listOpportunities(
  scope: Scope,
  input: ListOpportunitiesInput,
): Promise<OpportunityPageOutput> {
  let cursor = null;
  if (input.cursor) {
    const [, value = '', id = ''] = decodeCursor(input.cursor, [input.sort, SORT_VALUE[input.sort], UUID]);
    cursor = { value, id };
  }
  const rows = await selectOpportunityPage(scope, input.filters, input.sort, cursor, input.limit);
  return pageOf(input.sort, rows, input.limit);
}

/** The kanban: the first page of every stage, with each stage's count and amount. */
export async function opportunityBoard(
  scope: Scope,
  dependencies: OpportunityDependencies,
  input: BoardInput,
): Promise<BoardOutput> {
  const pipeline = await tenantPipeline(scope, dependencies.plugins);
  const columns = await selectBoard(
    scope,
    pipeline.stages.map((stage) => stage.key),
    input.filters,
    input.perStage,
  );
  return {
    columns: columns.map((column) => ({
      stage: column.stage,
      count: column.count,
      amount: column.amount,
      ...pageOf('in_stage', column.rows, input.perStage),
    })),
  };
}

async function opportunityOrThrow(scope: Scope, id: string, forUpdate = false): Promise<OpportunityRow> {
  const row = await selectOpportunity(scope, id, { forUpdate });
  if (!row) throw appError('OPPORTUNITY_NOT_FOUND', {}, 'id');
  return row;
}

function factsOf(row: OpportunityRow) {
  return {
    needs: row.needs,
    actionsDone: Object.keys(row.actions_done),
    amount: row.amount,
    expectedCloseOn: row.expected_close_on,
    contactId: row.contact_id,
    lineCount: row.line_count,
    competitors: row.competitors,
    decisionChainCount: row.decision_chain.length,
  };
}

/** What leaving the current stage forward (to the next open stage, or won) still needs. */
function blockersOf(pipeline: Pipeline, row: OpportunityRow): GateFailure[] {
  const stage = stageOf(pipeline, row.stage);
  if (stage?.kind !== 'open') return [];
  return failedGates(stage, factsOf(row));
}

export async function getOpportunity(
  scope: Scope,
  dependencies: OpportunityDependencies,
  id: string,
): Promise<OpportunityDetailOutput> {
  const row = await opportunityOrThrow(scope, id);
  const [pipeline, lines, history, deadlines] = await Promise.all([
    tenantPipeline(scope, dependencies.plugins),
    selectLines(scope, id),
    selectHistory(scope, id),
    selectActionDeadlines(scope, id),
  ]);
  const stage = stageOf(pipeline, row.stage);
  return {
    ...toCard({ ...row, needs_count: row.needs.length }),
    contactId: row.contact_id,
    contactName: row.contact_name,
    leadId: row.lead_id,
    teamId: row.team_id,
    needs: row.needs,
    competitors: row.competitors,
    decisionChain: row.decision_chain,
    notes: row.notes,
    lines: lines.map((line) => ({
      product: line.product,
      quantity: line.quantity,
      unitPrice: line.unit_price,
      amount: line.amount,
    })),
    checklist: (stage?.actions ?? []).map((action) => {
      const done = row.actions_done[action.key];
      return {
        key: action.key,
        labels: action.labels,
        done: done !== undefined,
        doneAt: done ? new Date(done.at).toISOString() : null,
        dueAt: deadlines.get(action.key)?.toISOString() ?? null,
      };
    }),
    blockers: blockersOf(pipeline, row).map((failure) => ({
      stage: failure.stage,
      missing: failure.missing,
    })),
    secondsInStage: Math.max(0, Math.round(row.seconds_in_stage)),
    history: history.map((entry) => ({
      fromStage: entry.from_stage,
      toStage: entry.to_stage,
      secondsInFrom: entry.seconds_in_from === null ? null : Number(entry.seconds_in_from),
      changedAt: new Date(entry.changed_at).toISOString(),
      changedByName: entry.changed_by_name,
    })),
    lostNote: row.lost_note,
    wonAt: row.won_at ? new Date(row.won_at).toISOString() : null,
    lostAt: row.lost_at ? new Date(row.lost_at).toISOString() : null,
    orderId: row.order_id,
    handoffTaskId: row.handoff_task_id,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

function canManage(scope: Scope): boolean {
  return scope.role === null || hasPermission(scope.role, 'opportunities.manage');
}

async function assertCustomerAndContact(
  scope: Scope,
  customerId: string | null | undefined,
  contactId: string | null | undefined,
): Promise<void> {
  if (customerId) {
    // Access-controlled: a customer the member does not see reads as not found.
    await getCustomer(scope, customerId);
  }
  if (contactId) {
    if (!customerId) throw appError('CONTACT_NOT_FOUND', {}, 'contactId');
    await assertContactOfCustomer(scope, customerId, contactId, 'contactId');
  }
}

function decisionChainOf(input: CreateOpportunityInput['decisionChain']): DecisionChainMember[] | undefined {
  return input?.map((member) => ({
    name: member.name,
    title: member.title ?? null,
    role: member.role,
    note: member.note ?? null,
  }));
}

export async function createOpportunity(
  scope: MemberScope,
  dependencies: OpportunityDependencies,
  input: CreateOpportunityInput,
): Promise<OpportunityDetailOutput> {
  const pipeline = await tenantPipeline(scope, dependencies.plugins);
  const stage = input.stage ? stageOf(pipeline, input.stage) : firstOpenStage(pipeline);
  if (!stage) throw appError('OPPORTUNITY_STAGE_UNKNOWN', { stage: input.stage ?? '' }, 'stage');
  if (stage.kind !== 'open') {
    throw appError(
      'OPPORTUNITY_MOVE_INVALID',
      { fromZh: '新建', fromEn: 'new', toZh: stage.labels['zh-CN'], toEn: stage.labels.en },
      'stage',
    );
  }
  const ownerUserId = input.ownerUserId ?? scope.userId;
  if (
    ownerUserId !== scope.userId &&
    !(canManage(scope) && (await selectReachableMember(scope, ownerUserId)))
  ) {
    throw appError('OPPORTUNITY_OWNER_INVALID', {}, 'ownerUserId');
  }
  await assertCustomerAndContact(scope, input.customerId, input.contactId);
  if (input.leadId && !(await selectLeadVisible(scope, input.leadId)))
    throw appError('LEAD_NOT_FOUND', {}, 'leadId');
  const lines = input.lines ?? [];
  const amount = lines.length > 0 ? await totalOfLines(scope, lines) : (input.amount ?? null);
  const id = await insertOpportunity(scope, {
    name: input.name,
    customerId: input.customerId ?? null,
    contactId: input.contactId ?? null,
    leadId: input.leadId ?? null,
    ownerUserId,
    stage: stage.key,
    stageKind: stage.kind,
    amount,
    currency: input.currency ?? 'CNY',
    expectedCloseOn: input.expectedCloseOn ?? null,
    probability: input.probability ?? stage.probability,
    needs: input.needs ?? [],
    competitors: input.competitors ?? [],
    decisionChain: decisionChainOf(input.decisionChain) ?? [],
    notes: input.notes ?? null,
  });
  await replaceLines(scope, id, lines);
  await startStageTasks(scope, id, stage, ownerUserId, input.customerId ?? null, new Set());
  return getOpportunity(scope, dependencies, id);
}

/** A change needs opportunities.write on a visible deal; won and lost deals are settled. */
function assertOpen(row: OpportunityRow): void {
  if (row.stage_kind === 'won' || row.stage_kind === 'lost') throw appError('OPPORTUNITY_CLOSED');
}

export async function editOpportunity(
  scope: MemberScope,
  dependencies: OpportunityDependencies,
  input: UpdateOpportunityInput,
): Promise<OpportunityDetailOutput> {
  const row = await opportunityOrThrow(scope, input.id, true);
  assertOpen(row);
  const customerId = input.customerId !== undefined ? input.customerId : row.customer_id;
  const contactId =
    input.contactId !== undefined ? input.contactId : customerId === row.customer_id ? row.contact_id : null;
  if (input.customerId !== undefined || input.contactId !== undefined) {
    await assertCustomerAndContact(
      scope,
      input.customerId !== undefined ? customerId : null,
      input.contactId ?? null,
    );
  }
  const changes: OpportunityChanges = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.customerId !== undefined && { customer_id: customerId, contact_id: contactId }),
    ...(input.contactId !== undefined && { contact_id: input.contactId ?? null }),
    ...(input.amount !== undefined && { amount: input.amount ?? null }),
    ...(input.currency !== undefined && { currency: input.currency }),
    ...(input.expectedCloseOn !== undefined && { expected_close_on: input.expectedCloseOn ?? null }),
    ...(input.probability !== undefined && { probability: input.probability }),
    ...(input.needs !== undefined && { needs: input.needs }),
    ...(input.competitors !== undefined && { competitors: input.competitors }),
    ...(input.decisionChain !== undefined && {
      decision_chain: JSON.stringify(decisionChainOf(input.decisionChain)),
    }),
    ...(input.notes !== undefined && { notes: input.notes ?? null }),
  };
  if (input.lines !== undefined) {
    await replaceLines(scope, input.id, input.lines);
    if (input.lines.length > 0) changes.amount = await totalOfLines(scope, input.lines);
  }
  await updateOpportunity(scope, input.id, changes);
  return getOpportunity(scope, dependencies, input.id);
}

/** Ticks a standard action of the current stage off (closing its SLA task) or back on. */
export async function setOpportunityAction(
  scope: MemberScope,
  dependencies: OpportunityDependencies,
  input: SetActionInput,
): Promise<OpportunityDetailOutput> {
  const row = await opportunityOrThrow(scope, input.id, true);
  assertOpen(row);
  const pipeline = await tenantPipeline(scope, dependencies.plugins);
  const stage = stageOf(pipeline, row.stage);
  if (!stage?.actions.some((action) => action.key === input.action)) {
    throw appError('OPPORTUNITY_ACTION_UNKNOWN', { action: input.action }, 'action');
  }
  await setActionDone(scope, input.id, input.action, input.done);
  if (input.done) {
    await completeGeneratedTasks(
      scope,
      { kind: OPPORTUNITY, id: input.id },
      [`opportunity:${input.id}:action:${input.action}:`],
      scope.locale === 'en' ? 'Standard action done' : '标准动作已完成',
    );
  }
  return getOpportunity(scope, dependencies, input.id);
}

/**
 * The SLA tasks of a stage's timed standard actions not yet done, on the owner's list, due
 * so many hours later on the tenant's work calendar; keyed by the deal, the action and the
 * instant the stage was entered, so re-entering a stage makes new ones and nothing is made twice.
 */
async function startStageTasks(
  scope: Scope,
  id: string,
  stage: Stage,
  ownerUserId: string | null,
  customerId: string | null,
  done: ReadonlySet<string>,
): Promise<void> {
  const timed = stage.actions.filter((action) => action.dueWithinHours !== null && !done.has(action.key));
  if (timed.length === 0) return;
  const calendar = await loadWorkCalendar(scope);
  const now = new Date();
  await createTasks(
    scope,
    timed.map((action) => {
      const dueAt = addBusinessHours(calendar, now, action.dueWithinHours ?? 0);
      return {
        title: action.labels[scope.locale],
        type: 'follow_up' as const,
        customerId,
        relatedKind: OPPORTUNITY,
        relatedId: id,
        ownerUserId,
        dueOn: localDayOf(calendar, dueAt),
        dueAt,
        priority: 'high' as const,
        source: 'rule' as const,
        sourceId: id,
        sourceKey: `opportunity:${id}:action:${action.key}:${now.getTime()}`,
      };
    }),
  );
}

/**
 * Moves a deal to a stage. Forward moves check the gates of every stage left behind and are
 * refused with the first gate's missing part named (all of them in the error's details);
 * lost needs a reason from the tenant's list; won records the order and hands the customer
 * to operations.
 */
export async function moveOpportunity(
  scope: MemberScope,
  dependencies: OpportunityDependencies,
  input: MoveOpportunityInput,
): Promise<OpportunityDetailOutput> {
  const row = await opportunityOrThrow(scope, input.id, true);
  const pipeline = await tenantPipeline(scope, dependencies.plugins);
  const from = stageOf(pipeline, row.stage);
  const to = stageOf(pipeline, input.stage);
  if (!to) throw appError('OPPORTUNITY_STAGE_UNKNOWN', { stage: input.stage }, 'stage');
  if (from?.key === to.key) return getOpportunity(scope, dependencies, input.id);
  if (from && !moveAllowed(from, to)) {
    throw appError(
      'OPPORTUNITY_MOVE_INVALID',
      { fromZh: from.labels['zh-CN'], fromEn: from.labels.en, toZh: to.labels['zh-CN'], toEn: to.labels.en },
      'stage',
    );
  }
  const failures = from
    ? gatesOfMove(pipeline, from, to).flatMap((stage) => failedGates(stage, factsOf(row)))
    : [];
  const first = failures[0];
  if (first) {
    const stage = stageOf(pipeline, first.stage);
    throw appError(
      'OPPORTUNITY_GATE_FAILED',
      {
        stageZh: stage?.labels['zh-CN'] ?? first.stage,
        stageEn: stage?.labels.en ?? first.stage,
        missingZh: failures.map((failure) => failure.missing['zh-CN']).join('；'),
        missingEn: failures.map((failure) => failure.missing.en).join('; '),
      },
      'stage',
    );
  }
  let lostReason: string | null = null;
  if (to.kind === 'lost') {
    if (!input.lostReason) throw appError('OPPORTUNITY_LOST_REASON_REQUIRED', {}, 'lostReason');
    const reasons = lostReasonsOf(pipeline, await selectLostReasons(scope));
    if (!reasons.some((reason) => reason.key === input.lostReason)) {
      throw appError('OPPORTUNITY_LOST_REASON_UNKNOWN', { reason: input.lostReason }, 'lostReason');
    }
    lostReason = input.lostReason;
  }
  // The stage left: its SLA tasks no longer apply.
  await completeGeneratedTasks(
    scope,
    { kind: OPPORTUNITY, id: input.id },
    [`opportunity:${input.id}:action:`],
    scope.locale === 'en' ? 'The opportunity left the stage' : '商机已离开该阶段',
  );
  await moveOpportunityRow(scope, input.id, {
    from: { stage: row.stage, enteredAt: row.stage_entered_at },
    stage: to.key,
    kind: to.kind,
    probability: to.probability,
    lostReason,
    lostNote: to.kind === 'lost' ? (input.lostNote ?? null) : null,
  });
  if (to.kind === 'won') await settleWonDeal(scope, dependencies, row);
  await startStageTasks(
    scope,
    input.id,
    to,
    row.owner_user_id,
    row.customer_id,
    new Set(Object.keys(row.actions_done)),
  );
  const moved = await getOpportunity(scope, dependencies, input.id);
  const event = {
    id: input.id,
    name: moved.name,
    from: row.stage,
    to: to.key,
    amount: moved.amount,
    customerName: moved.customerName,
  };
  await recordWebhookEvent(scope, 'opportunity.stage_changed', event);
  if (to.kind === 'won') {
    await recordWebhookEvent(scope, 'opportunity.won', event);
    await postToWecom(
      scope,
      'deal_won',
      `**赢单：${moved.name}**\n> 客户：${moved.customerName ?? '—'}，金额：${moved.amount ?? '—'}，负责人：${moved.ownerName ?? '—'}`,
      row.owner_user_id ? [row.owner_user_id] : [],
    );
  }
  if (to.kind === 'lost') await recordWebhookEvent(scope, 'opportunity.lost', { ...event, lostReason });
  return moved;
}

/**
 * A won deal: the customer (the deal's, or one made from it), the order from its lines (or
 * its amount) — which re-derives the customer's facts and lifecycle and queues its tier —
 * and the hand-off task to customer operations, due within 48 hours, carrying the needs.
 */
async function settleWonDeal(
  scope: MemberScope,
  dependencies: OpportunityDependencies,
  row: OpportunityRow,
): Promise<void> {
  const customerId =
    row.customer_id ??
    (await createCustomer(scope, { name: row.name, kind: 'company', ownerUserId: row.owner_user_id })).id;
  const lines = await selectLines(scope, row.id);
  let orderId: string | null = null;
  if (lines.length > 0 || (row.amount !== null && Number(row.amount) > 0)) {
    const order = await createOrder(
      scope,
      {
        customerId,
        orderedAt: new Date().toISOString(),
        currency: row.currency,
        ...(lines.length > 0
          ? {
              lines: lines.map((line) => ({
                product: line.product,
                quantity: line.quantity,
                unitPrice: line.unit_price,
              })),
            }
          : { amount: row.amount ?? '0' }),
        status: 'completed',
        note: `${scope.locale === 'en' ? 'Won opportunity' : '赢单商机'}：${row.name}`.slice(0, 2000),
      },
      dependencies,
    );
    orderId = order.id;
  }
  const operations = await selectOperationsMember(scope, row.team_id);
  const now = new Date();
  const dueAt = new Date(now.getTime() + 48 * 3600 * 1000);
  const calendar = await loadWorkCalendar(scope);
  const needs = row.needs.map((need, index) => `${index + 1}. ${need}`).join('\n');
  const en = scope.locale === 'en';
  await createTasks(scope, [
    {
      title: en ? `Hand-off to customer operations: ${row.name}` : `交接客户运营：${row.name}`,
      type: 'handoff',
      notes: `${en ? 'Needs' : '核心需求'}:\n${needs || (en ? '(none recorded)' : '（未记录）')}`.slice(
        0,
        4000,
      ),
      customerId,
      relatedKind: OPPORTUNITY,
      relatedId: row.id,
      ownerUserId: operations ?? row.owner_user_id,
      dueOn: localDayOf(calendar, dueAt),
      dueAt,
      priority: 'high',
      source: 'rule',
      sourceId: row.id,
      sourceKey: `opportunity:${row.id}:handoff`,
    },
  ]);
  await setWonResult(scope, row.id, { customerId, orderId, handoffKey: `opportunity:${row.id}:handoff` });
}

export async function reassignOpportunities(
  scope: MemberScope,
  input: { ids: string[]; ownerUserId: string },
): Promise<{ changed: number }> {
  const ids = [...new Set(input.ids)];
  if ((await countVisibleOpportunities(scope, ids)) !== ids.length)
    throw appError('OPPORTUNITY_NOT_FOUND', {}, 'ids');
  if (!(await selectReachableMember(scope, input.ownerUserId))) {
    throw appError('OPPORTUNITY_OWNER_INVALID', {}, 'ownerUserId');
  }
  return { changed: await reassignOpportunityRows(scope, input.ids, input.ownerUserId) };
}

// ---------------------------------------------------------------------------------------------
// Conversion (线索转化)

/**
 * A lead becomes a contact and a customer (a new one, through the customers service and its
 * duplicate check, or an existing one the member sees) and an opportunity in the pipeline's
 * first stage carrying the lead's needs, budget and timing, all in the caller's transaction;
 * the lead is marked converted (its follow-up task closes). The lead's history shows on the
 * customer's timeline (the `lead` timeline source).
 */
export async function convertLead(
  scope: MemberScope,
  dependencies: OpportunityDependencies,
  input: ConvertLeadInput,
): Promise<{ customerId: string; contactId: string | null; opportunityId: string }> {
  const lead = await findLead(scope, input.leadId);
  if (!lead) throw appError('LEAD_NOT_FOUND', {}, 'leadId');
  if (lead.status === 'converted') throw appError('LEAD_CONVERTED', {}, 'leadId');
  const owner = lead.ownerUserId ?? scope.userId;
  let customerId: string;
  let contactId: string | null = null;
  if (input.customer.mode === 'existing') {
    customerId = (await getCustomer(scope, input.customer.customerId)).id;
    if (lead.personName) {
      contactId = (
        await createContact(scope, {
          customerId,
          name: lead.personName,
          title: lead.jobTitle ?? null,
          phones: lead.phone ? [lead.phone] : [],
          emails: lead.email ? [lead.email] : [],
        })
      ).id;
    }
  } else {
    const company = lead.companyName !== null;
    const created = await createCustomer(scope, {
      name: lead.companyName ?? lead.personName ?? '',
      kind: company ? 'company' : 'person',
      ownerUserId: owner,
      ...(company ? {} : { phone: lead.phone ?? null, email: lead.email ?? null }),
      ...(lead.industry ? { industry: lead.industry } : {}),
      ...(input.customer.force ? { force: input.customer.force } : {}),
    });
    customerId = created.id;
    if (lead.personName) {
      contactId = (
        await createContact(scope, {
          customerId,
          name: lead.personName,
          title: lead.jobTitle ?? null,
          phones: lead.phone ? [lead.phone] : [],
          emails: lead.email ? [lead.email] : [],
        })
      ).id;
    }
  }
  const name =
    input.opportunityName ??
    [lead.companyName ?? lead.personName, lead.needs[0]].filter(Boolean).join(' · ').slice(0, 200);
  const opportunity = await createOpportunity(scope, dependencies, {
    name: name || (scope.locale === 'en' ? 'New opportunity' : '新商机'),
    customerId,
    contactId,
    leadId: lead.id,
    ownerUserId: owner === scope.userId || canManage(scope) ? owner : scope.userId,
    amount: lead.budget,
    currency: lead.currency,
    expectedCloseOn: lead.expectedCloseOn ?? null,
    needs: lead.needs.slice(0, 50),
  });
  await markLeadConverted(scope, lead.id, { customerId, contactId });
  return { customerId, contactId, opportunityId: opportunity.id };
}
