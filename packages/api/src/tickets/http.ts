import { z } from 'zod';
import { type ApiDependencies, createContext, type RequestInfo } from '../context';
import { failure, type HttpFailure } from '../imports/http';
import { createCallerFactory, permittedProcedure, router } from '../trpc';
import { attachToTicket, openTicketAttachment } from './tickets.service';

/**
 * The procedures behind the two ticket attachment routes (a file is not a JSON call): tenant
 * procedures like every other, run through the same session check, tenant transaction and
 * permission check as /trpc, but not part of the tRPC router.
 */
const ticketFilesRouter = router({
  attach: permittedProcedure('tickets.work')
    .input(
      z.object({
        ticketId: z.uuid(),
        fileName: z.string().max(400),
        bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array),
      }),
    )
    .mutation(({ ctx, input }) => attachToTicket(ctx.scope, input)),

  open: permittedProcedure('customers.read')
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => openTicketAttachment(ctx.scope, input.id)),
});

const createCaller = createCallerFactory(ticketFilesRouter);

/** POST /api/tickets/:id/attachments: stores the file (checked by size and content) on the ticket. */
export async function uploadTicketAttachment(
  dependencies: ApiDependencies,
  request: RequestInfo,
  input: { ticketId: string; fileName: string; bytes: Uint8Array },
): Promise<{ ok: true; result: { id: string; contentType: string; size: number } } | HttpFailure> {
  const caller = createCaller(await createContext(dependencies, request));
  try {
    return { ok: true, result: await caller.attach(input) };
  } catch (error) {
    return failure(error, request.locale);
  }
}

/** GET /api/tickets/attachments/:id: the file of a ticket the member sees. */
export async function downloadTicketAttachment(
  dependencies: ApiDependencies,
  request: RequestInfo,
  id: string,
): Promise<{ ok: true; file: { fileName: string; contentType: string; bytes: Uint8Array } } | HttpFailure> {
  const caller = createCaller(await createContext(dependencies, request));
  try {
    return { ok: true, file: await caller.open({ id }) };
  } catch (error) {
    return failure(error, request.locale);
  }
}
