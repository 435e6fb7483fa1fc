import type { CustomFieldDefinition, Database, Transaction } from '@crm/db';
import { maskFromHint, parseBankCard, parseNationalId } from '@crm/domain';
import type { RecordAccess } from '../customers/access';
import { appError } from '../errors';
import { jobScope } from '../scope';
import {
  findCustomerIdsByIdentity,
  revealSecret,
  type SecretChange,
  writeSecrets,
} from './sensitive.service';

/**
 * The rules of a customer's sensitive values that need no database: which fields are
 * sensitive, how a value is validated and masked, and which changes an input asks for. The
 * use cases that read and write them are in sensitive.service (scope first); the functions
 * at the end keep their earlier signatures for callers not yet on the scope.
 */

export { secretHintsColumn } from './sensitive.repository';
export { identityCandidates, type SecretChange } from './sensitive.service';

/** The built-in sensitive fields: input name → stored field. */
export const BUILT_IN_SECRET_FIELDS = { nationalId: 'national_id', bankCard: 'bank_card' } as const;

const NATIONAL_ID_REASONS = {
  format: {
    zh: '应为 18 位（末位可为 X），或 15 位的旧号码',
    en: 'use 18 characters (the last may be X), or an old 15-digit number',
  },
  region: { zh: '开头的地区码不正确', en: 'the region code at the start is not valid' },
  birth_date: { zh: '其中的出生日期不是有效日期', en: 'the birth date in it is not a valid date' },
  check_digit: {
    zh: '末位校验码不符，请核对号码',
    en: 'the check character does not match; check the number',
  },
} as const;

const BANK_CARD_REASONS = {
  format: { zh: '应为 13–19 位数字', en: 'use 13 to 19 digits' },
  check_digit: { zh: '校验位不符，请核对卡号', en: 'the check digit does not match; check the number' },
} as const;

/**
 * A sensitive value validated and in its stored form: a national ID (check character,
 * birth date) and a bank card (Luhn) normalised; custom text trimmed. Throws a user-facing
 * error naming `path`.
 */
export function parseSensitiveValue(field: string, value: string, path: string): string {
  if (field === 'national_id') {
    const result = parseNationalId(value);
    if (result.ok) return result.value;
    const reason = NATIONAL_ID_REASONS[result.problem];
    throw appError('INVALID_NATIONAL_ID', { reasonZh: reason.zh, reasonEn: reason.en }, path);
  }
  if (field === 'bank_card') {
    const result = parseBankCard(value);
    if (result.ok) return result.value;
    const reason = BANK_CARD_REASONS[result.problem];
    throw appError('INVALID_BANK_CARD', { reasonZh: reason.zh, reasonEn: reason.en }, path);
  }
  return value.trim();
}

/** {field: '**** 1234'} from stored hints: all a response carries of a sensitive value. */
export function maskedSecrets(hints: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(hints ?? {}).map(([field, hint]) => [field, maskFromHint(hint)]));
}

type SensitiveInput = { nationalId?: string | null; bankCard?: string | null };

/**
 * The secret changes an input asks for: national ID and bank card (validated), and the
 * values of sensitive custom fields, which are taken out of `custom` (so they never reach
 * the customers row or its audit trail). `custom` holds validated values, null to clear.
 */
export function secretChangesOf(
  input: SensitiveInput,
  definitions: Pick<CustomFieldDefinition, 'key' | 'sensitive'>[],
  custom: Record<string, unknown>,
): { changes: SecretChange[]; custom: Record<string, unknown> } {
  const changes: SecretChange[] = [];
  for (const [name, field] of Object.entries(BUILT_IN_SECRET_FIELDS)) {
    const value = input[name as keyof SensitiveInput];
    if (value === undefined) continue;
    changes.push({
      field,
      value: value === null || value === '' ? null : parseSensitiveValue(field, value, name),
    });
  }
  const sensitiveKeys = new Set(definitions.filter((d) => d.sensitive).map((d) => d.key));
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) {
    if (!sensitiveKeys.has(key)) {
      rest[key] = value;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : null;
    changes.push({ field: `custom:${key}`, value: text === null || text === '' ? null : text });
  }
  return { changes, custom: rest };
}
