import type { ApiScope } from '@crm/auth';
import type { z } from 'zod';
import {
  createCustomerInput,
  customerIdInput,
  customerListOutput,
  customerOutput,
  listCustomersInput,
  updateCustomerInput,
} from '../customers/customers.schemas';
import type { ErrorCode } from '../errors';
import {
  interactionIdOutput,
  interactionListPageOutput,
  listAllInteractionsInput,
  logInteractionInput,
} from '../interactions/interactions.schemas';
import {
  createOrderInput,
  listAllOrdersInput,
  orderIdInput,
  orderListPageOutput,
  orderOutput,
  voidOrderInput,
} from '../orders/orders.schemas';
import {
  createTaskInput,
  listTasksInput,
  taskIdInput,
  taskOutput,
  taskPageOutput,
} from '../tasks/tasks.schemas';
import {
  createTicketInput,
  listTicketsInput,
  ticketDetailOutput,
  ticketIdInput,
  ticketPageOutput,
} from '../tickets/tickets.schemas';

/**
 * The REST API for integrations (`/api/v1`, docs/api.md), declared once. Each route is one
 * procedure of the app router, called through an API key (`Authorization: Bearer crmk_…`):
 * the same service, validation, row-level security, record access, idempotency keys and
 * error codes as the web app — no second implementation. The OpenAPI document
 * (`/api/v1/openapi.json`) is generated from this list and the same zod schemas. A GET's
 * input comes from the query string, a POST's or PATCH's from the JSON body; `{id}` in the
 * path fills the input's `id`. Versioning: additive within v1.
 */
export type ApiV1Route = {
  id: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** OpenAPI form: `{id}` is a UUID of the tenant's. */
  path: string;
  /** The app router procedure it calls (`customers.list`). */
  procedure: string;
  scope: ApiScope;
  tag: 'customers' | 'orders' | 'interactions' | 'tasks' | 'tickets';
  summary: string;
  input: z.ZodType;
  output: z.ZodType;
  /** A write answering 201. */
  creates?: boolean;
  /** Writes that accept an `Idempotency-Key` header. */
  idempotent?: boolean;
  /** What an `{id}` naming nothing (or another tenant's) answers. */
  notFound?: ErrorCode;
};

