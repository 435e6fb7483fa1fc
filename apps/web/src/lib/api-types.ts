import type { AppRouter } from '@crm/api';
import {
  type CUSTOMER_KINDS,
  type INTERACTION_KINDS,
  type LIFECYCLE_STAGES,
  type ORDER_STATUSES,
  type PAYMENT_METHODS,
  ROLES,
  type SENTIMENTS,
  type SETTABLE_ORDER_STATUSES,
} from '@crm/domain';
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
export type Lead = RouterOutputs['leads']['list']['items'][number];
export type LeadDetail = RouterOutputs['leads']['get'];
export type LeadTimelineItem = LeadDetail['timeline'][number];
export type LeadListInput = Extract<RouterInputs['leads']['list'], object>;
export type CustomerKind = Customer['kind'];
/** The list input without its `void` (all-defaults) alternative. */
export type CustomerListInput = Extract<RouterInputs['customers']['list'], object>;
export type CustomerAddress = Customer['addresses'][number];
export type LifecycleStage = Customer['lifecycleStage'];
export type CustomerUpdateInput = RouterInputs['customers']['update'];
export type CustomerCreateInput = RouterInputs['customers']['create'];
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
export type Task = RouterOutputs['tasks']['get'];
export type TaskType = Task['type'];
export type TaskSource = Task['source'];
export type TaskPriority = Task['priority'];
export type TaskStatus = Task['status'];
export type TaskListInput = Extract<RouterInputs['tasks']['list'], object>;
export type TaskView = NonNullable<TaskListInput['view']>;
export type TaskSort = NonNullable<TaskListInput['sort']>;

/** Fails to compile when `List` leaves out a member of `Union`. */
type AssertComplete<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never]
  ? true
  : never;

// The closed lists come from @crm/domain, as the server's do; only the web's own lists live here.
export {
  CUSTOMER_KINDS,
  INTERACTION_KINDS,
  LEAD_DISQUALIFY_REASONS,
  LEAD_INTENTS,
  LEAD_SOURCES,
  LEAD_STATUSES,
  LIFECYCLE_STAGES,
  NEED_TYPES,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  ROLES,
  SENTIMENTS,
  SETTABLE_ORDER_STATUSES,
  TASK_PRIORITIES,
  TASK_SOURCES,
  TASK_TYPES,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_SLA_STATES,
  TICKET_STATUSES,
  TICKET_TYPES,
  VALUE_LEVELS as LEVELS,
} from '@crm/domain';

export const INVITABLE_ROLES = ROLES.filter((role) => role !== 'owner');
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

/** The API's types and the shared lists agree (a list missing a member fails to compile). */
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
export type Ticket = RouterOutputs['tickets']['get']['ticket'];
export type TicketDetail = RouterOutputs['tickets']['get'];
export type TicketSla = Ticket['sla'];
export type TicketEvent = TicketDetail['events'][number];
export type TicketSettings = RouterOutputs['tickets']['settings'];
export type TicketSlaPolicy = TicketSettings['policies'][number];
export type TicketKpis = RouterOutputs['tickets']['kpis'];
export type TicketListInput = Extract<RouterInputs['tickets']['list'], object>;
export type TicketView = NonNullable<TicketListInput['view']>;
export type Pipeline = RouterOutputs['opportunities']['pipeline'];
export type PipelineStage = Pipeline['stages'][number];
export type OpportunityCard = RouterOutputs['opportunities']['list']['items'][number];
export type OpportunityDetail = RouterOutputs['opportunities']['get'];
export type OpportunityBoard = RouterOutputs['opportunities']['board'];
export type OpportunityFiltersInput = NonNullable<
  Extract<RouterInputs['opportunities']['list'], object>['filters']
>;
