import type {
  LeadBehaviourCondition,
  LeadCondition,
  LeadGrade,
  LeadRegradeRule,
  Resolved,
} from '@crm/plugin-sdk';
import { longestBehaviourWindow } from '@crm/plugin-sdk';
import { type RawBuilder, sql } from 'kysely';

/*
 * The re-grade rules compiled to SQL (docs/leads-and-pipeline.md, "Behaviour events"): one
 * statement over a tenant's open leads (all of them, or those with new events) computes each
 * lead's behaviour facts from lead_events, finds the first rule that matches and would move
 * it (outside the rule's cool-down), and yields `moves (lead_id, from_key, to_key, rule_key,
 * rule_index)`. The caller applies the moves (grade, history, follow-up task) set-based.
 */

type Grades = readonly Resolved<LeadGrade>[];
type Rules = readonly Resolved<LeadRegradeRule>[];
type Condition = Resolved<LeadCondition>;
type Behaviour = Resolved<LeadBehaviourCondition>;

const OPS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** A whole number inlined as SQL (validated at plugin start-up: whole, bounded). */
function whole(value: number): RawBuilder<unknown> {
  if (!Number.isInteger(value)) throw new Error(`Not a whole number: ${value}`);
  return sql.raw(String(value));
}

/** The column of facts a windowed behaviour count reads: `f_email_open_7`. */
function factColumn(condition: Behaviour & { withinDays: number }): string {
  return `f_${condition.behaviour}_${condition.withinDays}`;
}

function windowedConditions(
  condition: Condition,
  into: Map<string, Behaviour & { withinDays: number }>,
): void {
  if ('all' in condition) for (const item of condition.all) windowedConditions(item, into);
  else if ('any' in condition) for (const item of condition.any) windowedConditions(item, into);
  else if ('behaviour' in condition && 'withinDays' in condition) into.set(factColumn(condition), condition);
}

/** A condition as a boolean over `f` (the facts); lead-field tests are not re-grade material and never match. */
function conditionSql(condition: Condition): RawBuilder<unknown> {
  if ('all' in condition) return sql`(${sql.join(condition.all.map(conditionSql), sql` and `)})`;
  if ('any' in condition) return sql`(${sql.join(condition.any.map(conditionSql), sql` or `)})`;
  if (!('behaviour' in condition)) return sql`false`;
  const op = sql.raw(OPS[condition.op]);
  if ('withinDays' in condition)
    return sql`(f.${sql.ref(factColumn(condition))} ${op} ${whole(condition.value)})`;
  return sql`(f.days_since_last_activity ${op} ${whole(condition.value)})`;
}

function countSql(condition: Behaviour & { withinDays: number }): RawBuilder<unknown> {
  const since = sql`now() - make_interval(days => ${whole(condition.withinDays)})`;
  const kind = condition.behaviour === 'any_activity' ? sql`true` : sql`e.kind = ${condition.behaviour}`;
  return sql`count(*) filter (where ${kind} and e.occurred_at > ${since})::int`;
}

/** The rank a rule moves a lead to, from its current `f.rank` (0 = the first grade). */
function targetRank(rule: Resolved<LeadRegradeRule>, grades: Grades): RawBuilder<unknown> {
  const last = grades.length - 1;
  const change = rule.change;
  if ('up' in change) return sql`greatest(f.rank - ${whole(change.up)}, 0)`;
  if ('down' in change) return sql`least(f.rank + ${whole(change.down)}, ${whole(last)})`;
  return whole(
    Math.max(
      0,
      grades.findIndex((grade) => grade.key === change.to),
    ),
  );
}

/** Which leads to look at: all open leads of the tenant, or those with events after a sequence number (and recent ones). */
export type RegradeScope = { all: true } | { eventsAfterSeq: string; overlapSeconds: number };

/**
 * `select lead_id, from_key, to_key, rule_key, rule_index` — the moves the rules make now.
 * Empty when the plugin has no rules or no grades.
 */
