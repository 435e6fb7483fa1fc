import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * 客户分层 in Chromium through the real server with the demo data: the B2B demo tenant's
 * customers carry tiers from its own profile, with the explanation on the profile; the owner
 * lowers the score thresholds on 设置 → 行业配置, sees the from × to preview, saves; the
 * customers move, and a moved customer's timeline shows the move.
 */
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ seedDemo: true });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const B2B_TIERS = /战略客户|重点客户|普通客户|潜在客户/;

async function trpcQuery(context: BrowserContext, path: string, input?: unknown) {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await context.request.get(`${server.url}/trpc/${path}${query}`);
  return (await response.json()).result.data;
}

/** Makes the demo tenant of this industry the session's active one (as the tenant switcher does). */
async function switchTo(context: BrowserContext, industry: string) {
  const tenants = (await trpcQuery(context, 'tenants.list')) as { id: string; industry: string }[];
  const tenant = tenants.find((candidate) => candidate.industry === industry);
  if (!tenant) throw new Error(`no demo tenant for ${industry}`);
  const response = await context.request.post(`${server.url}/trpc/tenants.switch`, {
    headers: { origin: server.url, 'content-type': 'application/json' },
    data: { tenantId: tenant.id },
  });
  expect(response.ok()).toBe(true);
}

async function setNumber(page: Page, testId: string, value: number) {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.blur();
}

