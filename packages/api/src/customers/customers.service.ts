import { randomUUID } from 'node:crypto';
import { hasPermission } from '@crm/auth';
import type { CustomFieldDefinition, NewCustomer } from '@crm/db';
import { matchKeysOf, normalizeChinesePhone, normalizeCreditCode } from '@crm/domain';
import { createContact, listContacts } from '../contacts/contacts.service';
import { listDefinitions } from '../custom-fields/custom-fields.service';
import { validateCustomValues } from '../custom-fields/values';
import { findSameCustomer } from '../duplicates/duplicates.service';
import { recordCandidatesFor } from '../duplicates/pairs';
import { AppError, appError, translateError } from '../errors';
import { listInteractions } from '../interactions/interactions.service';
import { listOrders } from '../orders/orders.service';
import { replanCustomers } from '../plans/plans.service';
import type { MemberScope, Scope } from '../scope';
import { secretChangesOf } from '../sensitive/customer-secrets';
import { findCustomerIdsByIdentity, revealSecret, writeSecrets } from '../sensitive/sensitive.service';
import { assertTagsExist } from '../tags/tags.service';
import { touchTiers } from '../tiering/tiering.service';
import { readTimeline } from '../timeline/timeline.service';
import {
  recordWebhookEvent,
  recordWebhookEvents,
  recordWebhookEventsFrom,
} from '../webhooks/webhooks.service';
import type { RecordAccess } from './access';
import { completenessSummary, refreshCompleteness } from './completeness.repository';
import {
  archivedNowEventPayloads,
  type CustomerChanges,
  countCustomers,
  getCustomerOrThrow,
  type IdentityKey,
  inSavepoint,
  insertCreatedAnywayAudit,
  insertCustomer,
  insertCustomers,
  listCustomers,
  listCustomersByIds,
  mergeCustomFields,
  reassignCustomers,
  retagCustomers,
  selectCustomersByExternalId,
  selectTakenIdentityKeys,
  setCustomerArchived,
  setCustomersArchived,
  updateCustomerRow,
} from './customers.repository';
import type {
  CountCustomersInput,
  CreateCustomerInput,
  CustomerListItem,
  CustomerOutput,
  CustomerTimelineInput,
  ListCustomersInput,
  PrimaryContactInput,
  UpdateCustomerInput,
  UpsertCustomersInput,
  UpsertCustomersOutput,
} from './customers.schemas';
import { refreshCustomerFacts } from './facts.repository';

/** A member acting in their tenant (scope.ts). */
export type TenantScope = MemberScope;

function normalizePhoneOrThrow(phone: string | null | undefined): string | null | undefined {
  if (phone === undefined || phone === null) return phone;
  const normalized = normalizeChinesePhone(phone);
  if (!normalized) throw appError('INVALID_PHONE', {}, 'phone');
  return normalized;
}

function normalizeCreditCodeOrThrow(code: string | null | undefined): string | null | undefined {
  if (code === undefined || code === null) return code;
  const normalized = normalizeCreditCode(code);
  if (!normalized) throw appError('INVALID_CREDIT_CODE', {}, 'creditCode');
  return normalized;
}

