import { hasPermission } from '@crm/auth';
import {
  type PoolEntity,
  type RecycleDays,
  ROLES,
  type Role,
  reminderToday,
  resolveRecycleDays,
} from '@crm/domain';
import { type PoolDefinition, resolveSettingRefs, tierModelOf } from '@crm/plugin-sdk';
import { sql } from 'kysely';
import { readCalendarSettings } from '../calendar/calendar.service';
import { visibleCustomer, visibleLead } from '../customers/access';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import { moveLeads } from '../leads/lead-owners.service';
import { notifyUsers } from '../notifications/notifications.service';
import { effectiveSettings, tenantProfileId } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import type { MemberScope, Scope } from '../scope';
import {
  countClaimsOn,
  countExisting,
  countPool,
  deleteRecycleOverride,
  insertLeadPoolMoves,
  lockMemberClaims,
  type RecycleTable,
  recordVisible,
  recycleCustomers,
  releaseCustomerToPool,
  selectDueSoon,
  selectMembership,
  selectMoves,
  selectPoolPage,
  selectPoolSettings,
  selectRecycleDueLeads,
  selectRecycleOverrides,
  selectReleasableLead,
  takeCustomersFromPool,
  upsertPoolSettings,
  upsertRecycleOverride,
} from './pool.repository';
import type {
  AssignFromPoolInput,
  ClaimInput,
  ClaimOutput,
  ListPoolInput,
  PoolMoveOutput,
  PoolPageOutput,
  PoolRecordInput,
  PoolSettingsOutput,
  PoolSummaryOutput,
  RecycleRuleOutput,
  RecycleRunOutput,
  ReleaseInput,
  SavePoolSettingsInput,
  SaveRecycleRuleInput,
} from './pool.schemas';

/**
 * 公海 (the public pool): leads and customers without an owner, released by a rep with a
 * reason, recycled by the daily job when nobody followed them up within their grade's or
 * tier's days (the plugin's rules, overridden per tenant), or matched by no assignment rule.
 * Reps claim from it within a daily limit (per role, on the tenant's day); managers assign
 * from it to their team; every move is written and shown on the record's timeline.
 */

/** What pool use cases need beyond the scope: the industry plugins (their recycle rules). */
export type PoolDependencies = { plugins: PluginRegistry | undefined };

const DEFAULT_CLAIM_LIMIT = 10;
const DEFAULT_WARN_DAYS = 3;
/** The roles a claim limit is set for (those who may claim). */
const CLAIMING_ROLES = ROLES.filter((role) => hasPermission(role, 'pool.claim'));

type Labelled = { key: string; zh: string; en: string };

/** The plugin's pool contribution with its settings read, and the grades' and tiers' names. */
type PluginPool = {
  grades: Labelled[];
  tiers: Labelled[];
  pool: {
    leads: Map<string, RecycleDays>;
    leadDefault: RecycleDays | undefined;
    customers: Map<string, RecycleDays>;
    customerDefault: RecycleDays | undefined;
    warnDaysBefore: number;
    dailyClaimLimit: number;
  };
};

