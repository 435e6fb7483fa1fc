import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../calendar/calendar';
import { pauseSlaClock, resumeSlaClock, startSlaClock } from '../calendar/sla';
import {
  closureRate,
  meanHours,
  nextMilestone,
  readTicketSla,
  resolveTicketSla,
  slaMetRate,
  slaMilestones,
  slaStageAt,
  type TicketSlaPolicy,
} from './sla';

const HOUR = 3_600_000;
const calendar = createWorkCalendar(); // business mode, 09:00–18:00 with lunch 12:00–13:30
const cst = (local: string) => new Date(`${local}+08:00`);

const policy = (
  priority: TicketSlaPolicy['priority'],
  tier: string | null,
  firstResponseMinutes: number,
  resolutionMinutes: number,
): TicketSlaPolicy => ({ priority, tier, firstResponseMinutes, resolutionMinutes, mode: null });

describe('which SLA targets apply', () => {
  const plugin = [
    policy(null, 'b2b_strategic', 240, 1440),
    policy('urgent', 'b2b_strategic', 120, 480),
    policy('urgent', null, 240, 1440),
  ];
  it.each([
    // priority, tier, tenant policies, expected targets and source
    ['normal', null, [], [1440, 4320, 'default']],
    ['normal', 'b2b_strategic', [], [240, 1440, 'plugin:b2b_strategic/*']],
    ['urgent', 'b2b_strategic', [], [120, 480, 'plugin:b2b_strategic/urgent']],
    ['urgent', 'b2b_key', [], [240, 1440, 'plugin:*/urgent']],
    ['normal', 'b2b_strategic', [policy(null, null, 600, 2000)], [600, 2000, 'tenant:*/*']],
    ['high', 'b2b_key', [policy('low', null, 600, 2000)], [1440, 4320, 'default']],
  ] as const)('%s priority, tier %s', (priority, tier, tenant, [first, resolution, source]) => {
    const resolved = resolveTicketSla([...tenant], plugin, { priority, tier }, 'business');
    expect([resolved.firstResponseMinutes, resolved.resolutionMinutes, resolved.source]).toEqual([
      first,
      resolution,
      source,
    ]);
  });
});

describe('milestones on the work calendar', () => {
  it('warns at 80 %, breaches at 100 %, escalates at 125 %, over a weekend', () => {
    // Friday 16:00: 2 working hours left that day.
    const clock = startSlaClock(cst('2026-12-11T16:00'));
    const milestones = slaMilestones(calendar, clock, 6 * 60, 'business');
    expect(milestones).toEqual({
      warnAt: cst('2026-12-14T11:48'),
      dueAt: cst('2026-12-14T14:30'),
      escalateAt: cst('2026-12-14T16:00'),
    });
    expect(slaStageAt(milestones, cst('2026-12-14T11:47'), 0)).toBe(0);
    expect(slaStageAt(milestones, cst('2026-12-14T11:48'), 0)).toBe(1);
    expect(slaStageAt(milestones, cst('2026-12-14T15:00'), 0)).toBe(2);
    expect(slaStageAt(milestones, cst('2026-12-14T15:00'), 3)).toBe(3);
    expect(nextMilestone(milestones, 1)).toEqual(cst('2026-12-14T14:30'));
    expect(nextMilestone(milestones, 3)).toBeNull();
  });

  it('a paused clock has no milestones; resumed, they move by the pause', () => {
    const started = startSlaClock(cst('2026-12-11T16:00'));
    const paused = pauseSlaClock(started, cst('2026-12-11T17:00'));
    expect(slaMilestones(calendar, paused, 6 * 60, 'business')).toEqual({
      warnAt: null,
      dueAt: null,
      escalateAt: null,
    });
    const resumed = resumeSlaClock(paused, cst('2026-12-15T10:00'));
    expect(slaMilestones(calendar, resumed, 6 * 60, 'business').dueAt).toEqual(cst('2026-12-15T16:30'));
  });
});

describe('the SLA state a list shows', () => {
  const base = {
    mode: 'business' as const,
    firstResponseMinutes: 360,
    resolutionMinutes: 960,
    firstRespondedAt: null,
    firstResponseBreached: false,
    resolvedAt: null,
    resolutionBreached: false,
  };
  const clock = startSlaClock(cst('2026-12-11T16:00'));
  it.each([
    ['on track', { clock }, cst('2026-12-14T09:30'), 'on_track'],
    ['at risk', { clock }, cst('2026-12-14T12:00'), 'at_risk'],
    ['breached', { clock }, cst('2026-12-14T15:00'), 'breached'],
    ['paused', { clock: pauseSlaClock(clock, cst('2026-12-11T17:00')) }, cst('2026-12-14T15:00'), 'paused'],
    [
      'met',
      { clock: pauseSlaClock(clock, cst('2026-12-14T10:00')), resolvedAt: cst('2026-12-14T10:00') },
      cst('2026-12-20T10:00'),
      'met',
    ],
    [
      'resolved late',
      { clock, resolvedAt: cst('2026-12-14T10:00'), firstResponseBreached: true },
      cst('2026-12-20T10:00'),
      'breached',
    ],
  ] as const)('%s', (_name, changes, now, state) => {
    expect(readTicketSla(calendar, { ...base, ...changes }, now).state).toBe(state);
  });

  it('tells the time left in working time', () => {
    const reading = readTicketSla(calendar, { ...base, clock }, cst('2026-12-14T09:00'));
    expect(reading.remainingMs).toBe(4 * HOUR);
    expect(reading.dueAt).toEqual(cst('2026-12-14T14:30'));
  });
});

describe('ticket KPI formulas', () => {
  it.each([
    [0, 0, null],
    [4, 3, 0.75],
  ])('closure rate of %i opened, %i closed', (opened, closed, rate) => {
    expect(closureRate(opened, closed)).toBe(rate);
  });
  it('means and met rates', () => {
    expect(meanHours([HOUR, 3 * HOUR])).toBe(2);
    expect(meanHours([])).toBeNull();
    expect(slaMetRate(1, 4)).toBe(0.25);
    expect(slaMetRate(0, 0)).toBeNull();
  });
});
