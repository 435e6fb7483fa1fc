import { type ChildProcess, spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createTestServer, seedTenant, sessionCookie, type TestServer } from './helpers';

/**
 * `pnpm dev` serves the web app from Vite, which forwards the API to the server: tRPC and
 * the REST routes (an upload and a download) must both get through its proxy, presenting
 * the server's own origin so the CSRF check lets them in.
 */
let server: TestServer;
let api: ReturnType<typeof serve> | null = null;
let vite: ChildProcess | null = null;
let vitePort = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, deadlineMs: number) {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > deadlineMs) throw new Error(`${url} did not answer within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  const apiPort = await freePort();
  vitePort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  server = await createTestServer({ publicUrl: apiUrl });
  const app = createApp({ dependencies: server.dependencies, publicUrl: apiUrl });
  api = serve({ fetch: app.fetch, port: apiPort, hostname: '127.0.0.1' });
  vite = spawn(
    join(import.meta.dirname, '../../web/node_modules/.bin/vite'),
    ['--port', String(vitePort), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: join(import.meta.dirname, '../../web'),
      env: { ...process.env, CRM_API_URL: `http://127.0.0.1:${apiPort}` },
      stdio: 'ignore',
    },
  );
  await waitFor(`http://127.0.0.1:${vitePort}/healthz`, 60_000);
}, 90_000);

afterAll(async () => {
  vite?.kill('SIGTERM');
  api?.close();
  await server?.destroy();
});

describe('the dev server proxy', () => {
  it('forwards an upload and the error report download to the API', async () => {
    const tenant = await seedTenant(server.database, '开发代理企业');
    const cookie = await sessionCookie(server, tenant.users.owner.id, tenant.tenantId);
    const base = `http://127.0.0.1:${vitePort}`;
    const upload = await fetch(`${base}/api/imports/files`, {
      method: 'POST',
      headers: {
        cookie,
        origin: base,
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent('客户.csv'),
      },
      body: '客户名称,客户类型\n,企业\n',
    });
    expect(upload.status, await upload.clone().text()).toBe(201);
    const uploaded = (await upload.json()) as { fileId: string; headers: string[] };
    expect(uploaded.headers).toEqual(['客户名称', '客户类型']);
    const start = await fetch(`${base}/trpc/imports.start`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({
        fileId: uploaded.fileId,
        entity: 'customers',
        mapping: { 客户名称: 'name', 客户类型: 'kind' },
        dryRun: true,
        onMatch: 'skip',
      }),
    });
    expect(start.status).toBe(200);
    const { result } = (await start.json()) as { result: { data: { runId: string } } };
    const download = await fetch(`${base}/api/imports/runs/${result.data.runId}/errors.csv`, {
      headers: { cookie },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/csv');
    expect(await download.text()).toContain('行号');
  });
});
