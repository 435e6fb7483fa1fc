import type { LeadBehaviourCondition, LeadCondition, LeadGrade, Resolved } from '@crm/plugin-sdk';
import { type RawBuilder, sql } from 'kysely';

/*
 * The plugin's lead grades (线索等级) compiled to SQL: one statement over a tenant's open
 * leads (some of them, the ungraded ones, or all) computes the facts the grades test (the
 * lead's fields, its custom fields, logged contacts in the last 30 days, behaviour counts
 * from lead_events), finds the first grade whose condition holds (the last grade, without a
 * condition, takes the rest), and yields `graded (lead_id, from_key, to_key, to_grade,
 * to_rank, from_rank, reason)`, the reason naming the rule, its words and condition, the
 * follow-up limit and the facts it read with the lead's values. The caller applies it.
 */

type Grades = readonly Resolved<LeadGrade>[];
type Condition = Resolved<LeadCondition>;
type Behaviour = Resolved<LeadBehaviourCondition>;

const COMPARE = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** A whole number inlined as SQL (validated at plugin start-up). */
function whole(value: number): RawBuilder<unknown> {
  if (!Number.isInteger(value)) throw new Error(`Not a whole number: ${value}`);
  return sql.raw(String(value));
}

/** A finite number inlined as SQL. */
function num(value: number): RawBuilder<unknown> {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
  return sql.raw(value < 0 ? `(${value})` : String(value));
}

const NUMERIC_TEXT = `'^-?[0-9]+([.][0-9]+)?$'`;

/** The lead fact a field test reads, over `l` (the lead) and `f` (its computed facts). */
function fieldText(field: string): RawBuilder<unknown> {
  switch (field) {
    case 'source':
    case 'industry':
    case 'region':
    case 'intent':
      return sql`l.${sql.ref(field)}::text`;
    case 'budget':
      return sql`l.budget::text`;
    case 'company_size':
      return sql`l.company_size::text`;
    case 'expected_close_days':
      return sql`(l.expected_close_on - current_date)::text`;
    case 'decision_maker_reached':
      return sql`l.decision_maker_reached::text`;
    case 'interactions_30d':
      return sql`f.interactions_30d::text`;
  }
  if (field.startsWith('custom:')) return sql`(l.custom_fields ->> ${field.slice('custom:'.length)}::text)`;
  throw new Error(`Unknown lead field ${field}`);
}

function fieldNumber(field: string): RawBuilder<unknown> {
  switch (field) {
    case 'budget':
      return sql`l.budget::float8`;
    case 'company_size':
      return sql`l.company_size::float8`;
    case 'expected_close_days':
      return sql`(l.expected_close_on - current_date)::float8`;
    case 'interactions_30d':
      return sql`f.interactions_30d::float8`;
  }
  const text = fieldText(field);
  return sql`case when ${text} ~ ${sql.raw(NUMERIC_TEXT)} then (${text})::float8 end`;
}

/** The column of facts a windowed behaviour count reads: `f_email_open_7`. */
function factColumn(condition: Behaviour & { withinDays: number }): string {
  return `f_${condition.behaviour}_${condition.withinDays}`;
}

function collect(
  condition: Condition | undefined,
  windowed: Map<string, Behaviour & { withinDays: number }>,
  fields: Set<string>,
): void {
  if (!condition) return;
  if ('all' in condition) for (const item of condition.all) collect(item, windowed, fields);
  else if ('any' in condition) for (const item of condition.any) collect(item, windowed, fields);
  else if ('behaviour' in condition) {
    if ('withinDays' in condition) windowed.set(factColumn(condition), condition);
  } else fields.add(condition.field);
}

/** A condition as a boolean (never null) over `l` and `f`. */
export function leadConditionSql(condition: Condition): RawBuilder<unknown> {
  if ('all' in condition) return sql`(${sql.join(condition.all.map(leadConditionSql), sql` and `)})`;
  if ('any' in condition) return sql`(${sql.join(condition.any.map(leadConditionSql), sql` or `)})`;
  if ('behaviour' in condition) {
    const op = sql.raw(COMPARE[condition.op]);
    if ('withinDays' in condition)
      return sql`coalesce(f.${sql.ref(factColumn(condition))} ${op} ${whole(condition.value)}, false)`;
    return sql`coalesce(f.days_since_last_activity ${op} ${whole(condition.value)}, false)`;
  }
  const { field, op, value } = condition;
  if (op === 'present') return sql`(${fieldText(field)} is not null and ${fieldText(field)} <> '')`;
  if (op === 'absent') return sql`(${fieldText(field)} is null or ${fieldText(field)} = '')`;
  if (op === 'in') {
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    return sql`coalesce(${fieldText(field)} = any(${values as string[]}::text[]), false)`;
  }
  const compare = sql.raw(COMPARE[op]);
  if (typeof value === 'number') return sql`coalesce(${fieldNumber(field)} ${compare} ${num(value)}, false)`;
  if (typeof value === 'boolean')
    return sql`coalesce(${fieldText(field)} ${compare} ${value ? 'true' : 'false'}::text, false)`;
  return sql`coalesce(${fieldText(field)} ${compare} ${String(value ?? '')}::text, false)`;
}

