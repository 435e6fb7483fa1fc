import type { RouterInputs, RouterOutputs } from '../../lib/api-types';

/** Types of 设置 → 工作日历, derived from the API. */
export type CalendarYear = RouterOutputs['calendar']['get'];
export type CalendarSettings = CalendarYear['settings'];
export type CalendarOverride = CalendarYear['overrides'][number];
export type StatutoryDay = CalendarYear['statutory'][number];
export type UpdateCalendarInput = RouterInputs['calendar']['update'];

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];
