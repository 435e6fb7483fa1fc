import type { Database, Transaction } from '@crm/db';
import { normalizeChinesePhone } from '@crm/domain';
import { appError } from '../errors';
import type { RecordAccess } from './access';
import {
  type CustomerChanges,
  getCustomerOrThrow,
  insertCustomer,
  reassignCustomers,
  setCustomerArchived,
  updateCustomerRow,
} from './customers.repository';
import type { CreateCustomerInput, UpdateCustomerInput } from './customers.schemas';

export type TenantScope = {
  trx: Transaction<Database>;
  tenantId: string;
  userId: string;
  access: RecordAccess;
};

function normalizePhoneOrThrow(phone: string | null | undefined): string | null | undefined {
  if (phone === undefined || phone === null) return phone;
  const normalized = normalizeChinesePhone(phone);
  if (!normalized) throw appError('INVALID_PHONE', {}, 'phone');
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
  if (input.industry !== undefined) columns.industry = input.industry;
  if (input.birthday !== undefined) columns.birthday = input.birthday;
  if (input.foundedOn !== undefined) columns.founded_on = input.foundedOn;
  if (input.addresses !== undefined) columns.addresses = JSON.stringify(input.addresses);
  if (input.explicitNeeds !== undefined) columns.explicit_needs = input.explicitNeeds;
  if (input.implicitNeeds !== undefined) columns.implicit_needs = input.implicitNeeds;
  if (input.painPoints !== undefined) columns.pain_points = input.painPoints;
  if (input.purchasePlan !== undefined) columns.purchase_plan = input.purchasePlan;
  if (input.purchasePlanAmount !== undefined) columns.purchase_plan_amount = input.purchasePlanAmount;
  if (input.purchasePlanExpectedOn !== undefined)
    columns.purchase_plan_expected_on = input.purchasePlanExpectedOn;
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

export async function createCustomer(scope: TenantScope, input: CreateCustomerInput) {
  const id = await insertCustomer(scope.trx, {
    ...toColumns(input),
    tenant_id: scope.tenantId,
    name: input.name,
    kind: input.kind,
    owner_user_id: ownerFor(scope, input.ownerUserId),
    created_by: scope.userId,
  });
  return getCustomerOrThrow(scope.trx, scope.tenantId, scope.access, id);
}

export async function updateCustomer(scope: TenantScope, input: UpdateCustomerInput) {
  const { trx, tenantId, access } = scope;
  const current = await getCustomerOrThrow(trx, tenantId, access, input.id);
  if (current.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  const { id, ...fields } = input;
  const columns = toColumns(fields);
  if (fields.ownerUserId !== undefined && access.scope === 'own' && fields.ownerUserId !== scope.userId) {
    throw appError('FORBIDDEN');
  }
  if (Object.keys(columns).length > 0) await updateCustomerRow(trx, tenantId, id, columns);
  return getCustomerOrThrow(trx, tenantId, access, id);
}

export async function archiveCustomer(scope: TenantScope, id: string, archived: boolean) {
  await getCustomerOrThrow(scope.trx, scope.tenantId, scope.access, id);
  await setCustomerArchived(scope.trx, scope.tenantId, id, archived);
  return getCustomerOrThrow(scope.trx, scope.tenantId, scope.access, id);
}

export async function reassign(scope: TenantScope, ids: string[], ownerUserId: string | null) {
  const unique = [...new Set(ids)];
  const moved = await reassignCustomers(scope.trx, scope.tenantId, scope.access, unique, ownerUserId);
  // All or nothing: an id that is not there (or not visible) fails the whole batch.
  if (moved !== unique.length) throw appError('CUSTOMER_NOT_FOUND');
  return { reassigned: moved };
}
