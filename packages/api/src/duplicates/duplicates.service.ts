import type { Customer, Database, DuplicateSource, Transaction } from '@crm/db';
import {
  type IdentityRecord,
  identityVerdict,
  matchKeysOf,
  normalizeCreditCode,
  normalizeIdentifier,
  normalizePersonNameKey,
  type SameBy,
} from '@crm/domain';
import type { JobQueue } from '@crm/jobs';
import { refreshCompleteness } from '../customers/completeness.repository';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';
import { decodeCursor, encodeCursor, UUID } from '../keyset';
import { replanCustomers } from '../plans/plans.service';
import type { MemberScope, Scope } from '../scope';
import { getCipher, writeSecrets } from '../sensitive/sensitive.service';
import { touchTiers } from '../tiering/tiering.service';
import { recordWebhookEvent } from '../webhooks/webhooks.service';
import {
  type BriefRow,
  combineOpeningBalances,
  countPairs,
  type DuplicateScan,
  deleteSecret,
  dismissPair,
  hasLaterMerge,
  insertMerge,
  insertMergeAudit,
  insertQueuedScan,
  insertRunningScan,
  lockPair,
  type MatchRow,
  type MovedChildren,
  markMergedInto,
  markMergeUndone,
  markScanDone,
  markScanFailed,
  markScanRunning,
  moveChildren,
  moveChildrenBack,
  type OpeningBalanceRow,
  reopenPair,
  restoreMerged,
  restoreOpeningBalances,
  restoreSecret,
  restoreSurvivor,
  type SecretRow,
  selectLastScan,
  selectMatches,
  selectMergeForUpdate,
  selectMerges,
  selectNationalIdHolders,
  selectOpeningBalances,
  selectPairs,
  selectSecrets,
  takeIntoSurvivor,
  upsertMergedPair,
} from './duplicates.repository';
import {
  type CheckDuplicatesInput,
  type CheckDuplicatesOutput,
  type CountDuplicatesInput,
  type CustomerBrief,
  type ListDuplicatesInput,
  type ListDuplicatesOutput,
  MERGE_FIELDS,
  type MergeInput,
  type MergeOutput,
  type MergeRecordOutput,
  type ScanOutput,
} from './duplicates.schemas';
import {
  applyTenantPairs,
  confidenceOf,
  type FoundPairs,
  findTenantPairs,
  recordCandidatesFor,
  type ScanResult,
  scanTenant,
} from './pairs';

/**
 * The use cases of duplicates: the form's warning, the review queue, scans, and merging two
 * customers into one (and undoing it). Each runs inside the caller's transaction
 * (`scope.trx`); a merge moves everything or nothing.
 */

/** How long a merge can be undone. */
export const UNDO_DAYS = 30;

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
 * The stored persons whose national ID is the typed one: found by the blind index in the
 * actor's tenant, each confirmed by decrypting its number (the index is 32 bits and can
 * collide). A number that cannot be decrypted counts as no match.
 */
async function nationalIdHolders(scope: Scope, nationalId: string, excludeId: string | null) {
  const typed = normalizeIdentifier(nationalId);
  if (!typed) return [];
  const cipher = await getCipher(scope);
  const rows = await selectNationalIdHolders(scope, cipher.blindIndex('national_id', typed), excludeId);
  return rows.filter((row) => {
    try {
      return normalizeIdentifier(cipher.decrypt('national_id', row.id, row.ciphertext)) === typed;
    } catch {
      return false;
    }
  });
}

/**
 * What a typed customer shares with the stored customers that share any key with it (its
 * match keys, and for a person the national ID when one is given).
 */
