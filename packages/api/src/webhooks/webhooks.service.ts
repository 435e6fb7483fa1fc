import { randomUUID } from 'node:crypto';
import type { Database, Transaction } from '@crm/db';
import type { RawBuilder } from 'kysely';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import type { Scope } from '../scope';
import { getCipher } from '../sensitive/sensitive.service';
import { newWebhookSecret } from './webhooks.delivery';
import {
  deleteEndpointRow,
  insertEndpoint,
  insertEvent,
  insertEvents,
  insertEventsFrom,
  requeueDelivery,
  rotateSecretRow,
  selectDeliveries,
  selectEndpoints,
  updateEndpointRow,
} from './webhooks.repository';
import type {
  CreateWebhookInput,
  DeliveryOutput,
  DeliveryPageOutput,
  ListDeliveriesInput,
  UpdateWebhookInput,
  WebhookEndpointOutput,
  WebhookWithSecretOutput,
} from './webhooks.schemas';
import {
  checkUrlForm,
  defaultNetworkPolicy,
  type NetworkPolicy,
  resolveAllowed,
  UrlRefused,
} from './webhooks.ssrf';

/** How long a rotated-out secret still signs beside the new one. */
export const SECRET_OVERLAP_HOURS = 24;
/** The field name the signing secret is encrypted under (the tenant's data key, AAD per endpoint). */
const SECRET_FIELD = 'webhook_secret';

let networkPolicy: NetworkPolicy = defaultNetworkPolicy();

/** The guard's policy for this process (tests resolve names without DNS, or allow a local receiver). */
export function setWebhookNetworkPolicy(policy: NetworkPolicy): void {
  networkPolicy = policy;
}
export function webhookNetworkPolicy(): NetworkPolicy {
  return networkPolicy;
}

/** A URL an endpoint may have: its form, then its addresses after DNS resolution. */
async function checkUrl(text: string): Promise<string> {
  try {
    const url = checkUrlForm(text, networkPolicy);
    await resolveAllowed(url, networkPolicy);
    return url.toString();
  } catch (error) {
    if (error instanceof UrlRefused) {
      if (error.reason === 'forbidden') throw appError('WEBHOOK_URL_FORBIDDEN', { host: error.host }, 'url');
      throw appError('WEBHOOK_URL_INVALID', {}, 'url');
    }
    throw error;
  }
}

export function listWebhooks(scope: Scope): Promise<WebhookEndpointOutput[]> {
  return selectEndpoints(scope);
}

async function endpointOrThrow(scope: Scope, id: string): Promise<WebhookEndpointOutput> {
  const [endpoint] = await selectEndpoints(scope, id);
  if (!endpoint) throw appError('WEBHOOK_NOT_FOUND');
  return endpoint;
}

export async function createWebhook(
  scope: Scope,
  input: CreateWebhookInput,
): Promise<WebhookWithSecretOutput> {
  const url = await checkUrl(input.url);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const cipher = await getCipher(scope);
  await insertEndpoint(scope, {
    id,
    url,
    description: input.description ?? null,
    events: [...new Set(input.events)],
    secretCipher: cipher.encrypt(SECRET_FIELD, id, secret).ciphertext,
  });
  return { endpoint: await endpointOrThrow(scope, id), secret };
}

export async function updateWebhook(scope: Scope, input: UpdateWebhookInput): Promise<WebhookEndpointOutput> {
  const url = input.url === undefined ? undefined : await checkUrl(input.url);
  const changed = await updateEndpointRow(scope, input.id, {
    url,
    description: input.description,
    events: input.events ? [...new Set(input.events)] : undefined,
    enabled: input.enabled,
  });
  if (!changed) throw appError('WEBHOOK_NOT_FOUND');
  return endpointOrThrow(scope, input.id);
}

export async function deleteWebhook(scope: Scope, id: string): Promise<{ deleted: boolean }> {
  if (!(await deleteEndpointRow(scope, id))) throw appError('WEBHOOK_NOT_FOUND');
  return { deleted: true };
}

/** A new secret; the old one keeps signing beside it for SECRET_OVERLAP_HOURS. */
export async function rotateWebhookSecret(scope: Scope, id: string): Promise<WebhookWithSecretOutput> {
  const secret = newWebhookSecret();
  const cipher = await getCipher(scope);
  const rotated = await rotateSecretRow(
    scope,
    id,
    cipher.encrypt(SECRET_FIELD, id, secret).ciphertext,
    SECRET_OVERLAP_HOURS,
  );
  if (!rotated) throw appError('WEBHOOK_NOT_FOUND');
  return { endpoint: await endpointOrThrow(scope, id), secret };
}

