import type { AppRouter } from '@crm/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type CurrentTenant = RouterOutputs['tenants']['current'];
export type TenantMembership = RouterOutputs['tenants']['list'][number];
export type Permission = CurrentTenant['permissions'][number];
export type Role = CurrentTenant['role'];
export type Industry = CurrentTenant['industry'];
export type Customer = RouterOutputs['customers']['get'];
export type CustomerListItem = RouterOutputs['customers']['list']['items'][number];
export type CustomerKind = Customer['kind'];
/** The list input without its `void` (all-defaults) alternative. */
export type CustomerListInput = Extract<RouterInputs['customers']['list'], object>;
export type Member = RouterOutputs['members']['list'][number];
export type Invitation = RouterOutputs['members']['invitations']['list'][number];

/** Fails to compile when `List` leaves out a member of `Union`. */
type AssertComplete<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never]
  ? true
  : never;

export const ROLES = [
  'owner',
  'admin',
  'sales_manager',
  'sales_rep',
  'service_agent',
  'marketing',
  'analyst',
  'viewer',
] as const satisfies readonly Role[];
export const INVITABLE_ROLES = ROLES.filter((role) => role !== 'owner');
export const INDUSTRIES = ['retail', 'b2b', 'corporate-banking'] as const satisfies readonly Industry[];
export const CUSTOMER_KINDS = ['person', 'company'] as const satisfies readonly CustomerKind[];
export type CustomerSort = NonNullable<CustomerListInput['sort']>;
export const CUSTOMER_SORTS = [
  'createdAt',
  'updatedAt',
  'name',
  'amount12m',
] as const satisfies readonly CustomerSort[];

export const listsAreComplete: [
  AssertComplete<Role, typeof ROLES>,
  AssertComplete<Industry, typeof INDUSTRIES>,
  AssertComplete<CustomerKind, typeof CUSTOMER_KINDS>,
  AssertComplete<CustomerSort, typeof CUSTOMER_SORTS>,
] = [true, true, true, true];
