import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * 数据看板 in Chromium through the real server with the demo data: the owner signs in and
 * lands on the workbench; opens the management dashboard, whose figure on screen is the
 * procedure's for the same period; filters by a tier (the URL and the figure follow); a click
 * on the churn figure opens the customer list filtered to the customers behind it (the same
 * set as customers.list with the kpi filter); a card's CSV downloads its data. A rep gets no
 * team or owner filter (their figures are their own). Both languages.
 */
let server: RunningServer | undefined;
let url: string;
let browser: Browser;

const PERIOD = { from: '2026-01-01', to: '2027-01-01' };

beforeAll(async () => {
  // DASHBOARDS_E2E_URL: a server already running with fresh demo data.
  if (process.env.DASHBOARDS_E2E_URL) url = process.env.DASHBOARDS_E2E_URL;
  else {
    server = await startServer({ seedDemo: true });
    url = server.url;
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(
  language: 'zh-CN' | 'en',
  email: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: language,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  await context.addInitScript(`localStorage.setItem('crm.language', ${JSON.stringify(language)})`);
  const page = await context.newPage();
  await page.goto(`${url}/sign-in`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill('demo-2026');
  await page.getByTestId('signin-submit').click();
  // Sign-in lands on the workbench (工作台).
  await page.waitForURL(/\/workbench$/);
  await page.getByTestId('workbench-kpis').waitFor();
  return { context, page };
}

async function trpcQuery<T>(context: BrowserContext, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await context.request.get(`${url}/trpc/${path}${query}`);
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

/** Makes the demo tenant of this industry the session's active one (as the tenant switcher does). */
async function switchTo(context: BrowserContext, industry: string) {
  const tenants = await trpcQuery<{ id: string; industry: string }[]>(context, 'tenants.list');
  const tenant = tenants.find((candidate) => candidate.industry === industry);
  if (!tenant) throw new Error(`no demo tenant for ${industry}`);
  const response = await context.request.post(`${url}/trpc/tenants.switch`, {
    headers: { origin: url, 'content-type': 'application/json' },
    data: { tenantId: tenant.id },
  });
  expect(response.ok()).toBe(true);
}

type Figure = { key: string; value: number | null; count: number };

async function figureOf(context: BrowserContext, key: string, extra: Record<string, unknown> = {}) {
  const board = await trpcQuery<{ kpis: Figure[] }>(context, 'dashboards.get', {
    dashboard: 'management',
    ...PERIOD,
    compare: false,
    ...extra,
  });
  const figure = board.kpis.find((entry) => entry.key === key);
  if (!figure) throw new Error(`${key} is not on the management dashboard`);
  return figure;
}

/** A percentage as the card shows it in Chinese: 12.5%. */
const percent = (value: number | null) =>
  value === null ? '—' : `${value.toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`;

describe('dashboards', () => {
  it('owner: workbench, a figure as the procedure computes it, the tier filter, the churn drill-down and the CSV', async () => {
    const { context, page } = await signIn('zh-CN', 'owner@demo.example.com');
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await switchTo(context, 'b2b');

    await page.goto(`${url}/dashboards?board=management&from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByTestId('dashboards-grid').waitFor();
    const churn = await figureOf(context, 'churn_rate');
    await expect
      .poll(() => page.getByTestId('kpi-value-churn_rate').textContent(), { timeout: 30_000 })
      .toBe(percent(churn.value));
    await page.screenshot({ path: `${SCREENSHOTS}e2e-dashboards-management.png`, fullPage: true });

    // A click on the churn figure: the customers behind it (customers.list with the kpi filter).
    await page.getByTestId('kpi-value-churn_rate').click();
    await page.waitForURL(/\/customers/);
    await expect(page.getByTestId('kpi-filter-banner').textContent()).resolves.toContain('流失率');
    const behind = await trpcQuery<{ items: { id: string }[] }>(context, 'customers.list', {
      kpi: { key: 'churn_rate', ...PERIOD },
      limit: 50,
    });
    expect(churn.value === null || churn.value === 0 || behind.items.length > 0).toBe(true);
    const rows = page.getByTestId('customers-table').locator('tbody tr[data-row-key]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(Math.min(behind.items.length, 50));
    if (behind.items.length > 0) {
      expect(behind.items.map((item) => item.id)).toContain(await rows.first().getAttribute('data-row-key'));
    }
    await page.screenshot({ path: `${SCREENSHOTS}e2e-dashboards-churn-list.png`, fullPage: true });

    // Back on the dashboard, one tier: the URL carries it and the figure is the procedure's for that tier.
    await page.goBack();
    await page.getByTestId('dashboards-grid').waitFor();
    await page.getByTestId('dashboards-tiers').click();
    await page.locator('.ant-select-item-option').first().click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/tiers=/);
    const tier = new URL(page.url()).searchParams.get('tiers');
    const tiers = tier?.startsWith('[') ? (JSON.parse(tier) as string[]) : [tier as string];
    const churnOfTier = await figureOf(context, 'churn_rate', { tiers });
    await expect
      .poll(() => page.getByTestId('kpi-value-churn_rate').textContent(), { timeout: 30_000 })
      .toBe(percent(churnOfTier.value));

    // The card's data as CSV (UTF-8 with a BOM, Excel reads it).
    await page.getByTestId('kpi-menu-churn_rate').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /导出数据/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`management-${PERIOD.from}-${PERIOD.to}-churn_rate.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.startsWith('\uFEFF分组,数值,统计基数')).toBe(true);
    expect(csv).toContain(`流失率,${churnOfTier.value ?? ''},${churnOfTier.count}`);
    expect(browserErrors).toEqual([]);
    await context.close();
  });

  it('a rep (English): their own figures, no team or owner filter; a lead chart opens the leads', async () => {
    const { context, page } = await signIn('en', 'rep.b2b@demo.example.com');
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await expect(page.getByTestId('workbench-kpis').textContent()).resolves.toContain(
      'Leads contacted within SLA',
    );

    await page.goto(`${url}/dashboards?from=${PERIOD.from}&to=${PERIOD.to}`);
    await page.getByTestId('dashboards-grid').waitFor();
    // A rep opens the sales dashboard first.
    await page.getByTestId('kpi-lead_funnel').waitFor();
    expect(await page.getByTestId('dashboards-owner').count()).toBe(0);
    expect(await page.getByTestId('dashboards-team').count()).toBe(0);
    expect(await trpcQuery(context, 'dashboards.filters')).toEqual({ teams: [], owners: [] });
    await page.screenshot({ path: `${SCREENSHOTS}e2e-dashboards-sales-en.png`, fullPage: true });

    await page.getByTestId('kpi-value-lead_funnel').click();
    await page.waitForURL(/\/leads\?/);
    await page.getByTestId('leads-created-filter').waitFor();
    expect(new URL(page.url()).searchParams.get('createdFrom')).toBe(PERIOD.from);
    expect(browserErrors).toEqual([]);
    await context.close();
  });
});
