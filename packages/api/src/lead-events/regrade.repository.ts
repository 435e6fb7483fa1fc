import type { LeadGrade, LeadRegradeRule, Resolved } from '@crm/plugin-sdk';
import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';

export type AppliedMove = { lead_id: string; from_key: string; to_key: string; rule_key: string };

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
      (grade) => sql`(${grade.key}::text, ${grade.grade}::text, ${JSON.stringify(grade.labels)}::jsonb)`,
    ),
    sql`, `,
  );
  const ruleRows = sql.join(
    rules.map(
      (rule) =>
        sql`(${rule.key}::text, ${JSON.stringify(rule.labels)}::jsonb, ${JSON.stringify(rule.change)}::jsonb)`,
    ),
    sql`, `,
  );
  const result = await sql<AppliedMove>`
    with moves as (${moves}),
    ladder (key, grade, labels) as (values ${ladder}),
    rules (key, labels, change) as (values ${ruleRows}),
    updated as (
      update leads l
      set grade = t.grade, grade_key = m.to_key, graded_at = now(), updated_at = now(),
        grade_reason = jsonb_build_object('rule', m.rule_key, 'grade', t.grade, 'labels', t.labels,
          'regrade', jsonb_build_object('rule', m.rule_key, 'labels', r.labels, 'change', r.change, 'from', f.grade))
      from moves m
      join ladder t on t.key = m.to_key
      join ladder f on f.key = m.from_key
      join rules r on r.key = m.rule_key
      where l.tenant_id = ${scope.tenantId} and l.id = m.lead_id and l.grade_key = m.from_key
      returning l.id as lead_id, m.from_key, m.to_key, m.rule_key, f.grade as from_grade, t.grade as to_grade,
        r.labels as rule_labels, r.change
    ),
    history as (
      insert into lead_grade_history (tenant_id, lead_id, from_grade, to_grade, from_key, to_key, by_kind, rule_key, reason)
      select ${scope.tenantId}, u.lead_id, u.from_grade, u.to_grade, u.from_key, u.to_key, 'regrade_rule', u.rule_key,
        jsonb_build_object('labels', u.rule_labels, 'change', u.change)
      from updated u
    )
    select lead_id, from_key, to_key, rule_key from updated`.execute(scope.trx);
  return result.rows;
}
