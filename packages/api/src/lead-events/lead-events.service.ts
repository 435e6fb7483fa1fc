import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { type LeadGrade, type LeadRegradeRule, type Resolved, resolveSettingRefs } from '@crm/plugin-sdk';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import { effectiveSettings } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope, type Scope } from '../scope';
import { insertEvents, leadIsVisible, type NewEvent, selectLeadEvents } from './lead-events.repository';
import type { LeadEventsPageOutput, ListLeadEventsInput } from './lead-events.schemas';

/**
 * Behaviour events: recorded from the public doors (public-doors.ts) and the demo seed,
 * listed on a lead's timeline, and re-grading the leads they concern through the job queue
 * (lead-events.jobs.ts) within seconds.
 */

/** Seconds a re-grade waits for more events before it runs (events meanwhile join it). */
export const REGRADE_DEBOUNCE_SECONDS = 1;

/** What recording needs (a structural slice of the API's dependencies). */
export type RecordDependencies = {
  database: CrmDatabase;
  jobs: Pick<JobQueue<{ 'lead-events.regrade-tenant': { tenantId: string } }>, 'enqueue'>;
};

/**
 * Records events of one tenant in one transaction, then (after it commits, so the job sees
 * them) queues the tenant's re-grade. How many were recorded (duplicates within their
 * window record nothing and queue nothing).
 */
export async function recordEvents(
  dependencies: RecordDependencies,
  tenantId: string,
  events: readonly NewEvent[],
): Promise<number> {
  const recorded = await dependencies.database.withTenant(tenantId, (trx) =>
    insertEvents(jobScope(trx, tenantId), events),
  );
  if (recorded > 0) await queueRegrade(dependencies, tenantId);
  return recorded;
}

/**
 * When this process last queued each tenant's re-grade (a job id came back). A job never
 * starts before its `startAfter`, so until shortly before then the queued run will see any
 * event committed now, and a second enqueue (a round trip that would be debounced anyway) is
 * skipped. Only an optimisation: the stately queue keeps correctness across processes.
 */
const queuedAt = new Map<string, number>();
const SAFETY_MS = 300;

/** Queues the tenant's event-driven re-grade (debounced per tenant on a stately queue). */
export async function queueRegrade(
  dependencies: Pick<RecordDependencies, 'jobs'>,
  tenantId: string,
): Promise<void> {
  const now = Date.now();
  const last = queuedAt.get(tenantId);
  if (last !== undefined && now < last + REGRADE_DEBOUNCE_SECONDS * 1000 - SAFETY_MS) return;
  const id = await dependencies.jobs.enqueue(
    'lead-events.regrade-tenant',
    { tenantId },
    { debounceKey: tenantId, startAfter: REGRADE_DEBOUNCE_SECONDS },
  );
  if (id) queuedAt.set(tenantId, now);
  else queuedAt.delete(tenantId);
  if (queuedAt.size > 10_000) queuedAt.clear();
}

export type TenantLeadRules = {
  grades: readonly Resolved<LeadGrade>[];
  rules: readonly Resolved<LeadRegradeRule>[];
};

/** The tenant's lead grades and re-grade rules with its settings; none when its profile has none or is unavailable. */
export async function tenantLeadRules(scope: Scope, registry: PluginRegistry): Promise<TenantLeadRules> {
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry).catch(() => null);
  if (!effective) return { grades: [], rules: [] };
  const missing: { path: string; setting: string }[] = [];
  const grades = resolveSettingRefs(
    effective.plugin.leadGrades ?? [],
    effective.settings,
    'leadGrades',
    missing,
  ) as readonly Resolved<LeadGrade>[];
  const rules = resolveSettingRefs(
    effective.plugin.leadRegradeRules ?? [],
    effective.settings,
    'leadRegradeRules',
    missing,
  ) as readonly Resolved<LeadRegradeRule>[];
  // A rule whose number names no setting (a plugin bug the start-up checks let through) is left out.
  return missing.length > 0 ? { grades, rules: [] } : { grades, rules };
}

/** A lead's events, newest first (its timeline); LEAD_NOT_FOUND for a lead the actor does not see. */
export async function listLeadEvents(
  scope: Scope,
  input: ListLeadEventsInput,
): Promise<LeadEventsPageOutput> {
  if (!(await leadIsVisible(scope, input.leadId))) throw appError('LEAD_NOT_FOUND');
  const before = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectLeadEvents(scope, input.leadId, before, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      occurredAt: new Date(row.occurred_at).toISOString(),
      campaignId: row.campaign_id,
      campaignName: row.campaign_name,
      formId: row.form_id,
      formName: row.form_name,
      targetUrl: row.target_url,
    })),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}
