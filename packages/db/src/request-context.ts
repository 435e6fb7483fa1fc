import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request (or the job a request enqueued) the current code runs for: one id carried from
 * the HTTP request (`x-request-id`) through its transactions (`app.request_id`, read by the
 * audit log's default) into the jobs it enqueues and their logs. Set by the server for each
 * request and by the job queue for each run.
 */
const current = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` with `requestId` as the current request id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return current.run({ requestId }, fn);
}

/** The current request id, or null outside a request and a job a request enqueued. */
export function currentRequestId(): string | null {
  return current.getStore()?.requestId ?? null;
}
