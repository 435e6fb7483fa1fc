import type { AppRouter } from '@crm/api';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import { createTRPCContext, createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { currentLanguage } from '../i18n';
import { appCodeOf, httpStatusOf } from './errors';

let onUnauthenticated: () => void = () => {};

/** The router registers what happens when the session is gone (redirect to sign-in). */
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}

function handleGlobalError(error: unknown) {
  if (appCodeOf(error) === 'UNAUTHENTICATED') onUnauthenticated();
}

/** A list's `*.count` query (tRPC's key: [['customers', 'count'], { input, type }]). */
function isCountQuery(query: { queryKey: readonly unknown[] }): boolean {
  const path = query.queryKey[0];
  return Array.isArray(path) && path.at(-1) === 'count';
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: handleGlobalError }),
  mutationCache: new MutationCache({
    onError: handleGlobalError,
    // Any change may change what a list counts (共 N 条): counts are cheap, ask them again.
    onSuccess: () => void queryClient.invalidateQueries({ predicate: isCountQuery }),
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Client errors (validation, permission, not found) will not change on retry.
      retry: (failureCount, error) => {
        const status = httpStatusOf(error);
        if (status !== null && status < 500) return false;
        return failureCount < 2;
      },
    },
  },
});

/** The paged lists: each page is a request of its own (see the link below). */
const UNBATCHED = new Set(['customers.list', 'orders.listAll', 'interactions.listAll', 'duplicates.list']);

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    // Mutations go one per request, so each carries its own Idempotency-Key (set by the form
    // through `trpc: { context: { idempotencyKey } }`, see lib/idempotency.ts).
    // A list's page and its count (`*.count`) go on their own too: in a batch, the page would
    // wait for the count, and the shell (who is signed in, the tenant) for the page.
    splitLink({
      condition: (op) => op.type === 'mutation' || UNBATCHED.has(op.path) || op.path.endsWith('.count'),
      true: httpLink({
        url: '/trpc',
        headers: ({ op }) => {
          const key = op.context.idempotencyKey;
          return typeof key === 'string'
            ? { 'x-locale': currentLanguage(), 'idempotency-key': key }
            : { 'x-locale': currentLanguage() };
        },
        fetch: (url, options) => fetch(url, { ...options, credentials: 'same-origin' }),
      }),
      false: httpBatchLink({
        url: '/trpc',
        // No transformer: dates arrive as ISO strings.
        maxURLLength: 2000,
        // The server refuses a batch of more than 20 calls (apps/server/src/app.ts MAX_BATCH_SIZE).
        maxItems: 20,
        headers: () => ({ 'x-locale': currentLanguage() }),
        fetch: (url, options) => fetch(url, { ...options, credentials: 'same-origin' }),
      }),
    }),
  ],
});

/** For loaders and beforeLoad (router context). */
export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

/** For components: `const trpc = useTRPC()`. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
