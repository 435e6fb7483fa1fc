import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import type { Scope } from '../scope';
import { selectHistoryOwners, selectTimelineRows } from './timeline.repository';
import type { TimelinePage } from './timeline.schemas';

/**
 * A customer's timeline, newest first, keyset-paged; the caller has already checked the
 * customer is visible. A merged customer's history stays on the survivor's timeline.
 */
export async function readTimeline(
  scope: Scope,
  customerId: string,
  limit: number,
  cursor: string | null | undefined,
): Promise<TimelinePage> {
  const owners = await selectHistoryOwners(scope, customerId);
  const after = cursor ? decodeTimestampCursor(cursor) : null;
  const rows = await selectTimelineRows(scope, customerId, owners, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      kind: row.kind,
      id: row.id,
      occurredAt: row.occurred_at.toISOString(),
      actorName: row.actor_name,
      data: row.data,
    })),
    nextCursor: rows.length > limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}
