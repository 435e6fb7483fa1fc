import dayjs, { type Dayjs } from 'dayjs';

export const PERIOD_PRESETS = [
  'thisMonth',
  'lastMonth',
  'thisQuarter',
  'lastQuarter',
  'thisYear',
  'last12Months',
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** A period as the API takes it: from a day (inclusive) to a day (exclusive). */
export type Period = { from: string; to: string };

const day = (value: Dayjs) => value.format('YYYY-MM-DD');

function quarterStart(value: Dayjs): Dayjs {
  return value.startOf('month').month(Math.floor(value.month() / 3) * 3);
}

/** A preset's days, counted from `today` (the tenant's). */
export function presetPeriod(preset: PeriodPreset, today: Dayjs = dayjs()): Period {
  switch (preset) {
    case 'thisMonth':
      return { from: day(today.startOf('month')), to: day(today.startOf('month').add(1, 'month')) };
    case 'lastMonth':
      return { from: day(today.startOf('month').subtract(1, 'month')), to: day(today.startOf('month')) };
    case 'thisQuarter':
      return { from: day(quarterStart(today)), to: day(quarterStart(today).add(3, 'month')) };
    case 'lastQuarter':
      return { from: day(quarterStart(today).subtract(3, 'month')), to: day(quarterStart(today)) };
    case 'thisYear':
      return { from: day(today.startOf('year')), to: day(today.startOf('year').add(1, 'year')) };
    case 'last12Months':
      return {
        from: day(today.startOf('month').subtract(11, 'month')),
        to: day(today.startOf('month').add(1, 'month')),
      };
  }
}

/** The preset a period is, if any (to light its button). */
export function presetOf(period: Period, today: Dayjs = dayjs()): PeriodPreset | null {
  return (
    PERIOD_PRESETS.find((preset) => {
      const candidate = presetPeriod(preset, today);
      return candidate.from === period.from && candidate.to === period.to;
    }) ?? null
  );
}
