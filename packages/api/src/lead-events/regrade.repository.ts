import type { LeadGrade, LeadRegradeRule, Resolved } from '@crm/plugin-sdk';
import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';
import { taskPayload } from '../tasks/task-events.sql';
import { outboxCtes } from '../webhooks/webhooks.outbox';

/** What a re-grade did: leads moved (up and down), and the webhook deliveries it queued. */
export type RegradeApplied = { moved: number; up: number; down: number; queued: number };

/**
 * The follow-up task each moved lead gets, as `startFollowUps` (leads.service.ts) makes it for a
 * graded lead: the terms of each limit (hours), the title's `format()` string, the occasion
 * key's prefix and moment, and the reason the superseded task is closed with.
 */
export type RegradeFollowUps = {
  terms: ReadonlyMap<number, { dueAt: Date; dueOn: string; priority: 'high' | 'normal' }>;
  titleFormat: string;
  /** The longest title, in characters. */
  titleMax: number;
  keyPrefix: string;
  stamp: number;
  supersededReason: string;
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
 * reason (the rule and its words), its follow-up clock restarted by its new grade's limit, a
 * grade-history row (by a re-grade rule), the previous grade's open follow-up task closed as
 * superseded, the new follow-up task (the task backbone's row, as `startFollowUps` writes it),
 * and the webhook events of all three (`lead.graded`, `task.completed`, `task.created`) in the
 * outbox. No moved lead passes through Node: 50,000 moves were 50,000 rows returned and sent
 * back as the tasks' JSON.
 */
export async function applyRegrade(
  scope: Scope,
  moves: RawBuilder<unknown>,
  grades: readonly Resolved<LeadGrade>[],
  rules: readonly Resolved<LeadRegradeRule>[],
  followUps: RegradeFollowUps,
): Promise<RegradeApplied> {
  const ladder = sql.join(
    grades.map((grade, rank) => {
      const terms = followUps.terms.get(grade.followUpWithinHours);
      return sql`(${grade.key}::text, ${grade.grade}::text, ${JSON.stringify(grade.labels)}::jsonb, ${grade.followUpWithinHours}::numeric,
          ${terms?.dueAt.toISOString() ?? null}::timestamptz, ${terms?.dueOn ?? null}::date, ${terms?.priority ?? 'normal'}::text,
          ${rank}::int)`;
    }),
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
    sql<RegradeApplied>`
    with moves as materialized (${moves}),
    ladder (key, grade, labels, hours, due_at, due_on, priority, rank) as (values ${ladder}),
    rules (key, labels, change, condition) as (values ${ruleRows}),
    updated as (
      update leads l
      set grade = t.grade, grade_key = m.to_key, graded_at = now(), updated_at = now(), follow_up_hours = t.hours,
        -- a fresh follow-up clock by the new grade's limit (its task is the follow_ups row below)
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
        l.grade_reason as reason, t.due_at, t.due_on, t.priority, t.rank < f.rank as up, l.owner_user_id, l.team_id,
        coalesce(l.company_name, l.person_name) as name
    ),
    history as (
      insert into lead_grade_history (tenant_id, lead_id, from_grade, to_grade, from_key, to_key, by_kind, rule_key, reason)
      select ${scope.tenantId}, u.lead_id, u.from_grade, u.to_grade, u.from_key, u.to_key, 'regrade_rule', u.rule_key,
        u.reason
      from updated u
    ),
    -- The previous grade's open follow-up task is superseded (the statement's snapshot does not
    -- see the tasks it inserts, so the new ones stay open).
    superseded as (
      update tasks t
      set status = 'done', status_reason = ${followUps.supersededReason}, closed_at = now(),
        closed_by = ${scope.userId}::uuid, updated_at = now()
      from updated u
      where t.tenant_id = ${scope.tenantId} and t.related_kind = 'lead' and t.related_id = u.lead_id
        and t.status = 'open' and starts_with(t.source_key, ${followUps.keyPrefix})
      returning t.*
    ),
    follow_ups as (
      insert into tasks (tenant_id, title, type, related_kind, related_id, owner_user_id, team_id, due_on, due_at,
        priority, source, source_key, created_by)
      select ${scope.tenantId}, left(format(${followUps.titleFormat}, u.to_grade, u.name), ${followUps.titleMax}),
        'follow_up', 'lead', u.lead_id, u.owner_user_id, u.team_id, u.due_on, u.due_at, u.priority, 'rule',
        ${followUps.keyPrefix} || u.lead_id || ':' || u.to_key || ':' || ${String(followUps.stamp)},
        ${scope.userId}::uuid
      from updated u
      on conflict (tenant_id, source_key) where source_key is not null do nothing
      returning tasks.*
    ),
    ${outboxCtes(
      scope.tenantId,
      'lead.graded',
      sql`select jsonb_build_object('id', u.lead_id, 'name', u.name, 'from', u.from_grade, 'grade', u.to_grade,
        'gradeKey', u.to_key, 'by', 'regrade', 'ownerUserId', u.owner_user_id) as payload from updated u`,
    )},
    ${outboxCtes(scope.tenantId, 'task.completed', sql`select ${taskPayload('s')} as payload from superseded s`, 'task_done_outbox')},
    ${outboxCtes(scope.tenantId, 'task.created', sql`select ${taskPayload('f')} as payload from follow_ups f`, 'task_outbox')}
    select count(*)::int as moved, (count(*) filter (where up))::int as up, (count(*) filter (where not up))::int as down,
      ((select count(*) from outbox_deliveries) + (select count(*) from task_done_outbox_deliveries)
        + (select count(*) from task_outbox_deliveries))::int as queued
    from updated`.execute(scope.trx),
  );
  return result.rows[0] ?? { moved: 0, up: 0, down: 0, queued: 0 };
}
