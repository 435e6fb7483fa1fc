import { normalizeCompanyNameKey } from './company-name';
import { normalizeCreditCode } from './credit-code';
import { matchKeysOf } from './match-keys';
import { normalizePersonNameKey } from './person-name';

/**
 * THE identity rule: when two customer records are the same customer (an import updates it,
 * a create is refused as an exact duplicate), when they are only a duplicate CANDIDATE (both
 * kept, the pair queued for review in 查重), and when they are unrelated. The create-time check,
 * the import and the duplicate scan all use it; `crm_customer_identity` in SQL is its twin
 * (a test runs the same table through both).
 *
 * | the two records share …                                   | verdict            |
 * |-----------------------------------------------------------|--------------------|
 * | the customer number (客户编号)                             | same               |
 * | the unified social credit code (统一社会信用代码)           | same               |
 * | the national ID (身份证号, persons)                        | same               |
 * | companies: the normalised name, neither a branch, and no two different credit codes | same |
 * | companies: the same branch's name (两条 "A公司上海分公司")   | same               |
 * | companies: a head office and its branch, or two branches of one head office | candidate |
 * | companies: the same name but two different credit codes    | candidate          |
 * | persons: the same name and the same phone (or email)       | same               |
 * | a phone or email only (different names, or a company and a person) | candidate  |
 * | a person's name only                                       | nothing            |
 */

/** What two records can share (the kinds of `customer_match_keys`, plus number and ID). */
export const SHARED_KEYS = [
  'customer_number',
  'credit_code',
  'national_id',
  'name',
  'phone',
  'email',
] as const;
export type SharedKey = (typeof SHARED_KEYS)[number];

/** Why two records are the same customer: the key that decides. */
export type SameBy = 'customer_number' | 'credit_code' | 'national_id' | 'name' | 'name_phone' | 'name_email';
export type IdentityVerdict =
  | { verdict: 'same'; by: SameBy }
  | { verdict: 'candidate'; by: null }
  | { verdict: 'different'; by: null };

export type IdentitySide = {
  kind: 'person' | 'company';
  name?: string | null;
  /** Normalised (`normalizeCreditCode`), or as typed. */
  creditCode?: string | null;
};

export type IdentityRecord = IdentitySide & {
  phone?: string | null;
  email?: string | null;
  customerNumber?: string | null;
  /** Any stable form of the national ID (the blind index, or the normalised number). */
  nationalId?: string | null;
};

function isBranch(name: string | null | undefined): boolean {
  return normalizeCompanyNameKey(name)?.branch ?? false;
}

/**
 * The verdict for two records, given what they share (computed by the caller from their
 * match keys: in TypeScript by {@link identityOf}, in SQL from `customer_match_keys`).
 */
export function identityVerdict(
  a: IdentitySide,
  b: IdentitySide,
  shared: readonly string[],
): IdentityVerdict {
  const has = (key: SharedKey) => shared.includes(key);
  if (has('customer_number')) return { verdict: 'same', by: 'customer_number' };
  if (has('credit_code')) return { verdict: 'same', by: 'credit_code' };
  if (has('national_id')) return { verdict: 'same', by: 'national_id' };
  if (a.kind === 'company' && b.kind === 'company' && has('name')) {
    const codeA = normalizeCreditCode(a.creditCode);
    const codeB = normalizeCreditCode(b.creditCode);
    if (!(codeA && codeB && codeA !== codeB)) {
      const branchA = isBranch(a.name);
      const branchB = isBranch(b.name);
      if (!branchA && !branchB) return { verdict: 'same', by: 'name' };
      if (branchA && branchB && normalizePersonNameKey(a.name) === normalizePersonNameKey(b.name))
        return { verdict: 'same', by: 'name' };
    }
    return { verdict: 'candidate', by: null };
  }
  if (a.kind === 'person' && b.kind === 'person' && (has('phone') || has('email'))) {
    const nameA = normalizePersonNameKey(a.name);
    if (nameA !== null && nameA === normalizePersonNameKey(b.name))
      return { verdict: 'same', by: has('phone') ? 'name_phone' : 'name_email' };
  }
  if (has('phone') || has('email') || has('name')) return { verdict: 'candidate', by: null };
  return { verdict: 'different', by: null };
}

/** What two records share, from their normalised match keys. */
export function sharedKeysOf(a: IdentityRecord, b: IdentityRecord): SharedKey[] {
  const shared = new Set<SharedKey>();
  const keysOf = (record: IdentityRecord) =>
    new Set(
      matchKeysOf({
        kind: record.kind,
        name: record.name,
        phone: record.phone,
        email: record.email,
        creditCode: record.creditCode,
      }).map((key) => `${key.kind}\u0000${key.value}`),
    );
  const keysA = keysOf(a);
  for (const key of keysOf(b)) if (keysA.has(key)) shared.add(key.split('\u0000')[0] as SharedKey);
  const number = (value: string | null | undefined) => value?.trim() || null;
  if (number(a.customerNumber) && number(a.customerNumber) === number(b.customerNumber))
    shared.add('customer_number');
  if (a.nationalId && a.nationalId === b.nationalId) shared.add('national_id');
  return SHARED_KEYS.filter((key) => shared.has(key));
}

/** The identity rule on two records as typed or stored. */
export function identityOf(a: IdentityRecord, b: IdentityRecord): IdentityVerdict {
  return identityVerdict(a, b, sharedKeysOf(a, b));
}
