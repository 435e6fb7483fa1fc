import type { Customer, CustomerMerge, DuplicateScansTable } from '@crm/db';
import type { SameBy } from '@crm/domain';
import { type RawBuilder, type Selectable, sql } from 'kysely';
import { type CountOutput, countRows } from '../counts';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';
import type { DuplicatePairOutput } from './duplicates.schemas';

/**
 * Every query of duplicates: the form's check, the review queue, scans, and merges (what
 * moves, what is recorded, what an undo puts back). Functions take the scope first and return
 * rows or counts; they throw nothing of their own but what the database raises (the service
 * decides what a missing pair, customer or merge means). The set-based SQL that finds pairs
 * (and its confidence, the twin of `confidenceOf`) is in pairs.ts.
 */

/** A scan of the tenant, as recorded. */
export type DuplicateScan = Selectable<DuplicateScansTable>;

/** A customer as the duplicates pages show it. */
export type BriefRow = {
  id: string;
  name: string;
  kind: 'person' | 'company';
  phone: string | null;
  email: string | null;
  credit_code: string | null;
  owner_name: string | null;
  archived_at: Date | null;
  order_count: number;
  created_at: Date;
};

/** A customer sharing one of the keys, whether the actor sees it, and which keys it shares. */
export type MatchRow = BriefRow & {
  hits: { kind: string; branch: boolean; value: string }[];
  visible: boolean;
  person_name: string | null;
};

/**
 * The customers (up to 200, not merged away) holding any of the match keys (`kinds[i]`,
 * `values[i]`), but `excludeId`; `visible` says whether the actor sees each.
 */
export async function selectMatches(
  scope: Scope,
  kinds: string[],
  values: string[],
  excludeId: string | null,
): Promise<MatchRow[]> {
  const { tenantId } = scope;
  const { rows } = await sql<MatchRow>`
    with hits as (
      select m.customer_id, json_agg(json_build_object('kind', m.kind, 'branch', m.branch, 'value', m.value)) as hits
      from customer_match_keys m
      join unnest(${kinds}::text[], ${values}::text[]) as k (kind, value) on k.kind = m.kind and k.value = m.value
      where m.tenant_id = ${tenantId}
        and (${excludeId}::uuid is null or m.customer_id <> ${excludeId}::uuid)
      group by m.customer_id
      limit 200
    )
    select customers.id, customers.name, customers.kind, customers.phone, customers.email, customers.credit_code,
      owner.name as owner_name, customers.archived_at, customers.order_count, customers.created_at, h.hits,
      ${visibleCustomer(scope.access)} as visible, crm_normalize_person_name(customers.name) as person_name
    from hits h
    join customers on customers.tenant_id = ${tenantId} and customers.id = h.customer_id
    left join users owner on owner.id = customers.owner_user_id
    where customers.merged_into is null`.execute(scope.trx);
  return rows;
}

/**
 * The customers (up to 20, not merged away) whose national ID (身份证号) has this blind index,
 * but `excludeId`, with the ciphertext to confirm the number (a 32-bit index can collide);
 * `visible` says whether the actor sees each. Only the actor's tenant.
 */
export async function selectNationalIdHolders(
  scope: Scope,
  blindIndex: string,
  excludeId: string | null,
): Promise<(MatchRow & { ciphertext: string })[]> {
  const { tenantId } = scope;
  const { rows } = await sql<MatchRow & { ciphertext: string }>`
    select customers.id, customers.name, customers.kind, customers.phone, customers.email, customers.credit_code,
      owner.name as owner_name, customers.archived_at, customers.order_count, customers.created_at,
      '[]'::json as hits, ${visibleCustomer(scope.access)} as visible,
      crm_normalize_person_name(customers.name) as person_name, x.ciphertext
    from customer_secrets x
    join customers on customers.tenant_id = ${tenantId} and customers.id = x.customer_id
    left join users owner on owner.id = customers.owner_user_id
    where x.tenant_id = ${tenantId} and x.field = 'national_id' and x.blind_index = ${blindIndex}
      and customers.merged_into is null
      and (${excludeId}::uuid is null or customers.id <> ${excludeId}::uuid)
    limit 20`.execute(scope.trx);
  return rows;
}

