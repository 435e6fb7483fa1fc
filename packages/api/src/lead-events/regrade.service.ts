import { followUpDeadlines, gradeLeads, startFollowUps } from '../leads/leads.service';
import type { PluginRegistry } from '../plugins/registry';
import type { Scope } from '../scope';
import { recordWebhookEvents } from '../webhooks/webhooks.service';
import { advanceWatermark, deleteRegradeRequest, readWatermark } from './lead-events.repository';
import { tenantLeadRules } from './lead-events.service';
import { applyRegrade } from './regrade.repository';
import { type RegradeScope, regradeMovesSql } from './regrade.sql';

/**
 * 线索升降级: the plugin's re-grade rules applied set-based — after events to the leads they
 * concern, daily to every open lead — each move written with its rule as the reason.
 */

/** Events this recent are looked at again by the next run, whatever the watermark (late commits). */
export const REGRADE_OVERLAP_SECONDS = 120;

export type RegradeOutcome = { moved: number; up: number; down: number };

async function regrade(scope: Scope, registry: PluginRegistry, which: RegradeScope): Promise<RegradeOutcome> {
  const { grades, rules } = await tenantLeadRules(scope, registry);
  const moves = regradeMovesSql(scope.tenantId, grades, rules, which);
  if (!moves) return { moved: 0, up: 0, down: 0 };
  const now = new Date();
  // Each moved lead gets a fresh follow-up clock (set with its grade, in the same write) and a
  // follow-up task due by its new grade's limit (leads/leads.service.ts).
  const deadlines = await followUpDeadlines(
    scope,
    grades.map((grade) => grade.followUpWithinHours),
    now,
  );
  const applied = await applyRegrade(scope, moves, grades, rules, deadlines);
  await startFollowUps(
    scope,
    applied.map((move) => ({
      id: move.id,
      name: move.name,
      grade: move.grade,
      gradeKey: move.grade_key,
      hours: move.hours,
      ownerUserId: move.owner_user_id,
      teamId: move.team_id,
    })),
    now,
    { clocksSet: true },
  );
  await recordWebhookEvents(
    scope,
    'lead.graded',
    applied.map((move) => ({
      id: move.id,
      name: move.name,
      from: move.old_grade,
      grade: move.grade,
      gradeKey: move.grade_key,
      by: 'regrade',
      ownerUserId: move.owner_user_id,
    })),
  );
  const rank = new Map(grades.map((grade, index) => [grade.key, index]));
  const up = applied.filter((move) => (rank.get(move.grade_key) ?? 0) < (rank.get(move.old_key) ?? 0)).length;
  return { moved: applied.length, up, down: applied.length - up };
}

/**
 * The event-driven run takes the tenant's re-grade request, in its own short transaction before
 * it reads any event: the events of every transaction that saw the request are committed
 * then, and events recorded afterwards ask for the next run.
 */
export function takeRegradeRequest(scope: Scope): Promise<void> {
  return deleteRegradeRequest(scope);
}

/** The leads with events since the last run (and the last two minutes'): the event-driven re-grade. */
export async function regradeAfterEvents(scope: Scope, registry: PluginRegistry): Promise<RegradeOutcome> {
  const watermark = await readWatermark(scope);
  // Leads that arrived without a grade (a hosted form's), or told a form more since, are graded
  // by the grade rules first, with their follow-up tasks.
  await gradeLeads(scope, { plugins: registry }, { ungraded: true, formsAfterSeq: watermark });
  const outcome = await regrade(scope, registry, {
    eventsAfterSeq: watermark,
    overlapSeconds: REGRADE_OVERLAP_SECONDS,
  });
  await advanceWatermark(scope);
  return outcome;
}

/** Every open lead: the daily run, for rules on time (no activity for 30 days). */
export function regradeTenantDaily(scope: Scope, registry: PluginRegistry): Promise<RegradeOutcome> {
  return regrade(scope, registry, { all: true });
}
