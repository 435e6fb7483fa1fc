import type { Customer, Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { refreshCompleteness } from '../customers/completeness.repository';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';
import { getTenantCipher, writeCustomerSecrets } from '../sensitive';
import { MERGE_FIELDS, type MergeInput } from './duplicates.schemas';

/** How long a merge can be undone. */
export const UNDO_DAYS = 30;

type Scope = { trx: Transaction<Database>; tenantId: string; userId: string; access: RecordAccess };
type SecretRow = {
  field: string;
  ciphertext: string;
  key_version: number;
  blind_index: string;
  hint: string;
};

function blank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' &&
      !Array.isArray(value) &&
      !(value instanceof Date) &&
      Object.keys(value).length === 0)
  );
}

/** Both customers, locked in id order (two merges of the same pair cannot interleave). */
async function lockPair(scope: Scope, ids: [string, string]) {
  const { rows } = await sql<Customer & { visible: boolean }>`
    select customers.*, ${visibleCustomer(scope.access)} as visible
    from customers where customers.tenant_id = ${scope.tenantId} and customers.id = any(${ids}::uuid[])
    order by customers.id for update`.execute(scope.trx);
  return new Map(rows.filter((row) => row.visible).map((row) => [row.id, row]));
}

/**
 * Merges `mergedId` into `survivorId`, all or nothing: orders, interactions and contacts
 * move to the survivor; tags are united; profile fields, custom values and sensitive
 * values take the chosen side (by default the survivor's, or the merged customer's where
 * the survivor has none); the merged customer stays as an archived tombstone pointing at
 * the survivor, whose timeline shows both histories. Everything moved and every value
 * replaced is recorded in `customer_merges`, so `unmergeCustomers` puts it back.
 */
