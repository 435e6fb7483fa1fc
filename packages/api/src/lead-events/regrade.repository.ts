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
 * Applies the moves of `moves` (regrade.sql.ts) in one statement: each lead's grade, its
 * reason (the rule and its words) and a grade-history row (by a re-grade rule). Returns the
 * moved leads.
 */
export async function applyRegrade(
  scope: Scope,
  moves: RawBuilder<unknown>,
  grades: readonly Resolved<LeadGrade>[],
  rules: readonly Resolved<LeadRegradeRule>[],
): Promise<AppliedMove[]> {
  const ladder = sql.join(
    grades.map(
      (grade) =>
        sql`(${grade.key}::text, ${grade.grade}::text, ${JSON.stringify(grade.labels)}::jsonb, ${grade.followUpWithinHours}::numeric)`,
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
  const result = await sql<AppliedMove>`
    with moves as (${moves}),
    ladder (key, grade, labels, hours) as (values ${ladder}),
    rules (key, labels, change, condition) as (values ${ruleRows}),
    updated as (
      update leads l
      set grade = t.grade, grade_key = m.to_key, graded_at = now(), updated_at = now(), follow_up_hours = t.hours,
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
    from updated`.execute(scope.trx);
  return result.rows;
}
