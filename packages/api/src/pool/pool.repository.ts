import type { LeadSource, PoolEntity, PoolMoveKind, PoolReleaseReason, PoolUnmatched } from '@crm/domain';
import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';

/**
 * Every query of the 公海 (public pool): the list, claims (one statement that moves the
 * records still in the pool and writes the moves, so two reps claiming the same lead at once
 * cannot both get it), releases, a manager's assignment, the daily recycle (one statement per
 * list and the warnings' one select), the moves, the settings. Functions take the scope
 * first and return rows or counts; the service decides what they mean.
 */

const OPEN_LEAD = sql<boolean>`l.status in ('new', 'contacted', 'qualified')`;
const LIVE_CUSTOMER = sql<boolean>`c.archived_at is null and c.merged_into is null`;

/** When a customer was last worked: the last interaction, the last deal, the assignment, its creation. */
const CUSTOMER_LAST_ACTIVITY = sql<Date>`greatest(c.owner_assigned_at, c.last_deal_at, c.created_at,
  (select max(i.occurred_at) from interactions i where i.tenant_id = c.tenant_id and i.customer_id = c.id))`;
/** When a lead was last worked: the last logged contact, the assignment, its creation. */
const LEAD_LAST_ACTIVITY = sql<Date>`greatest(l.last_contact_at, l.assigned_at, l.created_at)`;

/** Serialises one member's claims (the daily limit is counted, then used, in one transaction). */
export async function lockMemberClaims(scope: Scope, userId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`pool-claim:${scope.tenantId}:${userId}`}, 0))`.execute(
    scope.trx,
  );
}

/** How many records the member claimed on `day` (the tenant's day in `timeZone`). */
export async function countClaimsOn(
  scope: Scope,
  userId: string,
  day: string,
  timeZone: string,
): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    select count(*)::int as count from pool_moves
    where tenant_id = ${scope.tenantId} and kind = 'claim' and actor_user_id = ${userId}
      and occurred_at >= (${day}::date)::timestamp at time zone ${timeZone}
      and occurred_at < (${day}::date + 1)::timestamp at time zone ${timeZone}`.execute(scope.trx);
  return rows[0]?.count ?? 0;
}

export async function selectMembership(
  scope: Scope,
  userId: string,
): Promise<{ user_id: string; name: string; team_id: string | null } | undefined> {
  const { rows } = await sql<{ user_id: string; name: string; team_id: string | null }>`
    select m.user_id, u.name, m.team_id from memberships m join users u on u.id = m.user_id
    where m.tenant_id = ${scope.tenantId} and m.user_id = ${userId}`.execute(scope.trx);
  return rows[0];
}

/**
 * Moves the customers among `ids` still in the pool to `userId` and writes a move of `kind`
 * for each, in one statement; rows locked by another claim are waited for and then, no longer
 * in the pool, left out. The ids and names of those moved. (Leads move through the leads
 * capability; their moves are written by `insertLeadPoolMoves`.)
 */
export async function takeCustomersFromPool(
  scope: Scope,
  ids: readonly string[],
  to: { userId: string; teamId: string | null },
  kind: Extract<PoolMoveKind, 'claim' | 'pool_assign'>,
  at: Date,
): Promise<{ id: string; name: string }[]> {
  const { rows } = await sql<{ id: string; name: string }>`
    with moved as (
      update customers c set owner_user_id = ${to.userId}, in_pool = false, updated_at = ${at}::timestamptz
      where c.tenant_id = ${scope.tenantId} and c.id = any(${ids as string[]}::uuid[]) and c.in_pool
        and ${LIVE_CUSTOMER}
      returning c.id, c.name
    ), recorded as (
      insert into pool_moves (tenant_id, entity, customer_id, kind, to_user_id, team_id, actor_user_id, occurred_at)
      select ${scope.tenantId}, 'customer', id, ${kind}, ${to.userId}, ${to.teamId}::uuid, ${scope.userId},
        ${at}::timestamptz from moved
    )
    select id, name from moved`.execute(scope.trx);
  return rows;
}

/** A lead's move as the 公海 records it. */
export type LeadPoolMove = {
  id: string;
  fromUserId: string | null;
  toUserId: string | null;
  teamId: string | null;
  data?: Record<string, unknown>;
};