export async function mergeCustomers(scope: Scope, input: MergeInput) {
  const { trx, tenantId, userId } = scope;
  const locked = await lockPair(scope, [input.survivorId, input.mergedId]);
  const survivor = locked.get(input.survivorId);
  const merged = locked.get(input.mergedId);
  if (!survivor || !merged) throw appError('CUSTOMER_NOT_FOUND');
  if (survivor.merged_into || merged.merged_into) throw appError('CUSTOMER_MERGED');
  const choices = input.choices;

  // Profile fields taken from the merged customer.
  const taken: string[] = [];
  for (const [field, column] of Object.entries(MERGE_FIELDS)) {
    const mine = survivor[column as keyof Customer];
    const theirs = merged[column as keyof Customer];
    const choice = choices[field];
    if (choice === 'merged' || (choice === undefined && blank(mine) && !blank(theirs))) {
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) taken.push(column);
    }
  }
  // Custom values: chosen per key, else the survivor's where it has one.
  const customFields: Record<string, unknown> = { ...merged.custom_fields, ...survivor.custom_fields };
  for (const [key, choice] of Object.entries(choices)) {
    if (!key.startsWith('custom:')) continue;
    const name = key.slice(7);
    const source = choice === 'merged' ? merged.custom_fields : survivor.custom_fields;
    if (source[name] === undefined || source[name] === null) delete customFields[name];
    else customFields[name] = source[name];
  }

  // Sensitive values: the merged customer's, re-encrypted under the survivor's id, where
  // chosen or where the survivor has none.
  const secrets = await trx
    .selectFrom('customer_secrets')
    .select(['customer_id', 'field', 'ciphertext', 'key_version', 'blind_index', 'hint'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', 'in', [survivor.id, merged.id])
    .execute();
  const survivorSecrets = new Map(
    secrets.filter((s) => s.customer_id === survivor.id).map((s) => [s.field, s]),
  );
  const secretsToTake = secrets.filter(
    (s) =>
      s.customer_id === merged.id &&
      (choices[`secret:${s.field}`] === 'merged' ||
        (choices[`secret:${s.field}`] === undefined && !survivorSecrets.has(s.field))),
  );
  const secretsBefore: Record<string, SecretRow | null> = {};
  for (const s of secretsToTake) {
    const previous = survivorSecrets.get(s.field);
    secretsBefore[s.field] = previous
      ? {
          field: previous.field,
          ciphertext: previous.ciphertext,
          key_version: previous.key_version,
          blind_index: previous.blind_index,
          hint: previous.hint,
        }
      : null;
  }

  // The tombstone first: it gives up its customer number if the survivor takes it.
  await sql`update customers set merged_into = ${survivor.id}, archived_at = coalesce(archived_at, now()),
      customer_number = case when ${taken.includes('customer_number')} then null else customer_number end,
      updated_at = now()
    where tenant_id = ${tenantId} and id = ${merged.id}`.execute(trx);

  const setTaken = taken.map((column) => sql`${sql.ref(column)} = m.${sql.ref(column)}`);
  await sql`update customers s set
      ${sql.join([
        ...setTaken,
        sql`tag_ids = array(select t from unnest(s.tag_ids || m.tag_ids) with ordinality as u (t, o)
          group by t order by min(o) limit 50)`,
        sql`custom_fields = ${JSON.stringify(customFields)}::jsonb`,
        sql`updated_at = now()`,
      ])}
    from customers m
    where s.tenant_id = ${tenantId} and s.id = ${survivor.id} and m.tenant_id = ${tenantId} and m.id = ${merged.id}`.execute(
    trx,
  );

  // Children move; a merged primary contact stays primary only if the survivor has none.
  const { rows: movedRows } = await sql<{
    orders: string[];
    interactions: string[];
    contacts: string[];
    demoted: string[];
  }>`
    with survivor_primary as (
      select exists (select 1 from contacts where tenant_id = ${tenantId} and customer_id = ${survivor.id} and is_primary) as has
    ),
    o as (update orders set customer_id = ${survivor.id}
          where tenant_id = ${tenantId} and customer_id = ${merged.id} returning id),
    i as (update interactions set customer_id = ${survivor.id}
          where tenant_id = ${tenantId} and customer_id = ${merged.id} returning id),
    c as (update contacts set customer_id = ${survivor.id},
            is_primary = is_primary and not (select has from survivor_primary)
          where tenant_id = ${tenantId} and customer_id = ${merged.id}
          returning id, (is_primary = false and (select has from survivor_primary)) as maybe_demoted)
    select coalesce((select array_agg(id) from o), '{}') as orders,
      coalesce((select array_agg(id) from i), '{}') as interactions,
      coalesce((select array_agg(id) from c), '{}') as contacts,
      coalesce((select array_agg(ct.id) from contacts ct where ct.tenant_id = ${tenantId}
        and ct.customer_id = ${merged.id} and ct.is_primary), '{}') as demoted`.execute(trx);
  const moved = movedRows[0] ?? { orders: [], interactions: [], contacts: [], demoted: [] };

  if (secretsToTake.length > 0) {
    const cipher = await getTenantCipher(trx, tenantId);
    await writeCustomerSecrets(
      trx,
      tenantId,
      survivor.id,
      secretsToTake.map((s) => ({ field: s.field, value: cipher.decrypt(s.field, merged.id, s.ciphertext) })),
    );
  }

  const survivorBefore = {
    ...Object.fromEntries(taken.map((column) => [column, survivor[column as keyof Customer]])),
    tag_ids: survivor.tag_ids,
    custom_fields: survivor.custom_fields,
    secrets: secretsBefore,
  };
  const mergedBefore = {
    archived_at: merged.archived_at,
    customer_number: merged.customer_number,
    name: merged.name,
  };
  const record = await trx
    .insertInto('customer_merges')
    .values({
      tenant_id: tenantId,
      survivor_id: survivor.id,
      merged_id: merged.id,
      candidate_id: input.candidateId ?? null,
      merged_by: userId,
      survivor_before: JSON.stringify(survivorBefore),
      merged_before: JSON.stringify(mergedBefore),
      moved: JSON.stringify({ ...moved, columns: taken, secretFields: secretsToTake.map((s) => s.field) }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const [a, b] = survivor.id < merged.id ? [survivor.id, merged.id] : [merged.id, survivor.id];
  await sql`insert into duplicate_candidates as d
      (tenant_id, customer_a, customer_b, reasons, confidence, source, status, resolved_by, resolved_at)
    values (${tenantId}, ${a}, ${b}, array['manual'], 0, 'scan', 'merged', ${userId}, now())
    on conflict (tenant_id, customer_a, customer_b)
      do update set status = 'merged', resolved_by = ${userId}, resolved_at = now()`.execute(trx);

  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    values (${tenantId}, app_user_id(), 'customer', ${survivor.id}, ${survivor.id}, 'merge',
      ${JSON.stringify({
        mergeId: record.id,
        mergedId: merged.id,
        mergedName: merged.name,
        fields: taken,
        orders: moved.orders.length,
        interactions: moved.interactions.length,
        contacts: moved.contacts.length,
      })}::jsonb)`.execute(trx);

  await refreshCustomerFacts(trx, tenantId, [survivor.id, merged.id], 'order');
  await refreshCompleteness(trx, tenantId, [survivor.id, merged.id]);
  return { mergeId: record.id, survivorId: survivor.id, mergedId: merged.id };
}

/**
 * Undoes a merge within UNDO_DAYS: the merged customer comes back, exactly the orders,
 * interactions and contacts that moved go back to it, and the survivor's replaced values,
 * tags, custom values and sensitive values are restored. Refused once the survivor took
 * part in a later merge (undo that first) or after the period.
 */
export async function unmergeCustomers(scope: Scope, mergeId: string) {
  const { trx, tenantId, userId, access } = scope;
  const merge = await trx
    .selectFrom('customer_merges')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', mergeId)
    .forUpdate()
    .executeTakeFirst();
  if (!merge) throw appError('MERGE_NOT_FOUND');
  const locked = await lockPair(scope, [merge.survivor_id, merge.merged_id]);
  if (!locked.get(merge.survivor_id) || !locked.has(merge.merged_id)) throw appError('MERGE_NOT_FOUND');
  void access;
  if (merge.undone_at) throw appError('MERGE_ALREADY_UNDONE');
  if (merge.merged_at.getTime() < Date.now() - UNDO_DAYS * 86_400_000) {
    throw appError('MERGE_UNDO_EXPIRED', { days: UNDO_DAYS });
  }
  const later = await sql<{ id: string }>`
    select id from customer_merges
    where tenant_id = ${tenantId} and undone_at is null and id <> ${merge.id} and merged_at >= ${merge.merged_at}
      and (survivor_id in (${merge.survivor_id}, ${merge.merged_id}) or merged_id in (${merge.survivor_id}, ${merge.merged_id}))
    limit 1`.execute(trx);
  if (later.rows.length > 0 || locked.get(merge.survivor_id)?.merged_into)
    throw appError('MERGE_UNDO_BLOCKED');

  const moved = merge.moved as {
    orders: string[];
    interactions: string[];
    contacts: string[];
    demoted: string[];
    columns: string[];
    secretFields: string[];
  };
  const before = merge.survivor_before as Record<string, unknown> & {
    secrets: Record<string, SecretRow | null>;
  };
  const mergedBefore = merge.merged_before as { archived_at: string | null; customer_number: string | null };
  const s = merge.survivor_id;
  const m = merge.merged_id;

  // The survivor's replaced values first (it may hand back the customer number).
  const restored = [...moved.columns, 'tag_ids', 'custom_fields'];
  await sql`update customers c set ${sql.join([
    ...restored.map((column) => sql`${sql.ref(column)} = r.${sql.ref(column)}`),
    sql`updated_at = now()`,
  ])}
    from jsonb_populate_record(null::customers, ${JSON.stringify(before)}::jsonb) r
    where c.tenant_id = ${tenantId} and c.id = ${s}`.execute(trx);
  await sql`update customers set merged_into = null, archived_at = ${mergedBefore.archived_at}::timestamptz,
      customer_number = ${mergedBefore.customer_number}, updated_at = now()
    where tenant_id = ${tenantId} and id = ${m}`.execute(trx);

  await sql`update orders set customer_id = ${m}
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.orders}::uuid[])`.execute(trx);
  await sql`update interactions set customer_id = ${m}
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.interactions}::uuid[])`.execute(
    trx,
  );
  await sql`update contacts set customer_id = ${m}, is_primary = is_primary or id = any(${moved.demoted}::uuid[])
    where tenant_id = ${tenantId} and customer_id = ${s} and id = any(${moved.contacts}::uuid[])`.execute(
    trx,
  );

  // Sensitive values the survivor took: its own previous ciphertext back (bound to its id),
  // or none.
  for (const field of moved.secretFields) {
    const previous = before.secrets[field];
    if (previous) {
      await trx
        .insertInto('customer_secrets')
        .values({ tenant_id: tenantId, customer_id: s, ...previous })
        .onConflict((conflict) =>
          conflict.columns(['tenant_id', 'customer_id', 'field']).doUpdateSet({
            ciphertext: previous.ciphertext,
            key_version: previous.key_version,
            blind_index: previous.blind_index,
            hint: previous.hint,
            updated_at: sql<Date>`now()`,
          }),
        )
        .execute();
    } else {
      await trx
        .deleteFrom('customer_secrets')
        .where('tenant_id', '=', tenantId)
        .where('customer_id', '=', s)
        .where('field', '=', field)
        .execute();
    }
  }

  await trx
    .updateTable('customer_merges')
    .set({ undone_at: sql<Date>`now()`, undone_by: userId })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', merge.id)
    .execute();
  const [a, b] = s < m ? [s, m] : [m, s];
  await sql`update duplicate_candidates set status = 'pending', resolved_by = null, resolved_at = null
    where tenant_id = ${tenantId} and customer_a = ${a} and customer_b = ${b} and status = 'merged'`.execute(
    trx,
  );
  await sql`delete from duplicate_candidates
    where tenant_id = ${tenantId} and customer_a = ${a} and customer_b = ${b} and reasons = array['manual']`.execute(
    trx,
  );
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    values (${tenantId}, app_user_id(), 'customer', ${s}, ${s}, 'unmerge',
      ${JSON.stringify({ mergeId: merge.id, mergedId: m, mergedName: (merge.merged_before as { name?: string }).name ?? null })}::jsonb)`.execute(
    trx,
  );
  await refreshCustomerFacts(trx, tenantId, [s, m], 'order');
  await refreshCompleteness(trx, tenantId, [s, m]);
  return { mergeId: merge.id, survivorId: s, mergedId: m };
}