export function regradeMovesSql(
  tenantId: string,
  grades: Grades,
  rules: Rules,
  scope: RegradeScope,
): RawBuilder<{
  lead_id: string;
  from_key: string;
  to_key: string;
  rule_key: string;
  rule_index: number;
}> | null {
  if (rules.length === 0 || grades.length < 2) return null;
  const windowed = new Map<string, Behaviour & { withinDays: number }>();
  for (const rule of rules) windowedConditions(rule.when, windowed);
  const longest = Math.max(1, ...rules.map((rule) => longestBehaviourWindow(rule.when)));
  const ladder = sql.join(
    grades.map((grade, rank) => sql`(${grade.key}::text, ${whole(rank)}::int)`),
    sql`, `,
  );
  const candidates =
    'all' in scope
      ? sql`select l.id, l.grade_key, l.created_at, l.last_contact_at, g.rank from leads l
          join ladder g on g.key = l.grade_key
          where l.tenant_id = ${tenantId} and l.status in ('new', 'contacted', 'qualified') and l.grade_key is not null`
      : sql`select l.id, l.grade_key, l.created_at, l.last_contact_at, g.rank from leads l
          join ladder g on g.key = l.grade_key
          where l.tenant_id = ${tenantId} and l.status in ('new', 'contacted', 'qualified') and l.grade_key is not null
            and l.id in (select e.lead_id from lead_events e where e.tenant_id = ${tenantId}
              and (e.seq > ${scope.eventsAfterSeq}::bigint
                or e.occurred_at > now() - make_interval(secs => ${whole(scope.overlapSeconds)})))`;
  const counts = [...windowed.entries()].map(
    ([column, condition]) => sql`${countSql(condition)} as ${sql.ref(column)}`,
  );
  const cooldown = (rule: Resolved<LeadRegradeRule>) =>
    whole(rule.cooldownDays ?? Math.max(1, longestBehaviourWindow(rule.when)));
  // The rules' recent moves, read once and grouped per lead: a rule moves a lead once per its cool-down.
  const cooling = sql.join(
    rules.map(
      (rule) =>
        sql`(h.rule_key = ${rule.key} and h.changed_at > now() - make_interval(days => ${cooldown(rule)}))`,
    ),
    sql` or `,
  );
  const matches = rules.map(
    (rule, index) => sql`when ${conditionSql(rule.when)} and ${targetRank(rule, grades)} <> f.rank
      and not (${rule.key}::text = any(coalesce(k.rules, '{}'::text[])))
      then ${whole(index)}`,
  );
  const targets = rules.map((rule, index) => sql`when ${whole(index)} then ${targetRank(rule, grades)}`);
  const keys = rules.map((rule, index) => sql`when ${whole(index)} then ${rule.key}`);
  // The facts the rules read, named as the grading names them (email_open_7d …), for the explanation.
  const factPairs = sql.join(
    [
      ...[...windowed.entries()].map(
        ([column, condition]) =>
          sql`${`${condition.behaviour}_${condition.withinDays}d`}::text, f.${sql.ref(column)}`,
      ),
      sql`'days_since_last_activity'::text, f.days_since_last_activity`,
    ],
    sql`, `,
  );
  // `candidates` and `matched` are materialized: each is read twice, and inlining them would
  // evaluate the facts and the rules' conditions twice per lead.
  return sql`
    with ladder (key, rank) as (values ${ladder}),
    candidates as materialized (${candidates}),
    cooled as materialized (
      select h.lead_id, array_agg(distinct h.rule_key) as rules from lead_grade_history h
      where h.tenant_id = ${tenantId} and h.by_kind = 'regrade_rule' and (${cooling})
      group by h.lead_id
    ),
    facts as (
      select c.id, c.grade_key, c.rank,
        ${counts.length > 0 ? sql`${sql.join(counts, sql`, `)},` : sql``}
        -- The newest event inside the window is the newest of all; only leads quiet for the whole
        -- window look further back.
        floor(extract(epoch from (now() - greatest(c.created_at, c.last_contact_at, coalesce(max(e.occurred_at),
          (select max(x.occurred_at) from lead_events x where x.tenant_id = ${tenantId} and x.lead_id = c.id))
        ))) / 86400)::int as days_since_last_activity
      from candidates c
      left join lead_events e on e.tenant_id = ${tenantId} and e.lead_id = c.id
        and e.occurred_at > now() - make_interval(days => ${whole(longest)})
      group by c.id, c.grade_key, c.rank, c.created_at, c.last_contact_at
    ),
    matched as materialized (
      select f.*, case ${sql.join(matches, sql` `)} end as rule_index
      from facts f
      -- each lead's cooling rules, joined once (a lookup per lead and rule would scan them all)
      left join cooled k on k.lead_id = f.id
    )
    select f.id as lead_id, f.grade_key as from_key, t.key as to_key,
      case f.rule_index ${sql.join(keys, sql` `)} end as rule_key, f.rule_index,
      jsonb_build_object(${factPairs}) as facts
    from matched f
    join ladder t on t.rank = case f.rule_index ${sql.join(targets, sql` `)} end
    where f.rule_index is not null`;
}
