import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, signInDemo, startServer } from './server-process';

/**
 * The sales side on the b2b demo tenant, in Chromium through the real server, as its sales rep:
 * a lead created from 线索 is graded A with its follow-up limit, and a logged contact makes it
 * contacted; a lead is claimed from the 公海; a new opportunity is refused at the 需求沟通 gate
 * with the missing needs named, passes once they are recorded, and won makes the order on the
 * customer. The 销售指标 view shows the win. Waits are on the page and on polled reads, never
 * fixed sleeps.
 */
let server: RunningServer | undefined;
let url: string;
let browser: Browser;

beforeAll(async () => {
  if (process.env.PIPELINE_E2E_URL) url = process.env.PIPELINE_E2E_URL;
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
  // A shared, busy machine: actions wait longer for the page before they count as failures.
  signedIn.page.setDefaultTimeout(60_000);
  return signedIn;
}

/** A tRPC query from the signed-in page (its session cookie). */
async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await page.request.get(`${url}/trpc/${path}${search}`);
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

/** A tRPC mutation from the signed-in page, as the web app sends it (same origin). */
async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`${url}/trpc/${path}`, {
    data: input,
    headers: { origin: url, 'content-type': 'application/json' },
  });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

type LeadRow = { id: string; name: string; grade: string | null; status: string; ownerUserId: string | null };

