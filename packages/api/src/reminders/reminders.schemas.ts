import { FESTIVALS } from '@crm/domain';
import { KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';

const labels = z.object({ 'zh-CN': z.string(), en: z.string() });

/** What a reminder is relative to: the SDK's triggers, and the core's yearly days. */
export const REMINDER_TRIGGERS = [
  'birthday',
  'anniversary',
  'cooperation_anniversary',
  'first_order',
  'holiday',
  'date_field',
] as const;
export type ReminderTriggerKind = (typeof REMINDER_TRIGGERS)[number];

/** A reminder in force for the tenant: the plugin's or the core's, with the tenant's choices. */
export const reminderOutput = z.object({
  key: z.string(),
  /** Declared by the tenant's industry plugin, or offered by the core (off until switched on). */
  origin: z.enum(['plugin', 'core']),
  trigger: z.enum(REMINDER_TRIGGERS),
  holiday: z.enum(FESTIVALS).nullable(),
  /** A date custom field (date_field), with its labels. */
  field: z.string().nullable(),
  fieldLabels: labels.nullable(),
  /** Days from the occasion: negative before it, positive after. */
  offsetDays: z.number().int(),
  defaultOffsetDays: z.number().int(),
  enabled: z.boolean(),
  defaultEnabled: z.boolean(),
  labels,
  channels: z.array(z.string()),
  /** Tier keys the reminder is for (null: every customer), with their labels. */
  tiers: z.array(z.object({ key: z.string(), labels: labels.nullable() })).nullable(),
  /** Tasks due in the next days (REMINDER_UPCOMING_DAYS), not yet made. */
  upcoming: z.number().int(),
  nextDueOn: z.string().nullable(),
});
export type ReminderOutput = z.infer<typeof reminderOutput>;

export const upcomingItemOutput = z.object({
  reminderKey: z.string(),
  customerId: z.uuid(),
  customerName: z.string(),
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  ownerName: z.string().nullable(),
  occasionOn: z.string(),
  dueOn: z.string(),
});
export type UpcomingItem = z.infer<typeof upcomingItemOutput>;

export const upcomingOutput = z.object({
  today: z.string(),
  days: z.number().int(),
  reminders: z.array(reminderOutput),
  /** The first upcoming tasks by due day, across reminders. */
  items: z.array(upcomingItemOutput),
});
export type UpcomingOutput = z.infer<typeof upcomingOutput>;

export const configureInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN),
  enabled: z.boolean(),
  /** Another offset than the reminder's own; null: the reminder's own. */
  offsetDays: z.number().int().min(-365).max(365).nullable(),
});
export type ConfigureInput = z.infer<typeof configureInput>;

export const runOutput = z.object({ created: z.number().int(), today: z.string() });
export type RunOutput = z.infer<typeof runOutput>;