async function pluginPool(scope: Scope, registry: PluginRegistry | undefined): Promise<PluginPool> {
  const empty: PluginPool = {
    grades: [],
    tiers: [],
    pool: {
      leads: new Map(),
      leadDefault: undefined,
      customers: new Map(),
      customerDefault: undefined,
      warnDaysBefore: DEFAULT_WARN_DAYS,
      dailyClaimLimit: DEFAULT_CLAIM_LIMIT,
    },
  };
  if (!registry) return empty;
  const plugin = registry.get(await tenantProfileId(scope.trx, scope.tenantId));
  if (!plugin) return empty;
  // A grade's label usually names it already ("A 级：已询价…", "A: asked…"); else the letter leads.
  const gradeLabel = (grade: string, label: string) =>
    label.startsWith(grade) ? label : `${grade} · ${label}`;
  const grades = (plugin.leadGrades ?? []).map((grade) => ({
    key: grade.key,
    zh: gradeLabel(grade.grade, grade.labels['zh-CN']),
    en: gradeLabel(grade.grade, grade.labels.en),
  }));
  const tiers = plugin.tierModel
    ? tierModelOf(plugin).tiers.map((tier) => ({
        key: tier.key,
        zh: tier.labels['zh-CN'],
        en: tier.labels.en,
      }))
    : [];
  if (!plugin.pool) return { ...empty, grades, tiers };
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry).catch(() => null);
  const resolved = resolveSettingRefs(
    plugin.pool,
    effective?.settings ?? {},
    'pool',
    [],
  ) as PoolDefinition<string>;
  const daysOf = (value: unknown): RecycleDays | undefined =>
    value === null
      ? null
      : typeof value === 'number' && Number.isInteger(value) && value > 0
        ? value
        : undefined;
  const whole = (value: unknown, fallback: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
  const leads = new Map<string, RecycleDays>();
  for (const rule of resolved.leads ?? []) {
    const days = daysOf(rule.recycleAfterDays);
    if (days !== undefined) leads.set(rule.grade, days);
  }
  const customers = new Map<string, RecycleDays>();
  for (const rule of resolved.customers ?? []) {
    const days = daysOf(rule.recycleAfterDays);
    if (days !== undefined) customers.set(rule.tier, days);
  }
  return {
    grades,
    tiers,
    pool: {
      leads,
      leadDefault: daysOf(resolved.leadDefaultDays),
      customers,
      customerDefault: daysOf(resolved.customerDefaultDays),
      warnDaysBefore: whole(resolved.warnDaysBefore, DEFAULT_WARN_DAYS),
      dailyClaimLimit: whole(resolved.dailyClaimLimit, DEFAULT_CLAIM_LIMIT),
    },
  };
}

type Effective = {
  plugin: PluginPool;
  claimLimits: Map<Role, { limit: number; overridden: boolean }>;
  defaultClaimLimit: number;
  warnDaysBefore: number;
  unmatched: 'pool' | 'unassigned';
  leadOverrides: Map<string, RecycleDays>;
  customerOverrides: Map<string, RecycleDays>;
  leadDays: Map<string, RecycleDays>;
  customerDays: Map<string, RecycleDays>;
};

/** The rules in force: the tenant's settings over the plugin's over the core's defaults. */
async function effectivePool(scope: Scope, registry: PluginRegistry | undefined): Promise<Effective> {
  const [plugin, settings, overrides] = await Promise.all([
    pluginPool(scope, registry),
    selectPoolSettings(scope),
    selectRecycleOverrides(scope),
  ]);
  const defaultClaimLimit = settings?.default_claim_limit ?? plugin.pool.dailyClaimLimit;
  const claimLimits = new Map<Role, { limit: number; overridden: boolean }>();
  for (const role of ROLES) {
    const own = settings?.claim_limits?.[role];
    claimLimits.set(
      role,
      typeof own === 'number'
        ? { limit: own, overridden: true }
        : { limit: defaultClaimLimit, overridden: false },
    );
  }
  const leadOverrides = new Map<string, RecycleDays>();
  const customerOverrides = new Map<string, RecycleDays>();
  for (const row of overrides) {
    (row.entity === 'lead' ? leadOverrides : customerOverrides).set(row.key, row.recycle_after_days);
  }
  return {
    plugin,
    claimLimits,
    defaultClaimLimit,
    warnDaysBefore: settings?.warn_days_before ?? plugin.pool.warnDaysBefore,
    unmatched: settings?.unmatched ?? 'pool',
    leadOverrides,
    customerOverrides,
    leadDays: resolveRecycleDays(
      [...new Set([...plugin.grades.map((grade) => grade.key), ...leadOverrides.keys()])].filter(
        (key) => key !== '*',
      ),
      { rules: plugin.pool.leads, fallback: plugin.pool.leadDefault },
      leadOverrides,
    ),
    customerDays: resolveRecycleDays(
      [...new Set([...plugin.tiers.map((tier) => tier.key), ...customerOverrides.keys()])].filter(
        (key) => key !== '*',
      ),
      { rules: plugin.pool.customers, fallback: plugin.pool.customerDefault },
      customerOverrides,
    ),
  };
}

