import type { Database, DuplicateSource, Transaction } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';

/**
 * Candidate pairs, found set-based from `customer_match_keys`: a self-join on (kind, value)
 * of the key values shared by 2..cap customers. A value shared by more customers than the
 * cap (a company switchboard number on 5,000 customers) pairs nobody and is reported
 * instead: n customers would make n(n-1)/2 pairs.
 */
export const GROUP_CAP = 50;
/**
 * A company name shared by more customers than this is a generic name (so many 商贸 and 科技
 * companies are called alike): it pairs nobody on its own, and only adds the reason `name`
 * to pairs that share a phone, email or credit code.
 */
export const NAME_PAIR_CAP = 5;

/**
 * Weight of each reason; a pair's confidence combines its reasons as independent evidence,
 * 1 − Π(1 − w), at most 0.99. `branch`: the company names match once a branch marker is
 * removed (A公司 and A公司北京分公司) — related, not the same. `name` between two persons is
 * counted only for pairs that share another key.
 */
export const REASON_WEIGHTS = { credit_code: 0.95, email: 0.8, phone: 0.7, name: 0.6, branch: 0.3 } as const;
export type DuplicateReason = keyof typeof REASON_WEIGHTS;
export const DUPLICATE_REASONS = Object.keys(REASON_WEIGHTS) as DuplicateReason[];

const weightCase = sql.raw(
  `case reason ${Object.entries(REASON_WEIGHTS)
    .map(([reason, weight]) => `when '${reason}' then ${weight}`)
    .join(' ')} else 0 end`,
);

/** Confidence of a set of reasons, in SQL (`reasons` a text[] expression). */
export function confidenceSql(reasons: RawBuilder<unknown>) {
  return sql<string>`(select least(0.99, round((1 - exp(sum(ln(1 - ${weightCase}))))::numeric, 2))
    from unnest(${reasons}) as reason)`;
}

/** The same in TypeScript, for reasons computed outside SQL. */
export function confidenceOf(reasons: readonly string[]): number {
  let keep = 1;
  for (const reason of reasons) keep *= 1 - (REASON_WEIGHTS[reason as DuplicateReason] ?? 0);
  return Math.min(0.99, Math.round((1 - keep) * 100) / 100);
}

export type ScanResult = {
  pairs: number;
  newPairs: number;
  removedPairs: number;
  cappedKeys: { kind: string; value: string; customers: number }[];
};

/**
 * The pairs of a tenant (all, or those involving `only` customers) with their reasons,
 * confidence and the identity rule's verdict, as SQL for a `with pairs as (…)`. Emits
 * (customer_a, customer_b, reasons, confidence, same_by) with customer_a < customer_b; same_by
 * is the key that makes the two the same customer (as the create check and the import judge
 * them, `crm_customer_identity`), null for a candidate.
 */
