import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { type LeadGrade, type LeadRegradeRule, type Resolved, resolveSettingRefs } from '@crm/plugin-sdk';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import { effectiveSettings } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope, type Scope } from '../scope';
import {
  insertEvents,
  insertEventsQuery,
  leadIsVisible,
  type NewEvent,
  type RegradeRequest,
  readInsertedEvents,
  renewStaleRegradeRequest,
  selectLeadEvents,
} from './lead-events.repository';
import type { LeadEventsPageOutput, ListLeadEventsInput } from './lead-events.schemas';

/**
 * Behaviour events: recorded from the public doors (public-doors.ts) and the demo seed,
 * listed on a lead's timeline, and re-grading the leads they concern through the job queue
 * (lead-events.jobs.ts) within seconds: one run waits per tenant at a time, asked for by the
 * first event after the previous run started.
 */

/** Seconds a re-grade waits for more events before it runs (events meanwhile join it). */
export const REGRADE_DEBOUNCE_SECONDS = 1;

/** What recording needs (a structural slice of the API's dependencies). */
export type RecordDependencies = {
  database: CrmDatabase;
  jobs: Pick<JobQueue<{ 'lead-events.regrade-tenant': { tenantId: string } }>, 'enqueue'>;
};

/**
 * Records events of one tenant in a transaction of their own, as recordTenantEvents does: the
 * statement goes with the transaction's opening (one round trip), planned once per connection
 * (its rows are found by key), then the COMMIT — with the re-grade's enqueue before it when
 * these events asked for a run. How many were recorded (duplicates within their window record
 * nothing and ask for nothing).
 */
export async function recordEvents(
  dependencies: RecordDependencies,
  tenantId: string,
  events: readonly NewEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  return dependencies.database.withTenantFirst(
    tenantId,
    insertEventsQuery(tenantId, events),
    async (trx, rows) => {
      const { recorded, regrade } = readInsertedEvents(rows[0]);
      await askForRegrade(dependencies, jobScope(trx, tenantId), regrade);
      return recorded;
    },
    { genericPlans: true },
  );
}

/**
 * Records events in the caller's transaction. The first events since the last re-grade run
 * took the tenant's request queue the next run in the same transaction (it starts after the
 * commit, debounced); later ones join the run already asked for and write nothing more
 * (lead-events.repository.ts, `insertEvents`). A request that no run took in time (its job
 * lost, or failed for good) is asked again, once a minute at most. How many were recorded.
 */
export async function recordTenantEvents(
  dependencies: Pick<RecordDependencies, 'jobs'>,
  scope: Scope,
  events: readonly NewEvent[],
): Promise<number> {
  const { recorded, regrade } = await insertEvents(scope, events);
  await askForRegrade(dependencies, scope, regrade);
  return recorded;
}

async function askForRegrade(
  dependencies: Pick<RecordDependencies, 'jobs'>,
  scope: Scope,
  regrade: RegradeRequest,
): Promise<void> {
  if (regrade === 'requested' || (regrade === 'stale' && (await renewStaleRegradeRequest(scope)))) {
    // A stately queue keeps one run waiting per tenant: an ask while one waits joins it.
    await dependencies.jobs.enqueue(
      'lead-events.regrade-tenant',
      { tenantId: scope.tenantId },
      { debounceKey: scope.tenantId, startAfter: REGRADE_DEBOUNCE_SECONDS, trx: scope.trx },
    );
  }
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