function tableOf(days: Map<string, RecycleDays>): RecycleTable {
  const entries = [...days.entries()];
  return { keys: entries.map(([key]) => key), days: entries.map(([, value]) => value) };
}

/** The tenant's day and time zone (设置 → 工作日历). */
async function tenantDay(scope: Scope, at: Date): Promise<{ today: string; timeZone: string }> {
  const { timeZone } = await readCalendarSettings(scope);
  return { today: reminderToday(at, timeZone), timeZone };
}

// ---------------------------------------------------------------------------------------------
// The pool as members see it

export async function poolSummary(
  scope: MemberScope,
  dependencies: PoolDependencies,
  at = new Date(),
): Promise<PoolSummaryOutput> {
  const [effective, day, counts] = await Promise.all([
    effectivePool(scope, dependencies.plugins),
    tenantDay(scope, at),
    countPool(scope),
  ]);
  const claimLimit = effective.claimLimits.get(scope.role)?.limit ?? effective.defaultClaimLimit;
  const claimedToday = await countClaimsOn(scope, scope.userId, day.today, day.timeZone);
  return {
    today: day.today,
    claimLimit,
    claimedToday,
    remaining: Math.max(0, claimLimit - claimedToday),
    ...counts,
  };
}

export async function listPool(scope: Scope, input: ListPoolInput): Promise<PoolPageOutput> {
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectPoolPage(
    scope,
    input.entity,
    input,
    after ? { at: after.timestamp, id: after.id } : null,
    input.limit + 1,
  );
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      id: row.id,
      entity: input.entity,
      name: row.name,
      company: row.company,
      grade: row.grade,
      tier: row.tier,
      source: row.source,
      region: row.region,
      industry: row.industry,
      releasedAt: row.released_at?.toISOString() ?? null,
      via: row.via,
      reason: row.reason,
      note: row.note,
      previousOwnerName: row.previous_owner_name,
      lastContactAt: row.last_contact_at ? new Date(row.last_contact_at).toISOString() : null,
      createdAt: row.created_at.toISOString(),
    })),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.pool_at, last.id) : null,
  };
}

/**
 * Takes records still in the pool for a member (a claim, or a manager's assignment): leads
 * through the leads capability (their history, their open tasks follow), customers here; every
 * move written. Those moved, with their names.
 */
async function takeFromPool(
  scope: Scope,
  entity: PoolEntity,
  ids: readonly string[],
  to: { userId: string; teamId: string | null },
  kind: 'claim' | 'pool_assign',
  at: Date,
): Promise<{ id: string; name: string }[]> {
  if (entity === 'customer') return takeCustomersFromPool(scope, ids, to, kind, at);
  const moved = await moveLeads(
    scope,
    ids.map((id) => ({ id, ownerUserId: to.userId, teamId: to.teamId, inPool: false })),
    { reason: kind },
    { guard: 'in_pool', at },
  );
  await insertLeadPoolMoves(
    scope,
    kind,
    moved.map((lead) => ({ id: lead.id, fromUserId: null, toUserId: lead.toOwnerId, teamId: lead.teamId })),
    { at },
  );
  return moved;
}

/** Why some of `ids` were not moved: none such in the tenant (NOT_FOUND), or someone was quicker. */
async function explainMissing(scope: Scope, entity: PoolEntity, ids: readonly string[], moved: number) {
  const existing = await countExisting(scope, entity, ids);
  if (existing < ids.length) throw appError('POOL_NOT_FOUND', {}, 'ids');
  throw appError('POOL_ALREADY_CLAIMED', { count: ids.length - moved }, 'ids');
}

/**
 * 领取: the member takes records from the pool, within their daily limit (counted on the
 * tenant's day, the member's claims serialised so two tabs cannot both use the last one).
 * All or nothing: when another rep was quicker for any of them, nothing is claimed and the
 * error says how many were taken.
 */