const briefColumns = (alias: string) =>
  sql.raw(`json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'kind', ${alias}.kind, 'phone', ${alias}.phone,
    'email', ${alias}.email, 'credit_code', ${alias}.credit_code, 'owner_name', ${alias}_owner.name,
    'archived_at', ${alias}.archived_at, 'order_count', ${alias}.order_count, 'created_at', ${alias}.created_at)`);

/** Whether a customer (by id column) is visible: the record-level filter on a correlated row. */
function visibleById(tenantId: string, idColumn: string, access: RecordAccess) {
  return sql<boolean>`exists (select 1 from customers where customers.tenant_id = ${tenantId}
    and customers.id = ${sql.ref(idColumn)} and ${visibleCustomer(access)})`;
}

export type PairRow = {
  id: string;
  a: BriefRow;
  b: BriefRow;
  reasons: string[];
  confidence: string;
  same_by: SameBy | null;
  status: DuplicatePairOutput['status'];
  source: string;
  detected_at: Date;
  resolved_at: Date | null;
};

export type PairFilters = { status: DuplicatePairOutput['status']; reason?: string; minConfidence?: number };

/**
 * The queue's filters over `duplicate_candidates d` joined to its customers `a` and `b`: only
 * pairs whose two customers the actor sees, neither of them merged away (unless the pair was
 * merged).
 */
function pairConditions(scope: Scope, filters: PairFilters) {
  const { tenantId, access } = scope;
  const reasonFilter = filters.reason ? sql`and ${filters.reason}::text = any(d.reasons)` : sql``;
  const confidenceFilter =
    filters.minConfidence !== undefined ? sql`and d.confidence >= ${filters.minConfidence}::numeric` : sql``;
  return sql<boolean>`d.tenant_id = ${tenantId} and d.status = ${filters.status}
      and (d.status = 'merged' or (a.merged_into is null and b.merged_into is null))
      and ${visibleById(tenantId, 'd.customer_a', access)} and ${visibleById(tenantId, 'd.customer_b', access)}
      ${reasonFilter} ${confidenceFilter}`;
}

/**
 * Up to `limit` pairs of a status (and reason, and least confidence), most confident first,
 * after the cursor: only pairs whose two customers the actor sees, neither of them merged
 * away (unless the pair was merged).
 */
export async function selectPairs(
  scope: Scope,
  filters: PairFilters,
  after: { confidence: string; id: string } | null,
  limit: number,
): Promise<PairRow[]> {
  const afterFilter = after
    ? sql`and (d.confidence, d.id) < (${after.confidence}::numeric, ${after.id}::uuid)`
    : sql``;
  const result = await sql<PairRow>`
    select d.id, ${briefColumns('a')} as a, ${briefColumns('b')} as b, d.reasons, d.confidence::text as confidence,
      d.same_by, d.status, d.source, d.detected_at, d.resolved_at
    from duplicate_candidates d
    join customers a on a.tenant_id = d.tenant_id and a.id = d.customer_a
    join customers b on b.tenant_id = d.tenant_id and b.id = d.customer_b
    left join users a_owner on a_owner.id = a.owner_user_id
    left join users b_owner on b_owner.id = b.owner_user_id
    where ${pairConditions(scope, filters)} ${afterFilter}
    order by d.confidence desc, d.id desc
    limit ${limit}`.execute(scope.trx);
  return result.rows;
}

/** How many pairs of the queue the filters match, of those the actor sees both customers of. */
export function countPairs(scope: Scope, filters: PairFilters): Promise<CountOutput> {
  return countRows(
    scope.trx,
    sql`select 1 from duplicate_candidates d
    join customers a on a.tenant_id = d.tenant_id and a.id = d.customer_a
    join customers b on b.tenant_id = d.tenant_id and b.id = d.customer_b
    where ${pairConditions(scope, filters)}`,
  );
}

