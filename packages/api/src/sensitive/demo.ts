import type { CrmDatabase } from '@crm/db';
import { luhnCheckDigit, nationalIdCheckCharacter } from '@crm/domain';
import { jobScope } from '../scope';
import { demoSecretTargets, writeSecrets } from './sensitive.service';

/** Demo identity numbers with valid check characters (fictitious people, real formats). */
function demoNationalId(index: number): string {
  const regions = ['110105', '310115', '440304', '330106', '510108', '420111'];
  const region = regions[index % regions.length] as string;
  const birth = `19${70 + ((index * 7) % 30)}${String((index % 12) + 1).padStart(2, '0')}${String((index % 28) + 1).padStart(2, '0')}`;
  const first17 = `${region}${birth}${String(100 + index * 37).slice(-3)}`;
  return first17 + nationalIdCheckCharacter(first17);
}

function demoBankCard(index: number): string {
  const prefixes = ['622202', '621700', '622848', '623058', '621483'];
  const body = `${prefixes[index % prefixes.length]}${String(1_000_000_000 + index * 7_654_321).slice(-12)}`;
  return body + luhnCheckDigit(body);
}

/** A basic deposit account number (基本户账号) as banks print them: 19 digits. */
function demoAccountNumber(index: number): string {
  return `3100${String(10_000_000_000_000 + index * 7_777_777_777).slice(-15)}`;
}

/** Values for the sensitive custom fields the industry plugins declare (by their keys). */
const SENSITIVE_CUSTOM_VALUES: Record<string, (index: number) => string> = {
  corporate_banking_legal_rep_id_number: (index) => demoNationalId(index + 500),
  corporate_banking_basic_account_number: demoAccountNumber,
};

/**
 * A few of each demo tenant's customers get a national ID and a bank card (individuals only:
 * a company has none), encrypted by the same path as the product (so the demo shows
 * masking, 查看 and the audit of reveals), and
 * the sensitive custom fields of the tenant's industry plugin (the legal representative's
 * national ID and the basic account number of corporate banking). Each tenant in a
 * transaction of its own, as the system.
 */
export async function seedDemoSecrets(database: CrmDatabase, tenantIds: readonly string[], perTenant = 4) {
  let seeded = 0;
  let written = 0;
  for (const tenantId of tenantIds) {
    await database.withTenant(tenantId, async (trx) => {
      const scope = jobScope(trx, tenantId);
      const { customers, customKeys } = await demoSecretTargets(scope, perTenant);
      const custom = customKeys.flatMap((key) => {
        const value = SENSITIVE_CUSTOM_VALUES[key];
        return value ? [{ key, value }] : [];
      });
      for (const [index, customer] of customers.entries()) {
        const n = seeded + index;
        // A national ID and a bank card belong to a person; a company has only its industry's fields.
        const personal =
          customer.kind === 'person'
            ? [
                { field: 'national_id', value: demoNationalId(n) },
                ...(index % 2 === 0 ? [{ field: 'bank_card', value: demoBankCard(n) }] : []),
              ]
            : [];
        const fields = [
          ...personal,
          ...custom.map(({ key, value }) => ({ field: `custom:${key}`, value: value(n) })),
        ];
        if (fields.length > 0) {
          await writeSecrets(scope, customer.id, fields);
          written += 1;
        }
      }
      seeded += customers.length;
    });
  }
  return written;
}