export async function claimFromPool(
  scope: MemberScope,
  dependencies: PoolDependencies,
  input: ClaimInput,
  at = new Date(),
): Promise<ClaimOutput> {
  const ids = [...new Set(input.ids)];
  await lockMemberClaims(scope, scope.userId);
  const [effective, day, member] = await Promise.all([
    effectivePool(scope, dependencies.plugins),
    tenantDay(scope, at),
    selectMembership(scope, scope.userId),
  ]);
  const limit = effective.claimLimits.get(scope.role)?.limit ?? effective.defaultClaimLimit;
  const claimed = await countClaimsOn(scope, scope.userId, day.today, day.timeZone);
  const remaining = Math.max(0, limit - claimed);
  if (ids.length > remaining) throw appError('POOL_CLAIM_LIMIT', { limit, remaining }, 'ids');
  const moved = await takeFromPool(
    scope,
    input.entity,
    ids,
    { userId: scope.userId, teamId: member?.team_id ?? null },
    'claim',
    at,
  );
  if (moved.length < ids.length) await explainMissing(scope, input.entity, ids, moved.length);
  return { claimed: moved.length, remaining: remaining - moved.length };
}

/**
 * 释放: a rep returns their own lead or customer to the pool with a reason; a manager (and an
 * admin) may release any they see. Anything else answers as if there were no such record.
 */
export async function releaseToThePool(
  scope: MemberScope,
  input: ReleaseInput,
  at = new Date(),
): Promise<{ id: string }> {
  const manages = hasPermission(scope.role, 'pool.assign');
  const allowed =
    input.entity === 'lead'
      ? sql<boolean>`(leads.owner_user_id = ${scope.userId}::uuid or (${manages} and ${visibleLead(scope.access)}))`
      : sql<boolean>`(customers.owner_user_id = ${scope.userId}::uuid
          or (${manages} and ${visibleCustomer(scope.access)}))`;
  const note = input.note ?? null;
  if (input.entity === 'customer') {
    if (!(await releaseCustomerToPool(scope, input.id, allowed, input.reason, note, at)))
      throw appError('POOL_RELEASE_NOT_ALLOWED', {}, 'id');
    return { id: input.id };
  }
  if (!(await selectReleasableLead(scope, input.id, allowed)))
    throw appError('POOL_RELEASE_NOT_ALLOWED', {}, 'id');
  const moved = await moveLeads(
    scope,
    [{ id: input.id, ownerUserId: null, teamId: null, inPool: true }],
    { reason: 'release', note },
    { at },
  );
  await insertLeadPoolMoves(
    scope,
    'release',
    moved.map((lead) => ({ id: lead.id, fromUserId: lead.fromOwnerId, toUserId: null, teamId: lead.teamId })),
    { reason: input.reason, note, at },
  );
  return { id: input.id };
}

/**
 * A manager gives records in the pool to a member of their team (an admin to anyone); the
 * member is told. All or nothing, like a claim.
 */
export async function assignFromPool(
  scope: MemberScope,
  input: AssignFromPoolInput,
  at = new Date(),
): Promise<{ assigned: number }> {
  const target = await selectMembership(scope, input.userId);
  if (!target) throw appError('ASSIGNMENT_MEMBER_INVALID', {}, 'userId');
  const recordScope = input.entity === 'lead' ? scope.access.leadScope : scope.access.scope;
  if (recordScope !== 'all' && target.user_id !== scope.userId) {
    if (recordScope === 'own' || scope.access.teamId === null || target.team_id !== scope.access.teamId) {
      throw appError('POOL_ASSIGNEE_OUTSIDE_TEAM', {}, 'userId');
    }
  }
  const ids = [...new Set(input.ids)];
  const moved = await takeFromPool(
    scope,
    input.entity,
    ids,
    { userId: target.user_id, teamId: target.team_id },
    'pool_assign',
    at,
  );
  if (moved.length < ids.length) await explainMissing(scope, input.entity, ids, moved.length);
  if (target.user_id !== scope.userId) {
    const by = (await selectMembership(scope, scope.userId))?.name ?? '';
    await notifyUsers(
      scope,
      moved.map((record) => ({
        userId: target.user_id,
        kind: 'pool_assigned' as const,
        message:
          input.entity === 'lead' ? ('pool_assigned_lead' as const) : ('pool_assigned_customer' as const),
        params: { name: record.name.slice(0, 200), by: by.slice(0, 200) },
        link: input.entity === 'lead' ? `/leads?lead=${record.id}` : `/customers/${record.id}`,
        entity: { kind: input.entity, id: record.id },
      })),
    );
  }
  return { assigned: moved.length };
}

