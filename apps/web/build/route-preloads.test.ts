import { fileURLToPath } from 'node:url';
import { tanstackRouter } from '@tanstack/router-plugin/vite';
import { build, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';
import { ROUTE_PRELOADS_FILE, type RoutePreloads, routeOfFile, routePreloads } from './route-preloads';

const fixture = fileURLToPath(new URL('./fixtures/pages', import.meta.url));
const routesDir = `${fixture}/src/routes`;

/** Builds the fixture app (a shell, a layout, three pages under it, a sign-in page) in memory. */
async function buildFixture() {
  const output = (await build({
    root: fixture,
    configFile: false,
    logLevel: 'silent',
    plugins: [
      tanstackRouter({
        target: 'react',
        autoCodeSplitting: true,
        routesDirectory: routesDir,
        generatedRouteTree: `${fixture}/src/routeTree.gen.ts`,
      }),
      routePreloads(routesDir),
    ],
    build: { write: false, minify: false },
  })) as Rollup.RollupOutput;
  const files = new Map(output.output.map((item) => [item.fileName, item]));
  const preloads = files.get(ROUTE_PRELOADS_FILE);
  if (preloads?.type !== 'asset') throw new Error(`${ROUTE_PRELOADS_FILE} was not written`);
  const chunkOf = (module: string) =>
    output.output.find(
      (item): item is Rollup.OutputChunk =>
        item.type === 'chunk' && item.moduleIds.some((id) => id.startsWith(`${fixture}/src/${module}`)),
    );
  return { preloads: JSON.parse(String(preloads.source)) as RoutePreloads, chunkOf };
}

describe('route preloads (the build)', () => {
  it("names each page's scripts beyond the shell: its layout's and its own chunks and what they import", async () => {
    const { preloads, chunkOf } = await buildFixture();
    const entry = chunkOf('main.tsx');
    const layoutKit = chunkOf('layout-kit.ts');
    const tableKit = chunkOf('table-kit.ts');
    const layout = chunkOf('routes/_app.tsx?tsr-split=component');
    const list = chunkOf('routes/_app/customers/index.tsx?tsr-split=component');
    const profile = chunkOf('routes/_app/customers/$customerId.tsx?tsr-split=component');
    for (const chunk of [entry, layoutKit, tableKit, layout, list, profile]) expect(chunk).toBeDefined();

    const byPath = new Map(preloads.routes.map((route) => [route.path, route.files]));
    // The layout, not a page of its own, and the redirecting index (no component) have no entry.
    expect([...byPath.keys()].sort()).toEqual([
      '/customers',
      '/customers/$customerId',
      '/customers/duplicates',
      '/sign-in',
    ]);
    const customers = byPath.get('/customers') ?? [];
    for (const chunk of [layout, list, layoutKit, tableKit])
      expect(customers).toContain(`/${chunk?.fileName}`);
    // Nothing the shell (index.html's entry and its imports) already loads.
    expect(customers).not.toContain(`/${entry?.fileName}`);
    for (const imported of entry?.imports ?? []) expect(customers).not.toContain(`/${imported}`);
    // Another page's code is not named.
    expect(customers).not.toContain(`/${profile?.fileName}`);
    expect(byPath.get('/customers/$customerId')).toContain(`/${profile?.fileName}`);
    expect(byPath.get('/customers/$customerId')).not.toContain(`/${tableKit?.fileName}`);
    // The sign-in page is outside the layout: its own chunk and the kit, not the layout's.
    expect(byPath.get('/sign-in')).toContain(`/${layoutKit?.fileName}`);
    expect(byPath.get('/sign-in')).not.toContain(`/${layout?.fileName}`);
  }, 120_000);
});

describe('route files as pages', () => {
  it("reads the file router's names: layouts without a path, un-nesting, index pages, flat dots", () => {
    expect(routeOfFile('_app/customers/index')).toEqual({
      id: ['_app', 'customers', 'index'],
      url: ['customers'],
    });
    expect(routeOfFile('_app/customers/$customerId').url).toEqual(['customers', '$customerId']);
    expect(routeOfFile('_app/leads_.import')).toEqual({
      id: ['_app', 'leads_', 'import'],
      url: ['leads', 'import'],
    });
    expect(routeOfFile('invite.$token').url).toEqual(['invite', '$token']);
    expect(routeOfFile('index').url).toEqual([]);
    expect(routeOfFile('(marketing)/about').url).toEqual(['about']);
  });
});
