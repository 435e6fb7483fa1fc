import chineseDays from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addBusinessHours,
  addBusinessTime,
  addWorkingDays,
  businessTimeBetween,
  createWorkCalendar,
  describeDay,
  isWorkingDay,
  localDayOf,
  nextWorkingDay,
  shiftDay,
  workingDayLength,
} from './calendar';
import { DEFAULT_WORK_CALENDAR_SETTINGS, workCalendarSettingsSchema } from './settings';
import { statutoryCalendarDays, statutoryYears } from './statutory';

const HOUR = 3_600_000;
// Asia/Shanghai, Monday–Friday 09:00–18:00 with lunch 12:00–13:30: 7.5 working hours a day.
const calendar = createWorkCalendar();
/** A wall-clock time in Beijing (UTC+8, no daylight saving). */
const cst = (local: string) => new Date(`${local}+08:00`);

describe('working days (statutory schedule from chinese-days)', () => {
  it.each([
    ['2026-10-01', false, 'statutory', '国庆节'],
    ['2026-10-07', false, 'statutory', '国庆节'],
    ['2026-10-08', true, 'weekday', ''],
    ['2026-10-10', true, 'statutory', '国庆节'], // 调休 Saturday
    ['2026-09-20', true, 'statutory', '国庆节'], // 调休 Sunday
    ['2026-10-11', false, 'weekday', ''],
    ['2026-02-14', true, 'statutory', '春节'], // 调休 Saturday before 春节
    ['2026-02-16', false, 'statutory', '春节'],
    ['2026-02-23', false, 'statutory', '春节'], // a Monday off
    ['2026-02-24', true, 'weekday', ''],
    ['2026-02-28', true, 'statutory', '春节'], // 调休 Saturday after 春节
    ['2025-10-08', false, 'statutory', '国庆节'], // 2025: 国庆 and 中秋 together, Oct 1–8
    ['2025-10-11', true, 'statutory', '国庆节'],
    ['2026-11-11', true, 'weekday', ''],
  ] as const)('%s: working %s (%s %s)', (day, working, source, name) => {
    expect(describeDay(calendar, day)).toEqual({ day, working, source, name });
    expect(isWorkingDay(calendar, day)).toBe(working);
  });

  it('agrees with the package on every day of the years it covers', () => {
    const { first, last } = statutoryYears();
    expect(first).toBe(2004);
    expect(last).toBeGreaterThanOrEqual(2026);
    for (let day = `${first}-01-01`; day <= `${last}-12-31`; day = shiftDay(day, 1)) {
      expect([day, isWorkingDay(calendar, day)]).toEqual([day, chineseDays.isWorkday(day)]);
    }
    expect(statutoryCalendarDays().filter((entry) => entry.day.startsWith('2026-10'))).toHaveLength(8);
  });

  it.each([
    ['2026-10-01', '2026-10-08'],
    ['2026-09-30', '2026-09-30'],
    ['2026-10-10', '2026-10-10'],
    ['2026-10-11', '2026-10-12'],
    ['2026-02-15', '2026-02-24'],
    ['2026-02-13', '2026-02-13'],
  ])('next working day on or after %s is %s', (day, expected) => {
    expect(nextWorkingDay(calendar, day)).toBe(expected);
  });

  it.each([
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-09', 1, '2026-10-10'],
    ['2026-10-09', 2, '2026-10-12'],
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-13', 2, '2026-02-24'],
    ['2026-10-03', 1, '2026-10-08'],
    ['2026-10-03', 0, '2026-10-08'],
    ['2026-10-08', -1, '2026-09-30'],
    ['2026-02-24', -2, '2026-02-13'],
  ])('%s + %i working days is %s', (day, n, expected) => {
    expect(addWorkingDays(calendar, day, n)).toBe(expected);
  });

  it('lets tenant overrides win: company holidays and extra working days', () => {
    const company = createWorkCalendar(DEFAULT_WORK_CALENDAR_SETTINGS, [
      { day: '2026-11-11', working: false, name: '公司年会' },
      { day: '2026-11-15', working: true, name: '盘点日' }, // a Sunday
      { day: '2026-10-10', working: false, name: '调休不上班' }, // over the statutory 调休
    ]);
    expect(describeDay(company, '2026-11-11')).toEqual({
      day: '2026-11-11',
      working: false,
      source: 'override',
      name: '公司年会',
    });
    expect(isWorkingDay(company, '2026-11-15')).toBe(true);
    expect(nextWorkingDay(company, '2026-11-11')).toBe('2026-11-12');
    expect(addWorkingDays(company, '2026-10-09', 1)).toBe('2026-10-12');
  });

  it('covers a year the statutory schedule does not yet (春节 2027) with company holidays', () => {
    // chinese-days 1.5.7 ends with 2026: 2027 falls back to the weekdays until the package
    // publishes the State Council's schedule; meanwhile a tenant enters the days it takes off.
    expect(statutoryCalendarDays().some((entry) => entry.day.startsWith('2027'))).toBe(false);
    expect(isWorkingDay(calendar, '2027-02-08')).toBe(true);
    const company = createWorkCalendar(DEFAULT_WORK_CALENDAR_SETTINGS, [
      ...[
        '2027-02-05',
        '2027-02-06',
        '2027-02-07',
        '2027-02-08',
        '2027-02-09',
        '2027-02-10',
        '2027-02-11',
      ].map((day) => ({ day, working: false, name: '春节' })),
      { day: '2027-02-13', working: true, name: '春节调休' },
    ]);
    expect(nextWorkingDay(company, '2027-02-05')).toBe('2027-02-12');
    expect(addWorkingDays(company, '2027-02-04', 2)).toBe('2027-02-13');
    expect(businessTimeBetween(company, cst('2027-02-04T09:00'), cst('2027-02-15T09:00'))).toBe(
      3 * 7.5 * HOUR,
    );
  });

  it('honours the working weekdays of the settings (a Monday–Saturday shop)', () => {
    const shop = createWorkCalendar({
      ...DEFAULT_WORK_CALENDAR_SETTINGS,
      workingWeekdays: [1, 2, 3, 4, 5, 6],
    });
    expect(isWorkingDay(shop, '2026-11-14')).toBe(true);
    expect(isWorkingDay(shop, '2026-11-15')).toBe(false);
    expect(isWorkingDay(shop, '2026-10-03')).toBe(false); // 国庆 still a holiday
  });
});

