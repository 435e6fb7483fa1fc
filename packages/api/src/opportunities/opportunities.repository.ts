import type { ActionDone, DecisionChainMember, OpportunityStageKind } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { visibleLead, visibleOpportunity } from '../customers/access';
import type { Scope } from '../scope';
import { registerTimelineSource } from '../timeline/timeline.repository';
import type { LineInput, OpportunityFilters } from './opportunities.schemas';

/*
 * Every query of opportunities (商机). Reads are filtered by `visibleOpportunity` (the
 * member's lead scope on the owner); writes go through rows the service found visible.
 */

export type OpportunityRow = {
  id: string;
  name: string;
  customer_id: string | null;
  customer_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  lead_id: string | null;
  owner_user_id: string | null;
  owner_name: string | null;
  team_id: string | null;
  stage: string;
  stage_kind: OpportunityStageKind;
  stage_entered_at: Date;
  stage_entered_text: string;
  amount: string | null;
  currency: string;
  expected_close_on: string | null;
  probability: number;
  needs: string[];
  competitors: string[];
  decision_chain: DecisionChainMember[];
  actions_done: Record<string, ActionDone>;
  notes: string | null;
  lost_reason: string | null;
  lost_note: string | null;
  won_at: Date | null;
  lost_at: Date | null;
  order_id: string | null;
  handoff_task_id: string | null;
  line_count: number;
  created_at: Date;
  created_text: string;
  updated_at: Date;
  seconds_in_stage: number;
};

const COLUMNS = sql`opportunities.id, opportunities.name, opportunities.customer_id, customer.name as customer_name,
  opportunities.contact_id, contact.name as contact_name, opportunities.lead_id, opportunities.owner_user_id,
  owner.name as owner_name, opportunities.team_id, opportunities.stage, opportunities.stage_kind,
  opportunities.stage_entered_at, opportunities.stage_entered_at::text as stage_entered_text,
  opportunities.amount::text as amount, opportunities.currency, opportunities.expected_close_on::text as expected_close_on,
  opportunities.probability, opportunities.needs, opportunities.competitors, opportunities.decision_chain,
  opportunities.actions_done, opportunities.notes, opportunities.lost_reason, opportunities.lost_note,
  opportunities.won_at, opportunities.lost_at, opportunities.order_id, opportunities.handoff_task_id,
  (select count(*)::int from opportunity_lines line
    where line.tenant_id = opportunities.tenant_id and line.opportunity_id = opportunities.id) as line_count,
  opportunities.created_at, opportunities.created_at::text as created_text, opportunities.updated_at,
  extract(epoch from now() - opportunities.stage_entered_at)::float8 as seconds_in_stage`;

const JOINS = sql`left join customers customer
    on customer.tenant_id = opportunities.tenant_id and customer.id = opportunities.customer_id
  left join contacts contact on contact.tenant_id = opportunities.tenant_id and contact.id = opportunities.contact_id
  left join users owner on owner.id = opportunities.owner_user_id`;

