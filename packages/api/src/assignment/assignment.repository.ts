import type { AssignmentMethod, LeadSource, PoolEntity, PoolUnmatched } from '@crm/domain';
import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';

/**
 * Every query of assignment rules (分配规则): the rules, which rule matches which records
 * (one statement over the whole batch), the members each rule hands out to with their load,
 * and the assignment itself (one statement per batch, its moves written by the same
 * statement). Functions take the scope first and return rows or counts.
 */

/** The open leads a member works, or the live customers they own: what "by load" counts. */
const OPEN_LEAD_STATUSES = sql`('new', 'contacted', 'qualified')`;

/** Which members a rule hands out to (the rule as `r`, the membership as `m`). */
const CANDIDATE = sql<boolean>`(case
  when cardinality(r.member_ids) > 0 then m.user_id = any(r.member_ids)
  when r.team_id is not null then m.team_id = r.team_id and m.role in ('sales_rep', 'sales_manager')
  else m.role = 'sales_rep' end)`;

/** A rule can take records: enabled, and a team queue or at least one member to give them to. */
const USABLE = sql<boolean>`(r.enabled and (r.method = 'manual' or exists (
  select 1 from memberships m where m.tenant_id = r.tenant_id and ${CANDIDATE})))`;

/** Whether rule `r` matches the lead `l`. */
const LEAD_MATCH = sql<boolean>`((cardinality(r.regions) = 0 or l.region = any(r.regions))
  and (cardinality(r.industries) = 0 or l.industry = any(r.industries))
  and (cardinality(r.sources) = 0 or l.source = any(r.sources)))`;

/** Whether rule `r` matches the customer `c`: a region is any address's province or city; customers have no source. */
const CUSTOMER_MATCH = sql<boolean>`((cardinality(r.regions) = 0 or exists (
    select 1 from jsonb_array_elements(case when jsonb_typeof(c.addresses) = 'array' then c.addresses else '[]'::jsonb end) address
    where address ->> 'province' = any(r.regions) or address ->> 'city' = any(r.regions)))
  and (cardinality(r.industries) = 0 or c.industry = any(r.industries))
  and cardinality(r.sources) = 0)`;

function firstRule(scope: Scope, entity: PoolEntity, match: RawBuilder<boolean>) {
  return sql<string | null>`(select r.id from assignment_rules r
    where r.tenant_id = ${scope.tenantId} and r.entity = ${entity} and ${match} and ${USABLE}
    order by r.position, r.id limit 1)`;
}

export type RuleRow = {
  id: string;
  entity: PoolEntity;
  position: number;
  name: string;
  enabled: boolean;
  regions: string[];
  industries: string[];
  sources: LeadSource[];
  method: AssignmentMethod;
  team_id: string | null;
  team_name: string | null;
  member_ids: string[];
  members: { userId: string; name: string }[];
  cursor_user_id: string | null;
  candidate_count: number;
};

/** The rules of a list in order, with their team's name, their members' names and how many members they hand out to. */
export async function selectRules(
  scope: Scope,
  entity: PoolEntity,
  ids?: readonly string[],
): Promise<RuleRow[]> {
  const { rows } = await sql<RuleRow>`
    select r.id, r.entity, r.position, r.name, r.enabled, r.regions, r.industries, r.sources, r.method,
      r.team_id, t.name as team_name, r.member_ids, r.cursor_user_id,
      coalesce((select jsonb_agg(jsonb_build_object('userId', u.id, 'name', u.name) order by u.name)
        from users u where u.id = any(r.member_ids)), '[]'::jsonb) as members,
      (select count(*)::int from memberships m where m.tenant_id = r.tenant_id and ${CANDIDATE}) as candidate_count
    from assignment_rules r
    left join teams t on t.tenant_id = r.tenant_id and t.id = r.team_id
    where r.tenant_id = ${scope.tenantId} and r.entity = ${entity}
      ${ids ? sql`and r.id = any(${ids as string[]}::uuid[])` : sql``}
    order by r.position, r.id`.execute(scope.trx);
  return rows;
}

export async function selectRuleEntity(scope: Scope, id: string): Promise<PoolEntity | undefined> {
  const row = await scope.trx
    .selectFrom('assignment_rules')
    .select('entity')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.entity;
}

export type RuleValues = {
  entity: PoolEntity;
  name: string;
  enabled: boolean;
  regions: string[];
  industries: string[];
  sources: string[];
  method: AssignmentMethod;
  team_id: string | null;
  member_ids: string[];
};

