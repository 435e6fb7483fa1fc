import type { TaskType } from '@crm/db';
import {
  type Festival,
  festivalOccasions,
  lunarBirthdayOccasions,
  occasionWindow,
  REMINDER_UPCOMING_DAYS,
  reminderToday,
  runWindow,
  upcomingWindow,
} from '@crm/domain';
import { type Labels, type Reminder, resolveSettingRefs, tierModelOf } from '@crm/plugin-sdk';
import { readCalendarSettings } from '../calendar/calendar.service';
import { appError } from '../errors';
import { effectiveSettings } from '../plugins/effective-settings';
import type { HostPlugin } from '../plugins/host-plugin';
import type { PluginRegistry } from '../plugins/registry';
import type { Scope } from '../scope';
import { noteWebhookDeliveries } from '../webhooks/webhooks.service';
import {
  countUpcomingReminders,
  insertReminderTasks,
  type PlannedReminder,
  type ReminderPlan,
  selectLunarBirthDays,
  selectReminderSettings,
  selectTenantIndustry,
  selectUpcomingReminders,
  upsertReminderSetting,
} from './reminders.repository';
import type {
  ConfigureInput,
  ReminderOutput,
  ReminderTriggerKind,
  RunOutput,
  UpcomingOutput,
} from './reminders.schemas';

/** A reminder the tenant has: its plugin's or the core's, with the tenant's choices applied. */
export type TenantReminder = Omit<ReminderOutput, 'upcoming' | 'nextDueOn'>;

type CoreReminder = {
  key: string;
  trigger: Extract<ReminderTriggerKind, 'birthday' | 'anniversary' | 'cooperation_anniversary'>;
  offsetDays: number;
  labels: Labels;
  channels: string[];
};

/**
 * The core's own care reminders, for every industry: a tenant switches them on in 设置 →
 * 行业配置. The birthday greeting is on by default for a tenant whose plugin has no birthday
 * reminder of its own (so there is one, and never two).
 */
const CORE_REMINDERS: CoreReminder[] = [
  {
    key: 'birthday',
    trigger: 'birthday',
    offsetDays: -3,
    labels: { 'zh-CN': '生日问候', en: 'Birthday greeting' },
    channels: ['phone', 'wechat'],
  },
  {
    key: 'anniversary',
    trigger: 'anniversary',
    offsetDays: -3,
    labels: { 'zh-CN': '纪念日问候', en: 'Anniversary greeting' },
    channels: ['phone', 'wechat'],
  },
  {
    key: 'cooperation_anniversary',
    trigger: 'cooperation_anniversary',
    offsetDays: -7,
    labels: { 'zh-CN': '合作纪念日问候', en: 'Greeting on the anniversary of working together' },
    channels: ['visit', 'phone'],
  },
];

/** Which kind of task an occasion asks for. */
const TASK_TYPE: Record<ReminderTriggerKind, TaskType> = {
  birthday: 'care',
  anniversary: 'care',
  cooperation_anniversary: 'care',
  holiday: 'care',
  first_order: 'callback',
  date_field: 'follow_up',
};

/** The plugin's reminders with their offsets read from the tenant's settings, or none. */
async function pluginReminders(
  scope: Scope,
  registry: PluginRegistry | undefined,
): Promise<{ plugin: HostPlugin | null; reminders: Reminder[] }> {
  if (!registry) return { plugin: null, reminders: [] };
  const industry = await selectTenantIndustry(scope);
  const plugin = industry ? registry.get(industry) : undefined;
  if (!plugin?.reminders?.length) return { plugin: plugin ?? null, reminders: [] };
  // A profile refused at start-up has no settings to read: only the core's reminders run.
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry).catch(() => null);
  if (!effective) return { plugin: null, reminders: [] };
  const missing: { path: string; setting: string }[] = [];
  const resolved = resolveSettingRefs(
    plugin.reminders,
    effective.settings,
    'reminders',
    missing,
  ) as Reminder[];
  // A reminder whose offset names no number (a plugin bug the host's checks let through) is left out.
  return {
    plugin,
    reminders: resolved.filter((reminder) => Number.isInteger(reminder.trigger.offsetDays)),
  };
}

function tierLabels(plugin: HostPlugin | null): Map<string, Labels> {
  if (!plugin?.tierModel) return new Map();
  return new Map(tierModelOf(plugin).tiers.map((tier) => [tier.key, tier.labels]));
}

/** Every reminder of the tenant, the plugin's first, with the tenant's choices. */
export async function tenantReminders(
  scope: Scope,
  registry: PluginRegistry | undefined,
): Promise<TenantReminder[]> {
  const { plugin, reminders } = await pluginReminders(scope, registry);
  const settings = await selectReminderSettings(scope);
  const chosen = new Map(settings.map((setting) => [setting.key, setting]));
  const tiers = tierLabels(plugin);
  const fields = new Map((plugin?.customFields ?? []).map((field) => [field.key, field.labels]));
  const pluginHasBirthday = reminders.some((reminder) => reminder.trigger.on === 'birthday');

  const fromPlugin = reminders.map((reminder): TenantReminder => {
    const trigger = reminder.trigger;
    const field = trigger.on === 'date_field' ? trigger.field : null;
    return withChoice(
      {
        key: reminder.key,
        origin: 'plugin',
        trigger: trigger.on,
        holiday: trigger.on === 'holiday' ? trigger.holiday : null,
        field,
        fieldLabels: field ? (fields.get(field) ?? null) : null,
        defaultOffsetDays: trigger.offsetDays as number,
        defaultEnabled: true,
        labels: reminder.labels,
        channels: [...(reminder.channels ?? [])],
        tiers: reminder.audience?.tiers?.map((key) => ({ key, labels: tiers.get(key) ?? null })) ?? null,
      },
      chosen.get(reminder.key),
    );
  });
  const fromCore = CORE_REMINDERS.map(
    (reminder): TenantReminder =>
      withChoice(
        {
          key: reminder.key,
          origin: 'core',
          trigger: reminder.trigger,
          holiday: null,
          field: null,
          fieldLabels: null,
          defaultOffsetDays: reminder.offsetDays,
          defaultEnabled: reminder.trigger === 'birthday' && !pluginHasBirthday,
          labels: reminder.labels,
          channels: reminder.channels,
          tiers: null,
        },
        chosen.get(reminder.key),
      ),
  );
  return [...fromPlugin, ...fromCore];
}