async function matchesOf(scope: Scope, record: IdentityRecord, excludeId: string | null) {
  const keys = matchKeysOf({
    kind: record.kind,
    name: record.name,
    phone: record.phone,
    email: record.email,
    creditCode: record.creditCode ? normalizeCreditCode(record.creditCode) : null,
  });
  const byId =
    record.kind === 'person' && record.nationalId
      ? new Map((await nationalIdHolders(scope, record.nationalId, excludeId)).map((row) => [row.id, row]))
      : new Map<string, MatchRow>();
  const sameNationalId = new Set(byId.keys());
  if (keys.length === 0 && byId.size === 0) return { keys, rows: [] };
  const matched =
    keys.length === 0
      ? []
      : await selectMatches(
          scope,
          keys.map((key) => key.kind),
          keys.map((key) => key.value),
          excludeId,
        );
  for (const row of matched) byId.set(row.id, row);
  return {
    keys,
    rows: [...byId.values()].map((row) => {
      const shared = [
        ...new Set(row.hits.map((hit) => hit.kind)),
        ...(sameNationalId.has(row.id) ? ['national_id'] : []),
      ];
      const verdict = identityVerdict(
        record,
        { kind: row.kind, name: row.name, creditCode: row.credit_code },
        shared,
      );
      return { row, verdict };
    }),
  };
}

/** An existing customer that the identity rule says IS the typed one (an exact duplicate). */
export type SameCustomer = { id: string; name: string; visible: boolean; by: SameBy };

/**
 * The stored customer the identity rule says is the same as `record` (same credit code, the
 * same normalised company name, a person's name with the same phone or email), if any —
 * a visible one first. Only the actor's tenant is searched.
 */
export async function findSameCustomer(
  scope: Scope,
  record: IdentityRecord,
  excludeId: string | null = null,
): Promise<SameCustomer | null> {
  const { rows } = await matchesOf(scope, record, excludeId);
  const same = rows
    .filter(({ verdict }) => verdict.verdict === 'same')
    .sort((x, y) => Number(y.row.visible) - Number(x.row.visible))[0];
  if (!same || same.verdict.verdict !== 'same') return null;
  return { id: same.row.id, name: same.row.name, visible: same.row.visible, by: same.verdict.by };
}

/**
 * Likely duplicates of a customer being typed in a form, before it is saved: customers
 * sharing a normalised phone, email, credit code or company name (a person's name only
 * adds weight to another match), each marked `exact` when the identity rule says it is the
 * same customer (a create is then refused unless forced with a reason). Only customers the
 * member sees are shown; the others are counted.
 */
export async function checkDuplicates(
  scope: Scope,
  input: CheckDuplicatesInput,
): Promise<CheckDuplicatesOutput> {
  const { keys, rows } = await matchesOf(
    scope,
    {
      kind: input.kind,
      name: input.name,
      phone: input.phone,
      email: input.email,
      creditCode: input.creditCode,
    },
    input.excludeId ?? null,
  );
  if (keys.length === 0) return { matches: [], hidden: 0 };
  const branchByValue = new Map(
    keys.filter((key) => key.kind === 'name').map((key) => [key.value, key.branch]),
  );
  const personName = input.kind === 'person' && input.name ? normalizePersonNameKey(input.name) : null;
  const matches = rows
    .filter(({ row }) => row.visible)
    .map(({ row, verdict }) => {
      const reasons = new Set<string>();
      for (const hit of row.hits) {
        reasons.add(
          hit.kind === 'name' && (hit.branch || branchByValue.get(hit.value)) ? 'branch' : hit.kind,
        );
      }
      if (personName && row.kind === 'person' && row.person_name === personName) reasons.add('name');
      const sorted = [...reasons].sort();
      return {
        customer: toBrief(row),
        reasons: sorted,
        confidence: confidenceOf(sorted),
        exact: verdict.verdict === 'same',
      };
    })
    .sort(
      (x, y) =>
        Number(y.exact) - Number(x.exact) ||
        y.confidence - x.confidence ||
        x.customer.name.localeCompare(y.customer.name),
    )
    .slice(0, 10);
  return { matches, hidden: rows.filter(({ row }) => !row.visible).length };
}

function encodePairCursor(confidence: string, id: string): string {
  return encodeCursor([confidence, id]);
}

function decodePairCursor(cursor: string): { confidence: string; id: string } {
  const [confidence = '', id = ''] = decodeCursor(cursor, [/^[01](\.\d{1,2})?$/, UUID]);
  return { confidence, id };
}

