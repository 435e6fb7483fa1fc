import { Lunar, LunarMonth, Solar } from 'lunar-typescript';
import { addDays, dayOf, daysBetween, partsOfDay } from './calendar-days';

/**
 * The Chinese lunar calendar (农历) for lunar birthdays and the lunar festivals, from
 * lunar-typescript (its tables cover 1900–2100 and agree with the official almanac).
 */

/** A day of the lunar calendar: month 1–12, `leap` for the intercalary month (闰月). */
export type LunarDate = { year: number; month: number; day: number; leap: boolean };

export function lunarDateOf(day: string): LunarDate {
  const { year, month, day: date } = partsOfDay(day);
  const lunar = Solar.fromYmd(year, month, date).getLunar();
  const lunarMonth = lunar.getMonth();
  return { year: lunar.getYear(), month: Math.abs(lunarMonth), day: lunar.getDay(), leap: lunarMonth < 0 };
}

/** The solar day of a lunar date; the package writes a leap month as a negative month. */
function solarDayOfLunar(year: number, month: number, day: number, leap: boolean): string {
  const solar = Lunar.fromYmd(year, leap ? -month : month, day).getSolar();
  return dayOf(solar.getYear(), solar.getMonth(), solar.getDay());
}

/**
 * The solar day a lunar birthday falls on in lunar year `year`. Someone born in a leap
 * month keeps the birthday in the ordinary month of that number (most years have no such
 * leap month, and most families do so every year); someone born on the 30th keeps it on the
 * 29th when that month is short (小月) that year.
 */
export function lunarBirthdayIn(birth: Pick<LunarDate, 'month' | 'day'>, year: number): string {
  const length = LunarMonth.fromYm(year, birth.month)?.getDayCount() ?? 29;
  return solarDayOfLunar(year, birth.month, Math.min(birth.day, length), false);
}

/** A lunar birthday falling in a window: whose birth day, on which solar day. */
export type LunarOccasion = { birthOn: string; occasionOn: string };

/**
 * The solar days in [from, to] on which people born on `birthDays` (solar days, kept as
 * lunar birthdays) celebrate, one pair per birthday that falls in the window. Computed per
 * distinct birth day, never per person, so a tenant's whole list costs at most a few
 * thousand conversions; the database joins the pairs to its people in one statement.
 */
export function lunarBirthdayOccasions(
  birthDays: readonly string[],
  from: string,
  to: string,
): LunarOccasion[] {
  if (daysBetween(from, to) < 0) return [];
  const first = partsOfDay(from).year - 1;
  const last = partsOfDay(to).year;
  const occasions: LunarOccasion[] = [];
  for (const birthOn of new Set(birthDays)) {
    const birth = lunarDateOf(birthOn);
    for (let year = Math.max(first, birth.year + 1); year <= last; year += 1) {
      const occasionOn = lunarBirthdayIn(birth, year);
      if (occasionOn >= from && occasionOn <= to) occasions.push({ birthOn, occasionOn });
    }
  }
  return occasions;
}

/** The festivals of the care calendar (关怀日历), as the plugin SDK names them. */
export const FESTIVALS = [
  'new_year',
  'spring_festival',
  'lantern_festival',
  'dragon_boat',
  'mid_autumn',
  'national_day',
] as const;
export type Festival = (typeof FESTIVALS)[number];

/**
 * The real date of a festival in a (solar) year: 元旦 1 January, 国庆 1 October; 春节 the first
 * day of the first lunar month, 元宵 its 15th, 端午 the 5th of the fifth, 中秋 the 15th of the
 * eighth — of the lunar year that begins in that solar year, so each falls in it.
 */
export function festivalOn(festival: Festival, year: number): string {
  switch (festival) {
    case 'new_year':
      return dayOf(year, 1, 1);
    case 'national_day':
      return dayOf(year, 10, 1);
    case 'spring_festival':
      return solarDayOfLunar(year, 1, 1, false);
    case 'lantern_festival':
      return solarDayOfLunar(year, 1, 15, false);
    case 'dragon_boat':
      return solarDayOfLunar(year, 5, 5, false);
    case 'mid_autumn':
      return solarDayOfLunar(year, 8, 15, false);
  }
}

export type FestivalOccasion = { festival: Festival; occasionOn: string };

/** Every date of these festivals in [from, to]. */
export function festivalOccasions(
  festivals: readonly Festival[],
  from: string,
  to: string,
): FestivalOccasion[] {
  const occasions: FestivalOccasion[] = [];
  for (let year = partsOfDay(from).year; year <= partsOfDay(to).year; year += 1) {
    for (const festival of new Set(festivals)) {
      const occasionOn = festivalOn(festival, year);
      if (occasionOn >= from && occasionOn <= to) occasions.push({ festival, occasionOn });
    }
  }
  return occasions.sort((left, right) => left.occasionOn.localeCompare(right.occasionOn));
}

const CHINESE_MONTHS = ['正', '二', '三', '四', '五', '六', '七', '八', '九', '十', '冬', '腊'];
const CHINESE_TENS = ['初', '十', '廿', '三'];
const CHINESE_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function chineseDay(day: number): string {
  if (day === 10) return '初十';
  if (day === 20) return '二十';
  if (day === 30) return '三十';
  return `${CHINESE_TENS[Math.floor(day / 10)]}${CHINESE_DIGITS[day % 10]}`;
}

/**
 * How a lunar birthday reads: 农历三月初八, 农历闰四月初十; in English "lunar 3/8",
 * "lunar leap 4/10" (month/day of the lunar calendar).
 */
export function lunarDateLabel(
  date: Pick<LunarDate, 'month' | 'day' | 'leap'>,
  locale: 'zh-CN' | 'en',
): string {
  if (locale === 'en') return `lunar ${date.leap ? 'leap ' : ''}${date.month}/${date.day}`;
  return `农历${date.leap ? '闰' : ''}${CHINESE_MONTHS[date.month - 1]}月${chineseDay(date.day)}`;
}

/** The next day on or after `today` that a lunar birthday falls on (for the 360's countdown). */
export function nextLunarBirthday(birthOn: string, today: string): string {
  const occasions = lunarBirthdayOccasions([birthOn], today, addDays(today, 400));
  return occasions.map((occasion) => occasion.occasionOn).sort()[0] ?? today;
}