function pairsSql(tenantId: string, only: string[] | null, cap: number) {
  const keyFilter = only
    ? sql`and (k.kind, k.value) in (select kind, value from customer_match_keys
          where tenant_id = ${tenantId} and customer_id = any(${only}::uuid[]))`
    : sql``;
  const pairFilter = only
    ? sql`and (a.customer_id = any(${only}::uuid[]) or b.customer_id = any(${only}::uuid[]))`
    : sql``;
  return sql`
    groups as materialized (
      select k.kind, k.value, count(*) as customers
      from customer_match_keys k
      where k.tenant_id = ${tenantId} ${keyFilter}
      group by k.kind, k.value
      having count(*) > 1
    ),
    shared as (
      select a.customer_id as customer_a, b.customer_id as customer_b,
        case when g.kind = 'name' and (a.branch or b.branch) then 'branch' else g.kind end as reason
      from groups g
      join customer_match_keys a on a.tenant_id = ${tenantId} and a.kind = g.kind and a.value = g.value
      join customer_match_keys b on b.tenant_id = ${tenantId} and b.kind = g.kind and b.value = g.value
        and b.customer_id > a.customer_id
      where g.customers <= ${cap} and (g.kind <> 'name' or g.customers <= ${NAME_PAIR_CAP}) ${pairFilter}
    ),
    grouped as (
      select s.customer_a, s.customer_b, array_agg(distinct s.reason) as reasons
      from shared s group by s.customer_a, s.customer_b
    ),
    pairs as (
      select g.customer_a, g.customer_b, r.reasons, ${confidenceSql(sql`r.reasons`)} as confidence,
        -- The identity rule (crm_customer_identity, the twin of identityVerdict): the key that
        -- makes the two the same customer, or null for a candidate. A branch is a name key.
        nullif(crm_customer_identity(x.kind, x.name, x.credit_code, y.kind, y.name, y.credit_code,
          array(select case when reason = 'branch' then 'name' else reason end from unnest(r.reasons) as reason)),
          'candidate') as same_by
      from grouped g
      join customers x on x.tenant_id = ${tenantId} and x.id = g.customer_a
      join customers y on y.tenant_id = ${tenantId} and y.id = g.customer_b
      -- The same company name in a group too big to pair on (see NAME_PAIR_CAP), or the same
      -- person's name, adds its reason to a pair found by another key.
      cross join lateral (
        select case when g.reasons && array['name', 'branch'] then null else (
          select case when bool_or(na.branch or nb.branch) then 'branch' else 'name' end
          from customer_match_keys na
          join customer_match_keys nb on nb.tenant_id = na.tenant_id and nb.kind = 'name'
            and nb.value = na.value and nb.customer_id = g.customer_b
          where na.tenant_id = ${tenantId} and na.kind = 'name' and na.customer_id = g.customer_a
          having count(*) > 0) end as company_name,
        case when x.kind = 'person' and y.kind = 'person'
          and crm_normalize_person_name(x.name) = crm_normalize_person_name(y.name) then 'name' end as person_name
      ) n
      cross join lateral (
        select array_agg(distinct reason order by reason) as reasons
        from unnest(g.reasons || array[n.company_name, n.person_name]) as reason
        where reason is not null
      ) r
    )`;
}

/**
 * What a scan writes, after a \`pairs\` CTE: pending pairs no longer found removed, new pairs
 * added, changed reasons of pending pairs updated (CTEs \`removed\` and \`upserted\`).
 */
function writePairsSql(tenantId: string) {
  return sql`
    removed as (
      delete from duplicate_candidates d
      where d.tenant_id = ${tenantId} and d.status = 'pending'
        and not exists (select 1 from pairs p where p.customer_a = d.customer_a and p.customer_b = d.customer_b)
      returning 1
    ),
    upserted as (
      insert into duplicate_candidates as d (tenant_id, customer_a, customer_b, reasons, confidence, same_by, source)
      select ${tenantId}, p.customer_a, p.customer_b, p.reasons, p.confidence, p.same_by, 'scan' from pairs p
      on conflict (tenant_id, customer_a, customer_b) do update
        set reasons = excluded.reasons, confidence = excluded.confidence, same_by = excluded.same_by
        where d.status = 'pending' and (d.reasons, d.confidence, d.same_by)
          is distinct from (excluded.reasons, excluded.confidence, excluded.same_by)
      returning (xmax = 0) as inserted
    )`;
}

/**
 * The tenant-wide scan: one statement that finds every pair, adds new ones, updates the
 * reasons of pending ones, removes pending ones no longer found, and leaves dismissed and
 * merged pairs as they are.
 */
export async function scanTenant(
  trx: Transaction<Database>,
  tenantId: string,
  cap = GROUP_CAP,
): Promise<ScanResult> {
  const { rows } = await sql<{
    pairs: number;
    new_pairs: number;
    removed_pairs: number;
    capped: ScanResult['cappedKeys'] | null;
  }>`
    with ${pairsSql(tenantId, null, cap)},
    ${writePairsSql(tenantId)}
    select (select count(*)::int from pairs) as pairs,
      (select count(*)::int from upserted where inserted) as new_pairs,
      (select count(*)::int from removed) as removed_pairs,
      (select json_agg(json_build_object('kind', kind, 'value', value, 'customers', customers) order by customers desc)
       from (select kind, value, customers::int from groups where customers > ${cap}
             order by customers desc limit 20) c) as capped`.execute(trx);
  const row = rows[0];
  return {
    pairs: row?.pairs ?? 0,
    newPairs: row?.new_pairs ?? 0,
    removedPairs: row?.removed_pairs ?? 0,
    cappedKeys: row?.capped ?? [],
  };
}

