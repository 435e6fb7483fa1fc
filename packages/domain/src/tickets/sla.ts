import type { WorkCalendar } from '../calendar/calendar';
import { businessTimeBetween } from '../calendar/calendar';
import type { SlaMode } from '../calendar/settings';
import { isSlaClockPaused, type SlaClock, slaDeadline, slaElapsed } from '../calendar/sla';
import type { TicketPriority, TicketSlaState } from '../contracts/enums';

/*
 * The rules of a ticket's (工单) SLA, pure: which targets apply (the tenant's policies, then
 * the plugin's, then 24 h / 72 h), when each clock warns, breaches and escalates to the
 * manager on the tenant's work calendar, and the state a list shows. The clock itself (start,
 * pause while waiting on the customer, resume) is the calendar's `SlaClock`.
 */

/** First response within 24 h, resolution within 72 h: the product's default. */
export const DEFAULT_TICKET_SLA = { firstResponseMinutes: 24 * 60, resolutionMinutes: 72 * 60 } as const;
/** Warn when 80 % of a target has run; tell the manager when 125 % has (a quarter past the breach). */
export const DEFAULT_TICKET_ESCALATION = { warnAtPercent: 80, escalateAtPercent: 125 } as const;

/** A policy: targets for a priority, a customer tier, both, or neither (the catch-all). */
export type TicketSlaPolicy = {
  priority: TicketPriority | null;
  tier: string | null;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** Calendar or working time; null: the tenant's work calendar default. */
  mode: SlaMode | null;
};

export type ResolvedTicketSla = {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  mode: SlaMode;
  /** Where the targets came from: 'tenant', 'plugin' or 'default', and the policy matched. */
  source: string;
};

/** How specific a policy is for a ticket: tier and priority > tier > priority > catch-all; -1 when it does not apply. */
function specificity(policy: TicketSlaPolicy, priority: TicketPriority, tier: string | null): number {
  if (policy.priority !== null && policy.priority !== priority) return -1;
  if (policy.tier !== null && policy.tier !== tier) return -1;
  return (policy.tier !== null ? 2 : 0) + (policy.priority !== null ? 1 : 0);
}

function bestOf(
  policies: readonly TicketSlaPolicy[],
  priority: TicketPriority,
  tier: string | null,
): TicketSlaPolicy | null {
  let best: TicketSlaPolicy | null = null;
  let bestScore = -1;
  for (const policy of policies) {
    const score = specificity(policy, priority, tier);
    if (score > bestScore) {
      best = policy;
      bestScore = score;
    }
  }
  return best;
}

function describe(policy: TicketSlaPolicy): string {
  return [policy.tier ?? '*', policy.priority ?? '*'].join('/');
}

/**
 * The targets of a ticket of this priority whose customer is in this tier: the most specific
 * of the tenant's policies; else the most specific of the plugin's; else 24 h / 72 h. The mode
 * is the policy's, else the work calendar's default.
 */
export function resolveTicketSla(
  tenantPolicies: readonly TicketSlaPolicy[],
  pluginPolicies: readonly TicketSlaPolicy[],
  ticket: { priority: TicketPriority; tier: string | null },
  defaultMode: SlaMode,
): ResolvedTicketSla {
  const tenant = bestOf(tenantPolicies, ticket.priority, ticket.tier);
  if (tenant)
    return {
      firstResponseMinutes: tenant.firstResponseMinutes,
      resolutionMinutes: tenant.resolutionMinutes,
      mode: tenant.mode ?? defaultMode,
      source: `tenant:${describe(tenant)}`,
    };
  const plugin = bestOf(pluginPolicies, ticket.priority, ticket.tier);
  if (plugin)
    return {
      firstResponseMinutes: plugin.firstResponseMinutes,
      resolutionMinutes: plugin.resolutionMinutes,
      mode: plugin.mode ?? defaultMode,
      source: `plugin:${describe(plugin)}`,
    };
  return { ...DEFAULT_TICKET_SLA, mode: defaultMode, source: 'default' };
}

/** When one clock warns, breaches and escalates; all null while the clock stands still. */
export type SlaMilestones = { warnAt: Date | null; dueAt: Date | null; escalateAt: Date | null };

/**
 * The milestones of a target on a clock: warning at `warnAtPercent` of the target, the
 * breach at the target, the manager's escalation at `escalateAtPercent`, each on the work
 * calendar in the mode's time, pauses pushing them back. A paused clock has none.
 */
export function slaMilestones(
  calendar: WorkCalendar,
  clock: SlaClock,
  targetMinutes: number,
  mode: SlaMode,
  escalation: { warnAtPercent: number; escalateAtPercent: number } = DEFAULT_TICKET_ESCALATION,
): SlaMilestones {
  const target = targetMinutes * 60_000;
  return {
    warnAt: slaDeadline(calendar, clock, Math.round((target * escalation.warnAtPercent) / 100), mode),
    dueAt: slaDeadline(calendar, clock, target, mode),
    escalateAt: slaDeadline(calendar, clock, Math.round((target * escalation.escalateAtPercent) / 100), mode),
  };
}

/** The stage a clock's escalation reached: none, warned, breached, escalated to the manager. */
export type SlaStage = 0 | 1 | 2 | 3;