/** The columns an input sets; fields left out of the input stay as they are. */
function toColumns(input: Partial<CreateCustomerInput>): CustomerChanges {
  const columns: CustomerChanges = {};
  if (input.name !== undefined) columns.name = input.name;
  if (input.kind !== undefined) columns.kind = input.kind;
  if (input.phone !== undefined) columns.phone = normalizePhoneOrThrow(input.phone) ?? null;
  if (input.email !== undefined) columns.email = input.email;
  if (input.ownerUserId !== undefined) columns.owner_user_id = input.ownerUserId;
  if (input.customerNumber !== undefined) columns.customer_number = input.customerNumber;
  if (input.externalId !== undefined) columns.external_id = input.externalId;
  if (input.industry !== undefined) columns.industry = input.industry;
  if (input.birthday !== undefined) columns.birthday = input.birthday;
  if (input.birthdayCalendar !== undefined) columns.birthday_calendar = input.birthdayCalendar;
  if (input.foundedOn !== undefined) columns.founded_on = input.foundedOn;
  if (input.firstCooperationOn !== undefined) columns.first_cooperation_on = input.firstCooperationOn;
  if (input.anniversaryOn !== undefined) columns.anniversary_on = input.anniversaryOn;
  if (input.addresses !== undefined) columns.addresses = JSON.stringify(input.addresses);
  if (input.explicitNeeds !== undefined) columns.explicit_needs = input.explicitNeeds;
  if (input.implicitNeeds !== undefined) columns.implicit_needs = input.implicitNeeds;
  if (input.painPoints !== undefined) columns.pain_points = input.painPoints;
  if (input.purchasePlan !== undefined) columns.purchase_plan = input.purchasePlan;
  if (input.purchasePlanAmount !== undefined) columns.purchase_plan_amount = input.purchasePlanAmount;
  if (input.purchasePlanExpectedOn !== undefined)
    columns.purchase_plan_expected_on = input.purchasePlanExpectedOn;
  if (input.needType !== undefined) columns.need_type = input.needType;
  if (input.creditCode !== undefined)
    columns.credit_code = normalizeCreditCodeOrThrow(input.creditCode) ?? null;
  return columns;
}

/**
 * A sales rep only ever sees their own customers, so what they create is theirs; a rep
 * cannot hand a new customer to someone else and lose sight of it.
 */
function ownerFor(scope: TenantScope, requested: string | null | undefined): string | null {
  if (scope.access.scope === 'own') return scope.userId;
  return requested === undefined ? scope.userId : requested;
}

/**
 * Validated custom values split from the input's sensitive ones (national ID, bank card,
 * sensitive custom fields), which are stored encrypted and never in the customers row.
 */
async function splitSensitive(
  scope: TenantScope,
  input: Pick<CreateCustomerInput, 'nationalId' | 'bankCard' | 'customFields'>,
  mode: 'create' | 'update',
) {
  const definitions = await listDefinitions(scope);
  const values = validateCustomValues(definitions, input.customFields ?? {}, mode);
  return secretChangesOf(input, definitions, values);
}

/** A match key's name in the exact-duplicate messages. */
const SAME_BY_LABELS = {
  customer_number: { zh: '客户编号', en: 'customer number' },
  credit_code: { zh: '统一社会信用代码', en: 'credit code' },
  national_id: { zh: '身份证号', en: 'national ID' },
  name: { zh: '企业名称', en: 'company name' },
  name_phone: { zh: '姓名和电话', en: 'name and phone' },
  name_email: { zh: '姓名和邮箱', en: 'name and email' },
} as const;

/**
 * A create that the identity rule says is an existing customer (same credit code, the same
 * normalised company name, a person's national ID, or name with the same phone or email) is refused, naming
 * the existing customer (its id and name when the member may see it); with `force.reason`
 * (仍然新建) it is created and the reason audited on the new customer.
 */
async function refuseExactDuplicate(scope: TenantScope, input: CreateCustomerInput) {
  const same = await findSameCustomer(scope, {
    kind: input.kind,
    name: input.name,
    phone: input.phone,
    email: input.email,
    creditCode: input.creditCode,
    // A person's 身份证号 decides too (matched by its blind index, confirmed by decryption).
    nationalId: input.kind === 'person' ? input.nationalId : null,
  });
  if (!same) return null;
  if (input.force) return same;
  const by = SAME_BY_LABELS[same.by];
  if (!same.visible) throw appError('CUSTOMER_EXACT_DUPLICATE_HIDDEN', { byZh: by.zh, byEn: by.en });
  throw appError('CUSTOMER_EXACT_DUPLICATE', {
    name: same.name,
    existingId: same.id,
    byZh: by.zh,
    byEn: by.en,
  });
}

/**
 * 身份证号 and 银行卡号 belong to individuals: a company customer may not carry them (the form
 * hides them; the API and imports refuse them with the same error). `onFile` names the
 * personal values a customer already has, for a person turned into a company.
 */