/** A tenant's pairs as read on the replica: what `applyTenantPairs` writes on the primary. */
export type FoundPairs = {
  pairs: {
    customer_a: string;
    customer_b: string;
    reasons: string[];
    confidence: string;
    same_by: string | null;
  }[];
  cappedKeys: ScanResult['cappedKeys'];
};

/**
 * The finding half of a scan, read-only (on the read replica): every pair of the tenant, and
 * the key values shared by too many customers to pair.
 */
export async function findTenantPairs(
  trx: Transaction<Database>,
  tenantId: string,
  cap = GROUP_CAP,
): Promise<FoundPairs> {
  const { rows: pairs } = await sql<FoundPairs['pairs'][number]>`
    with ${pairsSql(tenantId, null, cap)}
    select customer_a, customer_b, reasons, confidence::text as confidence, same_by from pairs`.execute(trx);
  const { rows } = await sql<{ capped: FoundPairs['cappedKeys'] | null }>`
    select json_agg(json_build_object('kind', kind, 'value', value, 'customers', customers) order by customers desc) as capped
    from (select kind, value, count(*)::int as customers from customer_match_keys
          where tenant_id = ${tenantId} group by kind, value having count(*) > ${cap}
          order by customers desc limit 20) c`.execute(trx);
  return { pairs, cappedKeys: rows[0]?.capped ?? [] };
}

/**
 * The writing half of a scan read on the replica, in one statement on the primary: the pairs
 * found become the tenant's pending pairs exactly as \`scanTenant\` makes them (new ones added,
 * reasons of pending ones updated, pending ones no longer found removed, dismissed and merged
 * ones left as they are). A pair of a customer merged or deleted since it was read is left out.
 */
export async function applyTenantPairs(
  trx: Transaction<Database>,
  tenantId: string,
  found: FoundPairs,
): Promise<ScanResult> {
  const { rows } = await sql<{ pairs: number; new_pairs: number; removed_pairs: number }>`
    with pairs as (
      select p.customer_a, p.customer_b, p.reasons, p.confidence, p.same_by
      from jsonb_to_recordset(${JSON.stringify(found.pairs)}::jsonb)
        as p(customer_a uuid, customer_b uuid, reasons text[], confidence numeric, same_by text)
      join customers x on x.tenant_id = ${tenantId} and x.id = p.customer_a and x.merged_into is null
      join customers y on y.tenant_id = ${tenantId} and y.id = p.customer_b and y.merged_into is null
    ),
    ${writePairsSql(tenantId)}
    select (select count(*)::int from pairs) as pairs,
      (select count(*)::int from upserted where inserted) as new_pairs,
      (select count(*)::int from removed) as removed_pairs`.execute(trx);
  const row = rows[0];
  return {
    pairs: row?.pairs ?? 0,
    newPairs: row?.new_pairs ?? 0,
    removedPairs: row?.removed_pairs ?? 0,
    cappedKeys: found.cappedKeys,
  };
}

/**
 * Records the pairs some customers form with others (after a create or an import), keeping
 * existing pairs as they are. Returns how many were new.
 */
export async function recordCandidatesFor(
  trx: Transaction<Database>,
  tenantId: string,
  customerIds: string[],
  source: DuplicateSource,
  cap = GROUP_CAP,
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const result = await sql`
    with ${pairsSql(tenantId, customerIds, cap)}
    insert into duplicate_candidates (tenant_id, customer_a, customer_b, reasons, confidence, same_by, source)
    select ${tenantId}, p.customer_a, p.customer_b, p.reasons, p.confidence, p.same_by, ${source} from pairs p
    on conflict (tenant_id, customer_a, customer_b) do nothing`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
