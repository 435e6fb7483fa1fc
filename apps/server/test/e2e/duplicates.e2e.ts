import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRadio, launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * Duplicates in Chromium through the real server: the form warns about a likely duplicate,
 * it is saved anyway and lands in the 查重 queue; merging from the queue keeps a chosen
 * field, the survivor's timeline shows both histories and the merge; undoing it brings the
 * merged customer back.
 */
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function createCustomer(
  page: Page,
  name: string,
  phone: string,
  industry: string,
  expectWarning: boolean,
  createAnywayReason?: string,
) {
  await page.goto(`${server.url}/customers`);
  await page.getByTestId('customers-new').click();
  await checkRadio(page, 'customer-kind-company');
  await page.getByTestId('customer-name').fill(name);
  await page.getByTestId('customer-phone').fill(phone);
  await page.getByTestId('customer-industry').fill(industry);
  if (expectWarning) {
    await page.getByTestId('duplicate-warning').waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('duplicate-warning').textContent()).resolves.toContain(
      '杭州远山茶业有限公司',
    );
  }
  await page.getByTestId('customer-submit').click();
  if (createAnywayReason) {
    // The identity rules say it is the same customer: refused, unless 仍然新建 with a reason.
    await page.getByTestId('exact-duplicate').waitFor();
    await expect(page.getByTestId('exact-duplicate').textContent()).resolves.toContain(
      '杭州远山茶业有限公司',
    );
    await page.getByTestId('create-anyway-reason').fill(createAnywayReason);
    await page.getByTestId('create-anyway').click();
  }
  await page.getByTestId('customers-table').getByText(name, { exact: true }).click();
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}/);
}

async function logInteraction(page: Page, summary: string) {
  await page.getByTestId('customer-tab-interactions').click();
  await page.getByTestId('interaction-new').click();
  await checkRadio(page, 'interaction-kind-visit');
  await page.getByTestId('interaction-summary').fill(summary);
  await page.getByTestId('interaction-submit').click();
  await page.getByText(summary).waitFor();
}

describe('duplicates and merge', () => {
  it('warns on create, merges from the queue keeping a chosen field, shows both histories, and undoes', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    const unique = crypto.randomUUID().slice(0, 8);
    try {
      await page.goto(`${server.url}/sign-up`);
      await page.getByTestId('signup-tenant-name').fill('远山茶业集团');
      await checkRadio(page, 'signup-industry-b2b');
      await page.getByTestId('signup-name').fill('林经理');
      await page.getByTestId('signup-email').fill(`dup.${unique}@example.com`);
      await page.getByTestId('signup-password').fill('e2e passphrase 2026');
      await page.getByTestId('signup-submit').click();
      await page.waitForURL(/\/customers/);

      await createCustomer(page, '杭州远山茶业有限公司', '0571-8765 4321', '茶叶', false);
      const firstUrl = page.url();
      await logInteraction(page, '拜访老客户，确认春茶订货量');

      // Same company written differently, same landline in another form: the form warns, and
      // saving it is refused as an exact duplicate until 仍然新建 with a reason.
      await createCustomer(
        page,
        '杭州远山茶业股份有限公司',
        '(0571)87654321',
        '茶饮连锁',
        true,
        '新开的茶饮门店单独签约，先分开跟进',
      );
      await logInteraction(page, '新门店开业，洽谈茶饮原料供应');

      // The queue has the pair (recorded when it was saved anyway).
      await page.goto(`${server.url}/customers`);
      await page.getByTestId('customers-duplicates').click();
      await page.waitForURL(/\/customers\/duplicates/);
      // A scan on demand runs as a job; the page follows it to the end.
      await page.getByTestId('duplicates-scan').click();
      await expect
        .poll(() => page.getByTestId('duplicates-last-scan').textContent(), { timeout: 30_000 })
        .toMatch(/上次扫描.*共 1 对/);
      const pair = page.getByTestId('duplicate-pair').first();
      await pair.waitFor();
      await expect(pair.textContent()).resolves.toContain('杭州远山茶业股份有限公司');
      const reasons = await page.getByTestId('duplicate-reason').allTextContents();
      // The names differ as written (股份): 名称相近, though they normalise to the same name.
      expect(reasons).toEqual(expect.arrayContaining(['电话相同', '名称相近']));

      await page.getByTestId('duplicate-merge').first().click();
      await page.getByTestId('merge-dialog').waitFor();
      // Keep the first customer; take the other one's industry.
      if (
        !((await page.getByTestId('merge-survivor').textContent()) ?? '').includes('杭州远山茶业有限公司')
      ) {
        await page.getByTestId('merge-swap').click();
      }
      await expect(page.getByTestId('merge-survivor').textContent()).resolves.toContain(
        '杭州远山茶业有限公司',
      );
      await checkRadio(page, 'merge-choice-industry-merged');
      await page.getByTestId('merge-submit').click();
      await page.waitForURL(firstUrl);

      await expect.poll(() => page.getByTestId('customer-title').textContent()).toBe('杭州远山茶业有限公司');
      await page.getByText('茶饮连锁').first().waitFor();

      // Both histories on the survivor's timeline, and the merge.
      await page.getByTestId('customer-tab-timeline').click();
      await page.getByTestId('timeline-list').waitFor();
      await page.getByTestId('timeline-merge').waitFor();
      const timeline = (await page.getByTestId('timeline-list').textContent()) ?? '';
      expect(timeline).toContain('拜访老客户，确认春茶订货量');
      expect(timeline).toContain('新门店开业，洽谈茶饮原料供应');
      expect(timeline).toContain('合并了客户「杭州远山茶业股份有限公司」');

      // The merged customer is gone from the list…
      await page.goto(`${server.url}/customers`);
      await page.getByTestId('customers-table').getByText('杭州远山茶业有限公司', { exact: true }).waitFor();
      await expect(
        page.getByTestId('customers-table').getByText('杭州远山茶业股份有限公司', { exact: true }).count(),
      ).resolves.toBe(0);

      // …and back after 撤销合并.
      await page.goto(`${firstUrl}?tab=timeline`);
      await page.getByTestId('unmerge').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await page.getByText('已撤销合并').first().waitFor();
      await page.getByTestId('customer-tab-basic').click();
      await page.getByText('茶叶', { exact: true }).first().waitFor();

      await page.goto(`${server.url}/customers`);
      for (const name of ['杭州远山茶业有限公司', '杭州远山茶业股份有限公司']) {
        await page.getByTestId('customers-table').getByText(name, { exact: true }).waitFor();
      }
      await page
        .getByTestId('customers-table')
        .getByText('杭州远山茶业股份有限公司', { exact: true })
        .click();
      await page.getByTestId('customer-tab-interactions').click();
      await page.getByText('新门店开业，洽谈茶饮原料供应').waitFor();
      expect(browserErrors).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: `${SCREENSHOTS}duplicates-failure.png`, fullPage: true });
      throw error;
    }
  });
});