/** 共 N 条 of the review queue with these filters, of the pairs the member sees both customers of. */
export function countDuplicates(scope: Scope, input: CountDuplicatesInput) {
  return countPairs(scope, input);
}

/**
 * The review queue: pairs by status, reason and confidence, most confident first, keyset
 * paged; only pairs whose two customers the member sees, neither of them merged away.
 */
export async function listDuplicates(
  scope: Scope,
  input: ListDuplicatesInput,
): Promise<ListDuplicatesOutput> {
  const after = input.cursor ? decodePairCursor(input.cursor) : null;
  const rows = await selectPairs(
    scope,
    { status: input.status, reason: input.reason, minConfidence: input.minConfidence },
    after,
    input.limit + 1,
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      a: toBrief(row.a),
      b: toBrief(row.b),
      reasons: row.reasons,
      confidence: Number(row.confidence),
      sameBy: row.same_by,
      status: row.status,
      source: row.source,
      detectedAt: new Date(row.detected_at).toISOString(),
      resolvedAt: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
    })),
    nextCursor: rows.length > input.limit && last ? encodePairCursor(last.confidence, last.id) : null,
  };
}

/** Marks a pair as not duplicates; it stays dismissed through later scans. */
export async function dismissDuplicate(scope: MemberScope, id: string): Promise<{ id: string }> {
  if (!(await dismissPair(scope, id, scope.userId))) throw appError('DUPLICATE_NOT_FOUND');
  return { id };
}

/**
 * Records the pairs some customers form with others (after a create or an import), keeping
 * existing pairs as they are. Returns how many were new.
 */
export function recordDuplicateCandidates(
  scope: Scope,
  customerIds: string[],
  source: DuplicateSource,
): Promise<number> {
  return recordCandidatesFor(scope.trx, scope.tenantId, customerIds, source);
}

/** The job that scans one tenant (duplicates.jobs.ts registers it). */
export type ScanTenantJobs = { 'duplicates.scan-tenant': { tenantId: string; scanId: string | null } };

function toScan(row: DuplicateScan): ScanOutput {
  return {
    id: row.id,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    pairs: row.pairs,
    newPairs: row.new_pairs,
    removedPairs: row.removed_pairs,
    cappedKeys: row.capped_keys,
  };
}

/** Queues a tenant-wide scan (it also runs nightly), in the caller's transaction. */
export async function queueScan(scope: MemberScope, jobs: JobQueue<ScanTenantJobs>): Promise<ScanOutput> {
  const row = await insertQueuedScan(scope, scope.userId);
  await jobs.enqueue(
    'duplicates.scan-tenant',
    { tenantId: scope.tenantId, scanId: row.id },
    { trx: scope.trx, id: row.id, retryLimit: 2, expireInSeconds: 60 * 60 },
  );
  return toScan(row);
}

/** The latest scan of the tenant, or null before the first one. */
export async function lastScan(scope: Scope): Promise<ScanOutput | null> {
  const row = await selectLastScan(scope);
  return row ? toScan(row) : null;
}

/** Runs one scan and records it in `duplicate_scans` (a new row when none was queued). */
export async function scanDuplicates(
  scope: Scope,
  scanId: string | null,
  cap?: number,
): Promise<{ id: string } & ScanResult> {
  const id = scanId ?? (await insertRunningScan(scope));
  await markScanRunning(scope, id);
  const result = await scanTenant(scope.trx, scope.tenantId, cap);
  await markScanDone(scope, id, result);
  return { id, ...result };
}

/**
 * A scan whose pairs are read on the replica, first step, on the primary: its row (a new one
 * when none was queued) marked running, committed so the queue page shows it.
 */
export async function beginScan(scope: Scope, scanId: string | null): Promise<string> {
  const id = scanId ?? (await insertRunningScan(scope));
  await markScanRunning(scope, id);
  return id;
}

/** Its middle step, read-only, on the replica: the tenant's pairs. */
export function readScanPairs(trx: Transaction<Database>, tenantId: string): Promise<FoundPairs> {
  return findTenantPairs(trx, tenantId);
}

