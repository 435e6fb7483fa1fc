import {
  type AnyRoute,
  createMemoryHistory,
  createRoute,
  createRouter,
  Outlet,
  RouterProvider,
} from '@tanstack/react-router';
import { render } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { AntdProviders } from '../components/AntdProviders';
import { AppProviders } from '../components/AppProviders';
import { FullPageSpin } from '../components/FullPageSpin';
import { NotFound, RouteError } from '../components/RouteStates';
import { type Shell, ShellContext } from '../lib/shell-context';
import { queryClient, trpc } from '../lib/trpc';
import { Route as rootRoute } from '../routes/__root';

/** A file route of src/routes and its path under its parent, as routeTree.gen.ts places it. */
export type Page = { route: AnyRoute; path: string };

type Options = {
  /** Where the memory history starts, e.g. '/customers?search=王'. */
  url: string;
  /** Pages of the signed-in app (`/_app/…`), rendered inside `shell`. */
  app?: Page[];
  /** Pages outside the app shell (`/sign-in`), and stand-ins for where a page navigates. */
  public?: Page[];
  /** The signed-in user and the active tenant that `_app` would have loaded. */
  shell?: Shell;
};

/**
 * Renders real pages with the real providers (query client, tRPC client, antd, i18n) in a
 * router built here from the real root route and the pages' own route objects, so a test does
 * not depend on the generated routeTree.gen.ts. `_app` is replaced by a layout that provides
 * the shell context (the signed-in user, the tenant and its permissions): the pages under test
 * read it, the header and menu around them are not under test.
 */
export function renderRoute({ url, app = [], public: outside = [], shell }: Options) {
  const place = (page: Page, parent: AnyRoute) =>
    // What routeTree.gen.ts does to each file route: give it its id, path and parent.
    page.route.update({ id: page.path, path: page.path, getParentRoute: () => parent } as never);
  const children: AnyRoute[] = outside.map((page) => place(page, rootRoute));
  if (app.length > 0) {
    if (!shell) throw new Error('Pages of the app need a shell (user and tenant)');
    const appLayout = createRoute({
      getParentRoute: () => rootRoute,
      id: '_app',
      component: () => (
        <ShellContext.Provider value={shell}>
          <Outlet />
        </ShellContext.Provider>
      ),
    });
    children.push(appLayout.addChildren(app.map((page) => place(page, appLayout))));
  }
  const router = createRouter({
    routeTree: rootRoute.addChildren(children),
    history: createMemoryHistory({ initialEntries: [url] }),
    context: { trpc, queryClient },
    // As router.tsx has them.
    defaultPendingComponent: () => <FullPageSpin />,
    defaultErrorComponent: RouteError,
    defaultNotFoundComponent: NotFound,
  });
  // No pause between keystrokes; and no walk up the tree through jsdom's slow getComputedStyle
  // for `pointer-events` before every click (antd's own styles never disable them here).
  const user = userEvent.setup({ delay: null, pointerEventsCheck: PointerEventsCheckLevel.Never });
  const view = render(
    <AppProviders>
      {/* antd's theme, locale and App context, which the real layouts (_app, AuthLayout) provide. */}
      <AntdProviders>
        <RouterProvider router={router} />
      </AntdProviders>
    </AppProviders>,
  );
  return { ...view, router, user };
}
