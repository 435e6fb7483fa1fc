import { followUpTermsOf, gradeLeads } from '../leads/leads.service';
import type { PluginRegistry } from '../plugins/registry';
import type { Scope } from '../scope';
import { noteWebhookDeliveries } from '../webhooks/webhooks.service';
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

async function regrade(
  scope: Scope,
  registry: PluginRegistry,
  which: RegradeScope,
  now: Date,
): Promise<RegradeOutcome> {
  const { grades, rules } = await tenantLeadRules(scope, registry);
  const moves = regradeMovesSql(scope.tenantId, grades, rules, which);
  if (!moves) return { moved: 0, up: 0, down: 0 };
  // Each moved lead gets a fresh follow-up clock and a follow-up task due by its new grade's
  // limit, as a graded lead does (leads/leads.service.ts, startFollowUps), in the statement
  // that moves it.
  const followUps = await followUpTermsOf(
    scope,
    grades.map((grade) => grade.followUpWithinHours),
    now,
  );
  const applied = await applyRegrade(scope, moves, grades, rules, followUps);
  noteWebhookDeliveries(scope.trx, applied.queued);
  return { moved: applied.moved, up: applied.up, down: applied.down };
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
export async function regradeAfterEvents(
  scope: Scope,
  registry: PluginRegistry,
  now = new Date(),
): Promise<RegradeOutcome> {
  const watermark = await readWatermark(scope);
  // Leads that arrived without a grade (a hosted form's), or told a form more since, are graded
  // by the grade rules first, with their follow-up tasks.
  await gradeLeads(scope, { plugins: registry }, { ungraded: true, formsAfterSeq: watermark });
  const outcome = await regrade(
    scope,
    registry,
    {
      eventsAfterSeq: watermark,
      overlapSeconds: REGRADE_OVERLAP_SECONDS,
    },
    now,
  );
  await advanceWatermark(scope);
  return outcome;
}

/**
 * Every open lead: the daily run, for rules on time (no activity for 30 days). `now` is the
 * moment the follow-up clocks start from (a test's fixed one).
 */
export function regradeTenantDaily(
  scope: Scope,
  registry: PluginRegistry,
  now = new Date(),
): Promise<RegradeOutcome> {
  return regrade(scope, registry, { all: true }, now);
}
