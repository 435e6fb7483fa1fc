import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRadio, launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Calls a procedure from the signed-in page, as the app itself does (same origin, session cookie). */
async function call(page: Page, path: string, input: unknown) {
  return page.evaluate(
    async ([procedure, body]) => {
      const response = await fetch(`/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { error?: unknown; result: { data: unknown } };
      if (json.error) throw new Error(JSON.stringify(json.error));
      return json.result.data;
    },
    [path, input] as const,
  );
}

async function rowNames(page: Page): Promise<string[]> {
  const names = await page
    .locator('[data-testid="customers-table"] tr.ant-table-row td:nth-child(2)')
    .allTextContents();
  return names.map((name) => name.trim()).sort();
}

describe('customer lists', () => {
  it('tags customers in bulk, filters by tag, saves the list as a view and opens it again', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    const unique = crypto.randomUUID().slice(0, 8);

    await page.goto(`${server.url}/sign-up`);
    await page.getByTestId('signup-tenant-name').fill('悦购连锁超市');
    await checkRadio(page, 'signup-industry-retail');
    await page.getByTestId('signup-name').fill('林店长');
    await page.getByTestId('signup-email').fill(`lists.${unique}@example.com`);
    await page.getByTestId('signup-password').fill('e2e passphrase 2026');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/customers/);

    // Set-up through the API the page itself uses: a free tag and three customers.
    await call(page, 'tags.create', { name: '价格敏感', color: 'gold' });
    for (const name of ['张伟', '李娜', '王芳']) {
      await call(page, 'customers.create', {
        name,
        kind: 'person',
        phone: `1390000${String(name.charCodeAt(0)).slice(-4)}`,
      });
    }
    await page.reload();
    await page.locator('[data-testid="customers-table"] tr.ant-table-row').nth(2).waitFor();
    expect(await rowNames(page)).toEqual(['张伟', '李娜', '王芳'].sort());

    // Two-character Chinese search.
    await page.getByTestId('customers-search').fill('李娜');
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toEqual(['李娜']);
    await page.getByTestId('customers-search').fill('');
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toHaveLength(3);

    // Select two rows and tag them.
    const rows = page.locator('[data-testid="customers-table"] tr.ant-table-row');
    for (const name of ['张伟', '王芳']) {
      await rows.filter({ hasText: name }).locator('input[type="checkbox"]').check();
    }
    await expect(page.getByTestId('bulk-count').textContent()).resolves.toContain('2');
    await page.getByTestId('bulk-tag').click();
    await page.getByTestId('bulk-tag-add').click();
    await page
      .locator('.ant-select-dropdown .ant-select-item-option')
      .filter({ hasText: '价格敏感' })
      .click();
    await page.keyboard.press('Escape');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await page.getByText('已更新 2 位客户的标签').waitFor();

    // Filter by the tag.
    await page.getByTestId('customers-tag-filter').click();
    await page
      .locator('.ant-select-dropdown .ant-select-item-option')
      .filter({ hasText: '价格敏感' })
      .click();
    await page.keyboard.press('Escape');
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toEqual(['张伟', '王芳'].sort());

    // Save it as a view, leave it, and come back through the view picker.
    await page.getByTestId('views-save-as').click();
    await page.getByTestId('view-name').fill('价格敏感客户');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await page.getByText('视图「价格敏感客户」已保存').waitFor();
    await page.goto(`${server.url}/customers`);
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toHaveLength(3);
    await page.getByTestId('views-select').click();
    await page
      .locator('.ant-select-dropdown .ant-select-item-option')
      .filter({ hasText: '价格敏感客户' })
      .click();
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toEqual(['张伟', '王芳'].sort());

    // The column chooser adds the value level column.
    await page.getByTestId('columns-button').click();
    await page.getByTestId('column-chooser').getByRole('checkbox', { name: '价值等级' }).check();
    await page.locator('th').filter({ hasText: '价值等级' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-customer-lists.png`, fullPage: true });
    expect(browserErrors).toEqual([]);
  });
});