export const API_V1_ROUTES = [
  {
    id: 'customers.list',
    method: 'GET',
    path: '/api/v1/customers',
    procedure: 'customers.list',
    scope: 'customers:read',
    tag: 'customers',
    summary: 'List customers (filters, sort, cursor paging)',
    input: listCustomersInput,
    output: customerListOutput,
  },
  {
    id: 'customers.get',
    method: 'GET',
    path: '/api/v1/customers/{id}',
    procedure: 'customers.get',
    scope: 'customers:read',
    tag: 'customers',
    summary: 'Get a customer',
    input: customerIdInput,
    output: customerOutput,
    notFound: 'CUSTOMER_NOT_FOUND',
  },
  {
    id: 'customers.create',
    method: 'POST',
    path: '/api/v1/customers',
    procedure: 'customers.create',
    scope: 'customers:write',
    tag: 'customers',
    summary: 'Create a customer',
    input: createCustomerInput,
    output: customerOutput,
    creates: true,
    idempotent: true,
  },
  {
    id: 'customers.update',
    method: 'PATCH',
    path: '/api/v1/customers/{id}',
    procedure: 'customers.update',
    scope: 'customers:write',
    tag: 'customers',
    summary: 'Update a customer (only the fields sent)',
    input: updateCustomerInput,
    output: customerOutput,
    notFound: 'CUSTOMER_NOT_FOUND',
  },
  {
    id: 'orders.list',
    method: 'GET',
    path: '/api/v1/orders',
    procedure: 'orders.listAll',
    scope: 'orders:read',
    tag: 'orders',
    summary: 'List orders (filters, cursor paging)',
    input: listAllOrdersInput,
    output: orderListPageOutput,
  },
  {
    id: 'orders.get',
    method: 'GET',
    path: '/api/v1/orders/{id}',
    procedure: 'orders.get',
    scope: 'orders:read',
    tag: 'orders',
    summary: 'Get an order with its lines',
    input: orderIdInput,
    output: orderOutput,
    notFound: 'ORDER_NOT_FOUND',
  },
  {
    id: 'orders.create',
    method: 'POST',
    path: '/api/v1/orders',
    procedure: 'orders.create',
    scope: 'orders:write',
    tag: 'orders',
    summary: 'Create an order for a customer',
    input: createOrderInput,
    output: orderOutput,
    creates: true,
    idempotent: true,
  },
  {
    id: 'orders.void',
    method: 'POST',
    path: '/api/v1/orders/{id}/void',
    procedure: 'orders.void',
    scope: 'orders:write',
    tag: 'orders',
    summary: 'Void an order (with a reason)',
    input: voidOrderInput,
    output: orderOutput,
    notFound: 'ORDER_NOT_FOUND',
  },
  {
    id: 'interactions.list',
    method: 'GET',
    path: '/api/v1/interactions',
    procedure: 'interactions.listAll',
    scope: 'interactions:read',
    tag: 'interactions',
    summary: 'List interactions (跟进记录)',
    input: listAllInteractionsInput,
    output: interactionListPageOutput,
  },
  {
    id: 'interactions.create',
    method: 'POST',
    path: '/api/v1/interactions',
    procedure: 'interactions.log',
    scope: 'interactions:write',
    tag: 'interactions',
    summary: 'Log an interaction with a customer',
    input: logInteractionInput,
    output: interactionIdOutput,
    creates: true,
    idempotent: true,
  },
  {
    id: 'tasks.list',
    method: 'GET',
    path: '/api/v1/tasks',
    procedure: 'tasks.list',
    scope: 'tasks:read',
    tag: 'tasks',
    summary: 'List tasks',
    input: listTasksInput,
    output: taskPageOutput,
  },
  {
    id: 'tasks.get',
    method: 'GET',
    path: '/api/v1/tasks/{id}',
    procedure: 'tasks.get',
    scope: 'tasks:read',
    tag: 'tasks',
    summary: 'Get a task',
    input: taskIdInput,
    output: taskOutput,
    notFound: 'TASK_NOT_FOUND',
  },
  {
    id: 'tasks.create',
    method: 'POST',
    path: '/api/v1/tasks',
    procedure: 'tasks.create',
    scope: 'tasks:write',
    tag: 'tasks',
    summary: 'Create a task',
    input: createTaskInput,
    output: taskOutput,
    creates: true,
    idempotent: true,
  },
  {
    id: 'tickets.list',
    method: 'GET',
    path: '/api/v1/tickets',
    procedure: 'tickets.list',
    scope: 'tickets:read',
    tag: 'tickets',
    summary: 'List tickets (工单)',
    input: listTicketsInput,
    output: ticketPageOutput,
  },
  {
    id: 'tickets.get',
    method: 'GET',
    path: '/api/v1/tickets/{id}',
    procedure: 'tickets.get',
    scope: 'tickets:read',
    tag: 'tickets',
    summary: 'Get a ticket with its timeline',
    input: ticketIdInput,
    output: ticketDetailOutput,
    notFound: 'TICKET_NOT_FOUND',
  },
  {
    id: 'tickets.create',
    method: 'POST',
    path: '/api/v1/tickets',
    procedure: 'tickets.create',
    scope: 'tickets:write',
    tag: 'tickets',
    summary: 'Open a ticket',
    input: createTicketInput,
    output: ticketDetailOutput,
    creates: true,
    idempotent: true,
  },
] as const satisfies readonly ApiV1Route[];

export type ApiV1RouteId = (typeof API_V1_ROUTES)[number]['id'];
