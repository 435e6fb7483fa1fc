import type { Database, Transaction } from '@crm/db';
import { matchKeysOf, normalizeCreditCode, normalizePersonNameKey } from '@crm/domain';
import { sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { appError } from '../errors';
import { decodeCursor, encodeCursor, UUID } from '../keyset';
import type {
  CheckDuplicatesInput,
  CustomerBrief,
  DuplicatePairOutput,
  ListDuplicatesInput,
} from './duplicates.schemas';
import { confidenceOf } from './pairs';

type BriefRow = {
  id: string;
  name: string;
  kind: 'person' | 'company';
  phone: string | null;
  email: string | null;
  credit_code: string | null;
  owner_name: string | null;
  archived_at: Date | null;
  order_count: number;
  created_at: Date;
};

function toBrief(row: BriefRow): CustomerBrief {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    phone: row.phone,
    email: row.email,
    creditCode: row.credit_code,
    ownerName: row.owner_name,
    archivedAt: row.archived_at ? new Date(row.archived_at).toISOString() : null,
    orderCount: row.order_count,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * Likely duplicates of a customer being typed in a form, before it is saved: customers
 * sharing a normalised phone, email, credit code or company name (a person's name only
 * adds weight to another match). Only customers the member sees are shown; the others are
 * counted.
 */
export async function checkDuplicates(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  input: CheckDuplicatesInput,
) {
  const keys = matchKeysOf({
    kind: input.kind,
    name: input.name,
    phone: input.phone,
    email: input.email,
    creditCode: input.creditCode ? normalizeCreditCode(input.creditCode) : null,
  });
  if (keys.length === 0) return { matches: [], hidden: 0 };
  const kinds = keys.map((key) => key.kind);
  const values = keys.map((key) => key.value);
  const branchByValue = new Map(
    keys.filter((key) => key.kind === 'name').map((key) => [key.value, key.branch]),
  );
  const { rows } = await sql<
    BriefRow & {
      hits: { kind: string; branch: boolean; value: string }[];
      visible: boolean;
      person_name: string | null;
    }
  >`
    with hits as (
      select m.customer_id, json_agg(json_build_object('kind', m.kind, 'branch', m.branch, 'value', m.value)) as hits
      from customer_match_keys m
      join unnest(${kinds}::text[], ${values}::text[]) as k (kind, value) on k.kind = m.kind and k.value = m.value
      where m.tenant_id = ${tenantId}
        and (${input.excludeId ?? null}::uuid is null or m.customer_id <> ${input.excludeId ?? null}::uuid)
      group by m.customer_id
      limit 200
    )
    select customers.id, customers.name, customers.kind, customers.phone, customers.email, customers.credit_code,
      owner.name as owner_name, customers.archived_at, customers.order_count, customers.created_at, h.hits,
      ${visibleCustomer(access)} as visible, crm_normalize_person_name(customers.name) as person_name
    from hits h
    join customers on customers.tenant_id = ${tenantId} and customers.id = h.customer_id
    left join users owner on owner.id = customers.owner_user_id
    where customers.merged_into is null`.execute(trx);
  const personName = input.kind === 'person' && input.name ? normalizePersonNameKey(input.name) : null;
  const matches = rows
    .filter((row) => row.visible)
    .map((row) => {
      const reasons = new Set<string>();
      for (const hit of row.hits) {
        reasons.add(
          hit.kind === 'name' && (hit.branch || branchByValue.get(hit.value)) ? 'branch' : hit.kind,
        );
      }
      if (personName && row.kind === 'person' && row.person_name === personName) reasons.add('name');
      const sorted = [...reasons].sort();
      return { customer: toBrief(row), reasons: sorted, confidence: confidenceOf(sorted) };
    })
    .sort((x, y) => y.confidence - x.confidence || x.customer.name.localeCompare(y.customer.name))
    .slice(0, 10);
  return { matches, hidden: rows.filter((row) => !row.visible).length };
}

const briefColumns = (alias: string) =>
  sql.raw(`json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'kind', ${alias}.kind, 'phone', ${alias}.phone,
    'email', ${alias}.email, 'credit_code', ${alias}.credit_code, 'owner_name', ${alias}_owner.name,
    'archived_at', ${alias}.archived_at, 'order_count', ${alias}.order_count, 'created_at', ${alias}.created_at)`);

/** Whether a customer (by id column) is visible: the record-level filter on a correlated row. */
function visibleById(tenantId: string, idColumn: string, access: RecordAccess) {
  return sql<boolean>`exists (select 1 from customers where customers.tenant_id = ${tenantId}
    and customers.id = ${sql.ref(idColumn)} and ${visibleCustomer(access)})`;
}

/**
 * The review queue: pairs by status, reason and confidence, most confident first, keyset
 * paged; only pairs whose two customers the member sees, neither of them merged away.
 */
export async function listDuplicates(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  input: ListDuplicatesInput,
) {
  const after = input.cursor
    ? (() => {
        const { confidence, id } = decodePairCursor(input.cursor);
        return sql`and (d.confidence, d.id) < (${confidence}::numeric, ${id}::uuid)`;
      })()
    : sql``;
  const reasonFilter = input.reason ? sql`and ${input.reason}::text = any(d.reasons)` : sql``;
  const confidenceFilter =
    input.minConfidence !== undefined ? sql`and d.confidence >= ${input.minConfidence}::numeric` : sql``;
  const result = await sql<{
    id: string;
    a: BriefRow;
    b: BriefRow;
    reasons: string[];
    confidence: string;
    status: DuplicatePairOutput['status'];
    source: string;
    detected_at: Date;
    resolved_at: Date | null;
  }>`
    select d.id, ${briefColumns('a')} as a, ${briefColumns('b')} as b, d.reasons, d.confidence::text as confidence,
      d.status, d.source, d.detected_at, d.resolved_at
    from duplicate_candidates d
    join customers a on a.tenant_id = d.tenant_id and a.id = d.customer_a
    join customers b on b.tenant_id = d.tenant_id and b.id = d.customer_b
    left join users a_owner on a_owner.id = a.owner_user_id
    left join users b_owner on b_owner.id = b.owner_user_id
    where d.tenant_id = ${tenantId} and d.status = ${input.status}
      and (d.status = 'merged' or (a.merged_into is null and b.merged_into is null))
      and ${visibleById(tenantId, 'd.customer_a', access)} and ${visibleById(tenantId, 'd.customer_b', access)}
      ${reasonFilter} ${confidenceFilter} ${after}
    order by d.confidence desc, d.id desc
    limit ${input.limit + 1}`.execute(trx);
  const page = result.rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      a: toBrief(row.a),
      b: toBrief(row.b),
      reasons: row.reasons,
      confidence: Number(row.confidence),
      status: row.status,
      source: row.source,
      detectedAt: new Date(row.detected_at).toISOString(),
      resolvedAt: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
    })),
    nextCursor: result.rows.length > input.limit && last ? encodePairCursor(last.confidence, last.id) : null,
  };
}

function encodePairCursor(confidence: string, id: string): string {
  return encodeCursor([confidence, id]);
}

function decodePairCursor(cursor: string): { confidence: string; id: string } {
  const [confidence = '', id = ''] = decodeCursor(cursor, [/^[01](\.\d{1,2})?$/, UUID]);
  return { confidence, id };
}

/** Marks a pair as not duplicates; it stays dismissed through later scans. */
export async function dismissDuplicate(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  userId: string,
  id: string,
) {
  const result = await sql`
    update duplicate_candidates d set status = 'dismissed', resolved_by = ${userId}, resolved_at = now()
    where d.tenant_id = ${tenantId} and d.id = ${id} and d.status = 'pending'
      and ${visibleById(tenantId, 'd.customer_a', access)} and ${visibleById(tenantId, 'd.customer_b', access)}`.execute(
    trx,
  );
  if (Number(result.numAffectedRows ?? 0) === 0) throw appError('DUPLICATE_NOT_FOUND');
  return { id };
}
