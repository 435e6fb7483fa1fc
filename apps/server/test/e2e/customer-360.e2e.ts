import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRadio, launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * Customer 360 in Chromium through the real server: a customer with contacts, a logged
 * interaction and an order, and the lifecycle stage and figures following the order.
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

describe('customer 360', () => {
  it('adds contacts, logs an interaction and an order, and the stage and figures follow', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    const unique = crypto.randomUUID().slice(0, 8);

    await page.goto(`${server.url}/sign-up`);
    await page.getByTestId('signup-tenant-name').fill('华东精工装备有限公司');
    await checkRadio(page, 'signup-industry-b2b');
    await page.getByTestId('signup-name').fill('周经理');
    await page.getByTestId('signup-email').fill(`c360.${unique}@example.com`);
    await page.getByTestId('signup-password').fill('e2e passphrase 2026');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/customers/);

    const name = `宁波博远新材料有限公司-${unique}`;
    await page.getByTestId('customers-new').click();
    await page.getByTestId('customer-name').fill(name);
    await checkRadio(page, 'customer-kind-company');
    await page.getByTestId('customer-submit').click();
    await page.getByTestId('customers-table').getByText(name).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}/);
    await expect(page.getByTestId('customer-stage').textContent()).resolves.toContain('潜在');
    // A company with only a name: none of the tenant's key fields is filled yet.
    await expect(page.getByTestId('customer-completeness').textContent()).resolves.toBe('0%');
    await expect(page.getByTestId('customer-completeness-missing').textContent()).resolves.toContain(
      '联系人',
    );

    await page.getByTestId('customer-tab-contacts').click();
    for (const [contactName, title, phone] of [
      ['陈立', '采购总监', '139 0000 2222'],
      ['王芳', '财务经理', '021-61234567'],
    ]) {
      await page.getByTestId('contact-new').click();
      await page.getByTestId('contact-name').fill(contactName ?? '');
      await page.getByTestId('contact-title').fill(title ?? '');
      await page.getByTestId('contact-phone').fill(phone ?? '');
      await page.getByTestId('contact-submit').click();
      await page.getByText(contactName ?? '', { exact: true }).waitFor();
    }
    // Contacts are a key field of a company (weight 3 of 17 by default).
    await expect
      .poll(async () => page.getByTestId('customer-completeness').textContent(), { timeout: 10_000 })
      .toBe('18%');

    await page.getByTestId('customer-tab-interactions').click();
    await page.getByTestId('interaction-new').click();
    await checkRadio(page, 'interaction-kind-visit');
    await page.getByTestId('interaction-summary').fill('上门拜访，客户计划明年扩建二期产线');
    await page.getByTestId('interaction-submit').click();
    await page.getByText('上门拜访，客户计划明年扩建二期产线').waitFor();

    await page.getByTestId('customer-tab-orders').click();
    await page.getByTestId('order-new').click();
    await page.getByTestId('order-line-product-0').fill('精密减速机');
    await page.getByTestId('order-line-quantity-0').fill('3');
    await page.getByTestId('order-line-price-0').fill('9600');
    await page.getByTestId('order-submit').click();
    await page.getByText('精密减速机').first().waitFor();

    // The order made a potential customer a new one, and the 12-month figure is its total.
    await expect
      .poll(async () => page.getByTestId('customer-stage').textContent(), { timeout: 10_000 })
      .toContain('新客');
    await expect(page.getByTestId('customer-amount-12m').textContent()).resolves.toMatch(/28,800/);
    await expect(page.getByTestId('customer-order-count').textContent()).resolves.toContain('1');

    await page.getByTestId('customer-tab-timeline').click();
    await page.getByTestId('timeline-list').waitFor();
    for (const kind of ['order', 'interaction', 'lifecycle']) {
      await page.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`).first().waitFor();
    }
    const kinds = await page
      .getByTestId('timeline-entry')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['order', 'interaction', 'lifecycle']));
    await page.screenshot({ path: `${SCREENSHOTS}e2e-customer-360.png`, fullPage: true });
    expect(browserErrors).toEqual([]);
  });
});