/** The facts a grade's condition reads, with the lead's values: `{ intent: 'price', email_open_7d: 2 }`. */
function factsSql(condition: Condition | undefined): RawBuilder<unknown> {
  const windowed = new Map<string, Behaviour & { withinDays: number }>();
  const fields = new Set<string>();
  collect(condition, windowed, fields);
  let days = false;
  const walk = (item: Condition | undefined) => {
    if (!item) return;
    if ('all' in item) item.all.forEach(walk);
    else if ('any' in item) item.any.forEach(walk);
    else if ('behaviour' in item && !('withinDays' in item)) days = true;
  };
  walk(condition);
  const pairs = [
    ...[...fields].map((field) => sql`${field}::text, ${fieldText(field)}`),
    ...[...windowed.entries()].map(
      ([column, item]) => sql`${`${item.behaviour}_${item.withinDays}d`}::text, f.${sql.ref(column)}`,
    ),
    ...(days ? [sql`'days_since_last_activity'::text, f.days_since_last_activity`] : []),
  ];
  return pairs.length === 0 ? sql`'{}'::jsonb` : sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`;
}

/**
 * Which leads to grade: these ids, the open ungraded ones (with, after events, those that
 * submitted a form since a sequence number: a stronger intent), or every open lead.
 */
export type GradeTarget =
  | { ids: readonly string[] }
  | { importRunId: string }
  | { ungraded: true; formsAfterSeq?: string }
  | { all: true };

export type GradedRow = {
  lead_id: string;
  from_key: string | null;
  from_grade: string | null;
  to_key: string;
  to_grade: string;
  to_rank: number;
  from_rank: number | null;
  hours: number;
  reason: Record<string, unknown>;
  /** Whether the current grade came from a re-grade rule (behaviour). */
  regraded: boolean;
};

/**
 * `select lead_id, from_key, from_grade, to_key, to_grade, to_rank, from_rank, hours, reason,
 * regraded` — the grade each target lead's facts give now. Null when the plugin has no grades.
 */
export function gradeLeadsSql(
  tenantId: string,
  grades: Grades,
  target: GradeTarget,
): RawBuilder<GradedRow> | null {
  if (grades.length === 0) return null;
  const windowed = new Map<string, Behaviour & { withinDays: number }>();
  const fields = new Set<string>();
  for (const grade of grades) collect(grade.when, windowed, fields);
  const which =
    'ids' in target
      ? sql`and l.id = any(${target.ids as string[]}::uuid[])`
      : 'importRunId' in target
        ? sql`and l.import_run_id = ${target.importRunId}::uuid`
        : 'ungraded' in target
          ? target.formsAfterSeq === undefined
            ? sql`and l.grade_key is null`
            : sql`and (l.grade_key is null or l.id in (select e.lead_id from lead_events e
              where e.tenant_id = ${tenantId} and e.kind = 'form_submit' and e.seq > ${target.formsAfterSeq}::bigint))`
          : sql``;
  const counts = [...windowed.entries()].map(([column, item]) => {
    const kind = item.behaviour === 'any_activity' ? sql`true` : sql`e.kind = ${item.behaviour}`;
    return sql`(select count(*) from lead_events e where e.tenant_id = ${tenantId} and e.lead_id = l.id
      and ${kind} and e.occurred_at > now() - make_interval(days => ${whole(item.withinDays)}))::int as ${sql.ref(column)}`;
  });
  const ladder = sql.join(
    grades.map(
      (grade, rank) =>
        sql`(${grade.key}::text, ${grade.grade}::text, ${whole(rank)}::int, ${JSON.stringify(grade.labels)}::jsonb,
          ${num(grade.followUpWithinHours)}::float8, ${JSON.stringify(grade.when ?? null)}::jsonb)`,
    ),
    sql`, `,
  );
  const matches = grades.map(
    (grade, rank) => sql`when ${grade.when ? leadConditionSql(grade.when) : sql`true`} then ${whole(rank)}`,
  );
  const facts = grades.map((grade, rank) => sql`when ${whole(rank)} then ${factsSql(grade.when)}`);
  return sql<GradedRow>`
    with ladder (key, grade, rank, labels, hours, condition) as (values ${ladder}),
    targets as (
      select l.* from leads l
      where l.tenant_id = ${tenantId} and l.status in ('new', 'contacted', 'qualified') ${which}
    ),
    facts as (
      select l.id,
        (select count(*) from lead_activities a where a.tenant_id = ${tenantId} and a.lead_id = l.id
          and a.occurred_at > now() - interval '30 days')::int as interactions_30d,
        ${counts.length > 0 ? sql`${sql.join(counts, sql`, `)},` : sql``}
        floor(extract(epoch from (now() - greatest(l.created_at, l.last_contact_at,
          (select max(x.occurred_at) from lead_events x where x.tenant_id = ${tenantId} and x.lead_id = l.id)
        ))) / 86400)::int as days_since_last_activity
      from targets l
    ),
    explained as (
      select l.id, l.grade_key, (l.grade_reason -> 'regrade') is not null as regraded, r.rank,
        case r.rank ${sql.join(facts, sql` `)} end as facts
      from targets l
      join facts f on f.id = l.id
      cross join lateral (select case ${sql.join(matches, sql` `)} end as rank) r
    )
    select e.id as lead_id, e.grade_key as from_key, fg.grade as from_grade, t.key as to_key, t.grade as to_grade,
      t.rank as to_rank, fg.rank as from_rank, t.hours, e.regraded,
      jsonb_build_object('rule', t.key, 'grade', t.grade, 'labels', t.labels, 'when', t.condition,
        'followUpWithinHours', t.hours, 'facts', coalesce(e.facts, '{}'::jsonb)) as reason
    from explained e
    join ladder t on t.rank = e.rank
    left join ladder fg on fg.key = e.grade_key`;
}