/** Its last step, on the primary: the pairs found on the replica written, the scan done. */
export async function completeScan(
  scope: Scope,
  scanId: string,
  found: FoundPairs,
): Promise<{ id: string } & ScanResult> {
  const result = await applyTenantPairs(scope.trx, scope.tenantId, found);
  await markScanDone(scope, scanId, result);
  return { id: scanId, ...result };
}

/** Marks a queued scan failed (its job gave up or will try again). */
export function failScan(scope: Scope, scanId: string): Promise<void> {
  return markScanFailed(scope, scanId);
}

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

/**
 * Merges `mergedId` into `survivorId`, all or nothing: orders, interactions, contacts and
 * notes move to the survivor; tags are united; profile fields, custom values and sensitive
 * values take the chosen side (by default the survivor's, or the merged customer's where
 * the survivor has none); the first cooperation date is the earlier of the two; the opening
 * balances (导入的期初数据) become one (combineOpeningBalances); the merged customer stays as an
 * archived tombstone pointing at the survivor, whose timeline shows both histories, and the
 * survivor's facts are derived again. Everything moved and every value replaced is recorded
 * in `customer_merges`, so `unmergeCustomers` puts it back.
 */
export async function mergeCustomers(scope: Scope, input: MergeInput): Promise<MergeOutput> {
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
  // A birthday taken from the merged customer brings its calendar (公历 / 农历) with it.
  if (taken.includes('birthday') && survivor.birthday_calendar !== merged.birthday_calendar) {
    taken.push('birthday_calendar');
  }
  // 首次合作时间: the relationship began with whichever customer came first.
  if (
    merged.first_cooperation_on &&
    (!survivor.first_cooperation_on || merged.first_cooperation_on < survivor.first_cooperation_on)
  ) {
    taken.push('first_cooperation_on');
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
  const secrets = await selectSecrets(scope, [survivor.id, merged.id]);
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
  await markMergedInto(scope, merged.id, survivor.id, taken.includes('customer_number'));
  await takeIntoSurvivor(scope, survivor.id, merged.id, taken, customFields);
  // One opening balance, brought to the later as-of date with the orders in between (before
  // the orders move, while each side's are still its own).
  const balances = await selectOpeningBalances(scope, [survivor.id, merged.id]);
  const balancesBefore: Record<string, OpeningBalanceRow | null> | null =
    balances.size > 0
      ? { [survivor.id]: balances.get(survivor.id) ?? null, [merged.id]: balances.get(merged.id) ?? null }
      : null;
  if (balancesBefore) {
    const asOf = [...balances.values()]
      .map((row) => row.as_of)
      .sort()
      .at(-1) as string;
    await combineOpeningBalances(scope, survivor.id, merged.id, asOf);
  }
  // Children move; a merged primary contact stays primary only if the survivor has none.
  const moved = await moveChildren(scope, survivor.id, merged.id);

  if (secretsToTake.length > 0) {
    const cipher = await getCipher(scope);
    await writeSecrets(
      scope,
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
  const mergeId = await insertMerge(scope, {
    survivorId: survivor.id,
    mergedId: merged.id,
    candidateId: input.candidateId ?? null,
    survivorBefore,
    mergedBefore,
    moved: {
      ...moved,
      columns: taken,
      secretFields: secretsToTake.map((s) => s.field),
      openingBalances: balancesBefore,
    },
  });

  const [a, b] = survivor.id < merged.id ? [survivor.id, merged.id] : [merged.id, survivor.id];
  await upsertMergedPair(scope, a, b);
  await insertMergeAudit(scope, survivor.id, 'merge', {
    mergeId,
    mergedId: merged.id,
    mergedName: merged.name,
    fields: taken,
    orders: moved.orders.length,
    interactions: moved.interactions.length,
    contacts: moved.contacts.length,
    notes: moved.notes?.length ?? 0,
  });

  await refreshCustomerFacts(scope, [survivor.id, merged.id], 'order');
  await refreshCompleteness(scope, [survivor.id, merged.id]);
  await touchTiers(scope, [survivor.id, merged.id]);
  // The merged customer's plans end; the survivor's tasks follow its (possibly taken) owner.
  await replanCustomers(scope, [survivor.id, merged.id]);
  await recordWebhookEvent(scope, 'customer.merged', {
    id: survivor.id,
    name: taken.includes('name') ? merged.name : survivor.name,
    mergedId: merged.id,
    mergedName: merged.name,
    mergeId,
    fields: taken,
    moved: {
      orders: moved.orders.length,
      interactions: moved.interactions.length,
      contacts: moved.contacts.length,
    },
  });
  return { mergeId, survivorId: survivor.id, mergedId: merged.id };
}

/**
 * Undoes a merge within UNDO_DAYS: the merged customer comes back, exactly the orders,
 * interactions and contacts that moved go back to it, and the survivor's replaced values,
 * tags, custom values and sensitive values are restored. Refused once the survivor took
 * part in a later merge (undo that first) or after the period.
 */
export async function unmergeCustomers(scope: Scope, mergeId: string): Promise<MergeOutput> {
  const merge = await selectMergeForUpdate(scope, mergeId);
  if (!merge) throw appError('MERGE_NOT_FOUND');
  const locked = await lockPair(scope, [merge.survivor_id, merge.merged_id]);
  if (!locked.get(merge.survivor_id) || !locked.has(merge.merged_id)) throw appError('MERGE_NOT_FOUND');
  if (merge.undone_at) throw appError('MERGE_ALREADY_UNDONE');
  if (merge.merged_at.getTime() < Date.now() - UNDO_DAYS * 86_400_000) {
    throw appError('MERGE_UNDO_EXPIRED', { days: UNDO_DAYS });
  }
  if ((await hasLaterMerge(scope, merge)) || locked.get(merge.survivor_id)?.merged_into)
    throw appError('MERGE_UNDO_BLOCKED');

  const moved = merge.moved as MovedChildren & {
    columns: string[];
    secretFields: string[];
    /** Both customers' opening balances before the merge; absent when neither had one. */
    openingBalances?: Record<string, OpeningBalanceRow | null> | null;
  };
  const before = merge.survivor_before as Record<string, unknown> & {
    secrets: Record<string, SecretRow | null>;
  };
  const mergedBefore = merge.merged_before as { archived_at: string | null; customer_number: string | null };
  const s = merge.survivor_id;
  const m = merge.merged_id;

  // The survivor's replaced values first (it may hand back the customer number).
  await restoreSurvivor(scope, s, [...moved.columns, 'tag_ids', 'custom_fields'], before);
  await restoreMerged(scope, m, mergedBefore);
  await moveChildrenBack(scope, s, m, moved);
  if (moved.openingBalances) await restoreOpeningBalances(scope, moved.openingBalances);

  // Sensitive values the survivor took: its own previous ciphertext back (bound to its id),
  // or none.
  for (const field of moved.secretFields) {
    const previous = before.secrets[field];
    if (previous) await restoreSecret(scope, s, previous);
    else await deleteSecret(scope, s, field);
  }

  await markMergeUndone(scope, merge.id);
  const [a, b] = s < m ? [s, m] : [m, s];
  await reopenPair(scope, a, b);
  await insertMergeAudit(scope, s, 'unmerge', {
    mergeId: merge.id,
    mergedId: m,
    mergedName: (merge.merged_before as { name?: string }).name ?? null,
  });
  await refreshCustomerFacts(scope, [s, m], 'order');
  await refreshCompleteness(scope, [s, m]);
  await touchTiers(scope, [s, m]);
  await replanCustomers(scope, [s, m]);
  return { mergeId: merge.id, survivorId: s, mergedId: m };
}

/** The merges into a customer the actor sees, newest first (the 360 page offers 撤销合并 on them). */
export async function listCustomerMerges(scope: Scope, customerId: string): Promise<MergeRecordOutput[]> {
  await getCustomerOrThrow(scope, customerId);
  const rows = await selectMerges(scope, customerId);
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
