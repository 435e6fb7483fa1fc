import type { LeadGrade, LeadRegradeRule, Resolved } from '@crm/plugin-sdk';
import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';

/** A moved lead, with what its follow-up task needs (the grade's time limit, owner, team, first contact). */
export type AppliedMove = {
  id: string;
  old_grade: string;
  old_key: string;
  grade: string;
  grade_key: string;
  hours: number;
  changed: true;
  owner_user_id: string | null;
  team_id: string | null;
  first_contact_at: Date | null;
  created_at: Date;
  name: string;
  rule_key: string;
};

/**
 * Runs a statement with PostgreSQL's JIT off, then restores it for the rest of the transaction.
 * The compiled rules make a wide statement (a condition, a cool-down and a target per rule):
 * compiling it took longer than running it (20 s of 50 s at 100,000 leads).
 */
async function withoutJit<T>(scope: Scope, run: () => Promise<T>): Promise<T> {
  const { rows } = await sql<{ was: string }>`select current_setting('jit') as was`.execute(scope.trx);
  await sql`select set_config('jit', 'off', true)`.execute(scope.trx);
  const result = await run();
  await sql`select set_config('jit', ${rows[0]?.was ?? 'on'}, true)`.execute(scope.trx);
  return result;
}

/**
 * Applies the moves of `moves` (regrade.sql.ts) in one statement: each lead's grade, its
 * reason (the rule and its words), its follow-up clock restarted (`deadlines`: the deadline of
 * each grade's limit, in hours) and a grade-history row (by a re-grade rule). Returns the
 * moved leads.
 */
export async function applyRegrade(
  scope: Scope,
  moves: RawBuilder<unknown>,
  grades: readonly Resolved<LeadGrade>[],
  rules: readonly Resolved<LeadRegradeRule>[],
  deadlines: ReadonlyMap<number, Date>,
): Promise<AppliedMove[]> {
  const ladder = sql.join(
    grades.map(
      (grade) =>
        sql`(${grade.key}::text, ${grade.grade}::text, ${JSON.stringify(grade.labels)}::jsonb, ${grade.followUpWithinHours}::numeric,
          ${deadlines.get(grade.followUpWithinHours)?.toISOString() ?? null}::timestamptz)`,
    ),
    sql`, `,
  );
  const ruleRows = sql.join(
    rules.map(
      (rule) =>
        sql`(${rule.key}::text, ${JSON.stringify(rule.labels)}::jsonb, ${JSON.stringify(rule.change)}::jsonb, ${JSON.stringify(rule.when)}::jsonb)`,
    ),
    sql`, `,
  );
  const result = await withoutJit(scope, () =>
    sql<AppliedMove>`
    with moves as materialized (${moves}),
    ladder (key, grade, labels, hours, due_at) as (values ${ladder}),
    rules (key, labels, change, condition) as (values ${ruleRows}),
    updated as (
      update leads l
      set grade = t.grade, grade_key = m.to_key, graded_at = now(), updated_at = now(), follow_up_hours = t.hours,
        -- a fresh follow-up clock by the new grade's limit (its task is made by the caller)
        follow_up_due_at = t.due_at, follow_up_task_id = null, follow_up_done_at = null, sla_breached_at = null,
        sla_escalated_at = null,
        -- The reason reads like a grade rule's (the rule, its words, its condition, the facts it read)
        -- and says which re-grade moved it from which grade.
        grade_reason = jsonb_build_object('rule', m.rule_key, 'grade', t.grade, 'labels', r.labels,
          'when', r.condition, 'followUpWithinHours', t.hours, 'facts', m.facts,
          'regrade', jsonb_build_object('change', r.change, 'from', f.grade))
      from moves m
      join ladder t on t.key = m.to_key
      join ladder f on f.key = m.from_key
      join rules r on r.key = m.rule_key
      where l.tenant_id = ${scope.tenantId} and l.id = m.lead_id and l.grade_key = m.from_key
      returning l.id as lead_id, m.from_key, m.to_key, m.rule_key, f.grade as from_grade, t.grade as to_grade,
        l.grade_reason as reason, t.hours, l.owner_user_id, l.team_id, l.first_contact_at, l.created_at,
        coalesce(l.company_name, l.person_name) as name
    ),
    history as (
      insert into lead_grade_history (tenant_id, lead_id, from_grade, to_grade, from_key, to_key, by_kind, rule_key, reason)
      select ${scope.tenantId}, u.lead_id, u.from_grade, u.to_grade, u.from_key, u.to_key, 'regrade_rule', u.rule_key,
        u.reason
      from updated u
    )
    select lead_id as id, from_grade as old_grade, from_key as old_key, to_grade as grade, to_key as grade_key,
      hours::float8 as hours, true as changed, owner_user_id, team_id, first_contact_at, created_at, name, rule_key
    from updated`.execute(scope.trx),
  );
  return result.rows;
}
