import type { Database, Transaction } from '@crm/db';
import { normalizeChinesePhone } from '@crm/domain';
import { appError } from '../errors';
import {
  getCustomerOrThrow,
  insertCustomer,
  setCustomerArchived,
  updateCustomerRow,
} from './customers.repository';
import type { CreateCustomerInput, UpdateCustomerInput } from './customers.schemas';

type TenantScope = { trx: Transaction<Database>; tenantId: string; userId: string };

function normalizePhoneOrThrow(phone: string | null | undefined): string | null | undefined {
  if (phone === undefined || phone === null) return phone;
  const normalized = normalizeChinesePhone(phone);
  if (!normalized) throw appError('INVALID_PHONE', {}, 'phone');
  return normalized;
}

export async function createCustomer({ trx, tenantId, userId }: TenantScope, input: CreateCustomerInput) {
  const id = await insertCustomer(trx, {
    tenant_id: tenantId,
    name: input.name,
    kind: input.kind,
    phone: normalizePhoneOrThrow(input.phone) ?? null,
    email: input.email ?? null,
    owner_user_id: input.ownerUserId === undefined ? userId : input.ownerUserId,
    created_by: userId,
  });
  return getCustomerOrThrow(trx, tenantId, id);
}

export async function updateCustomer({ trx, tenantId }: TenantScope, input: UpdateCustomerInput) {
  const current = await getCustomerOrThrow(trx, tenantId, input.id);
  if (current.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  await updateCustomerRow(trx, tenantId, input.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.kind !== undefined && { kind: input.kind }),
    ...(input.phone !== undefined && { phone: normalizePhoneOrThrow(input.phone) ?? null }),
    ...(input.email !== undefined && { email: input.email }),
    ...(input.ownerUserId !== undefined && { owner_user_id: input.ownerUserId }),
  });
  return getCustomerOrThrow(trx, tenantId, input.id);
}

export async function archiveCustomer({ trx, tenantId }: TenantScope, id: string, archived: boolean) {
  const changed = await setCustomerArchived(trx, tenantId, id, archived);
  if (changed === 0) throw appError('CUSTOMER_NOT_FOUND');
  return getCustomerOrThrow(trx, tenantId, id);
}
