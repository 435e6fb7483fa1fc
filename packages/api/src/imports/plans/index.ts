import type { Database, ImportEntity, ImportRun, Transaction } from '@crm/db';
import type { TenantCipher } from '../../sensitive';
import type { Plan, Written } from '../plan';
import { CUSTOMER_PLAN, validateCustomers, writeCustomers } from './customers';
import { INTERACTION_PLAN, validateInteractions, writeInteractions } from './interactions';
import { LEAD_PLAN, validateLeads, writeLeads } from './leads';
import { ORDER_PLAN, validateOrders, writeOrders } from './orders';

/** Each entity's staging plan, its set-based checks and its write. */

export const PLANS: Record<ImportEntity, Plan> = {
  customers: CUSTOMER_PLAN,
  orders: ORDER_PLAN,
  interactions: INTERACTION_PLAN,
  leads: LEAD_PLAN,
};
export const VALIDATE: Record<ImportEntity, (trx: Transaction<Database>, tenantId: string) => Promise<void>> =
  {
    customers: validateCustomers,
    orders: validateOrders,
    interactions: validateInteractions,
    leads: validateLeads,
  };
export const WRITE: Record<
  ImportEntity,
  (
    trx: Transaction<Database>,
    tenantId: string,
    run: ImportRun,
    cipher: TenantCipher | null,
  ) => Promise<Written>
> = {
  customers: writeCustomers,
  orders: writeOrders,
  interactions: writeInteractions,
  leads: writeLeads,
};
