import type { Database } from '@crm/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';
import type { Encrypted } from './cipher';

/**
 * Every query of sensitive fields: the tenant's wrapped keys, the encrypted values
 * (`customer_secrets`), and the audit of changes and reveals. Functions take the scope first
 * and return rows or counts; they throw nothing of their own but what the database raises.
 * Nothing here encrypts or decrypts: the service does, with the keys it reads here.
 */

/** A wrapped data key (with its stored encryptions) or index key of the tenant. */
export type KeyRow = {
  version: number;
  wrapped_key: string;
  kek_id: string;
  encryptions: string;
  retired_at: Date | null;
};

/** The tenant's data keys and index keys, each by version. */
export async function selectKeys(scope: Scope): Promise<{ data: KeyRow[]; index: KeyRow[] }> {
  const { rows } = await sql<KeyRow & { purpose: 'data' | 'index' }>`
    select 'data' as purpose, version, wrapped_key, kek_id, encryptions::text as encryptions, retired_at
    from tenant_data_keys where tenant_id = ${scope.tenantId}
    union all
    select 'index', version, wrapped_key, kek_id, '0', null
    from tenant_index_keys where tenant_id = ${scope.tenantId}
    order by 1, 2`.execute(scope.trx);
  return {
    data: rows.filter((row) => row.purpose === 'data'),
    index: rows.filter((row) => row.purpose === 'index'),
  };
}

/** Whether the transaction is read-only (then no key can be added). */
export async function isReadOnly(scope: Scope): Promise<boolean> {
  const { rows } = await sql<{
    read_only: string;
  }>`select current_setting('transaction_read_only') as read_only`.execute(scope.trx);
  return rows[0]?.read_only === 'on';
}

/** The number the tenant's next data key version gets. */
export async function selectNextDataKeyVersion(scope: Scope): Promise<number> {
  const { rows } = await sql<{ next: number }>`
    select coalesce(max(version), 0) + 1 as next from tenant_data_keys where tenant_id = ${scope.tenantId}`.execute(
    scope.trx,
  );
  return rows[0]?.next ?? 1;
}

