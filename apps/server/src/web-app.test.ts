import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { webAppPages } from './web-app';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-a1.js"></script></head><body><div id="root"></div></body></html>';
const dists: string[] = [];

function dist(preloads?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'crm-web-app-'));
  dists.push(dir);
  writeFileSync(join(dir, 'index.html'), INDEX);
  if (preloads !== undefined) writeFileSync(join(dir, 'route-preloads.json'), JSON.stringify(preloads));
  return dir;
}

afterEach(() => {
  for (const dir of dists.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const preloadsOf = (html: string) =>
  [...html.matchAll(/<link rel="modulepreload" crossorigin fetchpriority="low" href="([^"]+)">/g)].map(
    (match) => match[1],
  );

describe("the web app's pages", () => {
  const routes = {
    routes: [
      { path: '/customers', files: ['/assets/_app-b2.js', '/assets/antd-c3.js', '/assets/index-d4.js'] },
      { path: '/customers/$customerId', files: ['/assets/_app-b2.js', '/assets/_customerId-e5.js'] },
      { path: '/customers/duplicates', files: ['/assets/_app-b2.js', '/assets/duplicates-f6.js'] },
      { path: '/sign-in', files: ['/assets/sign-in-g7.js'] },
    ],
  };

  it("names a page's own scripts in its HTML, in the head, after the shell's", () => {
    const pages = webAppPages(dist(routes));
    const html = pages.htmlFor('/customers');
    expect(preloadsOf(html)).toEqual(['/assets/_app-b2.js', '/assets/antd-c3.js', '/assets/index-d4.js']);
    expect(html.indexOf('index-a1.js')).toBeLessThan(html.indexOf('_app-b2.js'));
    expect(html.indexOf('_app-b2.js')).toBeLessThan(html.indexOf('</head>'));
    expect(preloadsOf(pages.htmlFor('/customers/'))).toEqual(preloadsOf(html));
    expect(preloadsOf(pages.htmlFor('/sign-in'))).toEqual(['/assets/sign-in-g7.js']);
  });

  it('matches a parameter to any one segment, and a fixed segment before it', () => {
    const pages = webAppPages(dist(routes));
    expect(preloadsOf(pages.htmlFor('/customers/0b7c5a4e-0000-4000-8000-000000000001'))).toEqual([
      '/assets/_app-b2.js',
      '/assets/_customerId-e5.js',
    ]);
    expect(preloadsOf(pages.htmlFor('/customers/duplicates'))).toEqual([
      '/assets/_app-b2.js',
      '/assets/duplicates-f6.js',
    ]);
  });

  it('gives any other path, or a build without the list, index.html as it is', () => {
    const pages = webAppPages(dist(routes));
    expect(pages.htmlFor('/nowhere')).toBe(INDEX);
    expect(pages.htmlFor('/customers/a/b')).toBe(INDEX);
    expect(pages.htmlFor('/')).toBe(INDEX);
    expect(webAppPages(dist()).htmlFor('/customers')).toBe(INDEX);
  });

  it('names only script files of the build (a tampered list adds no markup)', () => {
    const pages = webAppPages(
      dist({
        routes: [
          { path: '/customers', files: ['/assets/a.js"><script>alert(1)</script>'] },
          { path: '/orders', files: ['https://elsewhere.example.com/x.js'] },
        ],
      }),
    );
    expect(pages.htmlFor('/customers')).toBe(INDEX);
    expect(pages.htmlFor('/orders')).toBe(INDEX);
  });
});
