import { normalizeCompanyNameKey } from './company-name';
import { normalizeCreditCode } from './credit-code';
import { normalizeEmailKey } from './email';
import { normalizePhoneKey } from './phone';

export const MATCH_KEY_KINDS = ['phone', 'email', 'credit_code', 'name'] as const;
export type MatchKeyKind = (typeof MATCH_KEY_KINDS)[number];
export type MatchKey = { kind: MatchKeyKind; value: string; branch?: boolean };

/**
 * The match keys of a customer as typed in a form (the same keys the database keeps in
 * `customer_match_keys`): a company's name, phone, email, credit code and its contacts'
 * phones and emails. A person's name is no key (too many people share one); it only adds
 * weight to a pair found by another key. Duplicate keys are given once.
 */
export function matchKeysOf(customer: {
  kind: 'person' | 'company';
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  creditCode?: string | null;
  contactPhones?: readonly string[];
  contactEmails?: readonly string[];
}): MatchKey[] {
  const keys = new Map<string, MatchKey>();
  const add = (key: MatchKey | null) => {
    if (key) keys.set(`${key.kind}\u0000${key.value}`, key);
  };
  if (customer.kind === 'company') {
    const name = normalizeCompanyNameKey(customer.name);
    add(name ? { kind: 'name', value: name.key, branch: name.branch } : null);
  }
  for (const phone of [customer.phone, ...(customer.contactPhones ?? [])]) {
    const value = normalizePhoneKey(phone);
    add(value ? { kind: 'phone', value } : null);
  }
  for (const email of [customer.email, ...(customer.contactEmails ?? [])]) {
    const value = normalizeEmailKey(email);
    add(value ? { kind: 'email', value } : null);
  }
  const code = normalizeCreditCode(customer.creditCode);
  add(code ? { kind: 'credit_code', value: code } : null);
  return [...keys.values()];
}
