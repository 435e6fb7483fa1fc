import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, signInDemo, startServer } from './server-process';

/**
 * 设置 → 开放平台 on the demo data, in Chromium through the real server, in both languages: an
 * owner creates an API key (its token shown once, then only its prefix) with chosen scopes and
 * subscribes a webhook endpoint (a receiver on this machine) to events picked by their names; a
 * customer created with the key reaches the receiver as `customer.created`, signed and verified
 * with the reference library; the delivery log names the event and its outcome in the page's
 * language; a revoked key is refused at once.
 */
let server: RunningServer | undefined;
let url: string;
let browser: Browser;
let receiver: http.Server;
let receiverBase: string;
type Received = { path: string; headers: Record<string, string>; body: string };
const received: Received[] = [];

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers as Record<string, string>, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // PLATFORM_E2E_URL: a server already running with fresh demo data and WEBHOOKS_ALLOW_PRIVATE=1.
  if (process.env.PLATFORM_E2E_URL) url = process.env.PLATFORM_E2E_URL;
  else {
    // The receiver is on this machine: the server lets webhooks reach a private address.
    process.env.WEBHOOKS_ALLOW_PRIVATE = '1';
    server = await startServer({ seedDemo: true });
    url = server.url;
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function trpc<T>(context: BrowserContext, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await context.request.get(`${url}/trpc/${path}${query}`);
  const body = await response.json();
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.result.data as T;
}

const WORDS = {
  'zh-CN': { merged: '客户合并', created: '客户创建', delivered: '成功', revoked: '已吊销' },
  en: { merged: 'Customers merged', created: 'Customer created', delivered: 'Delivered', revoked: 'Revoked' },
} as const;

describe('设置 → 开放平台 in Chromium', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    it(`an owner creates a key and a webhook; a customer made with the key arrives signed (${language})`, async () => {
      const words = WORDS[language];
      const { context, page } = await signInDemo(browser, url, language, 'owner@demo.example.com');
      const browserErrors: string[] = [];
      page.on('pageerror', (error) => browserErrors.push(error.message));
      const tenants = await trpc<{ id: string; industry: string }[]>(context, 'tenants.list');
      const b2b = tenants.find((tenant) => tenant.industry === 'b2b') as { id: string };
      const switched = await context.request.post(`${url}/trpc/tenants.switch`, {
        headers: { origin: url, 'content-type': 'application/json' },
        data: { tenantId: b2b.id },
      });
      expect(switched.ok()).toBe(true);
      const shot = (name: string) =>
        page.screenshot({ path: `${SCREENSHOTS}e2e-platform-${name}-${language}.png`, fullPage: true });

      // A key with the scopes to write customers: its token shown once.
      await page.goto(`${url}/settings/platform`);
      await page.getByTestId('api-key-create').click();
      await page.getByTestId('api-key-name').fill(`官网同步 ${language}`);
      await page.locator('label').filter({ hasText: 'customers:write' }).click();
      await page.getByTestId('api-key-submit').click();
      const token = ((await page.getByTestId('api-key-token').textContent()) ?? '').trim();
      expect(token).toMatch(/^crmk_[0-9a-f]{64}_[A-Za-z0-9_-]{43}$/);
      await shot('key-shown-once');
      await page.getByTestId('api-key-done').click();
      await page.getByTestId('api-key-token').waitFor({ state: 'hidden', timeout: 5_000 });
      // Closed, the page holds only the key's prefix: the secret is nowhere, not even hidden.
      await expect.poll(() => page.locator('body').textContent()).not.toContain(token.slice(-43, -4));
      expect(await page.locator('body').textContent()).toContain(`crmk_…${token.slice(-4)}`);

      // A webhook endpoint subscribed to two events chosen by their names.
      const endpointUrl = `${receiverBase}/${language}/crm`;
      await page.goto(`${url}/settings/platform?tab=webhooks`);
      await page.getByTestId('webhook-create').click();
      await page.getByTestId('webhook-url').fill(endpointUrl);
      await page.getByTestId('webhook-events').click();
      await page.keyboard.type(words.merged);
      await page.keyboard.press('Enter');
      await page.getByTestId('webhook-url').click();
      await page.getByTestId('webhook-submit').click();
      const secret = ((await page.getByTestId('webhook-secret').textContent()) ?? '').trim();
      expect(secret).toMatch(/^whsec_/);
      await page.getByTestId('webhook-secret-done').click();
      const row = page.locator('tr', { hasText: endpointUrl });
      await expect.poll(() => row.textContent()).toContain(words.merged);
      const rowText = await row.textContent();
      expect(rowText).toContain(words.created);
      expect(rowText).not.toMatch(/customer\.(created|merged)/);
      await shot('webhooks');

      // A customer created with only the key reaches the receiver, signed.
      const name = `开放平台客户 ${language} ${crypto.randomUUID().slice(0, 6)}`;
      const created = await fetch(`${url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, kind: 'company' }),
      });
      expect(created.status).toBe(201);
      const customer = (await created.json()) as { id: string };
      const arrived = () =>
        received.find(
          (message) =>
            message.path === `/${language}/crm` &&
            (JSON.parse(message.body) as { data: { id: string } }).data.id === customer.id,
        );
      await expect.poll(() => arrived() !== undefined, { timeout: 90_000 }).toBe(true);
      const message = arrived() as Received;
      const event = new Webhook(secret).verify(message.body, message.headers) as { type: string };
      expect(event.type).toBe('customer.created');

      // The delivery log names the event and its outcome in the page's language.
      const endpoints = await trpc<{ id: string; url: string }[]>(context, 'webhooks.list');
      const endpointId = (endpoints.find((endpoint) => endpoint.url === endpointUrl) as { id: string }).id;
      await expect
        .poll(
          async () =>
            (
              await trpc<{ items: { status: string }[] }>(context, 'webhooks.deliveries', {
                endpointId,
                limit: 5,
              })
            ).items[0]?.status,
          { timeout: 30_000 },
        )
        .toBe('succeeded');
      await row.getByTestId('webhook-deliveries').click();
      const drawer = page.locator('.ant-drawer-body').filter({ visible: true }).first();
      await expect.poll(() => drawer.textContent()).toContain(words.delivered);
      expect(await drawer.textContent()).toContain(words.created);
      await shot('delivery-log');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden', timeout: 5_000 });

      // Revoked, the key is refused on its next call.
      await page.goto(`${url}/settings/platform`);
      const keyRow = page.locator('tr', { hasText: `crmk_…${token.slice(-4)}` });
      await keyRow.getByTestId('api-key-revoke').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').filter({ visible: true }).first().click();
      await expect.poll(() => keyRow.textContent()).toContain(words.revoked);
      const refused = await fetch(`${url}/api/v1/customers?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refused.status).toBe(401);

      expect(browserErrors).toEqual([]);
      await context.close();
    }, 240_000);
  }
});