/** Writes the 公海's record of leads that moved (claims, assignments, releases, recycling), one statement. */
export async function insertLeadPoolMoves(
  scope: Scope,
  kind: Exclude<PoolMoveKind, 'assign'>,
  moves: readonly LeadPoolMove[],
  details: { reason?: PoolReleaseReason | null; note?: string | null; at: Date },
): Promise<void> {
  if (moves.length === 0) return;
  const rows = JSON.stringify(
    moves.map((move) => ({
      id: move.id,
      from_user_id: move.fromUserId,
      to_user_id: move.toUserId,
      team_id: move.teamId,
      data: move.data ?? {},
    })),
  );
  await sql`
    insert into pool_moves (tenant_id, entity, lead_id, kind, from_user_id, to_user_id, team_id, reason, note, data,
      actor_user_id, occurred_at)
    select ${scope.tenantId}, 'lead', m.id, ${kind}, m.from_user_id, m.to_user_id, m.team_id, ${details.reason ?? null},
      ${details.note ?? null}, m.data, ${scope.userId}::uuid, ${details.at}::timestamptz
    from jsonb_to_recordset(${rows}::jsonb) as m(id uuid, from_user_id uuid, to_user_id uuid, team_id uuid, data jsonb)`.execute(
    scope.trx,
  );
}

/** How many of `ids` exist in the tenant at all (in the pool or not). */
export async function countExisting(
  scope: Scope,
  entity: PoolEntity,
  ids: readonly string[],
): Promise<number> {
  const table = entity === 'lead' ? sql`leads` : sql`customers`;
  const { rows } = await sql<{ count: number }>`
    select count(*)::int as count from ${table}
    where tenant_id = ${scope.tenantId} and id = any(${ids as string[]}::uuid[])`.execute(scope.trx);
  return rows[0]?.count ?? 0;
}

/**
 * The owned open lead the member may release (`allowed`, over `leads`), locked; undefined when
 * there is none such.
 */
export async function selectReleasableLead(
  scope: Scope,
  id: string,
  allowed: RawBuilder<boolean>,
): Promise<{ id: string } | undefined> {
  const { rows } = await sql<{ id: string }>`
    select leads.id from leads
    where leads.tenant_id = ${scope.tenantId} and leads.id = ${id} and leads.owner_user_id is not null
      and leads.status in ('new', 'contacted', 'qualified') and ${allowed}
    for update`.execute(scope.trx);
  return rows[0];
}

/**
 * Releases one owned customer the member may release (`allowed`, over `customers`) to the pool
 * with the reason, and writes the move. Whether it moved.
 */
