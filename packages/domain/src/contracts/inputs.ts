import { z } from 'zod';

/** A calendar date, 'YYYY-MM-DD'. */
export const dateInput = z.iso.date();

/**
 * Money as a decimal string with at most two decimals (never a float on the way in). The
 * message names the API's error code MONEY_FORMAT.
 */
export const moneyInput = z
  .union([z.string().trim(), z.number().finite()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .pipe(z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, { error: 'MONEY_FORMAT' }));
