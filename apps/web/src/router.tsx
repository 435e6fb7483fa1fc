import { createRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { FullPageSpin } from './components/FullPageSpin';
import { queryClient, setUnauthenticatedHandler, trpc } from './lib/trpc';
import { routeTree } from './routeTree.gen';

// The error and not-found pages (antd's Result with its illustrations) load when first shown,
// not with the app shell.
const NotFound = lazy(() =>
  import('./components/RouteStates').then((module) => ({ default: module.NotFound })),
);
const RouteError = lazy(() =>
  import('./components/RouteStates').then((module) => ({ default: module.RouteError })),
);

export const router = createRouter({
  routeTree,
  context: { trpc, queryClient },
  defaultPreload: 'intent',
  // TanStack Query owns caching; the router always asks it.
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
  defaultPendingComponent: () => <FullPageSpin />,
  defaultErrorComponent: (props: ErrorComponentProps) => (
    <Suspense fallback={<FullPageSpin />}>
      <RouteError {...props} />
    </Suspense>
  ),
  defaultNotFoundComponent: () => (
    <Suspense fallback={<FullPageSpin />}>
      <NotFound />
    </Suspense>
  ),
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