/** A new rule, last in its list. */
export async function insertRule(scope: Scope, values: RuleValues): Promise<{ id: string }> {
  const { rows } = await sql<{ id: string }>`
    insert into assignment_rules (tenant_id, entity, position, name, enabled, regions, industries, sources, method,
      team_id, member_ids, created_by)
    select ${scope.tenantId}, ${values.entity}, coalesce(max(position) + 1, 0), ${values.name}, ${values.enabled},
      ${values.regions}::text[], ${values.industries}::text[], ${values.sources}::text[], ${values.method},
      ${values.team_id}, ${values.member_ids}::uuid[], ${scope.userId}
    from assignment_rules where tenant_id = ${scope.tenantId} and entity = ${values.entity}
    returning id`.execute(scope.trx);
  return rows[0] as { id: string };
}

/** Whether a rule of that list was updated. */
export async function updateRule(scope: Scope, id: string, values: RuleValues): Promise<boolean> {
  const result = await scope.trx
    .updateTable('assignment_rules')
    .set({
      name: values.name,
      enabled: values.enabled,
      regions: values.regions,
      industries: values.industries,
      sources: values.sources,
      method: values.method,
      team_id: values.team_id,
      member_ids: values.member_ids,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('entity', '=', values.entity)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteRule(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .deleteFrom('assignment_rules')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Swaps a rule with its neighbour above or below; false when there is none (or no such rule). */
export async function swapRule(scope: Scope, id: string, direction: 'up' | 'down'): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    with target as (
      select id, entity, position from assignment_rules where tenant_id = ${scope.tenantId} and id = ${id}
    ), neighbour as (
      select r.id, r.position from assignment_rules r, target t
      where r.tenant_id = ${scope.tenantId} and r.entity = t.entity and r.id <> t.id
        and ${direction === 'up' ? sql`(r.position, r.id) < (t.position, t.id)` : sql`(r.position, r.id) > (t.position, t.id)`}
      order by ${direction === 'up' ? sql`r.position desc, r.id desc` : sql`r.position, r.id`} limit 1
    )
    update assignment_rules r set position = case when r.id = t.id then n.position else t.position end,
      updated_at = now()
    from target t, neighbour n
    where r.tenant_id = ${scope.tenantId} and r.id in (t.id, n.id)
      -- Equal positions (rules saved before an order existed) are told apart by the id: make them differ.
      and t.position <> n.position
    returning r.id`.execute(scope.trx);
  if (rows.length > 0) return true;
  // Equal positions: renumber the list in its current order, then swap.
  const renumbered = await sql`
    update assignment_rules r set position = o.rank - 1
    from (select id, row_number() over (order by position, id) as rank from assignment_rules
          where tenant_id = ${scope.tenantId} and entity = (select entity from assignment_rules
            where tenant_id = ${scope.tenantId} and id = ${id})) o
    where r.tenant_id = ${scope.tenantId} and r.id = o.id and r.position <> o.rank - 1`.execute(scope.trx);
  if (Number(renumbered.numAffectedRows ?? 0) === 0) return false;
  return swapRule(scope, id, direction);
}

/** The first usable rule matching each record without an owner among `ids` (null: none), oldest record first. */
export async function matchRecords(
  scope: Scope,
  entity: PoolEntity,
  ids: readonly string[],
  /** Only records that pass this filter (the member's, for a member running the rules). */
  visible: RawBuilder<boolean> = sql<boolean>`true`,
): Promise<{ id: string; rule_id: string | null }[]> {
  const { rows } =
    entity === 'lead'
      ? await sql<{ id: string; rule_id: string | null }>`
        select l.id, ${firstRule(scope, entity, LEAD_MATCH)} as rule_id from leads l
        where l.tenant_id = ${scope.tenantId} and l.id = any(${ids as string[]}::uuid[]) and l.owner_user_id is null
          and l.status in ${OPEN_LEAD_STATUSES} and ${visible}
        order by l.created_at, l.id`.execute(scope.trx)
      : await sql<{ id: string; rule_id: string | null }>`
        select c.id, ${firstRule(scope, entity, CUSTOMER_MATCH)} as rule_id from customers c
        where c.tenant_id = ${scope.tenantId} and c.id = any(${ids as string[]}::uuid[]) and c.owner_user_id is null
          and c.archived_at is null and c.merged_into is null and ${visible}
        order by c.created_at, c.id`.execute(scope.trx);
  return rows;
}

/** The first usable rule matching a record with these fields (a preview of a lead not yet created). */
export async function matchFields(
  scope: Scope,
  entity: PoolEntity,
  fields: { region: string | null; industry: string | null; source: string | null },
): Promise<string | null> {
  const match =
    entity === 'lead'
      ? sql<boolean>`((cardinality(r.regions) = 0 or ${fields.region}::text = any(r.regions))
          and (cardinality(r.industries) = 0 or ${fields.industry}::text = any(r.industries))
          and (cardinality(r.sources) = 0 or ${fields.source}::text = any(r.sources)))`
      : sql<boolean>`((cardinality(r.regions) = 0 or ${fields.region}::text = any(r.regions))
          and (cardinality(r.industries) = 0 or ${fields.industry}::text = any(r.industries))
          and cardinality(r.sources) = 0)`;
  const { rows } = await sql<{
    rule_id: string | null;
  }>`select ${firstRule(scope, entity, match)} as rule_id`.execute(scope.trx);
  return rows[0]?.rule_id ?? null;
}

/** Locks the rules about to hand out records, so two batches at once take turns from the same cursor. */
export async function lockRules(
  scope: Scope,
  ids: readonly string[],
): Promise<
  { id: string; method: AssignmentMethod; team_id: string | null; cursor_user_id: string | null }[]
> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    method: AssignmentMethod;
    team_id: string | null;
    cursor_user_id: string | null;
  }>`select id, method, team_id, cursor_user_id from assignment_rules
     where tenant_id = ${scope.tenantId} and id = any(${ids as string[]}::uuid[])
     order by id for update`.execute(scope.trx);
  return rows;
}

/** Each rule's members in their order (joined first), with their open leads or live customers. */
export async function selectCandidates(
  scope: Scope,
  entity: PoolEntity,
  ruleIds: readonly string[],
): Promise<{ rule_id: string; user_id: string; name: string; team_id: string | null; load: number }[]> {
  if (ruleIds.length === 0) return [];
  const load =
    entity === 'lead'
      ? sql<number>`(select count(*)::int from leads x where x.tenant_id = m.tenant_id
          and x.owner_user_id = m.user_id and x.status in ${OPEN_LEAD_STATUSES})`
      : sql<number>`(select count(*)::int from customers x where x.tenant_id = m.tenant_id
          and x.owner_user_id = m.user_id and x.archived_at is null and x.merged_into is null)`;
  const { rows } = await sql<{
    rule_id: string;
    user_id: string;
    name: string;
    team_id: string | null;
    load: number;
  }>`
    select r.id as rule_id, m.user_id, u.name, m.team_id, ${load} as load
    from assignment_rules r
    join memberships m on m.tenant_id = r.tenant_id and ${CANDIDATE}
    join users u on u.id = m.user_id
    where r.tenant_id = ${scope.tenantId} and r.id = any(${ruleIds as string[]}::uuid[])
    order by r.id, m.created_at, m.user_id`.execute(scope.trx);
  return rows;
}

export async function saveCursors(
  scope: Scope,
  cursors: readonly { ruleId: string; userId: string | null }[],
): Promise<void> {
  if (cursors.length === 0) return;
  await sql`
    update assignment_rules r set cursor_user_id = c.user_id
    from unnest(${cursors.map((cursor) => cursor.ruleId)}::uuid[], ${cursors.map((cursor) => cursor.userId)}::uuid[])
      as c(rule_id, user_id)
    where r.tenant_id = ${scope.tenantId} and r.id = c.rule_id`.execute(scope.trx);
}

/** One record's assignment: to a member (and their team), to a team's queue, or to the pool. */
export type Assignment = {
  id: string;
  userId: string | null;
  teamId: string | null;
  ruleId: string | null;
  toPool: boolean;
};

/**
 * Gives customers without an owner to members or the pool, in one statement, and writes each
 * move (kind `assign`, by `actor`) in the same statement. A customer that got an owner
 * meanwhile is left alone. Returns how many moved. (Leads move through the leads capability's
 * `moveLeads`; their assignment moves are written by `insertLeadAssignMoves`.)
 */
export async function applyCustomerAssignments(
  scope: Scope,
  assignments: readonly Assignment[],
  at: Date,
): Promise<number> {
  if (assignments.length === 0) return 0;
  const ids = assignments.map((item) => item.id);
  const users = assignments.map((item) => item.userId);
  const teams = assignments.map((item) => item.teamId);
  const rules = assignments.map((item) => item.ruleId);
  // As text: the driver sends a boolean array as one boolean.
  const pool = assignments.map((item) => (item.toPool ? 'true' : 'false'));
  const input = sql`unnest(${ids}::uuid[], ${users}::uuid[], ${teams}::uuid[], ${rules}::uuid[], ${pool}::text[]::boolean[])
    as i(id, user_id, team_id, rule_id, to_pool)`;
  const { rows } = await sql<{ count: number }>`
    with moved as (
      update customers c set owner_user_id = i.user_id,
        in_pool = i.to_pool,
        released_at = case when i.to_pool and not c.in_pool then ${at}::timestamptz else c.released_at end,
        updated_at = ${at}::timestamptz
      from ${input}
      where c.tenant_id = ${scope.tenantId} and c.id = i.id and c.owner_user_id is null
      returning c.id, i.user_id, i.team_id, i.rule_id, c.in_pool
    ), recorded as (
      insert into pool_moves (tenant_id, entity, customer_id, kind, to_user_id, team_id, rule_id, data, actor_user_id, occurred_at)
      select ${scope.tenantId}, 'customer', id, 'assign', user_id, team_id, rule_id,
        jsonb_build_object('toPool', in_pool), ${scope.userId}, ${at}::timestamptz from moved
      returning 1
    )
    select count(*)::int as count from recorded`.execute(scope.trx);
  return rows[0]?.count ?? 0;
}

/** The 公海's record of leads the rules moved (kind `assign`: to whom, the team, the rule), one statement. */
export async function insertLeadAssignMoves(
  scope: Scope,
  moves: readonly {
    id: string;
    userId: string | null;
    teamId: string | null;
    ruleId: string | null;
    toPool: boolean;
  }[],
  at: Date,
): Promise<void> {
  if (moves.length === 0) return;
  const rows = JSON.stringify(
    moves.map((move) => ({
      id: move.id,
      user_id: move.userId,
      team_id: move.teamId,
      rule_id: move.ruleId,
      to_pool: move.toPool,
    })),
  );
  await sql`
    insert into pool_moves (tenant_id, entity, lead_id, kind, to_user_id, team_id, rule_id, data, actor_user_id, occurred_at)
    select ${scope.tenantId}, 'lead', m.id, 'assign', m.user_id, m.team_id, m.rule_id,
      jsonb_build_object('toPool', m.to_pool), ${scope.userId}, ${at}::timestamptz
    from jsonb_to_recordset(${rows}::jsonb) as m(id uuid, user_id uuid, team_id uuid, rule_id uuid, to_pool boolean)`.execute(
    scope.trx,
  );
}

/** The tenant's choice for records no rule matched (the pool by default). */
export async function selectUnmatched(scope: Scope): Promise<PoolUnmatched> {
  const row = await scope.trx
    .selectFrom('pool_settings')
    .select('unmatched')
    .where('tenant_id', '=', scope.tenantId)
    .executeTakeFirst();
  return row?.unmatched ?? 'pool';
}

/** The fields a rule matches on, of one lead or customer the member may see (`visible`). */
export async function selectRecordFields(
  scope: Scope,
  entity: PoolEntity,
  id: string,
  visible: RawBuilder<boolean>,
): Promise<{ region: string | null; industry: string | null; source: string | null } | undefined> {
  const { rows } =
    entity === 'lead'
      ? await sql<{ region: string | null; industry: string | null; source: string | null }>`
        select leads.region, leads.industry, leads.source from leads
        where leads.tenant_id = ${scope.tenantId} and leads.id = ${id} and (${visible} or leads.in_pool)`.execute(
          scope.trx,
        )
      : await sql<{ region: string | null; industry: string | null; source: string | null }>`
        select coalesce(customers.addresses -> 0 ->> 'province', customers.addresses -> 0 ->> 'city') as region,
          customers.industry, null::text as source
        from customers
        where customers.tenant_id = ${scope.tenantId} and customers.id = ${id} and customers.merged_into is null
          and (${visible} or customers.in_pool)`.execute(scope.trx);
  return rows[0];
}

/** The names of members and teams, for a preview. */
export async function selectNames(
  scope: Scope,
  userId: string | null,
  teamId: string | null,
): Promise<{ user_name: string | null; team_name: string | null }> {
  const { rows } = await sql<{ user_name: string | null; team_name: string | null }>`
    select (select u.name from users u join memberships m on m.user_id = u.id and m.tenant_id = ${scope.tenantId}
              where u.id = ${userId}) as user_name,
           (select t.name from teams t where t.tenant_id = ${scope.tenantId} and t.id = ${teamId}) as team_name`.execute(
    scope.trx,
  );
  return rows[0] ?? { user_name: null, team_name: null };
}

/** Which of these users are members of the tenant. */
export async function selectMemberIds(scope: Scope, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await scope.trx
    .selectFrom('memberships')
    .select('user_id')
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', 'in', userIds)
    .execute();
  return rows.map((row) => row.user_id);
}

export async function teamExists(scope: Scope, id: string): Promise<boolean> {
  const row = await scope.trx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}
