import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRadio, launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * The customer settings pages in Chromium through the real server: a new owner creates a
 * tag, an enum custom field with two options, and changes a completeness weight and the
 * activity window; after a reload each change is still there. The lifecycle thresholds are
 * read-only on 客户规则 and changed on 行业配置, where its link leads.
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

/** Picks an option of an antd Select by its visible text. */
async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).click();
}

describe('customer settings', () => {
  it('creates a tag and a choice field, and saves new customer rules', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    const unique = crypto.randomUUID().slice(0, 8);

    await page.goto(`${server.url}/sign-up`);
    await page.getByTestId('signup-tenant-name').fill('苏州恒拓自动化设备有限公司');
    await checkRadio(page, 'signup-industry-b2b');
    await page.getByTestId('signup-name').fill('沈总');
    await page.getByTestId('signup-email').fill(`settings.${unique}@example.com`);
    await page.getByTestId('signup-password').fill('e2e passphrase 2026');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/customers/);

    // Tags: a free tag in red with a description.
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('settings-tags-link').click();
    await page.waitForURL(/\/settings\/tags$/);
    await page.getByTestId('system-tags').getByText('高价值').waitFor();
    const tagName = `价格敏感-${unique.slice(0, 4)}`;
    await page.getByTestId('tag-create').click();
    await page.getByTestId('tag-name').fill(tagName);
    await checkRadio(page, 'tag-color-red');
    await page.getByTestId('tag-description').fill('对价格变动反应明显的客户');
    await page.getByTestId('tag-submit').click();
    await page.getByTestId('tags-table').getByText(tagName).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-settings-tags.png`, fullPage: true });

    // Custom fields: a single-choice field with two options.
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('settings-custom-fields-link').click();
    await page.waitForURL(/\/settings\/custom-fields$/);
    await page.getByTestId('custom-field-create').click();
    await page.getByTestId('custom-field-label-zh').fill('会员等级');
    await page.getByTestId('custom-field-label-en').fill('Membership level');
    await page.getByTestId('custom-field-key').fill('member_level');
    await choose(page, 'custom-field-type', '单选');
    await page.getByTestId('custom-field-option-value-0').fill('gold');
    await page.getByTestId('custom-field-option-label-zh-0').fill('金卡');
    await page.getByTestId('custom-field-option-label-en-0').fill('Gold');
    await page.getByTestId('custom-field-option-add').click();
    await page.getByTestId('custom-field-option-value-1').fill('silver');
    await page.getByTestId('custom-field-option-label-zh-1').fill('银卡');
    await page.getByTestId('custom-field-option-label-en-1').fill('Silver');
    await page.getByTestId('custom-field-submit').click();
    const fieldRow = page.getByTestId('custom-fields-table').locator('tr', { hasText: 'Membership level' });
    await fieldRow.waitFor();
    await expect(fieldRow.textContent()).resolves.toMatch(/会员等级.*单选.*金卡.*银卡/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-settings-custom-fields.png`, fullPage: true });

    // Customer rules: the new field is a key field; weigh it and the phone, and raise the activity window.
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('settings-customer-rules-link').click();
    await page.waitForURL(/\/settings\/customer-rules$/);
    const windowDays = page.getByTestId('customer-rules-activity-window');
    await expect.poll(() => windowDays.inputValue(), { timeout: 10_000 }).toBe('90');
    // The lifecycle thresholds are shown as they are in force, owned by 行业配置.
    await expect(page.getByTestId('customer-rules-lifecycle').textContent()).resolves.toMatch(
      /流失预警天数90 天未成交.*沉睡天数180 天未成交.*忠诚客户订单数5 单/,
    );
    await expect(page.getByTestId('customer-rules-at-risk-days').count()).resolves.toBe(0);
    const customWeight = page.getByTestId('completeness-weight-custom:member_level');
    await expect(page.getByTestId('completeness-weights').textContent()).resolves.toContain('会员等级');
    await windowDays.fill('60');
    await page.getByTestId('completeness-weight-phone').fill('7');
    await customWeight.fill('4');
    await page.getByTestId('customer-rules-save').click();
    await page.getByText('已保存，所有客户的系统标签和资料完整度已按新规则重新计算').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-settings-customer-rules.png`, fullPage: true });

    // A mid value threshold above the high one is refused, under its field.
    await page.getByTestId('customer-rules-value-mid').fill('200000');
    await page.getByTestId('customer-rules-save').click();
    await page.getByText('高价值门槛须大于中价值门槛').waitFor();

    // Everything survived a reload (the unsaved value change did not).
    await page.reload();
    await expect.poll(() => windowDays.inputValue(), { timeout: 10_000 }).toBe('60');
    await expect(page.getByTestId('customer-rules-value-mid').inputValue()).resolves.toBe('30000');
    await expect(page.getByTestId('completeness-weight-phone').inputValue()).resolves.toBe('7');
    await expect(customWeight.inputValue()).resolves.toBe('4');

    // The lifecycle link leads to 行业配置, where at-risk moves to 60 days; 客户规则 then shows it.
    await page.getByTestId('customer-rules-lifecycle-link').click();
    await page.waitForURL(/\/settings\/industry$/);
    const atRisk = page.getByTestId('setting-lifecycle.atRiskDays');
    await expect.poll(() => atRisk.inputValue(), { timeout: 10_000 }).toBe('90');
    await atRisk.fill('60');
    await page.getByTestId('industry-preview').click();
    await page.getByTestId('industry-save').click();
    await page.getByTestId('industry-history-change').filter({ hasText: '60' }).first().waitFor();
    await page.goto(`${server.url}/settings/customer-rules`);
    await expect
      .poll(() => page.getByTestId('customer-rules-lifecycle').textContent(), { timeout: 10_000 })
      .toContain('60 天未成交');

    await page.goto(`${server.url}/settings/tags`);
    await page.getByTestId('tags-table').getByText(tagName).waitFor();
    await page.goto(`${server.url}/settings/custom-fields`);
    await expect(
      page.getByTestId('custom-fields-table').locator('tr', { hasText: 'Membership level' }).textContent(),
    ).resolves.toMatch(/金卡.*银卡/);

    expect(browserErrors).toEqual([]);
    await context.close();
  });
});
