import { createRouter } from '@tanstack/react-router';
import { FullPageSpin } from './components/FullPageSpin';
import { NotFound, RouteError } from './components/RouteStates';
import { queryClient, setUnauthenticatedHandler, trpc } from './lib/trpc';
import { routeTree } from './routeTree.gen';

export const router = createRouter({
  routeTree,
  context: { trpc, queryClient },
  defaultPreload: 'intent',
  // TanStack Query owns caching; the router always asks it.
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
  defaultPendingComponent: () => <FullPageSpin />,
  defaultErrorComponent: RouteError,
  defaultNotFoundComponent: NotFound,
});

/** The session ended (expired, signed out elsewhere, password changed): forget everything and sign in again. */
setUnauthenticatedHandler(() => {
  queryClient.clear();
  const { pathname, href } = router.state.location;
  if (pathname === '/sign-in' || pathname === '/sign-up') return;
  void router.navigate({ to: '/sign-in', search: { redirect: href } });
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
