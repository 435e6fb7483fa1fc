import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from './calendar';
import {
  isSlaBreached,
  isSlaClockPaused,
  pauseSlaClock,
  resumeSlaClock,
  slaDeadline,
  slaElapsed,
  startSlaClock,
} from './sla';

const HOUR = 3_600_000;
const calendar = createWorkCalendar(); // business mode by default
const cst = (local: string) => new Date(`${local}+08:00`);

describe('SLA clocks', () => {
  it.each([
    ['calendar', '2026-09-30T10:00', '2026-10-01T10:00'],
    // 6.5 h on Sep 30, 国庆 off, 7.5 h on Oct 8 and 9, 2.5 h on the 调休 Saturday
    ['business', '2026-09-30T10:00', '2026-10-10T11:30'],
    ['calendar', '2026-02-13T16:00', '2026-02-14T16:00'],
    // 2 h Friday, 7.5 h 调休 Saturday, 春节 off, then 14.5 h: Feb 24 and 25 (7.5 + 7 h)
    ['business', '2026-02-13T16:00', '2026-02-25T17:30'],
  ] as const)('within 24 h (%s) from %s: due %s', (mode, start, due) => {
    const clock = startSlaClock(cst(start));
    expect(slaDeadline(calendar, clock, 24 * HOUR, mode)).toEqual(cst(due));
    expect(slaElapsed(calendar, clock, cst(due), mode)).toBe(24 * HOUR);
    expect(isSlaBreached(calendar, clock, 24 * HOUR, cst(due), mode)).toBe(false);
    expect(isSlaBreached(calendar, clock, 24 * HOUR, new Date(cst(due).getTime() + 60_000), mode)).toBe(true);
  });

  it('stands still while paused (waiting on the customer) and moves the deadline back', () => {
    let clock = startSlaClock(cst('2026-11-09T09:00'));
    clock = pauseSlaClock(clock, cst('2026-11-09T10:00'));
    expect(isSlaClockPaused(clock)).toBe(true);
    expect(slaDeadline(calendar, clock, 8 * HOUR, 'business')).toBeNull();
    expect(slaElapsed(calendar, clock, cst('2026-11-10T15:00'), 'business')).toBe(HOUR);
    expect(slaElapsed(calendar, clock, cst('2026-11-10T15:00'), 'calendar')).toBe(HOUR);

    clock = resumeSlaClock(clock, cst('2026-11-11T09:00'));
    expect(isSlaClockPaused(clock)).toBe(false);
    // 7 working hours left from Wednesday 09:00: 3 h before lunch, 4 h after
    expect(slaDeadline(calendar, clock, 8 * HOUR, 'business')).toEqual(cst('2026-11-11T17:30'));
    // 23 hours left in calendar time
    expect(slaDeadline(calendar, clock, 24 * HOUR, 'calendar')).toEqual(cst('2026-11-12T08:00'));
    expect(slaElapsed(calendar, clock, cst('2026-11-11T10:00'), 'business')).toBe(2 * HOUR);
    expect(slaElapsed(calendar, clock, cst('2026-11-11T10:00'))).toBe(2 * HOUR);
  });

  it('keeps a deadline reached before a pause where it was', () => {
    let clock = startSlaClock(cst('2026-11-09T09:00'));
    clock = pauseSlaClock(clock, cst('2026-11-09T17:00'));
    clock = resumeSlaClock(clock, cst('2026-11-12T09:00'));
    expect(slaDeadline(calendar, clock, 2 * HOUR, 'business')).toEqual(cst('2026-11-09T11:00'));
  });

  it('a pause over a holiday costs nothing in business time', () => {
    let clock = startSlaClock(cst('2026-09-30T17:00'));
    clock = pauseSlaClock(clock, cst('2026-10-02T10:00'));
    clock = resumeSlaClock(clock, cst('2026-10-05T10:00'));
    expect(slaDeadline(calendar, clock, 2 * HOUR, 'business')).toEqual(cst('2026-10-08T10:00'));
    // 41 h ran before the pause, the last 7 after it
    expect(slaDeadline(calendar, clock, 48 * HOUR, 'calendar')).toEqual(cst('2026-10-05T17:00'));
  });

  it('pausing a paused clock and resuming a running one change nothing; time runs forward only', () => {
    const running = startSlaClock(cst('2026-11-09T09:00'));
    expect(resumeSlaClock(running, cst('2026-11-09T10:00'))).toBe(running);
    const paused = pauseSlaClock(running, cst('2026-11-09T10:00'));
    expect(pauseSlaClock(paused, cst('2026-11-09T11:00'))).toBe(paused);
    expect(() => pauseSlaClock(running, cst('2026-11-09T08:00'))).toThrow(RangeError);
    expect(() => resumeSlaClock(paused, cst('2026-11-09T09:30'))).toThrow(RangeError);
  });
});
