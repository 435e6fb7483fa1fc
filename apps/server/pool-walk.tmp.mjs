import { chromium } from 'playwright-core';

const url = process.env.URL ?? 'http://127.0.0.1:3200';
const out = '/tmp/pool-walk';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

async function signIn(language, email) {
  const context = await browser.newContext({ locale: language, viewport: { width: 1440, height: 900 } });
  await context.addInitScript(`localStorage.setItem('crm.language', ${JSON.stringify(language)})`);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(`${url}/sign-in`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill('demo-2026');
  await page.getByTestId('signin-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in')).catch(async (e) => { await page.screenshot({ path: out + '/signin-fail.png' }); throw e; });
  return { context, page };
}

const settle = (page) => page.waitForLoadState('networkidle').catch(() => undefined);

for (const language of ['zh-CN', 'en']) {
  const { context, page } = await signIn(language, 'rep.b2b@demo.example.com');
  await page.goto(`${url}/pool`);
  await page.getByTestId('pool-remaining').waitFor();
  await settle(page);
  await page.screenshot({ path: `${out}/${language}-pool-leads.png`, fullPage: true });
  // Claim the first lead.
  const first = page.locator('[data-testid^="pool-claim-"]').first();
  await first.click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${out}/${language}-pool-claimed.png` });
  await page.goto(`${url}/pool?tab=customers`);
  await settle(page);
  await page.screenshot({ path: `${out}/${language}-pool-customers.png`, fullPage: true });
  // Claim a customer and release it again from its page.
  const claimCustomer = page.locator('[data-testid^="pool-claim-"]').first();
  const testId = await claimCustomer.getAttribute('data-testid');
  const customerId = testId.replace('pool-claim-', '');
  await claimCustomer.click();
  await page.waitForTimeout(1500);
  await page.goto(`${url}/customers/${customerId}`);
  await page.getByTestId('pool-release').click();
  await page.locator('.ant-modal .ant-radio-wrapper').first().click();
  await page.locator('.ant-modal textarea').fill(language === 'en' ? 'Asked us to call next quarter' : '客户说下季度再联系');
  await page.screenshot({ path: `${out}/${language}-release-modal.png` });
  await page.locator('#pool-release-confirm').click();
  await page.waitForURL(/\/pool/);
  await settle(page);
  await page.screenshot({ path: `${out}/${language}-after-release.png` });
  await context.close();

  const admin = await signIn(language, 'owner@demo.example.com');
  // The owner's active tenant may be another: the settings pages work on any.
  await admin.page.goto(`${url}/settings`);
  await settle(admin.page);
  await admin.page.screenshot({ path: `${out}/${language}-settings.png`, fullPage: true });
  await admin.page.goto(`${url}/settings/assignment`);
  await settle(admin.page);
  await admin.page.getByTestId('assignment-preview').click();
  await admin.page.waitForTimeout(1500);
  await admin.page.screenshot({ path: `${out}/${language}-assignment.png`, fullPage: true });
  await admin.page.getByTestId('assignment-rule-add').click();
  await admin.page.waitForTimeout(800);
  await admin.page.screenshot({ path: `${out}/${language}-assignment-modal.png` });
  await admin.page.keyboard.press('Escape');
  await admin.page.goto(`${url}/settings/pool`);
  await settle(admin.page);
  await admin.page.screenshot({ path: `${out}/${language}-pool-settings.png`, fullPage: true });
  await admin.page.goto(`${url}/customers/${customerId}?tab=timeline`);
  await settle(admin.page);
  await admin.page.waitForTimeout(1500);
  await admin.page.screenshot({ path: `${out}/${language}-timeline.png`, fullPage: true });
  await admin.context.close();
}
await browser.close();
console.log('walked');
