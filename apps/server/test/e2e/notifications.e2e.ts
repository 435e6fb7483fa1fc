import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, signInDemo, startServer } from './server-process';

/**
 * The bell on the demo data, in Chromium through the real server: a manager gives a rep a
 * task; the rep's bell counts it without a reload, the panel lists it in the rep's language,
 * opening it goes to the task list and marks it read, and 全部已读 clears the count. Both
 * languages, one rep each.
 */
let server: RunningServer | undefined;
let url: string;
let browser: Browser;

beforeAll(async () => {
  // NOTIFICATIONS_E2E_URL: a server already running with fresh demo data.
  if (process.env.NOTIFICATIONS_E2E_URL) url = process.env.NOTIFICATIONS_E2E_URL;
  else {
    server = await startServer({ seedDemo: true });
    url = server.url;
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(
  language: 'zh-CN' | 'en',
  email: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const signedIn = await signInDemo(browser, url, language, email);
  await signedIn.page.getByTestId('notification-bell').waitFor();
  return signedIn;
}

/** The unread count the bell shows (its badge is absent at zero). */
async function bellCount(page: Page): Promise<number> {
  const badge = page.getByTestId('notification-count').locator('.ant-scroll-number');
  if ((await badge.count()) === 0) return 0;
  const title = await badge.first().getAttribute('title');
  return Number((title ?? '0').replace(/\D/g, '') || '0');
}

/** A tRPC call from the signed-in page, as the web app makes it (same origin, its cookie). */
async function call<T>(page: Page, path: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  return page.evaluate(
    async ({ path, input, method }) => {
      const response =
        method === 'GET'
          ? await fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
          : await fetch(`/trpc/${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(input),
            });
      const body = (await response.json()) as { result?: { data: unknown }; error?: unknown };
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body.error)}`);
      return body.result?.data;
    },
    { path, input, method },
  ) as Promise<T>;
}

const CASES = [
  { language: 'zh-CN', rep: 'rep1.retail@demo.example.com', assigned: /新任务/ },
  { language: 'en', rep: 'rep2.retail@demo.example.com', assigned: /New task/ },
] as const;

describe('the notification bell on the demo data', () => {
  for (const { language, rep, assigned } of CASES) {
    it(`counts a task a manager gives, live, lists it and marks it read (${language})`, async () => {
      const { context: repContext, page: repPage } = await signIn(language, rep);
      const browserErrors: string[] = [];
      repPage.on('pageerror', (error) => browserErrors.push(error.message));
      const before = await bellCount(repPage);

      const { context: managerContext, page: managerPage } = await signIn(
        'zh-CN',
        'manager.retail@demo.example.com',
      );
      const members = await call<{ userId: string; email: string }[]>(
        managerPage,
        'members.list',
        undefined,
        'GET',
      );
      const repId = members.find((member) => member.email === rep)?.userId;
      expect(repId).toMatch(/^[0-9a-f-]{36}$/);
      const title = `${language === 'en' ? 'Call back about the renewal' : '回访续约意向'} ${crypto.randomUUID().slice(0, 6)}`;
      const today = new Date().toISOString().slice(0, 10);
      await call(
        managerPage,
        'tasks.create',
        { title, type: 'call', ownerUserId: repId, dueOn: today },
        'POST',
      );

      // The rep's page is not reloaded: the bell's own poll brings the count.
      await expect
        .poll(() => bellCount(repPage), { timeout: 90_000, interval: 1_000 })
        .toBeGreaterThan(before);
      const unread = await bellCount(repPage);
      expect(await repPage.getByTestId('notification-bell').getAttribute('aria-label')).toContain(
        String(unread),
      );

      await repPage.getByTestId('notification-bell').click();
      const panel = repPage.getByTestId('notification-panel');
      const item = panel.getByTestId('notification-item').filter({ hasText: title });
      await item.waitFor();
      expect(await item.textContent()).toMatch(assigned);
      await repPage.screenshot({ path: `${SCREENSHOTS}e2e-notification-bell-${language}.png` });

      // Opening it goes where it points and marks it read.
      await item.click();
      await repPage.waitForURL(/\/tasks/);
      // (The demo's own jobs may notify the rep meanwhile, so the item is checked, not the count.)
      const readAt = async () => {
        const list = await call<{ items: { title: string; readAt: string | null }[] }>(
          repPage,
          'notifications.list',
          { limit: 50 },
          'GET',
        );
        return list.items.find((notification) => notification.title.includes(title))?.readAt ?? null;
      };
      await expect.poll(readAt, { timeout: 15_000 }).not.toBeNull();

      // 全部已读 / Mark all read clears the badge.
      await repPage.getByTestId('notification-bell').click();
      const markAll = repPage.getByTestId('notifications-mark-all');
      await markAll.waitFor();
      if (await markAll.isEnabled()) await markAll.click();
      await expect.poll(() => bellCount(repPage), { timeout: 15_000 }).toBe(0);
      expect(browserErrors).toEqual([]);
      await managerContext.close();
      await repContext.close();
    }, 300_000);
  }
});
