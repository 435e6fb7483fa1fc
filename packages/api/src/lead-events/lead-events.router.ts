import { permittedProcedure, router } from '../trpc';
import { leadEventsPageOutput, listLeadEventsInput } from './lead-events.schemas';
import { listLeadEvents } from './lead-events.service';

/** A lead's behaviour events, for its timeline: any member who sees the lead (record-level access: `visibleLead`). */
export const leadEventsRouter = router({
  list: permittedProcedure('customers.read')
    .input(listLeadEventsInput)
    .output(leadEventsPageOutput)
    .query(({ ctx, input }) => listLeadEvents(ctx.scope, input)),
});
