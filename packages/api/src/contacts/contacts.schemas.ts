import { BIRTHDAY_CALENDARS, dateInput, userText } from '@crm/domain';
import { z } from 'zod';

/** A contact person of a customer as every procedure (and the customer page) returns it. */
export const contactOutput = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  name: z.string(),
  title: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  birthday: z.string().nullable(),
  /** 公历 or 农历. */
  birthdayCalendar: z.enum(BIRTHDAY_CALENDARS),
  /** 纪念日. */
  anniversaryOn: z.string().nullable(),
  isPrimary: z.boolean(),
  note: z.string().nullable(),
});
export type ContactOutput = z.infer<typeof contactOutput>;

const contactFields = {
  name: userText({ required: true, max: 100 }),
  title: z.string().trim().max(100).nullish(),
  phones: z.array(z.string().trim().min(1).max(40)).max(10).optional(),
  emails: z
    .array(
      z
        .email()
        .max(254)
        .transform((value) => value.toLowerCase()),
    )
    .max(10)
    .optional(),
  birthday: dateInput.nullish(),
  birthdayCalendar: z.enum(BIRTHDAY_CALENDARS).optional(),
  anniversaryOn: dateInput.nullish(),
  isPrimary: z.boolean().optional(),
  note: z.string().trim().max(2000).nullish(),
};

/** The fields of a contact an input may set (all of them optional: an update sets some). */
export type ContactFieldsInput = { [K in keyof typeof contactFields]?: z.infer<(typeof contactFields)[K]> };

export const listContactsInput = z.strictObject({ customerId: z.uuid() });

export const createContactInput = z.strictObject({ customerId: z.uuid(), ...contactFields });
export type CreateContactInput = z.infer<typeof createContactInput>;

export const updateContactInput = z.strictObject({
  id: z.uuid(),
  ...contactFields,
  name: contactFields.name.optional(),
});
export type UpdateContactInput = z.infer<typeof updateContactInput>;

export const contactIdInput = z.strictObject({ id: z.uuid() });
export const contactIdOutput = z.object({ id: z.uuid() });
