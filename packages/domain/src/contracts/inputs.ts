import { z } from 'zod';

/**
 * Year 0 has the ISO format but is no date PostgreSQL stores (it counts 1 BC, then AD 1): such
 * a value must be refused at the boundary, not by the database as a server error.
 */
const isStorableYear = (value: string) => !value.startsWith('0000');

/** A calendar date, 'YYYY-MM-DD', years 1 to 9999. The message names DATE_OUT_OF_RANGE. */
export const dateInput = z.iso.date().refine(isStorableYear, { error: 'DATE_OUT_OF_RANGE' });

/** An ISO 8601 instant with its offset, years 1 to 9999. The message names DATE_OUT_OF_RANGE. */
export const dateTimeInput = z.iso
  .datetime({ offset: true })
  .refine(isStorableYear, { error: 'DATE_OUT_OF_RANGE' });

/**
 * Money as a decimal string with at most two decimals (never a float on the way in). The
 * message names the API's error code MONEY_FORMAT.
 */
export const moneyInput = z
  .union([z.string().trim(), z.number().finite()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .pipe(z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, { error: 'MONEY_FORMAT' }));