/** Every move of a lead or customer the member sees (or one in the pool), newest first. */
export async function poolHistory(scope: Scope, input: PoolRecordInput): Promise<PoolMoveOutput[]> {
  const visible = input.entity === 'lead' ? visibleLead(scope.access) : visibleCustomer(scope.access);
  if (!(await recordVisible(scope, input.entity, input.id, visible))) {
    throw appError(input.entity === 'lead' ? 'LEAD_NOT_FOUND' : 'CUSTOMER_NOT_FOUND', {}, 'id');
  }
  return (await selectMoves(scope, input.entity, input.id)).map((row) => ({
    id: row.id,
    kind: row.kind,
    occurredAt: row.occurred_at.toISOString(),
    fromUserName: row.from_user_name,
    toUserName: row.to_user_name,
    actorName: row.actor_name,
    teamName: row.team_name,
    ruleName: row.rule_name,
    reason: row.reason,
    note: row.note,
    data: row.data,
  }));
}

// ---------------------------------------------------------------------------------------------
// Settings (设置 → 公海)

function rulesOutput(
  labelled: Labelled[],
  days: Map<string, RecycleDays>,
  plugin: { rules: Map<string, RecycleDays>; fallback: RecycleDays | undefined },
  overrides: Map<string, RecycleDays>,
): RecycleRuleOutput[] {
  const keys = [
    ...labelled,
    ...[...overrides.keys()]
      .filter((key) => key !== '*' && !labelled.some((entry) => entry.key === key))
      .map((key) => ({ key, zh: key, en: key })),
    { key: '*', zh: '其他', en: 'Any other' },
  ];
  return keys.map((entry) => ({
    key: entry.key,
    labelZh: entry.zh,
    labelEn: entry.en,
    pluginDays:
      entry.key === '*'
        ? (plugin.fallback ?? null)
        : plugin.rules.has(entry.key)
          ? (plugin.rules.get(entry.key) ?? null)
          : (plugin.fallback ?? null),
    overridden: overrides.has(entry.key),
    tenantDays: overrides.get(entry.key) ?? null,
    days: days.get(entry.key) ?? days.get('*') ?? null,
  }));
}

export async function getPoolSettings(
  scope: Scope,
  dependencies: PoolDependencies,
): Promise<PoolSettingsOutput> {
  const effective = await effectivePool(scope, dependencies.plugins);
  const { plugin } = effective;
  return {
    claimLimits: CLAIMING_ROLES.map((role) => ({
      role,
      limit: effective.claimLimits.get(role)?.limit ?? effective.defaultClaimLimit,
      overridden: effective.claimLimits.get(role)?.overridden ?? false,
    })),
    defaultClaimLimit: effective.defaultClaimLimit,
    pluginClaimLimit: plugin.pool.dailyClaimLimit,
    warnDaysBefore: effective.warnDaysBefore,
    pluginWarnDaysBefore: plugin.pool.warnDaysBefore,
    unmatched: effective.unmatched,
    leadRules: rulesOutput(
      plugin.grades,
      effective.leadDays,
      { rules: plugin.pool.leads, fallback: plugin.pool.leadDefault },
      effective.leadOverrides,
    ),
    customerRules: rulesOutput(
      plugin.tiers,
      effective.customerDays,
      { rules: plugin.pool.customers, fallback: plugin.pool.customerDefault },
      effective.customerOverrides,
    ),
  };
}

export async function savePoolSettings(
  scope: Scope,
  dependencies: PoolDependencies,
  input: SavePoolSettingsInput,
): Promise<PoolSettingsOutput> {
  const claimLimits: Record<string, number> = {};
  for (const [role, limit] of Object.entries(input.claimLimits)) {
    if (typeof limit === 'number') claimLimits[role] = limit;
  }
  await upsertPoolSettings(scope, {
    claim_limits: claimLimits,
    default_claim_limit: input.defaultClaimLimit,
    warn_days_before: input.warnDaysBefore,
    unmatched: input.unmatched,
  });
  return getPoolSettings(scope, dependencies);
}

