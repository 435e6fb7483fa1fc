import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Written by the web app's build beside index.html (apps/web/build/route-preloads.ts). */
const ROUTE_PRELOADS_FILE = 'route-preloads.json';

type RoutePreload = { path: string; files: string[] };

/** A page's path (`/customers/$customerId`) as segments; `$…` matches any one segment. */
function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function readPreloads(webDist: string): RoutePreload[] {
  const file = join(webDist, ROUTE_PRELOADS_FILE);
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { routes?: unknown };
  if (!Array.isArray(parsed.routes)) return [];
  return parsed.routes.filter(
    (route): route is RoutePreload =>
      typeof route?.path === 'string' &&
      Array.isArray(route.files) &&
      route.files.every((file: unknown) => typeof file === 'string' && /^\/[\w./-]+\.js$/.test(file)),
  );
}

/**
 * The web app's HTML for each client-side route: index.html, plus, for a page the build knows,
 * `<link rel="modulepreload">` of the scripts that page needs beyond the app shell (its layout,
 * its own code, antd …). A cold open then fetches and compiles them while the shell's scripts
 * load, instead of after the shell has run. Any other path (or a build without the list) gets
 * index.html as it is. Every page's HTML is made once, at start.
 */
export function webAppPages(webDist: string): { htmlFor(pathname: string): string } {
  const indexHtml = readFileSync(join(webDist, 'index.html'), 'utf8');
  const pages = readPreloads(webDist).map((route) => {
    // Low priority: the page's data requests (sent once the shell has run) take the browser's
    // six connections before the remaining preloads, so the server works on the data while
    // the scripts arrive instead of after them.
    const links = route.files
      .map((file) => `    <link rel="modulepreload" crossorigin fetchpriority="low" href="${file}">\n`)
      .join('');
    return {
      segments: segmentsOf(route.path),
      html: indexHtml.includes('</head>') ? indexHtml.replace('</head>', `${links}  </head>`) : indexHtml,
    };
  });
  return {
    htmlFor(pathname) {
      const asked = segmentsOf(pathname);
      let best: { html: string; fixed: number } | undefined;
      for (const page of pages) {
        if (page.segments.length !== asked.length) continue;
        let fixed = 0;
        const matches = page.segments.every((segment, index) => {
          if (segment.startsWith('$')) return (asked[index] ?? '') !== '';
          fixed += 1;
          return segment === asked[index];
        });
        // `/customers/duplicates` is that page, not the profile of a customer called "duplicates".
        if (matches && (!best || fixed > best.fixed)) best = { html: page.html, fixed };
      }
      return best?.html ?? indexHtml;
    },
  };
}
