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
export type CustomerAddress = Customer['addresses'][number];
export type LifecycleStage = Customer['lifecycleStage'];
export type CustomerUpdateInput = RouterInputs['customers']['update'];
export type TimelineEntry = RouterOutputs['customers']['timeline']['items'][number];
export type Contact = RouterOutputs['contacts']['list'][number];
export type Order = RouterOutputs['orders']['list']['items'][number];
export type OrderLine = Order['lines'][number];
export type OrderStatus = Order['status'];
/** The statuses an order can be given; 'void' only comes from voiding it. */
export type SettableOrderStatus = NonNullable<RouterInputs['orders']['create']['status']>;
export type PaymentMethod = NonNullable<Order['paymentMethod']>;
export type Interaction = RouterOutputs['interactions']['list'][number];
export type InteractionKind = Interaction['kind'];
export type Sentiment = Interaction['sentiment'];
export type Member = RouterOutputs['members']['list'][number];
export type CustomerTag = RouterOutputs['tags']['list'][number];
export type CustomFieldDefinition = RouterOutputs['customFields']['list'][number];
export type CustomFieldValue = Customer['customFields'][string];
export type SavedView = RouterOutputs['views']['list'][number];
/** A list's filters and order, as saved views keep them. */
export type CustomerQuery = SavedView['query'];
export type ValueLevel = Customer['valueLevel'];
export type ActivityLevel = Customer['activityLevel'];
export type NeedType = NonNullable<Customer['needType']>;
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
export const CUSTOMER_KINDS = ['person', 'company'] as const satisfies readonly CustomerKind[];
export type CustomerSort = NonNullable<CustomerListInput['sort']>;
/** The built-in sorts; `custom:<key>` sorts by a custom field. */
export const CUSTOMER_SORTS = [
  'createdAt',
  'updatedAt',
  'name',
  'amount12m',
  'amountLifetime',
  'orderCount',
  'lastDealAt',
  'completeness',
  'tierScore',
] as const satisfies readonly CustomerSort[];
export const LEVELS = ['high', 'mid', 'low'] as const satisfies readonly ValueLevel[];
export const NEED_TYPES = ['product', 'service', 'both'] as const satisfies readonly NeedType[];

export const LIFECYCLE_STAGES = [
  'potential',
  'new',
  'returning',
  'loyal',
  'at_risk',
  'dormant',
] as const satisfies readonly LifecycleStage[];
export const ORDER_STATUSES = [
  'completed',
  'pending',
  'refunded',
  'void',
] as const satisfies readonly OrderStatus[];
export const SETTABLE_ORDER_STATUSES = [
  'completed',
  'pending',
  'refunded',
] as const satisfies readonly SettableOrderStatus[];
export const PAYMENT_METHODS = [
  'bank_transfer',
  'alipay',
  'wechat_pay',
  'card',
  'cash',
  'credit',
  'other',
] as const satisfies readonly PaymentMethod[];
export const INTERACTION_KINDS = [
  'call',
  'visit',
  'message',
  'email',
  'meeting',
  'event',
] as const satisfies readonly InteractionKind[];
export const SENTIMENTS = ['praise', 'neutral', 'complaint'] as const satisfies readonly Sentiment[];

export const listsAreComplete: [
  AssertComplete<Role, typeof ROLES>,
  AssertComplete<CustomerKind, typeof CUSTOMER_KINDS>,
  AssertComplete<Exclude<CustomerSort, `custom:${string}`>, typeof CUSTOMER_SORTS>,
  AssertComplete<LifecycleStage, typeof LIFECYCLE_STAGES>,
  AssertComplete<OrderStatus, typeof ORDER_STATUSES>,
  AssertComplete<SettableOrderStatus, typeof SETTABLE_ORDER_STATUSES>,
  AssertComplete<PaymentMethod, typeof PAYMENT_METHODS>,
  AssertComplete<InteractionKind, typeof INTERACTION_KINDS>,
  AssertComplete<Sentiment, typeof SENTIMENTS>,
] = [true, true, true, true, true, true, true, true, true];
