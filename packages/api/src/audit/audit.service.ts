import type { Database, Transaction } from '@crm/db';
import { auditCall } from './audit.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function idOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  for (const key of ['id', 'runId', 'customerId', 'leadId', 'ticketId', 'taskId', 'userId']) {
    const candidate = record[key];
    if (typeof candidate === 'string' && UUID.test(candidate)) return candidate;
  }
  return null;
}

/**
 * After a mutation succeeded, in its transaction: its audit row when it wrote none
 * (`auditCall`). The record is the one it answered with (`id`), else the one it was called on.
 */
export function auditMutation(
  trx: Transaction<Database>,
  procedure: string,
  actorUserId: string,
  input: unknown,
  output: unknown,
): Promise<void> {
  return auditCall(trx, procedure, actorUserId, idOf(output) ?? idOf(input));
}