function refusePersonalFieldsOfCompany(
  kind: CreateCustomerInput['kind'],
  input: Pick<CreateCustomerInput, 'nationalId' | 'bankCard'>,
  onFile: { nationalId: boolean; bankCard: boolean } = { nationalId: false, bankCard: false },
): void {
  if (kind !== 'company') return;
  for (const field of ['nationalId', 'bankCard'] as const) {
    const given = input[field];
    const kept = onFile[field] && given !== null;
    if ((typeof given === 'string' && given.trim() !== '') || kept) {
      throw appError('COMPANY_PERSONAL_FIELDS', {}, field);
    }
  }
}

/** The company's primary contact, in the create's transaction; its errors name the form's fields. */
async function addPrimaryContact(scope: TenantScope, customerId: string, contact: PrimaryContactInput) {
  try {
    await createContact(scope, {
      customerId,
      name: contact.name,
      title: contact.title ?? null,
      phones: contact.phone ? [contact.phone] : [],
      emails: contact.email ? [contact.email] : [],
      isPrimary: true,
    });
  } catch (error) {
    if (error instanceof AppError && error.field?.startsWith('phones.')) {
      throw appError(error.code, error.params, 'primaryContact.phone');
    }
    throw error;
  }
}

export async function createCustomer(scope: TenantScope, input: CreateCustomerInput) {
  refusePersonalFieldsOfCompany(input.kind, input);
  if (input.primaryContact && input.kind !== 'company') {
    throw appError('PRIMARY_CONTACT_COMPANY_ONLY', {}, 'primaryContact');
  }
  const same = await refuseExactDuplicate(scope, input);
  const { changes: secrets, custom } = await splitSensitive(scope, input, 'create');
  const stored = Object.fromEntries(Object.entries(custom).filter(([, value]) => value !== null));
  const tagIds = await assertTagsExist(scope, input.tagIds ?? [], 'tagIds');
  const id = await insertCustomer(scope, {
    ...toColumns(input),
    tenant_id: scope.tenantId,
    name: input.name,
    kind: input.kind,
    owner_user_id: ownerFor(scope, input.ownerUserId),
    created_by: scope.userId,
    tag_ids: tagIds,
    custom_fields: JSON.stringify(stored),
  });
  await writeSecrets(scope, id, secrets);
  if (same && input.force)
    await insertCreatedAnywayAudit(scope, id, {
      reason: input.force.reason,
      existingId: same.id,
      existingName: same.visible ? same.name : null,
      by: same.by,
    });
  // One transaction: a contact that cannot be written leaves no customer behind.
  if (input.primaryContact) await addPrimaryContact(scope, id, input.primaryContact);
  await refreshCompleteness(scope, [id]);
  // 首次合作时间 is the earliest the first deal can be.
  if (input.firstCooperationOn) await refreshCustomerFacts(scope, [id], 'daily');
  // Saved despite the form's duplicate warning: the pairs go to the review queue.
  await recordCandidatesFor(scope.trx, scope.tenantId, [id], 'create');
  await touchTiers(scope, [id]);
  const customer = await getCustomerOrThrow(scope, id);
  await recordWebhookEvent(scope, 'customer.created', customerEventData(customer));
  return customer;
}

