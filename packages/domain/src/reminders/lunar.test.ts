import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, yearlyOccurrence } from './calendar-days';
import {
  festivalOccasions,
  festivalOn,
  lunarBirthdayIn,
  lunarBirthdayOccasions,
  lunarDateLabel,
  lunarDateOf,
  nextLunarBirthday,
} from './lunar';
import { occasionWindow, reminderToday, runWindow, upcomingWindow } from './window';

describe('lunar dates of solar days', () => {
  it.each([
    ['1990-04-03', { year: 1990, month: 3, day: 8, leap: false }],
    ['2020-06-01', { year: 2020, month: 4, day: 10, leap: true }],
    ['2026-02-17', { year: 2026, month: 1, day: 1, leap: false }],
    ['2027-02-05', { year: 2026, month: 12, day: 29, leap: false }],
    ['1985-10-13', { year: 1985, month: 8, day: 29, leap: false }],
  ])('%s is %o', (day, expected) => {
    expect(lunarDateOf(day)).toEqual(expected);
  });
});

describe('lunar birthdays on the solar calendar', () => {
  it.each([
    // 农历三月初八
    [{ month: 3, day: 8 }, 2026, '2026-04-24'],
    [{ month: 3, day: 8 }, 2027, '2027-04-14'],
    // 正月初一 is 春节
    [{ month: 1, day: 1 }, 2027, '2027-02-06'],
    // 八月十五 is 中秋
    [{ month: 8, day: 15 }, 2026, '2026-09-25'],
    // 腊月三十 in a year whose 12th month has 29 days: the 29th (除夕)
    [{ month: 12, day: 30 }, 2026, '2027-02-05'],
  ])('%o in lunar year %i falls on %s', (birth, year, expected) => {
    expect(lunarBirthdayIn(birth, year)).toBe(expected);
  });

  it('someone born in a leap month keeps the ordinary month of that number', () => {
    const birth = lunarDateOf('2020-06-01'); // 闰四月初十
    expect(lunarBirthdayIn(birth, 2026)).toBe(lunarBirthdayIn({ month: 4, day: 10 }, 2026));
    expect(lunarDateOf(lunarBirthdayIn(birth, 2026))).toMatchObject({ month: 4, day: 10, leap: false });
  });

  it('finds the occasions in a window, once per birth day, never before the birth', () => {
    const occasions = lunarBirthdayOccasions(
      ['1990-04-03', '1990-04-03', '2026-05-01'],
      '2026-01-01',
      '2027-12-31',
    );
    expect(occasions).toEqual([
      { birthOn: '1990-04-03', occasionOn: '2026-04-24' },
      { birthOn: '1990-04-03', occasionOn: '2027-04-14' },
      { birthOn: '2026-05-01', occasionOn: lunarBirthdayIn(lunarDateOf('2026-05-01'), 2027) },
    ]);
  });

  it('a window at the turn of the year finds a birthday of the lunar year that began before it', () => {
    // 腊月十四 of lunar year 2026 falls in solar January 2027.
    const birthOn = '1980-01-31';
    expect(lunarDateOf(birthOn)).toMatchObject({ month: 12, day: 14 });
    const occasions = lunarBirthdayOccasions([birthOn], '2027-01-01', '2027-01-31');
    expect(occasions).toEqual([{ birthOn, occasionOn: lunarBirthdayIn({ month: 12, day: 14 }, 2026) }]);
    expect(occasions[0]?.occasionOn.startsWith('2027-01')).toBe(true);
  });

  it('the next lunar birthday from a day', () => {
    expect(nextLunarBirthday('1990-04-03', '2026-04-25')).toBe('2027-04-14');
    expect(nextLunarBirthday('1990-04-03', '2026-04-24')).toBe('2026-04-24');
  });

  it.each([
    [{ month: 3, day: 8, leap: false }, '农历三月初八', 'lunar 3/8'],
    [{ month: 4, day: 10, leap: true }, '农历闰四月初十', 'lunar leap 4/10'],
    [{ month: 1, day: 15, leap: false }, '农历正月十五', 'lunar 1/15'],
    [{ month: 11, day: 21, leap: false }, '农历冬月廿一', 'lunar 11/21'],
    [{ month: 12, day: 30, leap: false }, '农历腊月三十', 'lunar 12/30'],
    [{ month: 8, day: 20, leap: false }, '农历八月二十', 'lunar 8/20'],
  ])('%o reads %s / %s', (date, zh, en) => {
    expect(lunarDateLabel(date, 'zh-CN')).toBe(zh);
    expect(lunarDateLabel(date, 'en')).toBe(en);
  });
});

describe('festival dates', () => {
  it.each([
    ['spring_festival', 2026, '2026-02-17'],
    ['spring_festival', 2027, '2027-02-06'],
    ['lantern_festival', 2027, '2027-02-20'],
    ['dragon_boat', 2026, '2026-06-19'],
    ['mid_autumn', 2026, '2026-09-25'],
    ['mid_autumn', 2027, '2027-09-15'],
    ['new_year', 2027, '2027-01-01'],
    ['national_day', 2026, '2026-10-01'],
  ] as const)('%s %i is %s', (festival, year, expected) => {
    expect(festivalOn(festival, year)).toBe(expected);
  });

  it('lists the festivals of a window across a new year', () => {
    expect(festivalOccasions(['spring_festival', 'new_year'], '2026-12-01', '2027-02-10')).toEqual([
      { festival: 'new_year', occasionOn: '2027-01-01' },
      { festival: 'spring_festival', occasionOn: '2027-02-06' },
    ]);
  });
});

describe('yearly dates', () => {
  it.each([
    ['1992-02-29', 2027, '2027-02-28'],
    ['1992-02-29', 2028, '2028-02-29'],
    ['1990-12-10', 2026, '2026-12-10'],
  ])('%s recurs in %i on %s', (day, year, expected) => {
    expect(yearlyOccurrence(day, year)).toBe(expected);
  });

  it('day arithmetic', () => {
    expect(addDays('2028-02-27', 3)).toBe('2028-03-01');
    expect(addDays('2027-01-02', -3)).toBe('2026-12-30');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
  });
});

describe('reminder windows', () => {
  it('a run makes what is due today or was due up to a week ago', () => {
    expect(runWindow('2026-12-07')).toEqual({ dueFrom: '2026-11-30', dueTo: '2026-12-07' });
    expect(upcomingWindow('2026-12-07')).toEqual({ dueFrom: '2026-12-08', dueTo: '2027-01-06' });
  });

  it('the occasions behind a window of due days', () => {
    expect(occasionWindow({ dueFrom: '2026-12-01', dueTo: '2026-12-07' }, [-10, 7])).toEqual({
      from: '2026-11-24',
      to: '2026-12-17',
    });
  });

  it('today in China', () => {
    expect(reminderToday(new Date('2026-12-07T17:00:00Z'))).toBe('2026-12-08');
    expect(reminderToday(new Date('2026-12-07T15:59:00Z'))).toBe('2026-12-07');
  });
});