/** Adds a data key version (nothing when a concurrent caller added the same one). */
export async function insertDataKey(
  scope: Scope,
  version: number,
  wrapped: { wrappedKey: string; kekId: string },
): Promise<void> {
  await scope.trx
    .insertInto('tenant_data_keys')
    .values({ tenant_id: scope.tenantId, version, wrapped_key: wrapped.wrappedKey, kek_id: wrapped.kekId })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** Adds the tenant's index key (nothing when a concurrent caller added it). */
export async function insertIndexKey(
  scope: Scope,
  wrapped: { wrappedKey: string; kekId: string },
): Promise<void> {
  await scope.trx
    .insertInto('tenant_index_keys')
    .values({ tenant_id: scope.tenantId, version: 1, wrapped_key: wrapped.wrappedKey, kek_id: wrapped.kekId })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** Locks a data key version's row (the lock the encryption counter's trigger takes). */
export async function lockDataKey(scope: Scope, version: number): Promise<void> {
  await sql`select version from tenant_data_keys where tenant_id = ${scope.tenantId} and version = ${version} for update`.execute(
    scope.trx,
  );
}

/** Serialises rotations of the tenant's data key (until the transaction ends). */
export async function lockDataKeyRotation(scope: Scope): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('crm.rotate-data-key'), hashtext(${scope.tenantId}))`.execute(
    scope.trx,
  );
}

/** The tenant's keys of one kind not wrapped by `kekId`, locked. */
export function selectKeysWrappedByOthers(
  scope: Scope,
  purpose: 'data' | 'index',
  kekId: string,
): Promise<{ version: number; wrapped_key: string; kek_id: string }[]> {
  return scope.trx
    .selectFrom(purpose === 'data' ? 'tenant_data_keys' : 'tenant_index_keys')
    .select(['version', 'wrapped_key', 'kek_id'])
    .where('tenant_id', '=', scope.tenantId)
    .where('kek_id', '<>', kekId)
    .forUpdate()
    .execute();
}

/** Stores a key wrapped again. */
export async function updateWrappedKey(
  scope: Scope,
  purpose: 'data' | 'index',
  version: number,
  wrapped: { wrappedKey: string; kekId: string },
): Promise<void> {
  await scope.trx
    .updateTable(purpose === 'data' ? 'tenant_data_keys' : 'tenant_index_keys')
    .set({ wrapped_key: wrapped.wrappedKey, kek_id: wrapped.kekId })
    .where('tenant_id', '=', scope.tenantId)
    .where('version', '=', version)
    .execute();
}

/**
 * The masked values of a customer row (`customers` in the query), as one jsonb object
 * {field: hint}; a list page reads it with one index lookup per row.
 */
export const secretHintsColumn: RawBuilder<Record<string, string>> = sql<Record<string, string>>`(
  select coalesce(jsonb_object_agg(s.field, s.hint), '{}'::jsonb) from customer_secrets s
  where s.tenant_id = customers.tenant_id and s.customer_id = customers.id)`;

/** A customer's stored values of some fields. */
export function selectStoredSecrets(
  scope: Scope,
  customerId: string,
  fields: string[],
): Promise<{ field: string; ciphertext: string; hint: string }[]> {
  return scope.trx
    .selectFrom('customer_secrets')
    .select(['field', 'ciphertext', 'hint'])
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', customerId)
    .where('field', 'in', fields)
    .execute();
}

export async function deleteSecret(scope: Scope, customerId: string, field: string): Promise<void> {
  await scope.trx
    .deleteFrom('customer_secrets')
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', customerId)
    .where('field', '=', field)
    .execute();
}

/** Stores an encrypted value of a customer's field, replacing one stored before. */
export async function upsertSecret(
  scope: Scope,
  customerId: string,
  field: string,
  encrypted: Encrypted,
): Promise<void> {
  await scope.trx
    .insertInto('customer_secrets')
    .values({
      tenant_id: scope.tenantId,
      customer_id: customerId,
      field,
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
}

/** An update of a customer in the audit log, by the acting member (`changes`: masked values only). */
export async function insertUpdateAudit(
  scope: Scope,
  customerId: string,
  changes: Record<string, unknown>,
): Promise<void> {
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
      values (${scope.tenantId}, app_user_id(), 'customer', ${customerId}, ${customerId}, 'update',
              ${JSON.stringify(changes)}::jsonb)`.execute(scope.trx);
}

/** Stored values whose blind index is one of those wanted (at most 1000; the service decrypts to confirm). */
export function selectSecretsByBlindIndex(
  scope: Scope,
  wanted: { field: string; index: string }[],
): Promise<{ customer_id: string; field: string; ciphertext: string }[]> {
  return scope.trx
    .selectFrom('customer_secrets')
    .select(['customer_id', 'field', 'ciphertext'])
    .where('tenant_id', '=', scope.tenantId)
    .where((eb) =>
      eb.or(wanted.map((w) => eb.and([eb('field', '=', w.field), eb('blind_index', '=', w.index)]))),
    )
    .limit(1000)
    .execute();
}

/**
 * A customer the actor sees, with its stored value of `field` (null when it has none);
 * undefined when there is no such customer or the actor does not see it.
 */
export function selectVisibleSecret(
  scope: Scope,
  customerId: string,
  field: string,
): Promise<{ id: string; ciphertext: string | null } | undefined> {
  return scope.trx
    .selectFrom('customers')
    .leftJoin('customer_secrets as s', (join) =>
      join
        .onRef('s.tenant_id', '=', 'customers.tenant_id')
        .onRef('s.customer_id', '=', 'customers.id')
        .on('s.field', '=', field),
    )
    .select(['customers.id', 's.ciphertext'])
    .where('customers.tenant_id', '=', scope.tenantId)
    .where('customers.id', '=', customerId)
    .where(visibleCustomer(scope.access))
    .executeTakeFirst();
}