/** What a customer event carries (docs/api.md): the customer's identity and state, no sensitive values. */
function customerEventData(
  customer: Pick<
    CustomerOutput,
    | 'id'
    | 'name'
    | 'kind'
    | 'customerNumber'
    | 'phone'
    | 'email'
    | 'ownerUserId'
    | 'lifecycleStage'
    | 'createdAt'
    | 'updatedAt'
  >,
) {
  return {
    id: customer.id,
    name: customer.name,
    kind: customer.kind,
    customerNumber: customer.customerNumber,
    phone: customer.phone,
    email: customer.email,
    ownerUserId: customer.ownerUserId,
    lifecycleStage: customer.lifecycleStage,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
}

export async function updateCustomer(scope: TenantScope, input: UpdateCustomerInput) {
  const { trx, tenantId, access } = scope;
  const current = await getCustomerOrThrow(scope, input.id);
  if (current.mergedInto) throw appError('CUSTOMER_MERGED');
  if (current.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  // A person becoming a company: their personal values on file must be cleared with it.
  const becomesCompany = input.kind === 'company' && current.kind !== 'company';
  refusePersonalFieldsOfCompany(input.kind ?? current.kind, input, {
    nationalId: becomesCompany && Boolean(current.sensitive.national_id),
    bankCard: becomesCompany && Boolean(current.sensitive.bank_card),
  });
  const { id, ...fields } = input;
  const columns = toColumns(fields);
  if (fields.ownerUserId !== undefined && access.scope === 'own' && fields.ownerUserId !== scope.userId) {
    throw appError('FORBIDDEN');
  }
  if (fields.tagIds !== undefined) columns.tag_ids = await assertTagsExist(scope, fields.tagIds, 'tagIds');
  if (Object.keys(columns).length > 0) await updateCustomerRow(scope, id, columns);
  const sensitive = await splitSensitive(scope, fields, 'update');
  if (Object.keys(sensitive.custom).length > 0) {
    await mergeCustomFields(scope, id, sensitive.custom);
  }
  // A changed sensitive value is a change of the customer (its updated time moves).
  if ((await writeSecrets(scope, id, sensitive.changes)) && Object.keys(columns).length === 0) {
    await updateCustomerRow(scope, id, {});
  }
  await refreshCompleteness(scope, [id]);
  if (fields.firstCooperationOn !== undefined) await refreshCustomerFacts(scope, [id], 'daily');
  await touchTiers(scope, [id]);
  // A new owner takes the customer's open plan tasks with it.
  if (fields.ownerUserId !== undefined) await replanCustomers(scope, [id]);
  const customer = await getCustomerOrThrow(scope, id);
  await recordWebhookEvent(scope, 'customer.updated', {
    ...customerEventData(customer),
    changed: Object.keys(fields).filter((key) => fields[key as keyof typeof fields] !== undefined),
  });
  return customer;
}

export async function archiveCustomer(scope: TenantScope, id: string, archived: boolean) {
  const before = await getCustomerOrThrow(scope, id);
  await setCustomerArchived(scope, id, archived);
  await touchTiers(scope, [id]);
  // An archived customer's plans end (their future tasks are cancelled); a restored one's come back.
  await replanCustomers(scope, [id]);
  // Announced when it is archived now, not again for one archived before.
  if (archived && !before.archivedAt) {
    await recordWebhookEventsFrom(scope, 'customer.archived', archivedNowEventPayloads(scope, [id]));
  }
  return getCustomerOrThrow(scope, id);
}

export async function reassign(scope: TenantScope, ids: string[], ownerUserId: string | null) {
  const unique = [...new Set(ids)];
  const moved = await reassignCustomers(scope, unique, ownerUserId);
  // All or nothing: an id that is not there (or not visible) fails the whole batch.
  if (moved !== unique.length) throw appError('CUSTOMER_NOT_FOUND');
  // The open plan tasks move with the customers, in this transaction.
  await replanCustomers(scope, unique);
  return { reassigned: moved };
}

/** Adds and removes free tags on many customers, all or nothing. */
export async function tagCustomers(scope: TenantScope, ids: string[], add: string[], remove: string[]) {
  const unique = [...new Set(ids)];
  await assertTagsExist(scope, [...add, ...remove], 'add');
  const touched = await retagCustomers(scope, unique, add, remove);
  if (touched !== unique.length) throw appError('CUSTOMER_NOT_FOUND');
  return { updated: touched };
}

/** Archives (or restores) many customers, all or nothing. */
export async function archiveCustomers(scope: TenantScope, ids: string[], archived: boolean) {
  const unique = [...new Set(ids)];
  const changed = await setCustomersArchived(scope, unique, archived);
  if (changed !== unique.length) throw appError('CUSTOMER_NOT_FOUND');
  await touchTiers(scope, unique);
  await replanCustomers(scope, unique);
  if (archived)
    await recordWebhookEventsFrom(scope, 'customer.archived', archivedNowEventPayloads(scope, unique));
  return { updated: changed };
}

/**
 * The batch upsert of the REST API (`POST /api/v1/customers/batch`): each item is found by its
 * external id, else by the identity rules (`findSameCustomer`, the form's and the import's),
 * and updated through `updateCustomer`, or created through `createCustomer` — the web app's
 * services, with their validation, duplicate rules, audit, events and tier touches.
 *
 * The batch's plainly new customers — no key shared with any customer of the tenant or any
 * other item — are first written together (`createNewTogether`: a handful of statements for the
 * lot instead of a dozen per customer); every other item then goes alone, in order.
 *
 * Each item succeeds or fails alone (a savepoint per item): an ERP syncing a hundred records
 * should not have ninety-nine held back by one bad phone number, and the result says which
 * one and why. The idempotency key covers the whole batch: a retry answers the same results.
 */
export async function upsertCustomers(
  scope: TenantScope,
  input: UpsertCustomersInput,
): Promise<UpsertCustomersOutput> {
  const known = await selectCustomersByExternalId(
    scope,
    input.items.flatMap((item) => (item.externalId ? [item.externalId] : [])),
  );
  const createdTogether = await createNewTogether(scope, input.items, known);
  const items: UpsertCustomersOutput['items'] = [];
  for (const [index, item] of input.items.entries()) {
    const id = createdTogether.get(index);
    if (id) {
      items.push({ index, status: 'created', id, matchedBy: null, error: null });
      continue;
    }
    try {
      const outcome = await inSavepoint(scope, () => upsertCustomer(scope, item, known));
      if (outcome.status === 'created' && item.externalId) {
        known.set(item.externalId, { id: outcome.id, visible: true });
      }
      items.push({ index, ...outcome, error: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      items.push({
        index,
        status: 'error',
        id: null,
        matchedBy: null,
        error: {
          code: error.code,
          field: error.field ?? null,
          message: {
            'zh-CN': translateError(error.code, 'zh-CN', error.params),
            en: translateError(error.code, 'en', error.params),
          },
        },
      });
    }
  }
  const count = (status: string) => items.filter((item) => item.status === status).length;
  return { created: count('created'), updated: count('updated'), failed: count('error'), items };
}

/** A batch item's identity keys, as `kind\u0000value` (match keys, number, external id). */
function identityKeysOf(item: UpsertItem): IdentityKey[] {
  const keys: IdentityKey[] = matchKeysOf({
    kind: item.kind,
    name: item.name,
    phone: item.phone,
    email: item.email,
    creditCode: item.creditCode,
    contactPhones: item.primaryContact?.phone ? [item.primaryContact.phone] : [],
    contactEmails: item.primaryContact?.email ? [item.primaryContact.email] : [],
  }).map((key) => ({ kind: key.kind, value: key.value }));
  if (item.customerNumber) keys.push({ kind: 'customer_number', value: item.customerNumber });
  if (item.externalId) keys.push({ kind: 'external_id', value: item.externalId });
  return keys;
}

const keyText = (key: IdentityKey) => `${key.kind}\u0000${key.value}`;

/**
 * The row `createCustomer` would insert for an item that is plainly new, or null when the item
 * must go alone: it carries sensitive values (their identity needs decryption, their storage
 * the cipher), a contact on a person, or anything the per-item path would refuse — that path
 * then gives the item its error.
 */
function newCustomerRow(
  scope: TenantScope,
  item: UpsertItem,
  definitions: CustomFieldDefinition[],
): NewCustomer | null {
  if (item.primaryContact && item.kind !== 'company') return null;
  try {
    const values = validateCustomValues(definitions, item.customFields ?? {}, 'create');
    const { changes, custom } = secretChangesOf(item, definitions, values);
    if (changes.length > 0) return null;
    const stored = Object.fromEntries(Object.entries(custom).filter(([, value]) => value !== null));
    return {
      ...toColumns(item),
      id: randomUUID(),
      tenant_id: scope.tenantId,
      name: item.name,
      kind: item.kind,
      owner_user_id: ownerFor(scope, item.ownerUserId),
      created_by: scope.userId,
      tag_ids: [...new Set(item.tagIds ?? [])],
      custom_fields: JSON.stringify(stored),
    };
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/**
 * Writes a batch's plainly new customers together, with what `createCustomer` writes for each
 * (audit rows and match keys by the insert's triggers, primary contacts, completeness, facts,
 * duplicate candidates, tier touches, `customer.created` events), and answers item index → new
 * customer id. An item is plainly new when no customer has its external id, it shares no
 * identity key (company name, phone, email, credit code, customer number, external id) with
 * any customer of the tenant or any other item of the batch — so the identity rule cannot make
 * it an existing customer, nor an earlier item of the batch — and it passes the checks
 * `createCustomer` makes. All or none, in a savepoint: when any write fails (an owner who is
 * not a member, a contact's bad phone, a customer the member would not see), nothing of it
 * stays and every item goes alone, which names the failing one.
 */
async function createNewTogether(
  scope: TenantScope,
  items: readonly UpsertItem[],
  known: Map<string, { id: string; visible: boolean }>,
): Promise<Map<number, string>> {
  const keysByItem = items.map(identityKeysOf);
  const holders = new Map<string, number>();
  for (const keys of keysByItem)
    for (const key of new Set(keys.map(keyText))) holders.set(key, (holders.get(key) ?? 0) + 1);
  const alone = (index: number) =>
    (keysByItem[index] ?? []).some((key) => (holders.get(keyText(key)) ?? 0) > 1);
  const possible = items.flatMap((item, index) =>
    (item.externalId && known.has(item.externalId)) || alone(index) ? [] : [index],
  );
  if (possible.length === 0) return new Map();
  const taken = await selectTakenIdentityKeys(
    scope,
    possible.flatMap((index) => keysByItem[index] ?? []),
  );
  const unshared = possible.filter(
    (index) => !(keysByItem[index] ?? []).some((key) => taken.has(keyText(key))),
  );
  if (unshared.length === 0) return new Map();
  const definitions = await listDefinitions(scope);
  let rows = unshared.flatMap((index) => {
    const row = newCustomerRow(scope, items[index] as UpsertItem, definitions);
    return row ? [{ index, row }] : [];
  });
  const tagIds = [...new Set(rows.flatMap(({ row }) => row.tag_ids ?? []))];
  if (tagIds.length > 0) {
    try {
      await assertTagsExist(scope, tagIds, 'tagIds');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Some tag is not there: the items with tags go alone, to be told which.
      rows = rows.filter(({ row }) => (row.tag_ids ?? []).length === 0);
    }
  }
  if (rows.length === 0) return new Map();
  const ids = rows.map(({ row }) => row.id as string);
  try {
    await inSavepoint(scope, async () => {
      await insertCustomers(
        scope,
        rows.map(({ row }) => row),
      );
      for (const { index, row } of rows) {
        const contact = (items[index] as UpsertItem).primaryContact;
        if (contact) await addPrimaryContact(scope, row.id as string, contact);
      }
      await refreshCompleteness(scope, ids);
      const cooperating = rows
        .filter(({ row }) => row.first_cooperation_on)
        .map(({ row }) => row.id as string);
      if (cooperating.length > 0) await refreshCustomerFacts(scope, cooperating, 'daily');
      await recordCandidatesFor(scope.trx, scope.tenantId, ids, 'create');
      await touchTiers(scope, ids);
      const written = new Map(
        (await listCustomersByIds(scope, ids)).map((customer) => [customer.id, customer]),
      );
      // createCustomer reads its new customer back through record access: one the member
      // would not see is refused there, so the items go alone to be refused one by one.
      if (written.size !== ids.length) throw appError('CUSTOMER_NOT_FOUND');
      await recordWebhookEvents(
        scope,
        'customer.created',
        rows.map(({ row }) => {
          const customer = written.get(row.id as string) as CustomerListItem;
          return customerEventData({ ...customer, customerNumber: row.customer_number ?? null });
        }),
      );
    });
  } catch (error) {
    if (error instanceof AppError || typeof (error as { code?: unknown } | null)?.code === 'string')
      return new Map();
    throw error;
  }
  for (const { index, row } of rows) {
    const externalId = (items[index] as UpsertItem).externalId;
    if (externalId) known.set(externalId, { id: row.id as string, visible: true });
  }
  return new Map(rows.map(({ index, row }) => [index, row.id as string]));
}

type UpsertItem = UpsertCustomersInput['items'][number];
type UpsertOutcome = {
  status: 'created' | 'updated';
  id: string;
  matchedBy: UpsertCustomersOutput['items'][number]['matchedBy'];
};

async function upsertCustomer(
  scope: TenantScope,
  item: UpsertItem,
  known: Map<string, { id: string; visible: boolean }>,
): Promise<UpsertOutcome> {
  const byExternalId = item.externalId ? known.get(item.externalId) : undefined;
  if (byExternalId) {
    // Another member's customer keeps its external id: the key's member cannot take it over.
    if (!byExternalId.visible) throw appError('CUSTOMER_EXTERNAL_ID_TAKEN', {}, 'externalId');
    return {
      status: 'updated',
      id: await updateFromItem(scope, byExternalId.id, item),
      matchedBy: 'external_id',
    };
  }
  const same = await findSameCustomer(scope, {
    kind: item.kind,
    name: item.name,
    phone: item.phone,
    email: item.email,
    creditCode: item.creditCode,
    customerNumber: item.customerNumber,
    nationalId: item.kind === 'person' ? item.nationalId : null,
  });
  if (same) {
    const by = SAME_BY_LABELS[same.by];
    if (!same.visible) throw appError('CUSTOMER_EXACT_DUPLICATE_HIDDEN', { byZh: by.zh, byEn: by.en });
    const existing = await getCustomerOrThrow(scope, same.id);
    if (item.externalId && existing.externalId && existing.externalId !== item.externalId) {
      throw appError('CUSTOMER_EXTERNAL_ID_MISMATCH', { externalId: existing.externalId }, 'externalId');
    }
    return { status: 'updated', id: await updateFromItem(scope, same.id, item), matchedBy: same.by };
  }
  const created = await createCustomer(scope, item);
  return { status: 'created', id: created.id, matchedBy: null };
}

/** An item's fields onto an existing customer, as `customers.update` writes them (a new customer's contact aside). */
async function updateFromItem(scope: TenantScope, id: string, item: UpsertItem): Promise<string> {
  if (!hasPermission(scope.role, 'customers.update')) throw appError('FORBIDDEN');
  const { primaryContact: _newCustomersOnly, ...fields } = item;
  await updateCustomer(scope, { ...fields, id });
  return id;
}

// Reads

export async function listCustomerPage(scope: Scope, input: ListCustomersInput) {
  // A whole national ID or card number is also looked up exactly, by blind index.
  const identityMatches = input.search ? await findCustomerIdsByIdentity(scope, input.search) : null;
  return listCustomers(scope, input, identityMatches);
}

/** How many customers the list's filters match, of those the member sees: exact, or an estimate beyond a cap. */
export async function countCustomerList(scope: Scope, input: CountCustomersInput) {
  const identityMatches = input.search ? await findCustomerIdsByIdentity(scope, input.search) : null;
  return countCustomers(scope, input, identityMatches);
}

export function getCustomer(scope: Scope, id: string) {
  return getCustomerOrThrow(scope, id);
}

/** Everything the 360 page shows: profile, contacts, recent orders and interactions, the first timeline page. */
export async function getCustomerProfile(scope: Scope, id: string) {
  const customer = await getCustomer(scope, id);
  const contacts = await listContacts(scope, id);
  const orders = await listOrders(scope, { customerId: id, includeVoid: true, limit: 20 });
  const interactions = await listInteractions(scope, id, 20);
  const timeline = await readTimeline(scope, id, 30, null);
  return { customer, contacts, orders, interactions, timeline };
}

/** Completeness across the customers the member sees: average, share ≥ 90 %, stale ones. */
export function summariseCompleteness(scope: Scope) {
  return completenessSummary(scope);
}

/** Orders, interactions, field changes and stage moves of a customer the member sees, newest first. */
export async function getCustomerTimeline(scope: Scope, input: CustomerTimelineInput) {
  await getCustomer(scope, input.id);
  return readTimeline(scope, input.id, input.limit, input.cursor);
}

/** The full value of one sensitive field; every reveal is written to the audit log. */
export function revealSensitive(scope: Scope, customerId: string, field: string) {
  return revealSecret(scope, customerId, field);
}

/** The visible customers whose national ID or bank card is exactly `value`, by blind index. */
export async function findByIdentity(scope: Scope, value: string) {
  const ids = await findCustomerIdsByIdentity(scope, value);
  if (ids === null) return { items: [], recognised: false };
  return { items: await listCustomersByIds(scope, ids), recognised: true };
}
