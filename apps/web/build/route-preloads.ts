import { relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The file the build writes beside index.html: for each page of the app, the scripts its first
 * render needs beyond the app shell (its layouts' and its own route chunks, antd, the features
 * they import). The server names them in the HTML of that page (`<link rel="modulepreload">`,
 * apps/server/src/web-app.ts), so a cold open downloads and compiles them while the shell's
 * scripts load, instead of after the shell has run and the router asked for them.
 */
export const ROUTE_PRELOADS_FILE = 'route-preloads.json';

/** One page: its path as the router writes it (`/customers`, `/customers/$customerId`), the scripts. */
export type RoutePreload = { path: string; files: string[] };
export type RoutePreloads = { routes: RoutePreload[] };

/** A chunk of the bundle, as far as this plugin reads it (rolldown's and rollup's OutputChunk). */
export type BundleChunk = {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  moduleIds: readonly string[];
  imports: readonly string[];
};

/**
 * A route file (relative to the routes folder, without extension: `_app/customers/index`,
 * `_app/leads_.import`, `invite.$token`) as the segments of its id and of its URL, by the file
 * router's naming rules: `.` nests like `/`; `_name` is a layout without a path; `name_` is not
 * nested in the `name` layout; `index` is the folder's own page; `(group)` only groups files.
 */
export function routeOfFile(file: string): { id: string[]; url: string[] } {
  const id = file.split('/').flatMap((part) => part.split('.'));
  const url = id
    .filter((segment) => !segment.startsWith('_') && segment !== 'index' && !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/_$/, ''));
  return { id, url };
}

/**
 * What each page needs beyond the shell: for every page route (a route file no other route file
 * nests in), the static-import closure of the component chunks of it and of its layouts, minus
 * what the entry already loads. `routeFiles` maps a route file (`_app/customers/index`) to the
 * bundle chunk holding its component (`?tsr-split=component`), when it has one.
 */
export function routePreloadsOf(
  bundle: Record<string, BundleChunk | { type: 'asset' }>,
  routeFiles: ReadonlyMap<string, string | null>,
  base = '/',
): RoutePreloads {
  const chunks = new Map<string, BundleChunk>();
  for (const output of Object.values(bundle)) {
    if (output.type === 'chunk') chunks.set((output as BundleChunk).fileName, output as BundleChunk);
  }
  const closure = (start: string, into: Set<string>) => {
    const stack = [start];
    while (stack.length > 0) {
      const name = stack.pop() as string;
      if (into.has(name)) continue;
      into.add(name);
      for (const imported of chunks.get(name)?.imports ?? []) stack.push(imported);
    }
    return into;
  };
  const shell = new Set<string>();
  for (const chunk of chunks.values()) if (chunk.isEntry) closure(chunk.fileName, shell);

  const files = [...routeFiles.keys()].map((file) => ({ file, ...routeOfFile(file) }));
  const isPrefix = (prefix: string[], of: string[]) =>
    prefix.length < of.length && prefix.every((segment, index) => of[index] === segment);
  const routes: RoutePreload[] = [];
  for (const route of files) {
    if (route.id[0] === '__root') continue;
    // A layout (another route file nests in it) is not a page of its own.
    if (files.some((other) => isPrefix(route.id, other.id))) continue;
    const layers = [...files.filter((other) => isPrefix(other.id, route.id)), route].sort(
      (a, b) => a.id.length - b.id.length,
    );
    const needed = new Set<string>();
    for (const layer of layers) {
      const chunk = routeFiles.get(layer.file);
      if (chunk) closure(chunk, needed);
    }
    const beyondShell = [...needed].filter((name) => !shell.has(name));
    if (beyondShell.length === 0) continue;
    routes.push({ path: `/${route.url.join('/')}`, files: beyondShell.map((name) => `${base}${name}`) });
  }
  routes.sort((a, b) => a.path.localeCompare(b.path));
  return { routes };
}

/** The route component chunks of a bundle: route file → the chunk holding its `?tsr-split=component` module. */
function routeComponentChunks(
  bundle: Record<string, BundleChunk | { type: 'asset' }>,
  routesDir: string,
): Map<string, string | null> {
  const found = new Map<string, string | null>();
  for (const output of Object.values(bundle)) {
    if (output.type !== 'chunk') continue;
    const chunk = output as BundleChunk;
    for (const moduleId of chunk.moduleIds) {
      const [path = '', query = ''] = moduleId.split('?');
      if (!path.startsWith(routesDir + sep) || !/\.tsx?$/.test(path)) continue;
      const file = relative(routesDir, path)
        .replace(/\.tsx?$/, '')
        .split(sep)
        .join('/');
      const split = new URLSearchParams(query).get('tsr-split');
      if (split?.split('---').includes('component')) found.set(file, chunk.fileName);
      else if (!found.has(file)) found.set(file, null);
    }
  }
  return found;
}

/** Writes ROUTE_PRELOADS_FILE into the build (`routesDir`: the file router's routes folder). */
export function routePreloads(routesDir: string): Plugin {
  let base = '/';
  return {
    name: 'crm-route-preloads',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const typed = bundle as unknown as Record<string, BundleChunk | { type: 'asset' }>;
      const preloads = routePreloadsOf(typed, routeComponentChunks(typed, routesDir), base);
      this.emitFile({
        type: 'asset',
        fileName: ROUTE_PRELOADS_FILE,
        source: `${JSON.stringify(preloads, null, 1)}\n`,
      });
    },
  };
}
