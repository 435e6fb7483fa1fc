import type { CustomFieldDefinition, Database, Transaction } from '@crm/db';
import { maskFromHint, parseBankCard, parseNationalId } from '@crm/domain';
import { type RawBuilder, sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { appError } from '../errors';
import { DecryptionError } from './cipher';
import { getTenantCipher, lockCurrentDataKey } from './tenant-keys';

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

/**
 * The masked values of a customer row (`customers` in the query), as one jsonb object
 * {field: hint}; a list page reads it with one index lookup per row.
 */
export const secretHintsColumn: RawBuilder<Record<string, string>> = sql<Record<string, string>>`(
  select coalesce(jsonb_object_agg(s.field, s.hint), '{}'::jsonb) from customer_secrets s
  where s.tenant_id = customers.tenant_id and s.customer_id = customers.id)`;

/** {field: '**** 1234'} from stored hints: all a response carries of a sensitive value. */
export function maskedSecrets(hints: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(hints ?? {}).map(([field, hint]) => [field, maskFromHint(hint)]));
}

export type SecretChange = { field: string; value: string | null };

/** The audit log's jsonb for changed sensitive fields: masked forms only, never the value. */
function auditChanges(changed: { field: string; from: string | null; to: string | null }[]) {
  const changes: Record<string, unknown> = {};
  const customFrom: Record<string, string | null> = {};
  const customTo: Record<string, string | null> = {};
  for (const change of changed) {
    const from = change.from === null ? null : maskFromHint(change.from);
    const to = change.to === null ? null : maskFromHint(change.to);
    if (change.field.startsWith('custom:')) {
      const key = change.field.slice('custom:'.length);
      customFrom[key] = from;
      customTo[key] = to;
    } else {
      changes[change.field] = { from, to };
    }
  }
  if (Object.keys(customTo).length > 0) changes.custom_fields = { from: customFrom, to: customTo };
  return changes;
}

/**
 * Sets (encrypts) and clears a customer's sensitive values, already validated and
 * normalised. Unchanged values are left as they are; the change is audited with masked
 * values. The customer must already be known to be visible to the caller. Returns whether
 * anything changed.
 */
export async function writeCustomerSecrets(
  trx: Transaction<Database>,
  tenantId: string,
  customerId: string,
  changes: SecretChange[],
): Promise<boolean> {
  if (changes.length === 0) return false;
  const writing = changes.some((change) => change.value !== null);
  const cipher = writing ? await getTenantCipher(trx, tenantId) : null;
  if (cipher) await lockCurrentDataKey(trx, tenantId, cipher.currentVersion);
  const fields = changes.map((change) => change.field);
  const existing = await trx
    .selectFrom('customer_secrets')
    .select(['field', 'ciphertext', 'hint'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('field', 'in', fields)
    .execute();
  const byField = new Map(existing.map((row) => [row.field, row]));
  const audited: { field: string; from: string | null; to: string | null }[] = [];
  for (const change of changes) {
    const stored = byField.get(change.field);
    if (change.value === null) {
      if (!stored) continue;
      await trx
        .deleteFrom('customer_secrets')
        .where('tenant_id', '=', tenantId)
        .where('customer_id', '=', customerId)
        .where('field', '=', change.field)
        .execute();
      audited.push({ field: change.field, from: stored.hint, to: null });
      continue;
    }
    if (stored && cipher) {
      let same = false;
      try {
        same = cipher.decrypt(change.field, customerId, stored.ciphertext) === change.value;
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
      }
      if (same) continue;
    }
    const encrypted = (cipher as NonNullable<typeof cipher>).encrypt(change.field, customerId, change.value);
    await trx
      .insertInto('customer_secrets')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        field: change.field,
        ciphertext: encrypted.ciphertext,
        key_version: encrypted.keyVersion,
        blind_index: encrypted.blindIndex,
        hint: encrypted.hint,
      })
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'customer_id', 'field']).doUpdateSet({
          ciphertext: encrypted.ciphertext,
          key_version: encrypted.keyVersion,
          blind_index: encrypted.blindIndex,
          hint: encrypted.hint,
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
    audited.push({ field: change.field, from: stored?.hint ?? null, to: encrypted.hint });
  }
  if (audited.length > 0) {
    await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
      values (${tenantId}, app_user_id(), 'customer', ${customerId}, ${customerId}, 'update',
              ${JSON.stringify(auditChanges(audited))}::jsonb)`.execute(trx);
  }
  return audited.length > 0;
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

/** Whether the query looks like a whole national ID or card number (then it is searched exactly). */
export function identityCandidates(search: string): SecretChange[] {
  const candidates: SecretChange[] = [];
  const id = parseNationalId(search);
  if (id.ok) candidates.push({ field: 'national_id', value: id.value });
  const card = parseBankCard(search);
  if (card.ok) candidates.push({ field: 'bank_card', value: card.value });
  return candidates;
}

/**
 * Exact search by blind index: the customers whose national ID or bank card is exactly
 * `search`, or null when the query does not look like one. Index hits are decrypted and
 * compared, so a truncated index's false positives never come back.
 */
export async function findCustomersByIdentity(
  trx: Transaction<Database>,
  tenantId: string,
  search: string,
): Promise<string[] | null> {
  const candidates = identityCandidates(search);
  if (candidates.length === 0) return null;
  const cipher = await getTenantCipher(trx, tenantId);
  const wanted = candidates.map((candidate) => ({
    ...candidate,
    index: cipher.blindIndex(candidate.field, candidate.value as string),
  }));
  const rows = await trx
    .selectFrom('customer_secrets')
    .select(['customer_id', 'field', 'ciphertext'])
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or(wanted.map((w) => eb.and([eb('field', '=', w.field), eb('blind_index', '=', w.index)]))),
    )
    .limit(1000)
    .execute();
  const matches = new Set<string>();
  for (const row of rows) {
    const target = wanted.find((w) => w.field === row.field);
    try {
      if (target && cipher.decrypt(row.field, row.customer_id, row.ciphertext) === target.value) {
        matches.add(row.customer_id);
      }
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
    }
  }
  return [...matches];
}

/**
 * The plaintext of one sensitive value, for a member allowed to reveal it who can see the
 * customer; the reveal is written to the audit log (who, which customer, which field, when).
 */
export async function revealCustomerSecret(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  customerId: string,
  field: string,
): Promise<{ field: string; value: string }> {
  const row = await trx
    .selectFrom('customers')
    .leftJoin('customer_secrets as s', (join) =>
      join
        .onRef('s.tenant_id', '=', 'customers.tenant_id')
        .onRef('s.customer_id', '=', 'customers.id')
        .on('s.field', '=', field),
    )
    .select(['customers.id', 's.ciphertext'])
    .where('customers.tenant_id', '=', tenantId)
    .where('customers.id', '=', customerId)
    .where(visibleCustomer(access))
    .executeTakeFirst();
  if (!row) throw appError('CUSTOMER_NOT_FOUND');
  if (!row.ciphertext) throw appError('SENSITIVE_VALUE_NOT_FOUND');
  const cipher = await getTenantCipher(trx, tenantId);
  const value = cipher.decrypt(field, customerId, row.ciphertext);
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    values (${tenantId}, app_user_id(), 'customer', ${customerId}, ${customerId}, 'reveal',
            ${JSON.stringify({ [field]: { from: null, to: null } })}::jsonb)`.execute(trx);
  return { field, value };
}
