import {
  nextMilestone,
  type SlaClock,
  type SlaMilestones,
  slaElapsed,
  slaMilestones,
  type TicketSlaPolicy,
  type WorkCalendar,
} from '@crm/domain';
import type { TicketRow, TicketSlaColumns } from './tickets.repository';

/*
 * A ticket's SLA clock kept in its row: read back as the calendar's `SlaClock`, and the
 * columns to write after each change (opening, a pause while waiting on the customer, a
 * resume, the first reply, the resolution, a reopen, a new priority). Pure but for the
 * row's shape; the rules are @crm/domain's.
 */

export type Escalation = { warnAtPercent: number; escalateAtPercent: number };

export type TicketSlaConfig = {
  categories: { key: string; labelZh: string; labelEn: string }[];
  /** The plugin's policies, one per tier it names (a policy for two tiers is two). */
  policies: TicketSlaPolicy[];
  escalation: Escalation;
  tiers: { key: string; labelZh: string; labelEn: string }[];
};

/** The row's clock: its start and the intervals it stood still. */
export function clockOf(row: Pick<TicketRow, 'sla_started_at' | 'sla_pauses'>): SlaClock {
  return {
    startedAt: new Date(row.sla_started_at),
    pauses: row.sla_pauses.map((pause) => ({
      from: new Date(pause.from),
      to: pause.to === null ? null : new Date(pause.to),
    })),
  };
}

export function pausesOf(clock: SlaClock): { from: string; to: string | null }[] {
  return clock.pauses.map((pause) => ({
    from: pause.from.toISOString(),
    to: pause.to === null ? null : pause.to.toISOString(),
  }));
}

const NONE: SlaMilestones = { warnAt: null, dueAt: null, escalateAt: null };

type ScheduleInput = {
  clock: SlaClock;
  mode: 'business' | 'calendar';
  firstResponseMinutes: number;
  resolutionMinutes: number;
  responded: boolean;
  resolved: boolean;
  firstResponseStage: number;
  resolutionStage: number;
};

/**
 * The milestones of both clocks and the next one to act on: none for an answered first
 * response, none at all while paused or resolved.
 */
export function scheduleOf(
  calendar: WorkCalendar,
  input: ScheduleInput,
  escalation: Escalation,
): Required<
  Pick<
    TicketSlaColumns,
    | 'first_response_warn_at'
    | 'first_response_due_at'
    | 'first_response_escalate_at'
    | 'resolution_warn_at'
    | 'resolution_due_at'
    | 'resolution_escalate_at'
    | 'sla_next_at'
  >
> {
  const paused = input.clock.pauses.at(-1)?.to === null;
  const running = !paused && !input.resolved;
  const firstResponse =
    running && !input.responded
      ? slaMilestones(calendar, input.clock, input.firstResponseMinutes, input.mode, escalation)
      : NONE;
  const resolution = running
    ? slaMilestones(calendar, input.clock, input.resolutionMinutes, input.mode, escalation)
    : NONE;
  const next = [
    nextMilestone(firstResponse, input.firstResponseStage),
    nextMilestone(resolution, input.resolutionStage),
  ]
    .filter((at): at is Date => at !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    first_response_warn_at: firstResponse.warnAt,
    first_response_due_at: firstResponse.dueAt,
    first_response_escalate_at: firstResponse.escalateAt,
    resolution_warn_at: resolution.warnAt,
    resolution_due_at: resolution.dueAt,
    resolution_escalate_at: resolution.escalateAt,
    sla_next_at: next ?? null,
  };
}

/** The row's schedule input after a change of clock, targets or stages. */
export function scheduleInputOf(
  row: TicketRow,
  changes: Partial<ScheduleInput> & { clock: SlaClock },
): ScheduleInput {
  return {
    mode: row.sla_mode,
    firstResponseMinutes: row.first_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    responded: row.first_responded_at !== null,
    resolved: row.resolved_at !== null,
    firstResponseStage: row.first_response_stage,
    resolutionStage: row.resolution_stage,
    ...changes,
  };
}

/** Whether a target was missed by `at` on this clock. */
export function missed(
  calendar: WorkCalendar,
  clock: SlaClock,
  at: Date,
  targetMinutes: number,
  mode: 'business' | 'calendar',
): { elapsedMs: number; missed: boolean } {
  const elapsedMs = slaElapsed(calendar, clock, at, mode);
  return { elapsedMs, missed: elapsedMs > targetMinutes * 60_000 };
}

/** The stored milestones of one clock, as the scan reads them. */
export function storedMilestones(row: TicketRow, clock: 'first_response' | 'resolution'): SlaMilestones {
  return clock === 'first_response'
    ? {
        warnAt: row.first_response_warn_at,
        dueAt: row.first_response_due_at,
        escalateAt: row.first_response_escalate_at,
      }
    : {
        warnAt: row.resolution_warn_at,
        dueAt: row.resolution_due_at,
        escalateAt: row.resolution_escalate_at,
      };
}
