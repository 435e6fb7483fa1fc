import type { remindersZhCN } from './reminders.zh-CN';

export const remindersEn: typeof remindersZhCN = {
  reminders: {
    title: 'Reminders',
    intro_one:
      'Tasks for the customer’s owner from birthdays, anniversaries, the first order, festivals and date fields: made each early morning, once per occasion. The table shows the tasks the next {{count}} day will make.',
    intro_other:
      'Tasks for the customer’s owner from birthdays, anniversaries, the first order, festivals and date fields: made each early morning, once per occasion. The table shows the tasks the next {{count}} days will make.',
    runNow: 'Run now',
    ran_one: '{{count}} reminder task made',
    ran_other: '{{count}} reminder tasks made',
    ranNone: 'No reminder tasks are due today',
    saved: 'Saved',
    columns: {
      name: 'Reminder',
      when: 'When',
      audience: 'Customers',
      upcoming_one: 'Next {{count}} day',
      upcoming_other: 'Next {{count}} days',
      enabled: 'On',
    },
    origin: { plugin: 'Industry plugin', core: 'General' },
    offset: {
      before_one: '{{count}} day before',
      before_other: '{{count}} days before',
      after_one: '{{count}} day after',
      after_other: '{{count}} days after',
      same: 'On the day',
    },
    offsetDays: 'Offset in days',
    offsetHelp: 'Negative: before; positive: after',
    defaultOffset: 'Default {{value}}',
    trigger: {
      birthday: 'Birthday (solar or lunar)',
      anniversary: 'Anniversary',
      cooperation_anniversary: 'Anniversary of working together (first cooperation)',
      first_order: 'First order',
      holiday: '{{holiday}}',
      date_field: 'Date field “{{field}}”',
    },
    holidays: {
      new_year: 'New Year’s Day',
      spring_festival: 'Spring Festival',
      lantern_festival: 'Lantern Festival',
      dragon_boat: 'Dragon Boat Festival',
      mid_autumn: 'Mid-Autumn Festival',
      national_day: 'National Day',
    },
    everyone: 'All customers',
    nextDue: 'First on {{date}}',
    upcomingTitle: 'Reminder tasks coming up',
    upcomingEmpty_one: 'No reminder tasks in the next {{count}} day',
    upcomingEmpty_other: 'No reminder tasks in the next {{count}} days',
    item: {
      due: 'Due',
      occasion: 'Occasion',
      customer: 'Customer',
      contact: 'Contact',
      owner: 'Owner',
      reminder: 'Reminder',
    },
  },
  birthdayCalendar: {
    label: 'Calendar',
    solar: 'Solar',
    lunar: 'Lunar',
  },
};
