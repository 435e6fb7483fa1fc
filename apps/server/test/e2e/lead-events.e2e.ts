import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, signInDemo, startServer } from './server-process';

/**
 * Behaviour events on the demo data, in Chromium through the real server (the retail
 * profile: one open and one click within 3 days lift a lead one grade): a visitor who only
 * browses leaves a C lead through the hosted form; marketing sends a campaign to the C leads
 * from 营销; the visitor opens the email and clicks its link; the lead is B within seconds.
 * The 营销 pages in both languages.
 */
let server: RunningServer | undefined;
let url: string;
let browser: Browser;

beforeAll(async () => {
  if (process.env.LEAD_EVENTS_E2E_URL) url = process.env.LEAD_EVENTS_E2E_URL;
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

const signIn = (language: 'zh-CN' | 'en', email: string) => signInDemo(browser, url, language, email);

/** A tRPC query from the signed-in page (its session cookie). */
async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await page.request.get(`${url}/trpc/${path}${search}`);
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

describe('behaviour events on the demo data', () => {
  it('a hosted form’s lead is graded and moved up by the form rule; a C lead opens the campaign email, clicks, and is B within seconds', async () => {
    const { context, page } = await signIn('zh-CN', 'marketing.retail@demo.example.com');
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));

    // 营销 → 线索表单: the demo's form, its embed code.
    await page.getByRole('link', { name: /营销/ }).first().click();
    await page.waitForURL(/\/marketing/);
    await page.getByRole('tab', { name: '线索表单' }).click();
    const forms = page.getByTestId('lead-forms-table');
    await forms.getByTestId('lead-form-embed').first().click();
    const snippet = (await page.getByTestId('lead-form-snippet').textContent()) ?? '';
    const formUrl = /src="([^"]+)"/.exec(snippet)?.[1];
    expect(formUrl).toMatch(/\/f\/[A-Za-z0-9_-]{94}$/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-marketing-form-embed.png`, fullPage: true });
    await page.keyboard.press('Escape');

    // A visitor on a phone who only browses.
    const visitorContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    });
    const visitor = await visitorContext.newPage();
    await visitor.goto(formUrl as string);
    const email = `visitor.${crypto.randomUUID().slice(0, 8)}@example.com`;
    await visitor.locator('#name').fill('访客小林');
    await visitor.locator('#email').fill(email);
    await visitor.locator('#intent').selectOption('browsed');
    await visitor.screenshot({ path: `${SCREENSHOTS}e2e-hosted-form-mobile.png`, fullPage: true });
    await visitor.getByRole('button', { name: '提交' }).click();
    await visitor.getByText('提交成功').waitFor();

    // 营销 → 营销活动: a campaign to the C leads, sent from the page.
    await page.getByRole('tab', { name: '营销活动' }).click();
    await page.getByTestId('campaign-create').click();
    const name = `浏览客户回访 ${crypto.randomUUID().slice(0, 4)}`;
    await page.getByTestId('campaign-name').fill(name);
    await page.getByTestId('campaign-subject').fill('{{name}}，为您准备了新品清单');
    await page
      .getByTestId('campaign-body')
      .fill('{{name}} 您好：\n新品清单见 https://example.com/new-arrivals 。');
    await page.getByTestId('campaign-grades').click();
    await page.getByTitle('C', { exact: true }).click();
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.getByTestId('campaign-audience-count').textContent(), { timeout: 15_000 })
      .toMatch(/符合条件的线索：[1-9]\d* 条/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-marketing-campaign-form.png`, fullPage: true });
    await page.getByTestId('campaign-submit').click();
    const row = page.getByTestId('campaigns-table').locator('tr', { hasText: name });
    await row.getByTestId('campaign-send').click();
    await page.getByTestId('campaign-send-confirm').click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('已发送');

    // The visitor's lead: C by its intent (only browsed), then up one by the retail plugin's
    // re-grade rule for a form submitted within 7 days — B within seconds.
    const visitorLead = async () => {
      const found = await query<{ items: { email: string | null; grade: string | null }[] }>(
        page,
        'leads.list',
        {
          search: email,
          limit: 5,
        },
      );
      return found.items.find((item) => item.email === email)?.grade ?? null;
    };
    await expect.poll(visitorLead, { timeout: 30_000 }).toBe('B');

    // A C lead the campaign reached (the dev mailbox without SMTP): its pixel and its link.
    const owner = await signIn('zh-CN', 'owner@demo.example.com');
    const outbox = await query<{ items: { to: string; subject: string; html: string | null }[] }>(
      owner.page,
      'email.list',
      { limit: 50 },
    );
    const sent = outbox.items.find((item) => item.subject.includes('为您准备了新品清单'));
    const recipient = sent?.to ?? '';
    const html = sent?.html ?? '';
    const leadOf = async () => {
      const found = await query<{ items: { email: string | null; grade: string | null }[] }>(
        page,
        'leads.list',
        {
          search: recipient,
          limit: 5,
        },
      );
      return found.items.find((item) => item.email === recipient)?.grade ?? null;
    };
    expect(await leadOf()).toBe('C');
    const pixel = /<img src="([^"]+\.gif)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    const link = /<a href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(pixel).toBeDefined();
    expect(link).toBeDefined();

    // The visitor opens it and clicks.
    const started = Date.now();
    await visitor.goto(pixel as string);
    // The click redirects to the signed target only (not followed: this machine has no internet).
    const click = await visitorContext.request.get(link as string, { maxRedirects: 0 });
    expect([301, 302, 303, 307]).toContain(click.status());
    expect(click.headers().location).toBe('https://example.com/new-arrivals');
    const deadline = started + 30_000;
    let grade = await leadOf();
    while (grade !== 'B') {
      if (Date.now() > deadline) throw new Error(`still ${grade} 30 s after the click`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      grade = await leadOf();
    }
    console.log(`lead re-graded C → B ${((Date.now() - started) / 1000).toFixed(1)} s after the open`);

    // The campaign counts the open and the click.
    await page.reload();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/1（/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-marketing-campaigns.png`, fullPage: true });
    expect(browserErrors).toEqual([]);
    await visitorContext.close();
    await owner.context.close();
    await context.close();
  });

  it('shows 营销 in English', async () => {
    const { context, page } = await signIn('en', 'marketing.retail@demo.example.com');
    await page.goto(`${url}/marketing`);
    await page.getByRole('tab', { name: 'Campaigns' }).waitFor();
    await page.getByTestId('campaigns-table').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-marketing-campaigns-en.png`, fullPage: true });
    await page.getByRole('tab', { name: 'Lead forms' }).click();
    await page.getByTestId('lead-forms-table').getByRole('columnheader', { name: 'Submissions' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-marketing-forms-en.png`, fullPage: true });
    await context.close();
  });
});