export async function releaseCustomerToPool(
  scope: Scope,
  id: string,
  allowed: RawBuilder<boolean>,
  reason: PoolReleaseReason,
  note: string | null,
  at: Date,
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    with target as (
      select customers.id, customers.owner_user_id from customers
      where customers.tenant_id = ${scope.tenantId} and customers.id = ${id}
        and customers.owner_user_id is not null and customers.archived_at is null
        and customers.merged_into is null and ${allowed}
      for update
    ), moved as (
      update customers c set owner_user_id = null, in_pool = true, released_at = ${at}::timestamptz,
        updated_at = ${at}::timestamptz
      from target t where c.tenant_id = ${scope.tenantId} and c.id = t.id
      returning c.id, t.owner_user_id
    ), recorded as (
      insert into pool_moves (tenant_id, entity, customer_id, kind, from_user_id, reason, note, actor_user_id, occurred_at)
      select ${scope.tenantId}, 'customer', id, 'release', owner_user_id, ${reason}, ${note}, ${scope.userId},
        ${at}::timestamptz from moved
    )
    select id from moved`.execute(scope.trx);
  return rows.length > 0;
}

export type PoolRow = {
  id: string;
  name: string;
  company: string | null;
  grade: string | null;
  tier: string | null;
  source: LeadSource | null;
  region: string | null;
  industry: string | null;
  released_at: Date | null;
  pool_at: string;
  via: PoolMoveKind | null;
  reason: PoolReleaseReason | null;
  note: string | null;
  previous_owner_name: string | null;
  last_contact_at: Date | null;
  created_at: Date;
};

export type PoolFilters = {
  search?: string;
  grades?: string[];
  tiers?: string[];
  sources?: string[];
  reasons?: string[];
  via?: string;
  industry?: string;
  region?: string;
};

/** A keyset page of the pool, the latest arrivals first. */
export async function selectPoolPage(
  scope: Scope,
  entity: PoolEntity,
  filters: PoolFilters,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<PoolRow[]> {
  const lastMove =
    entity === 'lead'
      ? sql`(select pm.kind, pm.reason, pm.note, pm.from_user_id from pool_moves pm
          where pm.tenant_id = r.tenant_id and pm.lead_id = r.id order by pm.occurred_at desc, pm.id desc limit 1)`
      : sql`(select pm.kind, pm.reason, pm.note, pm.from_user_id from pool_moves pm
          where pm.tenant_id = r.tenant_id and pm.customer_id = r.id order by pm.occurred_at desc, pm.id desc limit 1)`;
  const records =
    entity === 'lead'
      ? sql`(select l.tenant_id, l.id, coalesce(l.person_name, l.company_name) as name, l.company_name as company,
            l.grade, null::text as tier, l.source, l.region, l.industry, l.released_at,
            coalesce(l.released_at, l.created_at) as pool_at, l.last_contact_at, l.created_at, l.search_grams
          from leads l where l.tenant_id = ${scope.tenantId} and l.in_pool and ${OPEN_LEAD})`
      : sql`(select c.tenant_id, c.id, c.name, null::text as company, null::text as grade, t.tier, null::text as source,
            coalesce(c.addresses -> 0 ->> 'province', c.addresses -> 0 ->> 'city') as region, c.industry, c.released_at,
            coalesce(c.released_at, c.created_at) as pool_at,
            (select max(i.occurred_at) from interactions i where i.tenant_id = c.tenant_id and i.customer_id = c.id)
              as last_contact_at,
            c.created_at, c.search_grams
          from customers c
          left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
          where c.tenant_id = ${scope.tenantId} and c.in_pool and ${LIVE_CUSTOMER})`;
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (filters.search) conditions.push(sql`r.search_grams @> search_query_grams(${filters.search})`);
  if (filters.grades?.length) conditions.push(sql`r.grade = any(${filters.grades}::text[])`);
  if (filters.tiers?.length) conditions.push(sql`r.tier = any(${filters.tiers}::text[])`);
  if (filters.sources?.length) conditions.push(sql`r.source = any(${filters.sources}::text[])`);
  if (filters.industry) conditions.push(sql`r.industry = ${filters.industry}`);
  if (filters.region) conditions.push(sql`r.region = ${filters.region}`);
  if (filters.reasons?.length) conditions.push(sql`m.reason = any(${filters.reasons}::text[])`);
  if (filters.via) conditions.push(sql`m.kind = ${filters.via}`);
  if (after) conditions.push(sql`(r.pool_at, r.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const { rows } = await sql<PoolRow>`
    select r.id, r.name, r.company, r.grade, r.tier, r.source, r.region, r.industry, r.released_at,
      r.pool_at::text as pool_at, m.kind as via, m.reason, m.note, u.name as previous_owner_name,
      r.last_contact_at, r.created_at
    from ${records} r
    left join lateral ${lastMove} m on true
    left join users u on u.id = m.from_user_id
    where ${sql.join(conditions, sql` and `)}
    order by r.pool_at desc, r.id desc
    limit ${limit}`.execute(scope.trx);
  return rows;
}

export async function countPool(scope: Scope): Promise<{ leads: number; customers: number }> {
  const { rows } = await sql<{ leads: number; customers: number }>`
    select (select count(*)::int from leads l where l.tenant_id = ${scope.tenantId} and l.in_pool and ${OPEN_LEAD}) as leads,
      (select count(*)::int from customers c where c.tenant_id = ${scope.tenantId} and c.in_pool and ${LIVE_CUSTOMER})
        as customers`.execute(scope.trx);
  return rows[0] ?? { leads: 0, customers: 0 };
}

/** Whether the member may see this record: `visible` (over the table by its name), or it is in the pool. */
export async function recordVisible(
  scope: Scope,
  entity: PoolEntity,
  id: string,
  visible: RawBuilder<boolean>,
): Promise<boolean> {
  const { rows } =
    entity === 'lead'
      ? await sql`select 1 from leads where leads.tenant_id = ${scope.tenantId} and leads.id = ${id}
          and (leads.in_pool or ${visible})`.execute(scope.trx)
      : await sql`select 1 from customers where customers.tenant_id = ${scope.tenantId} and customers.id = ${id}
          and (customers.in_pool or ${visible})`.execute(scope.trx);
  return rows.length > 0;
}

export type MoveRow = {
  id: string;
  kind: PoolMoveKind;
  occurred_at: Date;
  from_user_name: string | null;
  to_user_name: string | null;
  actor_name: string | null;
  team_name: string | null;
  rule_name: string | null;
  reason: PoolReleaseReason | null;
  note: string | null;
  data: Record<string, unknown>;
};

/** Every move of one record, newest first. */
export async function selectMoves(scope: Scope, entity: PoolEntity, id: string): Promise<MoveRow[]> {
  const { rows } = await sql<MoveRow>`
    select pm.id, pm.kind, pm.occurred_at, fu.name as from_user_name, tu.name as to_user_name, au.name as actor_name,
      t.name as team_name, r.name as rule_name, pm.reason, pm.note, pm.data
    from pool_moves pm
    left join users fu on fu.id = pm.from_user_id
    left join users tu on tu.id = pm.to_user_id
    left join users au on au.id = pm.actor_user_id
    left join teams t on t.tenant_id = pm.tenant_id and t.id = pm.team_id
    left join assignment_rules r on r.tenant_id = pm.tenant_id and r.id = pm.rule_id
    where pm.tenant_id = ${scope.tenantId}
      and ${entity === 'lead' ? sql`pm.lead_id = ${id}` : sql`pm.customer_id = ${id}`}
    order by pm.occurred_at desc, pm.id desc
    limit 200`.execute(scope.trx);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Settings

export async function selectPoolSettings(scope: Scope): Promise<
  | {
      claim_limits: Record<string, number>;
      default_claim_limit: number | null;
      warn_days_before: number | null;
      unmatched: PoolUnmatched;
    }
  | undefined
> {
  return scope.trx
    .selectFrom('pool_settings')
    .select(['claim_limits', 'default_claim_limit', 'warn_days_before', 'unmatched'])
    .where('tenant_id', '=', scope.tenantId)
    .executeTakeFirst();
}

export async function upsertPoolSettings(
  scope: Scope,
  values: {
    claim_limits: Record<string, number>;
    default_claim_limit: number | null;
    warn_days_before: number | null;
    unmatched: PoolUnmatched;
  },
): Promise<void> {
  const row = {
    claim_limits: JSON.stringify(values.claim_limits),
    default_claim_limit: values.default_claim_limit,
    warn_days_before: values.warn_days_before,
    unmatched: values.unmatched,
    updated_by: scope.userId,
    updated_at: new Date(),
  };
  await scope.trx
    .insertInto('pool_settings')
    .values({ tenant_id: scope.tenantId, ...row })
    .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet(row))
    .execute();
}

export async function selectRecycleOverrides(
  scope: Scope,
): Promise<{ entity: PoolEntity; key: string; recycle_after_days: number | null }[]> {
  return scope.trx
    .selectFrom('pool_recycle_rules')
    .select(['entity', 'key', 'recycle_after_days'])
    .where('tenant_id', '=', scope.tenantId)
    .execute();
}

export async function upsertRecycleOverride(
  scope: Scope,
  entity: PoolEntity,
  key: string,
  days: number | null,
): Promise<void> {
  const row = { recycle_after_days: days, updated_by: scope.userId, updated_at: new Date() };
  await scope.trx
    .insertInto('pool_recycle_rules')
    .values({ tenant_id: scope.tenantId, entity, key, ...row })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'entity', 'key']).doUpdateSet(row))
    .execute();
}