describe('business time', () => {
  it.each([
    ['2026-09-30T17:00', 1, '2026-09-30T18:00'], // ends exactly at closing time
    ['2026-09-30T17:00', 2, '2026-10-08T10:00'], // carries over 国庆
    ['2026-10-09T17:00', 2, '2026-10-10T10:00'], // into the 调休 Saturday
    ['2026-11-06T17:00', 3, '2026-11-09T11:00'], // over an ordinary weekend
    ['2026-11-09T07:00', 1, '2026-11-09T10:00'], // starts before opening
    ['2026-11-09T11:30', 1, '2026-11-09T14:00'], // over lunch
    ['2026-11-09T12:15', 1, '2026-11-09T14:30'], // starts during lunch
    ['2026-11-09T20:00', 1, '2026-11-10T10:00'], // starts after closing
    ['2026-10-03T12:00', 1, '2026-10-08T10:00'], // starts on a holiday
    ['2026-02-13T16:00', 12, '2026-02-24T11:30'], // Friday, 调休 Saturday, 春节, Tuesday
    ['2026-11-09T09:00', 0, '2026-11-09T09:00'],
    ['2026-11-07T09:00', 0, '2026-11-09T09:00'], // 0 h: the first working moment
  ])('%s + %i business hours is %s', (from, hours, expected) => {
    expect(addBusinessHours(calendar, cst(from), hours)).toEqual(cst(expected));
  });

  it.each([
    ['2026-10-07T15:59:59.999Z', 'Asia/Shanghai', '2026-10-07'], // 23:59:59.999 in Beijing
    ['2026-10-07T16:00:00Z', 'Asia/Shanghai', '2026-10-08'], // midnight in Beijing
    ['2026-01-01T04:59:00Z', 'America/New_York', '2025-12-31'], // the year turns later there
    ['2026-03-08T07:30:00Z', 'America/New_York', '2026-03-08'], // the morning clocks spring forward
    ['2026-06-30T10:00:00Z', 'Pacific/Kiritimati', '2026-07-01'], // UTC+14
    ['0999-06-15T12:00:00Z', 'UTC', '0999-06-15'], // a year of three digits keeps four
  ])('%s is on %s’s day %s, formatted and cached per zone', (instant, timeZone, day) => {
    // Twice: the second call goes through the zone's kept formatter.
    expect(localDayOf({ timeZone }, new Date(instant))).toBe(day);
    expect(localDayOf({ timeZone }, new Date(instant))).toBe(day);
  });

  it('carries from an instant given in another zone (UTC) in the calendar’s zone', () => {
    const utcLateEvening = new Date('2026-10-07T16:30:00Z'); // 00:30 on 10-08 in Beijing
    expect(localDayOf(calendar, utcLateEvening)).toBe('2026-10-08');
    expect(addBusinessHours(calendar, utcLateEvening, 1)).toEqual(new Date('2026-10-08T02:00:00Z'));
  });

  it.each([
    ['2026-09-30T09:00', '2026-10-08T18:00', 15],
    ['2026-02-13T09:00', '2026-02-24T09:00', 15], // Friday + 调休 Saturday
    ['2026-11-09T10:00', '2026-11-09T14:00', 2.5],
    ['2026-11-07T00:00', '2026-11-08T23:59', 0],
    ['2026-11-09T14:00', '2026-11-09T10:00', -2.5],
  ])('between %s and %s: %s business hours', (from, to, hours) => {
    expect(businessTimeBetween(calendar, cst(from), cst(to))).toBe(hours * HOUR);
  });

  it.each([
    ['2026-09-30T10:00', 1, '2026-10-08T10:00'],
    ['2026-10-09T15:30', 1, '2026-10-10T15:30'],
    ['2026-02-13T10:00', 2, '2026-02-24T10:00'],
    ['2026-10-03T10:00', 0, '2026-10-08T10:00'],
  ])('%s + %i business days is %s', (from, n, expected) => {
    expect(addBusinessDays(calendar, cst(from), n)).toEqual(cst(expected));
  });

  it('working time without a lunch break', () => {
    const noBreak = createWorkCalendar({
      ...DEFAULT_WORK_CALENDAR_SETTINGS,
      workingHours: { start: '08:30', end: '17:30', breakStart: null, breakEnd: null },
    });
    expect(workingDayLength(noBreak)).toBe(9 * HOUR);
    expect(workingDayLength(calendar)).toBe(7.5 * HOUR);
    expect(addBusinessHours(noBreak, cst('2026-11-09T11:30'), 1)).toEqual(cst('2026-11-09T12:30'));
  });

  it('measures back exactly what it adds, from any instant', () => {
    const start = cst('2025-01-01T00:00').getTime();
    const end = cst('2026-12-31T00:00').getTime();
    fc.assert(
      fc.property(
        fc.integer({ min: start, max: end }),
        fc.integer({ min: 0, max: 200 * HOUR }),
        (from, ms) => {
          const result = addBusinessTime(calendar, new Date(from), ms);
          expect(businessTimeBetween(calendar, new Date(from), result)).toBe(ms);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('settings', () => {
  it('accepts the defaults and refuses what makes no sense', () => {
    expect(workCalendarSettingsSchema.parse(DEFAULT_WORK_CALENDAR_SETTINGS)).toEqual(
      DEFAULT_WORK_CALENDAR_SETTINGS,
    );
    const bad = (patch: object) =>
      workCalendarSettingsSchema.safeParse({ ...DEFAULT_WORK_CALENDAR_SETTINGS, ...patch }).success;
    expect(bad({ timeZone: 'Mars/Olympus' })).toBe(false);
    expect(bad({ timeZone: 'Europe/Berlin' })).toBe(true);
    expect(bad({ workingWeekdays: [] })).toBe(false);
    expect(bad({ workingWeekdays: [1, 1] })).toBe(false);
    expect(bad({ workingWeekdays: [8] })).toBe(false);
    expect(bad({ workingHours: { start: '18:00', end: '09:00', breakStart: null, breakEnd: null } })).toBe(
      false,
    );
    expect(
      bad({ workingHours: { start: '09:00', end: '18:00', breakStart: '08:00', breakEnd: '10:00' } }),
    ).toBe(false);
    expect(bad({ workingHours: { start: '09:00', end: '18:00', breakStart: '12:00', breakEnd: null } })).toBe(
      false,
    );
    expect(bad({ workingHours: { start: '9:00', end: '18:00', breakStart: null, breakEnd: null } })).toBe(
      false,
    );
    expect(
      workCalendarSettingsSchema.parse({ ...DEFAULT_WORK_CALENDAR_SETTINGS, workingWeekdays: [5, 1] }),
    ).toMatchObject({
      workingWeekdays: [1, 5],
    });
  });
});
