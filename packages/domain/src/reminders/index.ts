export { yearlyOccurrence } from './calendar-days';
export {
  FESTIVALS,
  type Festival,
  type FestivalOccasion,
  festivalOccasions,
  festivalOn,
  type LunarDate,
  type LunarOccasion,
  lunarBirthdayIn,
  lunarBirthdayOccasions,
  lunarDateLabel,
  lunarDateOf,
  nextLunarBirthday,
} from './lunar';
export {
  type DueWindow,
  occasionWindow,
  REMINDER_LATE_DAYS,
  REMINDER_UPCOMING_DAYS,
  reminderToday,
  runWindow,
  upcomingWindow,
} from './window';