/** The stage a clock should be at by `now` (its milestones passed), never below `current`. */
export function slaStageAt(milestones: SlaMilestones, now: Date, current: number): SlaStage {
  const at = now.getTime();
  let stage = 0;
  if (milestones.warnAt && milestones.warnAt.getTime() <= at) stage = 1;
  if (milestones.dueAt && milestones.dueAt.getTime() <= at) stage = 2;
  if (milestones.escalateAt && milestones.escalateAt.getTime() <= at) stage = 3;
  return Math.max(stage, current) as SlaStage;
}

/** The next milestone a clock has not acted on yet (after stage `stage`), or null. */
export function nextMilestone(milestones: SlaMilestones, stage: number): Date | null {
  if (stage < 1) return milestones.warnAt;
  if (stage < 2) return milestones.dueAt;
  if (stage < 3) return milestones.escalateAt;
  return null;
}

/** What a ticket's SLA reading needs: its clock, targets and where each clock stands. */
export type TicketSlaInput = {
  clock: SlaClock;
  mode: SlaMode;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** null until an agent first replies. */
  firstRespondedAt: Date | null;
  firstResponseBreached: boolean;
  /** null until resolved (a reopened ticket's is null again). */
  resolvedAt: Date | null;
  resolutionBreached: boolean;
  escalation?: { warnAtPercent: number; escalateAtPercent: number };
};

export type TicketSlaReading = {
  state: TicketSlaState;
  /** The clock that is running next to its deadline ('first_response' until answered, then 'resolution'); null once resolved. */
  clock: 'first_response' | 'resolution' | null;
  /** Its deadline; null when paused or resolved. */
  dueAt: Date | null;
  /** Time left to it in the SLA's mode (negative once breached); null when there is no running clock. */
  remainingMs: number | null;
  /** Time the resolution clock has run, in the SLA's mode. */
  elapsedMs: number;
};

/**
 * The SLA state of a ticket at `now`: paused while waiting on the customer; breached when a
 * target was missed (even if answered late since); at risk past the warning; met once
 * resolved in time; on track otherwise — with the time left to the running clock's deadline.
 */
export function readTicketSla(calendar: WorkCalendar, input: TicketSlaInput, now: Date): TicketSlaReading {
  const escalation = input.escalation ?? DEFAULT_TICKET_ESCALATION;
  const elapsedMs = slaElapsed(calendar, input.clock, input.resolvedAt ?? now, input.mode);
  const breachedBefore = input.firstResponseBreached || input.resolutionBreached;
  if (input.resolvedAt) {
    const late =
      breachedBefore || elapsedMs > input.resolutionMinutes * 60_000 || firstResponseLate(calendar, input);
    return { state: late ? 'breached' : 'met', clock: null, dueAt: null, remainingMs: null, elapsedMs };
  }
  const running = input.firstRespondedAt ? 'resolution' : 'first_response';
  const targetMinutes = running === 'first_response' ? input.firstResponseMinutes : input.resolutionMinutes;
  const elapsedOfRunning = elapsedMs;
  const remainingMs = targetMinutes * 60_000 - elapsedOfRunning;
  if (isSlaClockPaused(input.clock)) {
    return {
      state: breachedBefore || remainingMs < 0 ? 'breached' : 'paused',
      clock: running,
      dueAt: null,
      remainingMs,
      elapsedMs,
    };
  }
  const milestones = slaMilestones(calendar, input.clock, targetMinutes, input.mode, escalation);
  const answeredLate = input.firstRespondedAt !== null && firstResponseLate(calendar, input);
  let state: TicketSlaState = 'on_track';
  if (breachedBefore || answeredLate || remainingMs <= 0) state = 'breached';
  else if (milestones.warnAt && milestones.warnAt.getTime() <= now.getTime()) state = 'at_risk';
  return { state, clock: running, dueAt: milestones.dueAt, remainingMs, elapsedMs };
}

function firstResponseLate(calendar: WorkCalendar, input: TicketSlaInput): boolean {
  if (!input.firstRespondedAt) return false;
  return (
    slaElapsed(calendar, input.clock, input.firstRespondedAt, input.mode) >
    input.firstResponseMinutes * 60_000
  );
}

/** Working or calendar time between two instants, in the SLA's mode. */
export function slaTimeBetween(calendar: WorkCalendar, from: Date, to: Date, mode: SlaMode): number {
  if (to.getTime() <= from.getTime()) return 0;
  return mode === 'business' ? businessTimeBetween(calendar, from, to) : to.getTime() - from.getTime();
}

/*
 * The ticket KPIs, defined once. Their SQL (tickets.repository.ts, `selectTicketKpis`)
 * computes the same figures over a tenant's tickets and is tested against these on a
 * hand-computed fixture.
 */

/** Closure rate: of the tickets opened in a period, the share resolved or closed (0–1; null with none opened). */
export function closureRate(opened: number, closedOfOpened: number): number | null {
  return opened === 0 ? null : closedOfOpened / opened;
}

/** The mean of durations in hours, null for none. */
export function meanHours(durationsMs: readonly number[]): number | null {
  if (durationsMs.length === 0) return null;
  return durationsMs.reduce((sum, value) => sum + value, 0) / durationsMs.length / 3_600_000;
}

/** SLA compliance: of the tickets whose clock ended (answered, or resolved), the share within target. */
export function slaMetRate(met: number, total: number): number | null {
  return total === 0 ? null : met / total;
}
