import { z } from 'zod';

/** One entry of a customer's timeline: what happened, when, by whom, and its details by kind. */
export const timelineEntryOutput = z.object({
  kind: z.string(),
  id: z.uuid(),
  occurredAt: z.string(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof timelineEntryOutput>;

/** A keyset page of the timeline, newest first. */
export type TimelinePage = { items: TimelineEntry[]; nextCursor: string | null };