describe('leads, the 公海 and the pipeline on the demo data', () => {
  it('a lead created from 线索 is graded A with its follow-up limit, and a logged contact makes it contacted', async () => {
    const { context, page } = await signIn('zh-CN', 'rep.b2b@demo.example.com');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/leads`);
    await page.getByTestId('lead-row-name').first().waitFor();
    await page.getByTestId('lead-new').click();
    const company = `端到端测试机械 ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByTestId('lead-form-person').fill('钱志远');
    await page.getByTestId('lead-form-company').fill(company);
    await page.getByTestId('lead-form-phone').fill(`139${String(Date.now()).slice(-8)}`);
    await page.getByTestId('lead-form-intent').click();
    await page.getByTitle('了解价格 / 获取报价', { exact: true }).click();
    await page.getByTestId('lead-form-submit').click();

    // The drawer opens on the new lead: A, the follow-up clock running.
    await expect
      .poll(() => page.getByTestId('lead-drawer-title').textContent(), { timeout: 15_000 })
      .toContain(company);
    const drawer = page.locator('.ant-drawer', { has: page.getByTestId('lead-drawer-title') });
    await expect.poll(() => drawer.getByTestId('lead-grade').first().textContent()).toContain('A');
    await expect.poll(() => drawer.getByTestId('lead-sla').first().textContent()).toBeTruthy();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-pipeline-lead-created.png`, fullPage: true });

    await page.getByTestId('lead-log-contact').click();
    await page.getByTestId('lead-contact-summary').fill('电话沟通，对方要设备报价，约下周上门');
    await page.getByTestId('lead-contact-submit').click();
    await expect
      .poll(async () => {
        const found = await query<{ items: LeadRow[] }>(page, 'leads.list', { search: company, limit: 5 });
        return found.items[0]?.status ?? null;
      })
      .toBe('contacted');
    await expect.poll(() => drawer.getByTestId('lead-status').first().textContent()).toContain('已联系');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a rep claims a lead from the 公海 and it is theirs', async () => {
    const { context, page } = await signIn('zh-CN', 'rep.b2b@demo.example.com');
    const me = await query<{ user: { id: string } }>(page, 'auth.me');
    await page.goto(`${url}/pool`);
    const claim = page
      .locator('[data-testid^="pool-claim-"]:not([data-testid="pool-claim-selected"])')
      .first();
    await claim.waitFor();
    const id = ((await claim.getAttribute('data-testid')) ?? '').replace('pool-claim-', '');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const before = (await page.getByTestId('pool-remaining').textContent()) ?? '';
    await claim.click();
    await expect
      .poll(
        async () => {
          const lead = await query<{ ownerUserId: string | null }>(page, 'leads.get', { id }).catch(
            () => null,
          );
          return lead?.ownerUserId ?? null;
        },
        { timeout: 15_000 },
      )
      .toBe(me.user.id);
    await expect.poll(() => page.getByTestId('pool-remaining').textContent()).not.toBe(before);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-pipeline-pool-claimed.png`, fullPage: true });
    await context.close();
  });

  it('an opportunity is refused at the gate until 3 needs are recorded, then won with its order', async () => {
    const { context, page } = await signIn('zh-CN', 'rep.b2b@demo.example.com');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/opportunities`);
    await page.getByTestId('pipeline-board').waitFor();
    await page.getByTestId('opportunity-new').click();
    const name = `端到端商机 ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByTestId('opportunity-name').fill(name);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();

    // The drawer opens on the new deal in 需求沟通; moving it on is refused, naming what is missing.
    const move = page.getByTestId('drawer-move');
    await move.waitFor();
    await move.click();
    await page.getByTitle('方案制定', { exact: true }).click();
    const refusal = page.getByTestId('gate-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/需求沟通.*3 条核心需求.*已记录 0 条/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-pipeline-gate-refused.png`, fullPage: true });
    await page.getByRole('dialog').filter({ has: refusal }).getByRole('button').last().click();

    // Three needs recorded in the drawer; the move passes.
    const needs = page.getByTestId('needs-input');
    for (const need of ['产线节拍提升 20%', '交期 30 天内', '与现有 ERP 对接']) {
      await needs.click();
      await page.keyboard.type(need);
      await page.keyboard.press('Enter');
    }
    await page.getByTestId('drawer-save').click();
    const deals = await query<{ items: { id: string; name: string }[] }>(page, 'opportunities.list', {
      filters: { q: name },
      limit: 5,
    });
    const id = deals.items[0]?.id as string;
    await expect
      .poll(async () => (await query<{ needs: string[] }>(page, 'opportunities.get', { id })).needs.length)
      .toBe(3);
    await move.click();
    await page.getByTitle('方案制定', { exact: true }).click();
    await expect
      .poll(async () => (await query<{ stage: string }>(page, 'opportunities.get', { id })).stage, {
        timeout: 15_000,
      })
      .toBe('b2b_stage_proposal');

    // What 方案制定 and 商务谈判 ask for (proposal sent, amount and lines, contract reviewed, a
    // decision chain) recorded, then won from the drawer: the order is on the customer.
    await mutate(page, 'opportunities.update', {
      id,
      lines: [{ product: '数控加工中心 VMC-850', quantity: '2', unitPrice: '385000' }],
      decisionChain: [{ name: '周总', title: '总经理', role: 'decision_maker' }],
    });
    await mutate(page, 'opportunities.setAction', { id, action: 'b2b_action_proposal_sent', done: true });
    await mutate(page, 'opportunities.move', { id, stage: 'b2b_stage_negotiation' });
    await mutate(page, 'opportunities.setAction', { id, action: 'b2b_action_contract_review', done: true });
    await page.reload();
    await page.getByTestId('drawer-move').waitFor();
    await page.getByTestId('drawer-move').click();
    await page.getByTitle('赢单', { exact: true }).click();
    const won = await (async () => {
      let detail: { stage: string; orderId: string | null; customerId: string | null } | null = null;
      await expect
        .poll(
          async () => {
            detail = await query(page, 'opportunities.get', { id });
            return detail?.orderId ?? null;
          },
          { timeout: 20_000 },
        )
        .not.toBeNull();
      return detail as unknown as { stage: string; orderId: string; customerId: string };
    })();
    expect(won.stage).toBe('b2b_stage_won');
    const orders = await query<{ items: { id: string; amount: string }[] }>(page, 'orders.list', {
      customerId: won.customerId,
    });
    expect(orders.items.find((order) => order.id === won.orderId)?.amount).toMatch(/^770000(\.0+)?$/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-pipeline-won.png`, fullPage: true });

    // 销售指标 counts it.
    await page.goto(`${url}/opportunities?view=metrics`);
    await page.getByTestId('sales-card-winRate').waitFor();
    await expect.poll(() => page.getByTestId('sales-reps').textContent()).toContain('孙浩然');
    await page.screenshot({ path: `${SCREENSHOTS}e2e-pipeline-metrics.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