/** A reveal of one field of a customer in the audit log, by the acting member (never the value). */
export async function insertRevealAudit(scope: Scope, customerId: string, field: string): Promise<void> {
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    values (${scope.tenantId}, app_user_id(), 'customer', ${customerId}, ${customerId}, 'reveal',
            ${JSON.stringify({ [field]: { from: null, to: null } })}::jsonb)`.execute(scope.trx);
}

export type SecretToReencrypt = {
  customer_id: string;
  field: string;
  ciphertext: string;
  key_version: number;
};

/**
 * Up to `batchSize` stored values not on `current`, after the cursor in primary-key order,
 * locked (rows another transaction holds are skipped).
 */
export async function selectSecretsNotOn(
  scope: Scope,
  current: number,
  after: { customerId: string; field: string } | null,
  batchSize: number,
): Promise<SecretToReencrypt[]> {
  const cursor = after ? sql`and (customer_id, field) > (${after.customerId}::uuid, ${after.field})` : sql``;
  const { rows } = await sql<SecretToReencrypt>`
    select customer_id, field, ciphertext, key_version from customer_secrets
    where tenant_id = ${scope.tenantId} and key_version <> ${current} ${cursor}
    order by customer_id, field
    limit ${batchSize}
    for update skip locked`.execute(scope.trx);
  return rows;
}

/**
 * Stores re-encrypted values on `current`, in one statement; a row someone rewrote meanwhile
 * (other ciphertext than `old`) is left alone. How many changed.
 */
export async function updateReencrypted(
  scope: Scope,
  current: number,
  updates: { customerId: string; field: string; old: string; ciphertext: string }[],
): Promise<number> {
  const result = await sql`
      update customer_secrets s set ciphertext = u.ciphertext, key_version = ${current}
      from unnest(${updates.map((u) => u.customerId)}::uuid[], ${updates.map((u) => u.field)}::text[],
                  ${updates.map((u) => u.old)}::text[], ${updates.map((u) => u.ciphertext)}::text[])
        as u(customer_id, field, old, ciphertext)
      where s.tenant_id = ${scope.tenantId} and s.customer_id = u.customer_id and s.field = u.field
        and s.ciphertext = u.old`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0);
}

/** How many stored values are not on `current`. */
export async function countSecretsNotOn(scope: Scope, current: number): Promise<number> {
  const row = await scope.trx
    .selectFrom('customer_secrets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', scope.tenantId)
    .where('key_version', '<>', current)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the data key versions before `current` retired. */
export async function retireDataKeysBefore(scope: Scope, current: number): Promise<void> {
  await scope.trx
    .updateTable('tenant_data_keys')
    .set({ retired_at: sql<Date>`now()` })
    .where('tenant_id', '=', scope.tenantId)
    .where('version', '<', current)
    .where('retired_at', 'is', null)
    .execute();
}

/** The first customers of the tenant (people first), for demo values. */
export async function selectDemoCustomerIds(
  scope: Scope,
  limit: number,
): Promise<{ id: string; kind: 'person' | 'company' }[]> {
  return scope.trx
    .selectFrom('customers')
    .select(['id', 'kind'])
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('kind', 'desc')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** The keys of the tenant's sensitive custom fields in use. */
export async function selectSensitiveFieldKeys(scope: Scope): Promise<string[]> {
  const fields = await scope.trx
    .selectFrom('custom_field_definitions')
    .select('key')
    .where('tenant_id', '=', scope.tenantId)
    .where('sensitive', '=', true)
    .where('archived_at', 'is', null)
    .execute();
  return fields.map((field) => field.key);
}

/** Every tenant's id, from the directory (which no tenant scope confines). */
export async function selectTenantIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('tenant_directory').select('id').execute();
  return rows.map((row) => row.id);
}
