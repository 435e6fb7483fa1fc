import { permittedProcedure, router } from '../trpc';
import { listOutboxInput, outboxPageOutput, retryEmailInput, retryEmailOutput } from './email.schemas';
import { listOutbox, retryEmail } from './email.service';

/**
 * The email outbox as admins see it (设置 → 邮件): on the embedded default, the dev mailbox
 * of what would have been sent; with SMTP, what was sent and what failed. Emails carry
 * members' names and tasks, so only roles that operate the system (jobs.read) read them.
 */
export const emailRouter = router({
  list: permittedProcedure('jobs.read')
    .input(listOutboxInput)
    .output(outboxPageOutput)
    .query(({ ctx, input }) => listOutbox(ctx.scope, input)),

  retry: permittedProcedure('jobs.read')
    .input(retryEmailInput)
    .output(retryEmailOutput)
    .mutation(({ ctx, input }) => retryEmail(ctx.scope, input.id)),
});
