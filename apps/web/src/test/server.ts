import { setupServer } from 'msw/node';
import { trpcHandlers } from './trpc-msw';

/**
 * The API of every web test: msw answers tRPC (trpc-msw.ts) and a test adds its REST routes
 * with `server.use(http.post('/api/…'))`; a request nobody answers fails the test.
 */
export const server = setupServer(...trpcHandlers);