/** The secrets that sign an endpoint's deliveries now (the previous one during its overlap). */
export async function signingSecrets(
  scope: Scope,
  endpoint: {
    endpoint_id: string;
    secret_cipher: string;
    previous_secret_cipher: string | null;
    previous_secret_expires_at: Date | null;
  },
  cipher?: Awaited<ReturnType<typeof getCipher>>,
): Promise<string[]> {
  const keys = cipher ?? (await getCipher(scope));
  const secrets = [keys.decrypt(SECRET_FIELD, endpoint.endpoint_id, endpoint.secret_cipher)];
  if (
    endpoint.previous_secret_cipher &&
    endpoint.previous_secret_expires_at &&
    new Date(endpoint.previous_secret_expires_at) > new Date()
  )
    secrets.push(keys.decrypt(SECRET_FIELD, endpoint.endpoint_id, endpoint.previous_secret_cipher));
  return secrets;
}

export async function listDeliveries(scope: Scope, input: ListDeliveriesInput): Promise<DeliveryPageOutput> {
  await endpointOrThrow(scope, input.endpointId);
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const page = await selectDeliveries(scope, {
    endpointId: input.endpointId,
    status: input.status,
    after: after ? { at: after.timestamp, id: after.id } : null,
    limit: input.limit + 1,
  });
  const items = page.items.slice(0, input.limit);
  const more = page.items.length > input.limit;
  const last = items.at(-1);
  const lastAt = page.cursorAts[items.length - 1];
  return { items, nextCursor: more && last && lastAt ? encodeTimestampCursor(lastAt, last.id) : null };
}

/** Sends a delivery again (same event, same webhook-id), after the commit. */
export async function redeliver(scope: Scope, id: string): Promise<DeliveryOutput> {
  if (!(await requeueDelivery(scope, id))) throw appError('WEBHOOK_DELIVERY_NOT_FOUND');
  markWebhooksQueued(scope.trx);
  const found = await selectDeliveries(scope, { endpointId: '', after: null, limit: 1 }, id);
  const delivery = found.items[0];
  if (!delivery) throw appError('WEBHOOK_DELIVERY_NOT_FOUND');
  return delivery;
}

/** A `ping` to one endpoint, to check the receiver and its signature verification. */
export async function sendTestEvent(scope: Scope, id: string): Promise<WebhookEndpointOutput> {
  const endpoint = await endpointOrThrow(scope, id);
  if (endpoint.status !== 'active') throw appError('WEBHOOK_NOT_FOUND');
  await insertEvent(scope, 'ping', { message: 'ping', endpointId: id }, id);
  markWebhooksQueued(scope.trx);
  return endpoint;
}

const queued = new WeakSet<Transaction<Database>>();

function markWebhooksQueued(trx: Transaction<Database>): void {
  queued.add(trx);
}

/** Whether the transaction queued webhook deliveries (the caller asks for a drain after the commit). */
export function takeWebhooksQueued(trx: Transaction<Database>): boolean {
  const was = queued.has(trx);
  queued.delete(trx);
  return was;
}

/**
 * The outbox write every capability calls in the transaction of its change: the event goes
 * out to the tenant's endpoints subscribed to `type` if and only if the transaction commits.
 */
export async function recordWebhookEvent(scope: Scope, type: string, data: unknown): Promise<void> {
  const queuedCount = await insertEvent(scope, type, data);
  if (queuedCount > 0) markWebhooksQueued(scope.trx);
}

/** The same for many events of one type (one statement). */
export async function recordWebhookEvents(
  scope: Scope,
  type: string,
  data: readonly unknown[],
): Promise<void> {
  const queuedCount = await insertEvents(scope, type, data);
  if (queuedCount > 0) markWebhooksQueued(scope.trx);
}

/**
 * The same for events whose payloads a capability's repository builds as a query (one
 * `payload` jsonb column per event): the rows a set-based change touched, announced in one
 * statement without reading them into Node.
 */
export async function recordWebhookEventsFrom(
  scope: Scope,
  type: string,
  payloads: RawBuilder<unknown>,
): Promise<void> {
  const queuedCount = await insertEventsFrom(scope, type, payloads);
  if (queuedCount > 0) markWebhooksQueued(scope.trx);
}

/**
 * For a statement that wrote its events itself (`webhooks.outbox.ts`): how many deliveries
 * it queued, so the request asks for a drain after the commit.
 */
export function noteWebhookDeliveries(trx: Transaction<Database>, queuedCount: number): void {
  if (queuedCount > 0) markWebhooksQueued(trx);
}
