import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRadio, launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * Through the real server in Chromium: sign up, add a customer, sign out, sign in, see
 * it; a second tenant does not.
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

const unique = crypto.randomUUID().slice(0, 8);
const owner = {
  email: `owner.${unique}@example.com`,
  password: 'e2e passphrase 2026',
  name: '韩梅梅',
  tenant: '明德贸易有限公司',
};
const rival = {
  email: `rival.${unique}@example.com`,
  password: 'another passphrase',
  name: '李雷',
  tenant: '竞争对手科技',
};
const customerName = `杭州云帆精密机械有限公司-${unique}`;

async function signUp(page: Page, account: typeof owner, industry: string) {
  await page.goto(`${server.url}/sign-up`);
  await page.getByTestId('signup-tenant-name').fill(account.tenant);
  await checkRadio(page, `signup-industry-${industry}`);
  await page.getByTestId('signup-name').fill(account.name);
  await page.getByTestId('signup-email').fill(account.email);
  await page.getByTestId('signup-password').fill(account.password);
  await page.getByTestId('signup-submit').click();
  await page.waitForURL(/\/customers/);
}

describe('sign up, add a customer, sign out, sign in', () => {
  it('keeps the customer for its tenant and shows it to no other', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));

    await signUp(page, owner, 'b2b');
    // zh-CN by default: the product's navigation speaks Chinese.
    await expect(page.getByTestId('nav-customers').textContent()).resolves.toContain('客户');

    await page.getByTestId('customers-new').click();
    await page.getByTestId('customer-name').fill(customerName);
    await checkRadio(page, 'customer-kind-company');
    await page.getByTestId('customer-phone').fill('0571-88886666');
    await page.getByTestId('customer-email').fill('sales@yunfan.example.com');
    await page.getByTestId('customer-submit').click();
    await page.getByTestId('customers-table').getByText(customerName).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-customers.png`, fullPage: true });

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    // Signed out for real: the list is not reachable any more.
    await page.goto(`${server.url}/customers`);
    await page.waitForURL(/\/sign-in/);

    await page.getByTestId('signin-email').fill(owner.email);
    await page.getByTestId('signin-password').fill(owner.password);
    await page.getByTestId('signin-submit').click();
    // Sent to sign in from the list, sign-in goes back to it (otherwise it lands on 工作台).
    await page.waitForURL((target) => !target.pathname.startsWith('/sign-in'));
    await page.goto(`${server.url}/customers`);
    await page.getByTestId('customers-table').getByText(customerName).waitFor();
    const row = page.getByTestId('customers-table').locator('tr', { hasText: customerName });
    await expect(row.textContent()).resolves.toContain('0571-8888 6666');
    expect(browserErrors).toEqual([]);
    await context.close();

    // A second tenant, in its own browser profile, sees none of it.
    const rivalContext = await browser.newContext({ locale: 'zh-CN' });
    const rivalPage = await rivalContext.newPage();
    await signUp(rivalPage, rival, 'retail');
    await rivalPage.getByTestId('customers-table').waitFor();
    await rivalPage.getByTestId('customers-search').fill(customerName.slice(0, 6));
    await rivalPage.waitForURL(/search=/);
    await rivalPage.waitForLoadState('networkidle');
    await expect(rivalPage.getByTestId('customers-table').textContent()).resolves.not.toContain(customerName);
    await rivalPage.goto(`${server.url}/customers`);
    await rivalPage.getByTestId('customers-table').waitFor();
    await rivalPage.waitForLoadState('networkidle');
    await expect(rivalPage.getByTestId('customers-table').textContent()).resolves.not.toContain(customerName);
    await rivalPage.screenshot({ path: `${SCREENSHOTS}e2e-rival.png`, fullPage: true });
    await rivalContext.close();
  });
});