describe('tiering', () => {
  it('shows tiers with explanations, previews a threshold change, saves it, and customers move with history', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));

    await page.goto(`${server.url}/sign-in`);
    await page.getByTestId('signin-email').fill('owner@demo.example.com');
    await page.getByTestId('signin-password').fill('demo-2026');
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/workbench/);
    await switchTo(context, 'b2b');

    // The demo tenant's customers are tiered by the B2B profile, with the explanation.
    const top = (
      await trpcQuery(context, 'customers.list', { limit: 1, sort: 'tierScore', direction: 'desc' })
    ).items[0] as { id: string; name: string; tier: string };
    expect(top.tier).toMatch(/^b2b_/);
    await page.goto(`${server.url}/customers/${top.id}`);
    const card = page.getByTestId('customer-tier-card');
    await expect(card.getByTestId('customer-tier').textContent()).resolves.toMatch(B2B_TIERS);
    await expect(card.getByTestId('customer-tier-rule').textContent()).resolves.toMatch(/得分 .* ≥ .*归入/);
    const dimensions = card.getByTestId('customer-tier-dimensions').locator('tbody tr');
    await expect(dimensions.count()).resolves.toBe(6);
    await expect(card.getByTestId('customer-tier-dimensions').textContent()).resolves.toContain(
      '近 12 个月交易额',
    );
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tiering-profile.png`, fullPage: true });

    // 设置 → 行业配置: lower every threshold, preview, save.
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('settings-industry-link').click();
    await page.waitForURL(/\/settings\/industry$/);
    await expect(page.getByTestId('industry-profile-name').textContent()).resolves.toMatch(/B2B|企业/);
    await setNumber(page, 'setting-tiers.ordinaryMin', 10);
    await setNumber(page, 'setting-tiers.keyMin', 20);
    await setNumber(page, 'setting-tiers.strategicMin', 30);
    await page.getByTestId('industry-preview').click();
    const matrix = page.getByTestId('tier-move-matrix');
    await matrix.waitFor();
    await expect(page.getByTestId('tier-move-summary').textContent()).resolves.toMatch(/有 \d+ 位会换层级/);
    await expect(matrix.textContent()).resolves.toMatch(B2B_TIERS);
    const sampleLink = page.getByTestId('tier-move-sample').locator('tbody tr a').first();
    await sampleLink.waitFor();
    const movedHref = await sampleLink.getAttribute('href');
    const movedRow = page.getByTestId('tier-move-sample').locator('tbody tr').first();
    const newTier = (await movedRow.locator('.ant-tag').nth(1).textContent()) ?? '';
    expect(newTier).toMatch(B2B_TIERS);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tiering-preview.png`, fullPage: true });
    await page.getByTestId('industry-note').fill('季度复盘：下调分层门槛');
    await page.getByTestId('industry-save').click();
    await page
      .locator('.ant-message')
      .getByText(/已保存第 1 版设置/)
      .waitFor();
    const history = page.getByTestId('industry-history');
    await history.getByText('第 1 版').waitFor();
    await expect(history.textContent()).resolves.toContain('季度复盘：下调分层门槛');
    await expect(history.textContent()).resolves.toMatch(/重点客户最低分.*70.*→.*20/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tiering-saved.png`, fullPage: true });

    // The moved customer's tier changed, and its timeline shows the move and why.
    expect(movedHref).toMatch(/\/customers\//);
    await page.goto(`${server.url}${movedHref}`);
    await expect(page.getByTestId('customer-tier').textContent()).resolves.toBe(newTier);
    await page.getByTestId('customer-tab-timeline').click();
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="tier"]').first();
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain('行业配置修改');
    await expect(entry.getByTestId('timeline-tier-to').textContent()).resolves.toBe(newTier);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tiering-timeline.png`, fullPage: true });

    // Its maintenance plans followed the move in the same save: the old tier's plans ended, the
    // new tier's plans are active (with their next visits on the task list) or wait for a
    // manager's approval in 审批, and make their tasks once approved.
    const customerId = movedHref?.split('/customers/')[1]?.split(/[?#]/)[0] ?? '';
    type Plan = {
      id: string;
      status: string;
      tierLabels: { 'zh-CN': string } | null;
      cadence: { labels: { 'zh-CN': string } } | null;
      next: { dueOn: string; title: string }[];
    };
    const plansOf = async () =>
      ((await trpcQuery(context, 'plans.forCustomer', { customerId })).plans as Plan[]).filter(
        (plan) => plan.status !== 'ended',
      );
    const current = await plansOf();
    expect(current.length).toBeGreaterThan(0);
    for (const plan of current) expect(plan.tierLabels?.['zh-CN']).toBe(newTier);
    await page.getByTestId('plan-card').first().waitFor();
    await expect(page.getByTestId('plan-card').first().textContent()).resolves.toContain(
      current[0]?.cadence?.labels['zh-CN'] ?? '',
    );
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tiering-plan.png`, fullPage: true });
    const pending = current.filter((plan) => plan.status === 'pending');
    if (pending.length > 0) {
      for (const plan of pending) expect(plan.next).toEqual([]);
      await page.goto(`${server.url}/plans/approvals`);
      // The inbox lists the plans waiting (this save made them), each with 通过 / 驳回.
      await page.getByTestId('plan-approve').first().waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}e2e-plan-approvals.png`, fullPage: true });
      for (const plan of pending) {
        const response = await context.request.post(`${server.url}/trpc/plans.approve`, {
          headers: { origin: server.url, 'content-type': 'application/json' },
          data: { planId: plan.id, comment: '同意，按月拜访' },
        });
        expect(response.ok()).toBe(true);
      }
    }
    const active = await plansOf();
    expect(active.every((plan) => plan.status === 'active')).toBe(true);
    expect(active.some((plan) => plan.next.length > 0)).toBe(true);
    const planTasks = (
      await trpcQuery(context, 'tasks.list', {
        view: 'open',
        owner: 'any',
        customerId,
        sources: ['plan'],
        limit: 100,
      })
    ).items as { title: string }[];
    const titles = new Set(active.flatMap((plan) => plan.next.map((task) => task.title)));
    expect(planTasks.length).toBeGreaterThan(0);
    for (const task of planTasks) expect(titles.has(task.title)).toBe(true);

    // The list: filter by the new tier finds the moved customer.
    const filtered = await trpcQuery(context, 'customers.list', { limit: 100, tiers: ['b2b_strategic'] });
    expect(filtered.items.length).toBeGreaterThan(0);

    expect(browserErrors).toEqual([]);
    await context.close();
  }, 240_000);
});