/** The filters of lists and the board as one condition. */
function filterSql(scope: Scope, filters: Partial<OpportunityFilters>): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [visibleOpportunity(scope.access)];
  if (filters.stage) parts.push(sql<boolean>`opportunities.stage = ${filters.stage}`);
  if (filters.stageKind) parts.push(sql<boolean>`opportunities.stage_kind = ${filters.stageKind}`);
  if (filters.owner === 'me') parts.push(sql<boolean>`opportunities.owner_user_id = ${scope.userId}::uuid`);
  else if (filters.owner) parts.push(sql<boolean>`opportunities.owner_user_id = ${filters.owner}::uuid`);
  if (filters.customerId) parts.push(sql<boolean>`opportunities.customer_id = ${filters.customerId}::uuid`);
  if (filters.leadId) parts.push(sql<boolean>`opportunities.lead_id = ${filters.leadId}::uuid`);
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
    parts.push(sql<boolean>`(opportunities.name ilike ${pattern} or exists (
      select 1 from customers c where c.tenant_id = opportunities.tenant_id and c.id = opportunities.customer_id
        and c.name ilike ${pattern}))`);
  }
  if (filters.closeFrom)
    parts.push(sql<boolean>`opportunities.expected_close_on >= ${filters.closeFrom}::date`);
  if (filters.closeTo) parts.push(sql<boolean>`opportunities.expected_close_on <= ${filters.closeTo}::date`);
  if (filters.amountMin) parts.push(sql<boolean>`opportunities.amount >= ${filters.amountMin}::numeric`);
  if (filters.amountMax) parts.push(sql<boolean>`opportunities.amount <= ${filters.amountMax}::numeric`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

export type OpportunitySort = 'created' | 'in_stage' | 'close' | 'amount';
/** The last row's sort values: [text of the sort value ('' for null), id]. */
export type OpportunityCursor = { value: string; id: string };

const ORDER: Record<OpportunitySort, { expression: RawBuilder<unknown>; order: RawBuilder<unknown> }> = {
  created: {
    expression: sql`opportunities.created_at`,
    order: sql`opportunities.created_at desc, opportunities.id desc`,
  },
  in_stage: {
    expression: sql`opportunities.stage_entered_at`,
    order: sql`opportunities.stage_entered_at desc, opportunities.id desc`,
  },
  close: {
    expression: sql`coalesce(opportunities.expected_close_on, 'infinity'::date)`,
    order: sql`coalesce(opportunities.expected_close_on, 'infinity'::date) asc, opportunities.id desc`,
  },
  amount: {
    expression: sql`coalesce(opportunities.amount, -1)`,
    order: sql`coalesce(opportunities.amount, -1) desc, opportunities.id desc`,
  },
};

function afterCursor(sort: OpportunitySort, cursor: OpportunityCursor | null): RawBuilder<boolean> {
  if (!cursor) return sql<boolean>`true`;
  const id = sql`${cursor.id}::uuid`;
  switch (sort) {
    case 'created':
      return sql<boolean>`(opportunities.created_at, opportunities.id) < (${cursor.value}::timestamptz, ${id})`;
    case 'in_stage':
      return sql<boolean>`(opportunities.stage_entered_at, opportunities.id) < (${cursor.value}::timestamptz, ${id})`;
    case 'close':
      return sql<boolean>`(coalesce(opportunities.expected_close_on, 'infinity'::date) > ${cursor.value}::date
        or (coalesce(opportunities.expected_close_on, 'infinity'::date) = ${cursor.value}::date and opportunities.id < ${id}))`;
    case 'amount':
      return sql<boolean>`(coalesce(opportunities.amount, -1), opportunities.id) < (${cursor.value}::numeric, ${id})`;
  }
}

/** What a card of a list or the kanban shows: no lines, contact, chain or notes to read. */
export type CardRow = Pick<
  OpportunityRow,
  | 'id'
  | 'name'
  | 'customer_id'
  | 'customer_name'
  | 'owner_user_id'
  | 'owner_name'
  | 'stage'
  | 'stage_kind'
  | 'stage_entered_at'
  | 'amount'
  | 'currency'
  | 'expected_close_on'
  | 'probability'
  | 'lost_reason'
  | 'created_at'
> & { needs_count: number };

const CARD_COLUMNS = sql`opportunities.id, opportunities.name, opportunities.customer_id, customer.name as customer_name,
  opportunities.owner_user_id, owner.name as owner_name, opportunities.stage, opportunities.stage_kind,
  opportunities.stage_entered_at, opportunities.amount::text as amount, opportunities.currency,
  opportunities.expected_close_on::text as expected_close_on, opportunities.probability,
  cardinality(opportunities.needs) as needs_count, opportunities.lost_reason, opportunities.created_at`;

const CARD_JOINS = sql`left join customers customer
    on customer.tenant_id = opportunities.tenant_id and customer.id = opportunities.customer_id
  left join users owner on owner.id = opportunities.owner_user_id`;

export type PageRow = CardRow & { sort_text: string };

/** One page of a filtered list, `limit + 1` rows (the extra one says there is more). */
export async function selectOpportunityPage(
  scope: Scope,
  filters: Partial<OpportunityFilters>,
  sort: OpportunitySort,
  cursor: OpportunityCursor | null,
  limit: number,
): Promise<PageRow[]> {
  const { expression, order } = ORDER[sort];
  const { rows } = await sql<PageRow>`
    select ${CARD_COLUMNS}, ${expression}::text as sort_text
    from opportunities ${CARD_JOINS}
    where opportunities.tenant_id = ${scope.tenantId} and ${filterSql(scope, filters)} and ${afterCursor(sort, cursor)}
    order by ${order}
    limit ${limit + 1}`.execute(scope.trx);
  return rows;
}

/**
 * The kanban: for each stage, its first `perStage + 1` cards (newest in the stage first) with
 * the stage's count and amount — one statement, each stage read through its index.
 */
export async function selectBoard(
  scope: Scope,
  stages: readonly string[],
  filters: Partial<OpportunityFilters>,
  perStage: number,
): Promise<{ stage: string; count: number; amount: string; rows: PageRow[] }[]> {
  const where = filterSql(scope, filters);
  // One statement, one round trip: each column's count and amount (one pass over the deals)
  // beside its first cards; a column without cards still has its row (the card's columns null).
  const { rows } = await sql<
    Omit<PageRow, 'id'> & {
      /** Null on the row of a column without cards. */
      id: string | null;
      column_stage: string;
      column_count: number | null;
      column_amount: string | null;
    }
  >`
    with column_totals as (
      select opportunities.stage, count(*)::int as count, coalesce(sum(opportunities.amount), 0)::text as amount
      from opportunities
      where opportunities.tenant_id = ${scope.tenantId} and opportunities.stage = any(${sql.val(stages)}::text[]) and ${where}
      group by opportunities.stage
    )
    select column_stage.key as column_stage, column_totals.count as column_count,
      column_totals.amount as column_amount, card.*
    from unnest(${sql.val(stages)}::text[]) as column_stage (key)
    left join column_totals on column_totals.stage = column_stage.key
    left join lateral (
      select ${CARD_COLUMNS}, opportunities.stage_entered_at::text as sort_text
      from opportunities ${CARD_JOINS}
      where opportunities.tenant_id = ${scope.tenantId} and opportunities.stage = column_stage.key and ${where}
      order by opportunities.stage_entered_at desc, opportunities.id desc
      limit ${perStage + 1}
    ) card on true`.execute(scope.trx);
  // One pass, each row kept as the driver made it (its column_* fields unread beyond here): a
  // copy of every card without them (rest and spread) was 12 % of the board's CPU (BM9b profile).
  const columns = new Map(
    stages.map((stage) => [stage, { stage, count: 0, amount: '0', rows: [] as PageRow[] }]),
  );
  for (const row of rows) {
    const column = columns.get(row.column_stage);
    if (!column) continue;
    column.count = row.column_count ?? 0;
    column.amount = row.column_amount ?? '0';
    if (hasCard(row)) column.rows.push(row);
  }
  return [...columns.values()];
}

function hasCard<Row extends { id: string | null }>(row: Row): row is Row & { id: string } {
  return row.id !== null;
}

/** One opportunity the member sees, or undefined. `forUpdate` locks it for a move. */
export async function selectOpportunity(
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OpportunityRow | undefined> {
  const { rows } = await sql<OpportunityRow>`
    select ${COLUMNS} from opportunities ${JOINS}
    where opportunities.tenant_id = ${scope.tenantId} and opportunities.id = ${id}::uuid
      and ${visibleOpportunity(scope.access)}
    ${options.forUpdate ? sql`for update of opportunities` : sql``}`.execute(scope.trx);
  return rows[0];
}

export async function selectLines(
  scope: Scope,
  id: string,
): Promise<{ product: string; quantity: string; unit_price: string; amount: string }[]> {
  const { rows } = await sql<{ product: string; quantity: string; unit_price: string; amount: string }>`
    select product, quantity::text as quantity, unit_price::text as unit_price,
      round(quantity * unit_price, 2)::text as amount
    from opportunity_lines where tenant_id = ${scope.tenantId} and opportunity_id = ${id}::uuid
    order by position`.execute(scope.trx);
  return rows;
}

export type HistoryRow = {
  from_stage: string | null;
  to_stage: string;
  seconds_in_from: string | null;
  changed_at: Date;
  changed_by_name: string | null;
};

export async function selectHistory(scope: Scope, id: string): Promise<HistoryRow[]> {
  const { rows } = await sql<HistoryRow>`
    select history.from_stage, history.to_stage, history.seconds_in_from::text as seconds_in_from,
      history.changed_at, changer.name as changed_by_name
    from opportunity_stage_history history
    left join users changer on changer.id = history.changed_by
    where history.tenant_id = ${scope.tenantId} and history.opportunity_id = ${id}::uuid
    order by history.changed_at desc, history.id desc`.execute(scope.trx);
  return rows;
}

/** The open SLA tasks of an opportunity's standard actions: action key → due instant. */
export async function selectActionDeadlines(scope: Scope, id: string): Promise<Map<string, Date>> {
  const { rows } = await sql<{ source_key: string; due_at: Date | null }>`
    select source_key, due_at from tasks
    where tenant_id = ${scope.tenantId} and related_kind = 'opportunity' and related_id = ${id}::uuid
      and source_key like ${`opportunity:${id}:action:%`} and status = 'open'`.execute(scope.trx);
  const deadlines = new Map<string, Date>();
  for (const row of rows) {
    const action = row.source_key.split(':')[3];
    if (action && row.due_at) deadlines.set(action, new Date(row.due_at));
  }
  return deadlines;
}

/** The total of lines, computed in decimals by the database. */
export async function totalOfLines(scope: Scope, lines: readonly LineInput[]): Promise<string> {
  const { rows } = await sql<{ total: string }>`
    select coalesce(sum(round(quantity * unit_price, 2)), 0)::text as total
    from unnest(${sql.val(lines.map((line) => line.quantity))}::numeric[],
                ${sql.val(lines.map((line) => line.unitPrice))}::numeric[]) as line (quantity, unit_price)`.execute(
    scope.trx,
  );
  return rows[0]?.total ?? '0';
}

export type NewOpportunity = {
  name: string;
  customerId: string | null;
  contactId: string | null;
  leadId: string | null;
  ownerUserId: string | null;
  stage: string;
  stageKind: OpportunityStageKind;
  amount: string | null;
  currency: string;
  expectedCloseOn: string | null;
  probability: number;
  needs: readonly string[];
  competitors: readonly string[];
  decisionChain: readonly DecisionChainMember[];
  notes: string | null;
};

export async function insertOpportunity(scope: Scope, opportunity: NewOpportunity): Promise<string> {
  const row = await scope.trx
    .insertInto('opportunities')
    .values({
      tenant_id: scope.tenantId,
      name: opportunity.name,
      customer_id: opportunity.customerId,
      contact_id: opportunity.contactId,
      lead_id: opportunity.leadId,
      owner_user_id: opportunity.ownerUserId,
      team_id: opportunity.ownerUserId
        ? sql<string | null>`(select m.team_id from memberships m
            where m.tenant_id = ${scope.tenantId} and m.user_id = ${opportunity.ownerUserId}::uuid)`
        : null,
      stage: opportunity.stage,
      stage_kind: opportunity.stageKind,
      amount: opportunity.amount,
      currency: opportunity.currency,
      expected_close_on: opportunity.expectedCloseOn,
      probability: opportunity.probability,
      needs: [...opportunity.needs],
      competitors: [...opportunity.competitors],
      decision_chain: JSON.stringify(opportunity.decisionChain),
      notes: opportunity.notes,
      created_by: scope.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertHistory(scope, row.id, null, opportunity.stage, opportunity.stageKind);
  return row.id;
}

export type OpportunityChanges = {
  name?: string;
  customer_id?: string | null;
  contact_id?: string | null;
  amount?: string | null;
  currency?: string;
  expected_close_on?: string | null;
  probability?: number;
  needs?: string[];
  competitors?: string[];
  decision_chain?: string;
  notes?: string | null;
};

export async function updateOpportunity(
  scope: Scope,
  id: string,
  changes: OpportunityChanges,
): Promise<void> {
  await scope.trx
    .updateTable('opportunities')
    .set({ ...changes, updated_at: sql`now()` })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

export async function replaceLines(scope: Scope, id: string, lines: readonly LineInput[]): Promise<void> {
  await scope.trx
    .deleteFrom('opportunity_lines')
    .where('tenant_id', '=', scope.tenantId)
    .where('opportunity_id', '=', id)
    .execute();
  if (lines.length === 0) return;
  await scope.trx
    .insertInto('opportunity_lines')
    .values(
      lines.map((line, position) => ({
        tenant_id: scope.tenantId,
        opportunity_id: id,
        position,
        product: line.product,
        quantity: line.quantity,
        unit_price: line.unitPrice,
      })),
    )
    .execute();
}

async function insertHistory(
  scope: Scope,
  id: string,
  from: { stage: string; enteredAt: Date } | null,
  toStage: string,
  toKind: OpportunityStageKind,
): Promise<void> {
  await sql`
    insert into opportunity_stage_history (tenant_id, opportunity_id, from_stage, to_stage, to_kind, seconds_in_from, changed_by)
    values (${scope.tenantId}, ${id}::uuid, ${from?.stage ?? null}, ${toStage}, ${toKind},
      ${from ? sql`greatest(0, extract(epoch from now() - ${from.enteredAt}::timestamptz))::bigint` : null},
      ${scope.userId}::uuid)`.execute(scope.trx);
}

export type StageMove = {
  from: { stage: string; enteredAt: Date };
  stage: string;
  kind: OpportunityStageKind;
  probability: number;
  lostReason: string | null;
  lostNote: string | null;
};

/** Moves an opportunity to a stage: the stage, its kind and probability, the clock, and a history row. */
export async function moveOpportunityRow(scope: Scope, id: string, move: StageMove): Promise<void> {
  await scope.trx
    .updateTable('opportunities')
    .set({
      stage: move.stage,
      stage_kind: move.kind,
      probability: move.probability,
      stage_entered_at: sql`now()`,
      lost_reason: move.kind === 'lost' ? move.lostReason : null,
      lost_note: move.kind === 'lost' ? move.lostNote : null,
      lost_at: move.kind === 'lost' ? sql`now()` : null,
      won_at: move.kind === 'won' ? sql`now()` : move.kind === 'after_sales' ? sql`won_at` : null,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
  await insertHistory(scope, id, move.from, move.stage, move.kind);
}

/** Ticks a standard action off (or back on). */
export async function setActionDone(scope: Scope, id: string, action: string, done: boolean): Promise<void> {
  const change = done
    ? sql`actions_done || jsonb_build_object(${action}::text, jsonb_build_object('at', now(), 'by', ${scope.userId}::uuid))`
    : sql`actions_done - ${action}::text`;
  await sql`update opportunities set actions_done = ${change}, updated_at = now()
    where tenant_id = ${scope.tenantId} and id = ${id}::uuid`.execute(scope.trx);
}

export async function setWonResult(
  scope: Scope,
  id: string,
  result: { customerId: string; orderId: string | null; handoffKey: string },
): Promise<void> {
  await sql`update opportunities set customer_id = ${result.customerId}::uuid, order_id = ${result.orderId}::uuid,
      handoff_task_id = (select tasks.id from tasks
        where tasks.tenant_id = ${scope.tenantId} and tasks.source_key = ${result.handoffKey}),
      updated_at = now()
    where tenant_id = ${scope.tenantId} and id = ${id}::uuid`.execute(scope.trx);
}

/**
 * Who takes a won customer over in customer operations: a service agent, of the deal's team
 * first, the one with the fewest open tasks; null when the tenant has none.
 */
export async function selectOperationsMember(scope: Scope, teamId: string | null): Promise<string | null> {
  const { rows } = await sql<{ user_id: string }>`
    select m.user_id from memberships m
    where m.tenant_id = ${scope.tenantId} and m.role = 'service_agent'
    order by (m.team_id is not distinct from ${teamId}::uuid) desc,
      (select count(*) from tasks t
        where t.tenant_id = m.tenant_id and t.owner_user_id = m.user_id and t.status = 'open') asc,
      m.user_id
    limit 1`.execute(scope.trx);
  return rows[0]?.user_id ?? null;
}

/** Gives visible opportunities to a member (and their team). How many changed. */
export async function reassignOpportunityRows(
  scope: Scope,
  ids: readonly string[],
  ownerUserId: string,
): Promise<number> {
  const result = await sql`
    update opportunities set owner_user_id = ${ownerUserId}::uuid,
      team_id = (select m.team_id from memberships m where m.tenant_id = ${scope.tenantId} and m.user_id = ${ownerUserId}::uuid),
      updated_at = now()
    where tenant_id = ${scope.tenantId} and id = any(${sql.val(ids)}::uuid[]) and ${visibleOpportunity(scope.access)}`.execute(
    scope.trx,
  );
  return Number(result.numAffectedRows ?? 0);
}

/** Whether a member of the tenant is within the actor's reach (a manager's team, anyone for an admin). */
export async function selectReachableMember(scope: Scope, userId: string): Promise<boolean> {
  const { access } = scope;
  const within =
    access.leadScope === 'all' || userId === access.userId
      ? sql<boolean>`true`
      : access.leadScope === 'team' && access.teamId
        ? sql<boolean>`m.team_id = ${access.teamId}::uuid`
        : sql<boolean>`false`;
  const { rows } = await sql<{ one: number }>`
    select 1 as one from memberships m
    where m.tenant_id = ${scope.tenantId} and m.user_id = ${userId}::uuid and ${within}`.execute(scope.trx);
  return rows.length > 0;
}

export type LostReasonRow = {
  key: string;
  label_zh: string | null;
  label_en: string | null;
  hidden: boolean;
};

export async function selectLostReasons(scope: Scope): Promise<LostReasonRow[]> {
  return scope.trx
    .selectFrom('opportunity_lost_reasons')
    .select(['key', 'label_zh', 'label_en', 'hidden'])
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('created_at')
    .orderBy('key')
    .execute();
}

export async function upsertLostReason(scope: Scope, reason: LostReasonRow): Promise<void> {
  await scope.trx
    .insertInto('opportunity_lost_reasons')
    .values({ tenant_id: scope.tenantId, ...reason })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'key']).doUpdateSet({
        label_zh: reason.label_zh,
        label_en: reason.label_en,
        hidden: reason.hidden,
      }),
    )
    .execute();
}

/** Whether the member sees this lead (线索). */
export async function selectLeadVisible(scope: Scope, leadId: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`select 1 as one from leads
    where leads.tenant_id = ${scope.tenantId} and leads.id = ${leadId}::uuid and ${visibleLead(scope.access)}`.execute(
    scope.trx,
  );
  return rows.length > 0;
}

/** How many of these opportunities the member sees. */
export async function countVisibleOpportunities(scope: Scope, ids: readonly string[]): Promise<number> {
  const { rows } = await sql<{ count: number }>`select count(*)::int as count from opportunities
    where tenant_id = ${scope.tenantId} and id = any(${sql.val(ids)}::uuid[]) and ${visibleOpportunity(scope.access)}`.execute(
    scope.trx,
  );
  return rows[0]?.count ?? 0;
}

/*
 * A converted lead's history stays on its customer's timeline: the lead's own moves (created,
 * status, owner), its grade changes and the contacts logged on it, read through
 * `leads.converted_customer_id`.
 */
registerTimelineSource({
  kind: 'lead',
  select: (tenantId, customerId) => sql`
    select h.id, h.changed_at as occurred_at, h.changed_by as actor_user_id,
      jsonb_build_object('leadId', l.id, 'lead', coalesce(l.company_name, l.person_name), 'change', h.kind,
        'fromStatus', h.from_status, 'toStatus', h.to_status, 'reason', h.reason, 'note', h.note) as data
    from lead_history h join leads l on l.tenant_id = h.tenant_id and l.id = h.lead_id
    where h.tenant_id = ${tenantId} and l.converted_customer_id = ${customerId}
    union all
    select g.id, g.changed_at, g.changed_by,
      jsonb_build_object('leadId', l.id, 'lead', coalesce(l.company_name, l.person_name), 'change', 'grade',
        'fromGrade', g.from_grade, 'toGrade', g.to_grade)
    from lead_grade_history g join leads l on l.tenant_id = g.tenant_id and l.id = g.lead_id
    where g.tenant_id = ${tenantId} and l.converted_customer_id = ${customerId}
    union all
    select a.id, a.occurred_at, a.user_id,
      jsonb_build_object('leadId', l.id, 'lead', coalesce(l.company_name, l.person_name), 'change', 'contact',
        'contactKind', a.kind, 'summary', a.summary)
    from lead_activities a join leads l on l.tenant_id = a.tenant_id and l.id = a.lead_id
    where a.tenant_id = ${tenantId} and l.converted_customer_id = ${customerId}`,
});