export async function deleteRecycleOverride(scope: Scope, entity: PoolEntity, key: string): Promise<void> {
  await scope.trx
    .deleteFrom('pool_recycle_rules')
    .where('tenant_id', '=', scope.tenantId)
    .where('entity', '=', entity)
    .where('key', '=', key)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The daily recycle

/** The days in force per key (`*`: every other key, and records without one); null never. */
export type RecycleTable = { keys: string[]; days: (number | null)[] };

function rulesOf(table: RecycleTable) {
  return sql`(select * from unnest(${table.keys}::text[], ${table.days}::int[]) as rule(key, days))`;
}

/** An owned open lead the daily recycle returns to the pool, with the rule that returns it. */
export type RecycleDueLead = {
  id: string;
  owner_user_id: string;
  team_id: string | null;
  key: string;
  days: number;
  last_activity: Date;
};

/**
 * Every owned open lead whose last activity (its tenant-local day) is at least its grade's
 * days before `today`, locked for the recycle's move (one statement).
 */
export async function selectRecycleDueLeads(
  scope: Scope,
  table: RecycleTable,
  today: string,
  timeZone: string,
): Promise<RecycleDueLead[]> {
  const { rows } = await sql<RecycleDueLead>`
    with rule as ${rulesOf(table)}
    select l.id, l.owner_user_id, l.team_id, r.key, r.days, ${LEAD_LAST_ACTIVITY} as last_activity
    from leads l
    join rule r on r.key = case when l.grade_key = any(${table.keys}::text[]) then l.grade_key else '*' end
    where l.tenant_id = ${scope.tenantId} and not l.in_pool and l.owner_user_id is not null and ${OPEN_LEAD}
      and r.days is not null
      and (${LEAD_LAST_ACTIVITY} at time zone ${timeZone})::date <= ${today}::date - r.days
    for update of l`.execute(scope.trx);
  return rows;
}

/** The same for owned live customers by tier: the last interaction, deal or assignment. */
export async function recycleCustomers(
  scope: Scope,
  table: RecycleTable,
  today: string,
  timeZone: string,
  at: Date,
): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    with rule as ${rulesOf(table)},
    due as (
      select c.id, c.owner_user_id, r.key, r.days, ${CUSTOMER_LAST_ACTIVITY} as last_activity
      from customers c
      left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
      join rule r on r.key = case when t.tier = any(${table.keys}::text[]) then t.tier else '*' end
      where c.tenant_id = ${scope.tenantId} and not c.in_pool and c.owner_user_id is not null and ${LIVE_CUSTOMER}
        and r.days is not null
        and (${CUSTOMER_LAST_ACTIVITY} at time zone ${timeZone})::date <= ${today}::date - r.days
    ), moved as (
      update customers c set owner_user_id = null, in_pool = true, released_at = ${at}::timestamptz,
        updated_at = ${at}::timestamptz
      from due d where c.tenant_id = ${scope.tenantId} and c.id = d.id and c.owner_user_id = d.owner_user_id
      returning d.*
    ), recorded as (
      insert into pool_moves (tenant_id, entity, customer_id, kind, from_user_id, data, occurred_at)
      select ${scope.tenantId}, 'customer', id, 'recycle', owner_user_id,
        jsonb_build_object('key', key, 'days', days, 'lastActivityAt', last_activity), ${at}::timestamptz
      from moved returning 1
    )
    select count(*)::int as count from recorded`.execute(scope.trx);
  return rows[0]?.count ?? 0;
}

export type DueSoonRow = {
  id: string;
  owner_user_id: string;
  name: string;
  days: number;
  /** The tenant-local day it will be recycled on. */
  on: string;
};

/** Owned records that will be recycled within `warnDays` of `today` (not yet due), with their day. */
export async function selectDueSoon(
  scope: Scope,
  entity: PoolEntity,
  table: RecycleTable,
  today: string,
  warnDays: number,
  timeZone: string,
): Promise<DueSoonRow[]> {
  const { rows } =
    entity === 'lead'
      ? await sql<DueSoonRow>`
        with rule as ${rulesOf(table)}
        select * from (
          select l.id, l.owner_user_id, coalesce(l.person_name, l.company_name) as name, r.days,
            ((${LEAD_LAST_ACTIVITY} at time zone ${timeZone})::date + r.days)::text as on
          from leads l
          join rule r on r.key = case when l.grade_key = any(${table.keys}::text[]) then l.grade_key else '*' end
          where l.tenant_id = ${scope.tenantId} and not l.in_pool and l.owner_user_id is not null and ${OPEN_LEAD}
            and r.days is not null
        ) due
        where due.on::date > ${today}::date and due.on::date <= ${today}::date + ${warnDays}::int`.execute(
          scope.trx,
        )
      : await sql<DueSoonRow>`
        with rule as ${rulesOf(table)}
        select * from (
          select c.id, c.owner_user_id, c.name, r.days,
            ((${CUSTOMER_LAST_ACTIVITY} at time zone ${timeZone})::date + r.days)::text as on
          from customers c
          left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
          join rule r on r.key = case when t.tier = any(${table.keys}::text[]) then t.tier else '*' end
          where c.tenant_id = ${scope.tenantId} and not c.in_pool and c.owner_user_id is not null and ${LIVE_CUSTOMER}
            and r.days is not null
        ) due
        where due.on::date > ${today}::date and due.on::date <= ${today}::date + ${warnDays}::int`.execute(
          scope.trx,
        );
  return rows;
}
