import chineseDays from 'chinese-days';

/** A day the State Council's holiday schedule moves away from the Monday–Friday week. */
export type StatutoryDay = {
  /** 'YYYY-MM-DD' */
  day: string;
  /** false: a statutory holiday (法定节假日); true: a make-up working day (调休上班). */
  working: boolean;
  /** The holiday's Chinese name (春节, 国庆节 …). */
  name: string;
  /** The holiday's English name (Spring Festival, National Day …). */
  nameEn: string;
};

/*
 * The package publishes each year's schedule once the State Council announces it (usually in
 * November for the next year), so a year past its last one has no statutory days: such a day
 * is a working day by the weekdays alone until the package is updated. The years it covers
 * are derived from its data rather than hard-coded, so an update needs no change here.
 */
const FIRST_YEAR = 2004;
const LAST_YEAR_PROBED = 2100;

let cached: readonly StatutoryDay[] | undefined;

/**
 * Every statutory holiday and make-up working day the bundled `chinese-days` data knows,
 * in day order. Holidays that fall on a weekend are included (the screen names them);
 * ordinary weekends are not.
 */
export function statutoryCalendarDays(): readonly StatutoryDay[] {
  if (cached) return cached;
  const days: StatutoryDay[] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR_PROBED; year++) {
    const before = days.length;
    for (let month = 0; month < 12; month++) {
      const length = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      for (let date = 1; date <= length; date++) {
        // A 'YYYY-MM-DD' string: the package reads it as a UTC date and formats it back in
        // UTC, so it names the same day in every server time zone (a Date would shift).
        const day = `${year}-${String(month + 1).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
        const detail = chineseDays.getDayDetail(day);
        // Entries of the schedule carry "English,中文,length"; other days a weekday name.
        const parts = detail.name.split(',');
        if (parts.length < 2) continue;
        days.push({ day, working: detail.work, name: parts[1] ?? '', nameEn: parts[0] ?? '' });
      }
    }
    // The first year without a schedule ends the data.
    if (days.length === before) break;
  }
  cached = days;
  return days;
}

/** The first and last years the statutory schedule covers (a later year has none yet). */
export function statutoryYears(): { first: number; last: number } {
  const days = statutoryCalendarDays();
  return {
    first: Number(days[0]?.day.slice(0, 4) ?? FIRST_YEAR),
    last: Number(days.at(-1)?.day.slice(0, 4) ?? FIRST_YEAR),
  };
}