export async function saveRecycleRule(
  scope: Scope,
  dependencies: PoolDependencies,
  input: SaveRecycleRuleInput,
): Promise<PoolSettingsOutput> {
  if (input.mode === 'inherit') await deleteRecycleOverride(scope, input.entity, input.key);
  else if (input.mode === 'never') await upsertRecycleOverride(scope, input.entity, input.key, null);
  else await upsertRecycleOverride(scope, input.entity, input.key, input.days ?? null);
  return getPoolSettings(scope, dependencies);
}

// ---------------------------------------------------------------------------------------------
// The daily recycle

/**
 * Returns to the pool every owned open lead whose last activity is its grade's days old, set
 * based: one statement finds and locks them, the leads capability moves them all at once (each
 * in its history as `recycle`, its open tasks to the team's queue), one statement writes the
 * pool's moves with the rule that returned each. How many.
 */
async function recycleLeads(
  scope: Scope,
  table: RecycleTable,
  today: string,
  timeZone: string,
  at: Date,
): Promise<number> {
  const due = await selectRecycleDueLeads(scope, table, today, timeZone);
  if (due.length === 0) return 0;
  const moved = await moveLeads(
    scope,
    due.map((lead) => ({ id: lead.id, ownerUserId: null, teamId: null, inPool: true })),
    { reason: 'recycle' },
    { at },
  );
  const ruleOf = new Map(due.map((lead) => [lead.id, lead]));
  await insertLeadPoolMoves(
    scope,
    'recycle',
    moved.map((lead) => {
      const rule = ruleOf.get(lead.id);
      return {
        id: lead.id,
        fromUserId: lead.fromOwnerId,
        toUserId: null,
        teamId: lead.teamId,
        data: { key: rule?.key, days: rule?.days, lastActivityAt: rule?.last_activity },
      };
    }),
    { at },
  );
  return moved.length;
}

/**
 * The daily run for one tenant on its day: returns to the pool every owned lead and customer
 * whose last activity is its rule's days old or older (one statement per list), then warns
 * each owner of what will be recycled within the warning days (once per record and day, so
 * a second run warns nobody again). Safe to run again.
 */
export async function runPoolRecycle(
  scope: Scope,
  registry: PluginRegistry | undefined,
  options: { today?: string; at?: Date } = {},
): Promise<RecycleRunOutput> {
  const at = options.at ?? new Date();
  const [effective, day] = await Promise.all([effectivePool(scope, registry), tenantDay(scope, at)]);
  const today = options.today ?? day.today;
  const leadTable = tableOf(effective.leadDays);
  const customerTable = tableOf(effective.customerDays);
  const leads = await recycleLeads(scope, leadTable, today, day.timeZone, at);
  const customers = await recycleCustomers(scope, customerTable, today, day.timeZone, at);
  let warned = 0;
  if (effective.warnDaysBefore > 0) {
    const [dueLeads, dueCustomers] = await Promise.all([
      selectDueSoon(scope, 'lead', leadTable, today, effective.warnDaysBefore, day.timeZone),
      selectDueSoon(scope, 'customer', customerTable, today, effective.warnDaysBefore, day.timeZone),
    ]);
    const drafts = [
      ...dueLeads.map((row) => ({ row, entity: 'lead' as const })),
      ...dueCustomers.map((row) => ({ row, entity: 'customer' as const })),
    ].map(({ row, entity }) => ({
      userId: row.owner_user_id,
      kind: 'pool_recycle_warning' as const,
      message:
        entity === 'lead'
          ? ('pool_recycle_warning_lead' as const)
          : ('pool_recycle_warning_customer' as const),
      params: { name: row.name.slice(0, 200), days: row.days, on: row.on },
      link: entity === 'lead' ? `/leads?lead=${row.id}` : `/customers/${row.id}`,
      entity: { kind: entity, id: row.id },
      dedupKey: `pool-warning:${entity}:${row.id}:${row.on}`,
    }));
    if (drafts.length > 0) warned = (await notifyUsers(scope, drafts)).inApp;
  }
  return { today, leads, customers, warned };
}
