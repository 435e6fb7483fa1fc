import {
  API_SCOPES,
  type ApiScope,
  DEFAULT_KEY_LIMIT_PER_MINUTE,
  DEFAULT_TENANT_LIMIT_PER_MINUTE,
} from '@crm/auth';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from '@crm/domain';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { unwrap } from './api-v1';
import { API_V1_ROUTES, type ApiV1Route } from './api-v1.routes';

/**
 * The OpenAPI 3.1 document of the REST API, generated from API_V1_ROUTES and the very zod
 * schemas the procedures validate with (zod-openapi 6: built on zod 4's own JSON Schema
 * conversion, so a schema change is a document change — there is nothing to keep in step
 * by hand). Served at /api/v1/openapi.json.
 */
export const API_VERSION = '1.2.0';

const problemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: 'The error code (stable; docs/api.md lists them)' }),
    detail: z
      .string()
      .meta({ description: 'The message in the caller’s language (Accept-Language: zh-CN or en)' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemDetails } },
});

const rateHeaders = {
  'RateLimit-Limit': {
    description: 'Requests allowed in the window (the tighter of the key’s and the tenant’s)',
    schema: { type: 'integer' as const },
  },
  'RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' as const } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' as const } },
};

function operation(route: ApiV1Route): ZodOpenApiOperationObject {
  const input = unwrap(route.input) as z.ZodObject;
  const hasId = route.path.includes('{id}');
  const shape = (input as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const rest = hasId ? (input as z.ZodObject).omit({ id: true } as never) : input;
  const withBody = route.method !== 'GET' && Object.keys(shape).some((key) => !(hasId && key === 'id'));
  const permissions = API_SCOPES[route.scope as ApiScope].join(', ');
  return {
    operationId: route.id,
    tags: [route.tag],
    summary: route.summary,
    description: `Scope: \`${route.scope}\` (permissions: ${permissions}). Calls \`${route.procedure}\`.`,
    security: [{ apiKey: [route.scope] }],
    requestParams: {
      ...(hasId ? { path: z.object({ id: z.uuid() }) } : {}),
      ...(route.method === 'GET' && !hasId ? { query: rest as z.ZodObject } : {}),
      ...('idempotent' in route && route.idempotent
        ? {
            header: z.object({
              'Idempotency-Key': z
                .string()
                .max(255)
                .optional()
                .meta({ description: 'A retry with the same key and body returns the first result (24 h)' }),
            }),
          }
        : {}),
    },
    ...(withBody
      ? { requestBody: { required: true, content: { 'application/json': { schema: rest } } } }
      : {}),
    responses: {
      [route.creates ? '201' : '200']: {
        description: route.creates ? 'Created' : 'OK',
        headers: rateHeaders,
        content: { 'application/json': { schema: route.output } },
      },
      '400': problemResponse('Invalid input (INVALID_INPUT with field errors)'),
      '401': problemResponse('Missing, invalid, expired or revoked API key (API_KEY_INVALID)'),
      '403': problemResponse(
        'The key lacks the scope, its creator’s role lacks the permission, or the IP is not allowed',
      ),
      ...(hasId ? { '404': problemResponse('No such object in the key’s tenant') } : {}),
      ...(route.method !== 'GET'
        ? {
            '409': problemResponse(
              'A rule of the product refused the change (the code and message say which)',
            ),
          }
        : {}),
      ...('idempotent' in route && route.idempotent
        ? {
            '422': problemResponse(
              'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used before with another body (nothing was written)',
            ),
          }
        : {}),
      '429': problemResponse('Rate limited (Retry-After says when to retry)'),
    },
  };
}

const webhookHeaders = z.object({
  'webhook-id': z
    .string()
    .meta({ description: 'The event’s id: the same on every retry (drop duplicates by it)' }),
  'webhook-timestamp': z.string().meta({ description: 'Unix seconds of this attempt' }),
  'webhook-signature': z.string().meta({
    description: '`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`; two, space-separated, during a rotation',
  }),
});

/**
 * The webhooks an endpoint may subscribe to (OpenAPI 3.1 `webhooks`), one per type of the
 * event catalogue (`WEBHOOK_EVENTS`): its name and when it is sent in both languages, the
 * Standard Webhooks headers and the body's envelope.
 */
function webhookOperations(): ZodOpenApiPathsObject {
  const operations: ZodOpenApiPathsObject = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    const info = WEBHOOK_EVENTS[type];
    operations[type] = {
      post: {
        operationId: `webhook_${type.replace('.', '_')}`,
        tags: ['webhooks'],
        summary: `${info.label.en} (${info.label['zh-CN']})`,
        description: `${info.description.en}.\n\n${info.description['zh-CN']}。`,
        requestParams: { header: webhookHeaders },
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                type: z.literal(type),
                timestamp: z.string().meta({ description: 'When the event happened (ISO 8601)' }),
                data: z
                  .record(z.string(), z.unknown())
                  .meta({ description: 'The event’s data (docs/api.md)' }),
              }),
            },
          },
        },
        responses: {
          '2XX': { description: 'Received. Anything else (or no answer in 10 s) is retried' },
          '410': { description: 'Gone: the endpoint is disabled and its admins are told' },
        },
      },
    };
  }
  return operations;
}

let cached: ReturnType<typeof createDocument> | null = null;

export function openApiDocument(): ReturnType<typeof createDocument> {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const route of API_V1_ROUTES) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch';
    paths[route.path] = { ...paths[route.path], [method]: operation(route) };
  }
  cached = createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'CRM REST API',
        version: API_VERSION,
        description: [
          'The REST API for integrations (开放平台). Authenticate with `Authorization: Bearer crmk_…`,',
          'an API key an admin creates in 设置 → 开放平台. Each key acts as the member who created it,',
          'within its scopes. Lists page with `cursor` and `limit` (at most 100) and answer `nextCursor`.',
          `Limits: ${DEFAULT_KEY_LIMIT_PER_MINUTE} requests per minute per key by default (set per key),`,
          `${DEFAULT_TENANT_LIMIT_PER_MINUTE} per tenant. Versioning: additive within v1. See docs/api.md.`,
        ].join(' '),
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'crmk_<tenant><key>_<secret>' },
        },
      },
      tags: [
        { name: 'customers', description: '客户 — customers with contacts, custom fields and tags' },
        { name: 'orders', description: '订单 — orders and their lines' },
        { name: 'interactions', description: '跟进记录 — calls, visits, messages' },
        { name: 'tasks', description: '任务 — follow-ups and reminders' },
        { name: 'tickets', description: '工单 — service tickets on an SLA clock' },
        { name: 'leads', description: '线索 — leads, graded by the tenant’s rules' },
        { name: 'opportunities', description: '商机 — opportunities through the tenant’s pipeline' },
        { name: 'surveys', description: '问卷 — survey responses (满意度, 净推荐值), read only' },
        {
          name: 'webhooks',
          description:
            'Webhook 事件 — what the CRM posts to an endpoint subscribed in 设置 → 开放平台, signed with Standard Webhooks',
        },
      ],
      paths,
      webhooks: webhookOperations(),
    },
    { allowEmptySchema: { custom: true } },
  );
  return cached;
}
