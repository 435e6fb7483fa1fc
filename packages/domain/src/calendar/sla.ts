import { addBusinessTime, businessTimeBetween, type WorkCalendar } from './calendar';
import type { SlaMode } from './settings';

/**
 * An SLA clock as a value (a ticket's response clock, a hand-off's deadline): when it started
 * and the intervals it stood still (waiting on the customer). The last pause is open while
 * the clock is paused. Store it as is; every reading is computed from it.
 */
export type SlaClock = {
  startedAt: Date;
  pauses: readonly { from: Date; to: Date | null }[];
};

export function startSlaClock(at: Date): SlaClock {
  return { startedAt: at, pauses: [] };
}

export function isSlaClockPaused(clock: SlaClock): boolean {
  return clock.pauses.at(-1)?.to === null;
}

function lastEvent(clock: SlaClock): Date {
  const last = clock.pauses.at(-1);
  return last ? (last.to ?? last.from) : clock.startedAt;
}

/** Stops the clock at `at`; pausing a paused clock changes nothing. */
export function pauseSlaClock(clock: SlaClock, at: Date): SlaClock {
  if (isSlaClockPaused(clock)) return clock;
  if (at.getTime() < lastEvent(clock).getTime())
    throw new RangeError('an SLA clock cannot pause before its last event');
  return { ...clock, pauses: [...clock.pauses, { from: at, to: null }] };
}

/** Starts a paused clock again at `at`; resuming a running clock changes nothing. */
export function resumeSlaClock(clock: SlaClock, at: Date): SlaClock {
  const last = clock.pauses.at(-1);
  if (!last || last.to !== null) return clock;
  if (at.getTime() < last.from.getTime()) throw new RangeError('an SLA clock cannot resume before it paused');
  return { ...clock, pauses: [...clock.pauses.slice(0, -1), { from: last.from, to: at }] };
}

/** The intervals the clock runs: from the start to the first pause, between pauses, and after the last (open: end null). */
function runningSegments(clock: SlaClock): { from: Date; to: Date | null }[] {
  const segments: { from: Date; to: Date | null }[] = [];
  let from: Date | null = clock.startedAt;
  for (const pause of clock.pauses) {
    if (from) segments.push({ from, to: pause.from });
    from = pause.to;
  }
  if (from) segments.push({ from, to: null });
  return segments;
}

function measure(calendar: WorkCalendar, mode: SlaMode, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  return mode === 'business' ? businessTimeBetween(calendar, from, to) : to.getTime() - from.getTime();
}

/** Time the clock has run by `now`, in ms: calendar time, or working time only. */
export function slaElapsed(
  calendar: WorkCalendar,
  clock: SlaClock,
  now: Date,
  mode: SlaMode = calendar.slaMode,
): number {
  let total = 0;
  for (const segment of runningSegments(clock)) {
    if (segment.from.getTime() >= now.getTime()) break;
    const end = segment.to === null || segment.to.getTime() > now.getTime() ? now : segment.to;
    total += measure(calendar, mode, segment.from, end);
  }
  return total;
}

/**
 * When the clock reaches `targetMs` ("within 24 h": 24 × 3,600,000), in calendar or working
 * time. Pauses push it back. null while the clock is paused before reaching the target: a
 * stopped clock has no deadline until it runs again.
 */
export function slaDeadline(
  calendar: WorkCalendar,
  clock: SlaClock,
  targetMs: number,
  mode: SlaMode = calendar.slaMode,
): Date | null {
  let remaining = targetMs;
  for (const segment of runningSegments(clock)) {
    const candidate =
      mode === 'business'
        ? addBusinessTime(calendar, segment.from, remaining)
        : new Date(segment.from.getTime() + remaining);
    if (segment.to === null || candidate.getTime() <= segment.to.getTime()) return candidate;
    remaining -= measure(calendar, mode, segment.from, segment.to);
  }
  return null;
}

/** Whether the clock has run for `targetMs` or more by `now`. */
export function isSlaBreached(
  calendar: WorkCalendar,
  clock: SlaClock,
  targetMs: number,
  now: Date,
  mode: SlaMode = calendar.slaMode,
): boolean {
  return slaElapsed(calendar, clock, now, mode) > targetMs;
}
