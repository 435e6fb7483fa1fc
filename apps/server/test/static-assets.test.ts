import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createTestServer, type TestServer } from './helpers';

/**
 * The web app's files: the build writes .br and .gz copies beside each text asset
 * (vite-plugin-compression2), and the server sends the one the browser accepts, never
 * compressing per request; hashed assets are cached for a year.
 */
let server: TestServer;
let dist: string;
const script = `console.log(${JSON.stringify('客户列表'.repeat(500))});\n`;

beforeAll(async () => {
  server = await createTestServer();
  dist = mkdtempSync(join(tmpdir(), 'crm-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>CRM</title><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), script);
  writeFileSync(join(dist, 'assets', 'app-abc123.js.br'), brotliCompressSync(script));
  writeFileSync(join(dist, 'assets', 'app-abc123.js.gz'), gzipSync(script));
  writeFileSync(join(dist, 'assets', 'logo-abc123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
});
afterAll(async () => {
  rmSync(dist, { recursive: true, force: true });
  await server.destroy();
});

function app() {
  return createApp({ dependencies: server.dependencies, publicUrl: server.publicUrl, webDist: dist });
}

describe('static assets', () => {
  it('sends the brotli copy to a browser that accepts it, gzip to one that accepts only gzip, the file otherwise', async () => {
    const brotli = await app().request('/assets/app-abc123.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(brotli.status).toBe(200);
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('vary')).toContain('Accept-Encoding');
    expect(brotli.headers.get('content-type')).toContain('javascript');
    expect(brotli.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(Buffer.from(await brotli.arrayBuffer())).toString()).toBe(script);

    const gzip = await app().request('/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(script);

    const plain = await app().request('/assets/app-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
  });

  it('sends images as they are, and the app shell for client-side routes', async () => {
    const image = await app().request('/assets/logo-abc123.png', {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-encoding')).toBeNull();
    const shell = await app().request('/customers', { headers: { 'accept-encoding': 'br' } });
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('<div id="root">');
  });
});
