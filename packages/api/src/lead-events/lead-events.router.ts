import { router, tenantProcedure } from '../trpc';
import { leadEventsPageOutput, listLeadEventsInput } from './lead-events.schemas';
import { listLeadEvents } from './lead-events.service';

/** A lead's behaviour events, for its timeline: whoever sees the lead (record-level access). */
export const leadEventsRouter = router({
  list: tenantProcedure
    .input(listLeadEventsInput)
    .output(leadEventsPageOutput)
    .query(({ ctx, input }) => listLeadEvents(ctx.scope, input)),
});