/** The merges into a customer, newest first (the 360 page offers 撤销合并 on them). */
export async function listMerges(trx: Transaction<Database>, tenantId: string, survivorId: string) {
  const { rows } = await sql<{
    id: string;
    survivor_id: string;
    merged_id: string;
    merged_name: string;
    merged_at: Date;
    merged_by: string | null;
    undone_at: Date | null;
    moved: { orders: string[]; interactions: string[]; contacts: string[] };
  }>`
    select cm.id, cm.survivor_id, cm.merged_id, m.name as merged_name, cm.merged_at, u.name as merged_by,
      cm.undone_at, cm.moved
    from customer_merges cm
    join customers m on m.tenant_id = cm.tenant_id and m.id = cm.merged_id
    left join users u on u.id = cm.merged_by
    where cm.tenant_id = ${tenantId} and cm.survivor_id = ${survivorId}
    order by cm.merged_at desc
    limit 50`.execute(trx);
  return rows.map((row) => ({
    id: row.id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    mergedName: row.merged_name,
    mergedAt: new Date(row.merged_at).toISOString(),
    mergedBy: row.merged_by,
    undoneAt: row.undone_at ? new Date(row.undone_at).toISOString() : null,
    undoUntil: row.undone_at
      ? null
      : new Date(new Date(row.merged_at).getTime() + UNDO_DAYS * 86_400_000).toISOString(),
    moved: {
      orders: row.moved.orders.length,
      interactions: row.moved.interactions.length,
      contacts: row.moved.contacts.length,
    },
  }));
}