function withChoice(
  reminder: Omit<TenantReminder, 'offsetDays' | 'enabled'>,
  choice: { enabled: boolean; offsetDays: number | null } | undefined,
): TenantReminder {
  return {
    ...reminder,
    enabled: choice?.enabled ?? reminder.defaultEnabled,
    offsetDays: choice?.offsetDays ?? reminder.defaultOffsetDays,
  };
}

/**
 * What one statement needs to find the occasions due in a window: the enabled reminders,
 * the festivals' real dates and the lunar birthdays falling in the occasions' window.
 */
async function planFor(
  scope: Scope,
  reminders: TenantReminder[],
  window: { dueFrom: string; dueTo: string },
  today: string,
): Promise<ReminderPlan> {
  const enabled = reminders.filter((reminder) => reminder.enabled);
  const occasionsIn = (chosen: TenantReminder[]) =>
    occasionWindow(
      window,
      chosen.map((reminder) => reminder.offsetDays),
    );
  const holidays = enabled.filter((reminder) => reminder.trigger === 'holiday');
  const birthdays = enabled.filter((reminder) => reminder.trigger === 'birthday');
  const festivalWindow = occasionsIn(holidays);
  const birthdayWindow = occasionsIn(birthdays);
  const lunarBirthDays = birthdays.length > 0 ? await selectLunarBirthDays(scope) : [];
  return {
    today,
    ...window,
    reminders: enabled.map(
      (reminder): PlannedReminder => ({
        key: reminder.key,
        trigger: reminder.trigger,
        holiday: reminder.holiday,
        field: reminder.field,
        offsetDays: reminder.offsetDays,
        tiers: reminder.tiers?.map((tier) => tier.key) ?? null,
        // Tasks are read by the reps in the product's language of record.
        title: reminder.labels['zh-CN'],
        taskType: TASK_TYPE[reminder.trigger],
      }),
    ),
    festivals:
      holidays.length > 0
        ? festivalOccasions(
            holidays.map((reminder) => reminder.holiday as Festival),
            festivalWindow.from,
            festivalWindow.to,
          )
        : [],
    lunar: lunarBirthdayOccasions(lunarBirthDays, birthdayWindow.from, birthdayWindow.to),
  };
}

/** The reps' day: today in the time zone of the tenant's work calendar (设置 → 工作日历). */
async function tenantToday(scope: Scope, now: Date = new Date()): Promise<string> {
  const { timeZone } = await readCalendarSettings(scope);
  return reminderToday(now, timeZone);
}

/**
 * The daily run for one tenant on `today` (the reps' day): the tasks of every occasion due
 * today, and of those due in the last days when a run was missed. Safe to run again.
 */
export async function runReminders(
  scope: Scope,
  registry: PluginRegistry | undefined,
  day?: string,
): Promise<RunOutput> {
  const today = day ?? (await tenantToday(scope));
  const reminders = await tenantReminders(scope, registry);
  const plan = await planFor(scope, reminders, runWindow(today), today);
  const { created, webhookDeliveries } = await insertReminderTasks(scope, plan);
  noteWebhookDeliveries(scope.trx, webhookDeliveries);
  return { created, today };
}

const UPCOMING_ITEMS = 50;

/** The reminders of the tenant and the tasks they will make in the coming days. */
export async function upcomingReminders(
  scope: Scope,
  registry: PluginRegistry,
  day?: string,
): Promise<UpcomingOutput> {
  const today = day ?? (await tenantToday(scope));
  const reminders = await tenantReminders(scope, registry);
  const plan = await planFor(scope, reminders, upcomingWindow(today), today);
  const counts = await countUpcomingReminders(scope, plan);
  const items = await selectUpcomingReminders(scope, plan, UPCOMING_ITEMS);
  const byKey = new Map(counts.map((count) => [count.key, count]));
  return {
    today,
    days: REMINDER_UPCOMING_DAYS,
    reminders: reminders.map((reminder) => ({
      ...reminder,
      upcoming: byKey.get(reminder.key)?.count ?? 0,
      nextDueOn: byKey.get(reminder.key)?.nextDueOn ?? null,
    })),
    items,
  };
}

/** Switches a reminder on or off, or gives it another offset; then the overview again. */
export async function configureReminder(
  scope: Scope,
  registry: PluginRegistry,
  input: ConfigureInput,
  today?: string,
): Promise<UpcomingOutput> {
  const reminders = await tenantReminders(scope, registry);
  const reminder = reminders.find((candidate) => candidate.key === input.key);
  if (!reminder) throw appError('REMINDER_NOT_FOUND', { key: input.key }, 'key');
  await upsertReminderSetting(scope, {
    key: input.key,
    enabled: input.enabled,
    offsetDays: input.offsetDays === reminder.defaultOffsetDays ? null : input.offsetDays,
  });
  return upcomingReminders(scope, registry, today);
}
