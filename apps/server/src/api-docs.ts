import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';

/**
 * `/api/v1/docs`: the interactive reference of the OpenAPI document (`/api/v1/openapi.json`),
 * rendered by Swagger UI from the `swagger-ui-dist` package served from this server — no
 * CDN, nothing fetched from the internet, and within the app's Content-Security-Policy
 * (scripts from 'self' only: the page's start-up is a file, not an inline script).
 * "Try it out" sends real calls with the key typed into "Authorize"; the key stays in the page.
 */
const ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;
type Asset = keyof typeof ASSETS;

const START = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    // No badge fetched from the validator's public service.
    validatorUrl: null,
    persistAuthorization: false,
    displayRequestDuration: true,
    docExpansion: 'list',
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CRM API v1 参考 · Reference</title>
<link rel="icon" type="image/png" href="/api/v1/docs/favicon-32x32.png">
<link rel="stylesheet" href="/api/v1/docs/swagger-ui.css">
<link rel="stylesheet" href="/api/v1/docs/page.css">
</head>
<body>
<header class="crm-docs">
  <strong>CRM API v1</strong>
  <span>接口参考 · API reference</span>
  <a href="/api/v1/openapi.json">openapi.json</a>
  <a href="/settings/platform">设置 → 开放平台 · Settings → Open platform</a>
</header>
<div id="reference"></div>
<script src="/api/v1/docs/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/start.js"></script>
</body>
</html>
`;

const PAGE_CSS = `body { margin: 0; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
.crm-docs { display: flex; gap: 16px; align-items: baseline; padding: 12px 24px; border-bottom: 1px solid #e5e7eb; background: #fafafa; }
.crm-docs a { color: #1677ff; text-decoration: none; }
.crm-docs a:hover { text-decoration: underline; }
`;

let assets: Map<Asset, Buffer> | null = null;

function loadAssets(): Map<Asset, Buffer> {
  if (assets) return assets;
  const folder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  assets = new Map(
    (Object.keys(ASSETS) as Asset[]).map((name) => [name, readFileSync(join(folder, name))] as const),
  );
  return assets;
}

/** Mounts the reference page and its assets (no key needed: it shows only the public document). */
export function mountApiDocs(app: Hono<{ Variables: { requestId: string } }>): void {
  app.get('/api/v1/docs', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(PAGE);
  });
  app.get('/api/v1/docs/start.js', (c) => {
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(START);
  });
  app.get('/api/v1/docs/page.css', (c) => {
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(PAGE_CSS);
  });
  // Any other name falls through to /api/v1's 404 (problem details).
  app.get('/api/v1/docs/:asset', async (c, next) => {
    const name = c.req.param('asset');
    const body = Object.hasOwn(ASSETS, name) ? loadAssets().get(name as Asset) : undefined;
    if (!body) return next();
    // The package's version is pinned: its files change only with a deploy.
    c.header('Cache-Control', 'public, max-age=86400');
    c.header('Content-Type', ASSETS[name as Asset]);
    return c.body(new Uint8Array(body));
  });
}