/** Marks a pending pair the actor sees as dismissed; whether there was one. */
export async function dismissPair(scope: Scope, id: string, userId: string): Promise<boolean> {
  const { tenantId, access } = scope;
  const result = await sql`
    update duplicate_candidates d set status = 'dismissed', resolved_by = ${userId}, resolved_at = now()
    where d.tenant_id = ${tenantId} and d.id = ${id} and d.status = 'pending'
      and ${visibleById(tenantId, 'd.customer_a', access)} and ${visibleById(tenantId, 'd.customer_b', access)}`.execute(
    scope.trx,
  );
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** A scan asked for by a member, queued. */
export function insertQueuedScan(scope: Scope, requestedBy: string): Promise<DuplicateScan> {
  return scope.trx
    .insertInto('duplicate_scans')
    .values({ tenant_id: scope.tenantId, requested_by: requestedBy, status: 'queued' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A scan nobody queued (the nightly one), running; its id. */
export async function insertRunningScan(scope: Scope): Promise<string> {
  const row = await scope.trx
    .insertInto('duplicate_scans')
    .values({ tenant_id: scope.tenantId, status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function markScanRunning(scope: Scope, id: string): Promise<void> {
  await sql`update duplicate_scans set status = 'running', started_at = clock_timestamp()
    where tenant_id = ${scope.tenantId} and id = ${id}`.execute(scope.trx);
}

export async function markScanDone(
  scope: Scope,
  id: string,
  result: {
    pairs: number;
    newPairs: number;
    removedPairs: number;
    cappedKeys: { kind: string; value: string; customers: number }[];
  },
): Promise<void> {
  await sql`update duplicate_scans set status = 'done', finished_at = clock_timestamp(), pairs = ${result.pairs},
      new_pairs = ${result.newPairs}, removed_pairs = ${result.removedPairs},
      capped_keys = ${JSON.stringify(result.cappedKeys)}::jsonb
    where tenant_id = ${scope.tenantId} and id = ${id}`.execute(scope.trx);
}

export async function markScanFailed(scope: Scope, id: string): Promise<void> {
  await sql`update duplicate_scans set status = 'failed', finished_at = clock_timestamp()
              where tenant_id = ${scope.tenantId} and id = ${id}`.execute(scope.trx);
}

/** The latest scan of the tenant, or undefined before the first one. */
export function selectLastScan(scope: Scope): Promise<DuplicateScan | undefined> {
  return scope.trx
    .selectFrom('duplicate_scans')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Both customers the actor sees, locked in id order (two merges of the same pair cannot interleave). */
export async function lockPair(scope: Scope, ids: [string, string]): Promise<Map<string, Customer>> {
  const { rows } = await sql<Customer & { visible: boolean }>`
    select customers.*, ${visibleCustomer(scope.access)} as visible
    from customers where customers.tenant_id = ${scope.tenantId} and customers.id = any(${ids}::uuid[])
    order by customers.id for update`.execute(scope.trx);
  return new Map(rows.filter((row) => row.visible).map((row) => [row.id, row]));
}

/** A stored sensitive value, as a merge records it to put it back. */
export type SecretRow = {
  field: string;
  ciphertext: string;
  key_version: number;
  blind_index: string;
  hint: string;
};

/** The sensitive values of some customers. */
export function selectSecrets(
  scope: Scope,
  customerIds: string[],
): Promise<(SecretRow & { customer_id: string })[]> {
  return scope.trx
    .selectFrom('customer_secrets')
    .select(['customer_id', 'field', 'ciphertext', 'key_version', 'blind_index', 'hint'])
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', 'in', customerIds)
    .execute();
}

/** The merged customer becomes a tombstone pointing at the survivor (giving up its number if the survivor takes it). */
export async function markMergedInto(
  scope: Scope,
  mergedId: string,
  survivorId: string,
  releaseNumber: boolean,
): Promise<void> {
  await sql`update customers set merged_into = ${survivorId}, archived_at = coalesce(archived_at, now()),
      customer_number = case when ${releaseNumber} then null else customer_number end,
      updated_at = now()
    where tenant_id = ${scope.tenantId} and id = ${mergedId}`.execute(scope.trx);
}

/** The survivor takes the merged customer's `taken` columns, the union of both tags, and `customFields`. */
export async function takeIntoSurvivor(
  scope: Scope,
  survivorId: string,
  mergedId: string,
  taken: string[],
  customFields: Record<string, unknown>,
): Promise<void> {
  const tenantId = scope.tenantId;
  const setTaken = taken.map((column) => sql`${sql.ref(column)} = m.${sql.ref(column)}`);
  await sql`update customers s set
      ${sql.join([
        ...setTaken,
        sql`tag_ids = array(select t from unnest(s.tag_ids || m.tag_ids) with ordinality as u (t, o)
          group by t order by min(o) limit 50)`,
        sql`custom_fields = ${JSON.stringify(customFields)}::jsonb`,
        sql`updated_at = now()`,
      ])}
    from customers m
    where s.tenant_id = ${tenantId} and s.id = ${survivorId} and m.tenant_id = ${tenantId} and m.id = ${mergedId}`.execute(
    scope.trx,
  );
}

export type MovedChildren = {
  orders: string[];
  interactions: string[];
  contacts: string[];
  demoted: string[];
  /** Notes (备注) re-pointed to the survivor; absent in merges recorded before notes existed. */
  notes?: string[];
  /**
   * Tasks (任务) re-pointed to the survivor: every task but a maintenance plan's (the merged
   * customer's plans end with the merge and their open tasks are cancelled by the re-plan;
   * the survivor's own plans keep serving it). Absent in merges recorded before tasks existed.
   */
  tasks?: string[];
};

/**
 * Moves the merged customer's orders, interactions, contacts and notes to the survivor (a merged
 * primary contact stays primary only if the survivor has none); the ids of what moved, and of
 * the contacts no longer primary.
 */
export async function moveChildren(
  scope: Scope,
  survivorId: string,
  mergedId: string,
): Promise<MovedChildren> {
  const tenantId = scope.tenantId;
  const { rows: movedRows } = await sql<MovedChildren>`
    with survivor_primary as (
      select exists (select 1 from contacts where tenant_id = ${tenantId} and customer_id = ${survivorId} and is_primary) as has
    ),
    o as (update orders set customer_id = ${survivorId}
          where tenant_id = ${tenantId} and customer_id = ${mergedId} returning id),
    i as (update interactions set customer_id = ${survivorId}
          where tenant_id = ${tenantId} and customer_id = ${mergedId} returning id),
    c as (update contacts set customer_id = ${survivorId},
            is_primary = is_primary and not (select has from survivor_primary)
          where tenant_id = ${tenantId} and customer_id = ${mergedId}
          returning id, (is_primary = false and (select has from survivor_primary)) as maybe_demoted),
    n as (update customer_notes set customer_id = ${survivorId}
          where tenant_id = ${tenantId} and customer_id = ${mergedId} returning id),
    t as (update tasks set customer_id = ${survivorId}, updated_at = now()
          where tenant_id = ${tenantId} and customer_id = ${mergedId} and source <> 'plan' returning id)
    select coalesce((select array_agg(id) from o), '{}') as orders,
      coalesce((select array_agg(id) from n), '{}') as notes,
      coalesce((select array_agg(id) from t), '{}') as tasks,
      coalesce((select array_agg(id) from i), '{}') as interactions,
      coalesce((select array_agg(id) from c), '{}') as contacts,
      coalesce((select array_agg(ct.id) from contacts ct where ct.tenant_id = ${tenantId}
        and ct.customer_id = ${mergedId} and ct.is_primary), '{}') as demoted`.execute(scope.trx);
  return movedRows[0] ?? { orders: [], interactions: [], contacts: [], demoted: [], notes: [], tasks: [] };
}

/** The record of a merge (everything an undo needs); its id. */
export async function insertMerge(
  scope: Scope,
  values: {
    survivorId: string;
    mergedId: string;
    candidateId: string | null;
    survivorBefore: unknown;
    mergedBefore: unknown;
    moved: unknown;
  },
): Promise<string> {
  const record = await scope.trx
    .insertInto('customer_merges')
    .values({
      tenant_id: scope.tenantId,
      survivor_id: values.survivorId,
      merged_id: values.mergedId,
      candidate_id: values.candidateId,
      merged_by: scope.userId,
      survivor_before: JSON.stringify(values.survivorBefore),
      merged_before: JSON.stringify(values.mergedBefore),
      moved: JSON.stringify(values.moved),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return record.id;
}

/** The pair (a < b) as merged, whether or not a scan had found it. */
export async function upsertMergedPair(scope: Scope, a: string, b: string): Promise<void> {
  const { tenantId, userId } = scope;
  await sql`insert into duplicate_candidates as d
      (tenant_id, customer_a, customer_b, reasons, confidence, source, status, resolved_by, resolved_at)
    values (${tenantId}, ${a}, ${b}, array['manual'], 0, 'scan', 'merged', ${userId}, now())
    on conflict (tenant_id, customer_a, customer_b)
      do update set status = 'merged', resolved_by = ${userId}, resolved_at = now()`.execute(scope.trx);
}

/** An entry of the survivor's audit trail (merge or unmerge), by the acting member. */
export async function insertMergeAudit(
  scope: Scope,
  customerId: string,
  action: 'merge' | 'unmerge',
  changes: Record<string, unknown>,
): Promise<void> {
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    values (${scope.tenantId}, app_user_id(), 'customer', ${customerId}, ${customerId}, ${sql.lit(action)},
      ${JSON.stringify(changes)}::jsonb)`.execute(scope.trx);
}

/** A merge, locked for its undo. */
export function selectMergeForUpdate(scope: Scope, mergeId: string): Promise<CustomerMerge | undefined> {
  return scope.trx
    .selectFrom('customer_merges')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', mergeId)
    .forUpdate()
    .executeTakeFirst();
}

/** Whether either customer of a merge took part in a later merge not undone. */
export async function hasLaterMerge(scope: Scope, merge: CustomerMerge): Promise<boolean> {
  const later = await sql<{ id: string }>`
    select id from customer_merges
    where tenant_id = ${scope.tenantId} and undone_at is null and id <> ${merge.id} and merged_at >= ${merge.merged_at}
      and (survivor_id in (${merge.survivor_id}, ${merge.merged_id}) or merged_id in (${merge.survivor_id}, ${merge.merged_id}))
    limit 1`.execute(scope.trx);
  return later.rows.length > 0;
}

/** Puts back the survivor's `columns` as they were in `before` (a customers row as jsonb). */
export async function restoreSurvivor(
  scope: Scope,
  survivorId: string,
  columns: string[],
  before: Record<string, unknown>,
): Promise<void> {
  await sql`update customers c set ${sql.join([
    ...columns.map((column) => sql`${sql.ref(column)} = r.${sql.ref(column)}`),
    sql`updated_at = now()`,
  ])}
    from jsonb_populate_record(null::customers, ${JSON.stringify(before)}::jsonb) r
    where c.tenant_id = ${scope.tenantId} and c.id = ${survivorId}`.execute(scope.trx);
}

/** Brings the merged customer back as it was (archived or not, its number). */
export async function restoreMerged(
  scope: Scope,
  mergedId: string,
  before: { archived_at: string | null; customer_number: string | null },
): Promise<void> {
  await sql`update customers set merged_into = null, archived_at = ${before.archived_at}::timestamptz,
      customer_number = ${before.customer_number}, updated_at = now()
    where tenant_id = ${scope.tenantId} and id = ${mergedId}`.execute(scope.trx);
}

/** Moves exactly the orders, interactions, contacts, notes and tasks that moved back (demoted contacts primary again). */
export async function moveChildrenBack(
  scope: Scope,
  survivorId: string,
  mergedId: string,
  moved: MovedChildren,
): Promise<void> {
  const { trx, tenantId } = scope;
  const s = survivorId;
  const m = mergedId;
  await sql`update orders set customer_id = ${m}
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.orders}::uuid[])`.execute(trx);
  await sql`update interactions set customer_id = ${m}
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.interactions}::uuid[])`.execute(
    trx,
  );
  await sql`update contacts set customer_id = ${m}, is_primary = is_primary or id = any(${moved.demoted}::uuid[])
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.contacts}::uuid[])`.execute(
    trx,
  );
  await sql`update customer_notes set customer_id = ${m}
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.notes ?? []}::uuid[])`.execute(
    trx,
  );
  await sql`update tasks set customer_id = ${m}, updated_at = now()
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.tasks ?? []}::uuid[])`.execute(
    trx,
  );
}

/** An opening balance (导入的期初数据) as stored, for a merge to put back on undo. */
export type OpeningBalanceRow = {
  as_of: string;
  amount_12m: string;
  amount_lifetime: string;
  order_count: number;
  last_deal_on: string | null;
  import_run_id: string | null;
  created_by: string | null;
};

/** The opening balances of the two customers of a merge, by customer id. */
export async function selectOpeningBalances(
  scope: Scope,
  customerIds: string[],
): Promise<Map<string, OpeningBalanceRow>> {
  const { rows } = await sql<OpeningBalanceRow & { customer_id: string }>`
    select customer_id, as_of::text as as_of, amount_12m::text as amount_12m, amount_lifetime::text as amount_lifetime,
      order_count, last_deal_on::text as last_deal_on, import_run_id, created_by
    from customer_opening_balances
    where tenant_id = ${scope.tenantId} and customer_id = any(${customerIds}::uuid[])`.execute(scope.trx);
  return new Map(rows.map(({ customer_id, ...row }) => [customer_id, row]));
}

/** A date's midnight in Beijing, as a point in time. */
const midnight = (date: RawBuilder<unknown>) => sql`((${date})::timestamp at time zone 'Asia/Shanghai')`;

/**
 * Gives the survivor one opening balance for both customers (docs/duplicates.md, "Opening
 * balances"), as of the later of the two as-of dates, and removes the merged customer's. Each
 * side is brought forward to that date: its 12-month figure loses one 365th a day as the
 * facts do, and its completed orders placed after its own as-of date (all of them for a
 * side without a balance) up to the combined date are added — in the tenant's currency for
 * the amounts, as the facts count them — so that no order is counted twice or dropped once
 * the orders move. The last deal date is the latest of the two and of those orders. Runs
 * before the orders move.
 */
export async function combineOpeningBalances(
  scope: Scope,
  survivorId: string,
  mergedId: string,
  asOf: string,
): Promise<void> {
  const { trx, tenantId } = scope;
  const until = midnight(sql`${asOf}::date + 1`);
  await sql`
    with sides as (
      select c.id, b.as_of, coalesce(b.amount_12m, 0) as amount_12m, coalesce(b.amount_lifetime, 0) as amount_lifetime,
        coalesce(b.order_count, 0) as order_count, b.last_deal_on, b.import_run_id
      from customers c
      left join customer_opening_balances b on b.tenant_id = c.tenant_id and b.customer_id = c.id
      where c.tenant_id = ${tenantId} and c.id in (${survivorId}, ${mergedId})
    ),
    brought as (
      select s.id, s.import_run_id,
        round(s.amount_12m * greatest(0, 1 - (${asOf}::date - coalesce(s.as_of, ${asOf}::date)) / 365.0), 2)
          + coalesce(sum(o.amount) filter (where o.currency = t.currency
            and o.ordered_at >= ${until} - interval '12 months'), 0) as amount_12m,
        s.amount_lifetime + coalesce(sum(o.amount) filter (where o.currency = t.currency), 0) as amount_lifetime,
        s.order_count + count(o.id)::int as order_count,
        greatest(s.last_deal_on, max((o.ordered_at at time zone 'Asia/Shanghai')::date)) as last_deal_on
      from sides s
      join tenants t on t.id = ${tenantId}
      left join orders o on o.tenant_id = ${tenantId} and o.customer_id = s.id and o.status = 'completed'
        and (s.as_of is null or o.ordered_at >= ${midnight(sql`s.as_of + 1`)}) and o.ordered_at < ${until}
      group by s.id, s.import_run_id, s.amount_12m, s.amount_lifetime, s.order_count, s.last_deal_on, s.as_of
    )
    insert into customer_opening_balances (tenant_id, customer_id, as_of, amount_12m, amount_lifetime, order_count,
      last_deal_on, import_run_id, created_by)
    select ${tenantId}, ${survivorId}, ${asOf}::date, sum(amount_12m), sum(amount_lifetime), sum(order_count)::int,
      max(last_deal_on),
      (select import_run_id from brought where import_run_id is not null order by id = ${survivorId} desc limit 1),
      ${scope.userId}::uuid
    from brought
    on conflict (tenant_id, customer_id) do update set as_of = excluded.as_of, amount_12m = excluded.amount_12m,
      amount_lifetime = excluded.amount_lifetime, order_count = excluded.order_count,
      last_deal_on = excluded.last_deal_on, import_run_id = excluded.import_run_id,
      created_by = excluded.created_by, updated_at = now()`.execute(trx);
  await sql`delete from customer_opening_balances where tenant_id = ${tenantId} and customer_id = ${mergedId}`.execute(
    trx,
  );
}

/** Puts the two customers' opening balances back as they were before a merge (none where there was none). */
export async function restoreOpeningBalances(
  scope: Scope,
  before: Record<string, OpeningBalanceRow | null>,
): Promise<void> {
  const { trx, tenantId } = scope;
  const ids = Object.keys(before);
  await sql`delete from customer_opening_balances where tenant_id = ${tenantId} and customer_id = any(${ids}::uuid[])`.execute(
    trx,
  );
  for (const [customerId, row] of Object.entries(before)) {
    if (!row) continue;
    await trx
      .insertInto('customer_opening_balances')
      .values({ tenant_id: tenantId, customer_id: customerId, ...row })
      .execute();
  }
}

/** A customer's stored sensitive value put back as it was (its own ciphertext, bound to its id). */
export async function restoreSecret(scope: Scope, customerId: string, previous: SecretRow): Promise<void> {
  await scope.trx
    .insertInto('customer_secrets')
    .values({ tenant_id: scope.tenantId, customer_id: customerId, ...previous })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'customer_id', 'field']).doUpdateSet({
        ciphertext: previous.ciphertext,
        key_version: previous.key_version,
        blind_index: previous.blind_index,
        hint: previous.hint,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

export async function deleteSecret(scope: Scope, customerId: string, field: string): Promise<void> {
  await scope.trx
    .deleteFrom('customer_secrets')
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', customerId)
    .where('field', '=', field)
    .execute();
}

export async function markMergeUndone(scope: Scope, mergeId: string): Promise<void> {
  await scope.trx
    .updateTable('customer_merges')
    .set({ undone_at: sql<Date>`now()`, undone_by: scope.userId })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', mergeId)
    .execute();
}

/** The pair (a < b) back in the queue; a pair that only the merge made (reason `manual`) goes. */
export async function reopenPair(scope: Scope, a: string, b: string): Promise<void> {
  const { trx, tenantId } = scope;
  await sql`update duplicate_candidates set status = 'pending', resolved_by = null, resolved_at = null
    where tenant_id = ${tenantId} and customer_a = ${a} and customer_b = ${b} and status = 'merged'`.execute(
    trx,
  );
  await sql`delete from duplicate_candidates
    where tenant_id = ${tenantId} and customer_a = ${a} and customer_b = ${b} and reasons = array['manual']`.execute(
    trx,
  );
}

export type MergeRecordRow = {
  id: string;
  survivor_id: string;
  merged_id: string;
  merged_name: string;
  merged_at: Date;
  merged_by: string | null;
  undone_at: Date | null;
  moved: { orders: string[]; interactions: string[]; contacts: string[] };
};

/** The merges into a customer, newest first (at most 50). */
export async function selectMerges(scope: Scope, survivorId: string): Promise<MergeRecordRow[]> {
  const { rows } = await sql<MergeRecordRow>`
    select cm.id, cm.survivor_id, cm.merged_id, m.name as merged_name, cm.merged_at, u.name as merged_by,
      cm.undone_at, cm.moved
    from customer_merges cm
    join customers m on m.tenant_id = cm.tenant_id and m.id = cm.merged_id
    left join users u on u.id = cm.merged_by
    where cm.tenant_id = ${scope.tenantId} and cm.survivor_id = ${survivorId}
    order by cm.merged_at desc
    limit 50`.execute(scope.trx);
  return rows;
}
