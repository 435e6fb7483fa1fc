import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, signInDemo, startServer } from './server-process';

/**
 * A ticket's detail on the demo data, in Chromium through the real server, as the retail
 * service agent: the list's SLA badges; a new ticket taken from the queue, answered (the first
 * reply stops the first-response clock and moves it to 处理中), an internal note, an attachment
 * kept and a web page refused by its content; then every move — waiting on the customer (the
 * clock paused and shown), back to 处理中 (running again), resolved (met, its resolution time),
 * closed (only 重新打开 left) and reopened — each on the timeline. Both languages.
 */
let server: RunningServer | undefined;
let url: string;
let browser: Browser;

beforeAll(async () => {
  // SERVICE_E2E_URL: a server already running with fresh demo data.
  if (process.env.SERVICE_E2E_URL) url = process.env.SERVICE_E2E_URL;
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

/** A tRPC call from the signed-in page, as the web app makes it (same origin, its cookie). */
async function call<T>(page: Page, path: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  return page.evaluate(
    async ({ path, input, method }) => {
      const response =
        method === 'GET'
          ? await fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
          : await fetch(`/trpc/${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(input),
            });
      const body = (await response.json()) as { result?: { data: unknown }; error?: unknown };
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body.error)}`);
      return body.result?.data;
    },
    { path, input, method },
  ) as Promise<T>;
}

const WORDS = {
  'zh-CN': {
    note: '内部备注',
    reply: '您好，非常抱歉，我们已安排换货，预计两天内送达。',
    noteBody: '已核对库存，换货单已提交仓库。',
    refused: '不支持此类文件',
    paused: '暂停于',
    resolvedAt: '解决时间',
    reopen: '重新打开',
    statuses: {
      in_progress: '处理中',
      waiting_on_customer: '等待客户',
      resolved: '已解决',
      closed: '已关闭',
    },
  },
  en: {
    note: 'Internal note',
    reply: 'Sorry about this: an exchange is on its way and should arrive within two days.',
    noteBody: 'Stock checked; the exchange order is with the warehouse.',
    refused: 'This kind of file is not accepted',
    paused: 'Paused since',
    resolvedAt: 'Resolved',
    reopen: 'Reopen',
    statuses: {
      in_progress: 'In progress',
      waiting_on_customer: 'Waiting on customer',
      resolved: 'Resolved',
      closed: 'Closed',
    },
  },
} as const;

const slaState = (page: Page) =>
  page.getByTestId('ticket-sla-card').getByTestId('ticket-sla').getAttribute('data-state');

async function move(page: Page, to: string, comment: string) {
  await page.getByTestId(`ticket-move-${to}`).click();
  await page.getByTestId('ticket-move-comment').fill(comment);
  await page.getByTestId('ticket-move-confirm').click();
  await page.getByTestId('ticket-move-comment').waitFor({ state: 'detached' });
}

describe('a ticket worked through every status', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    it(`is answered, noted, given a file, paused, resolved, closed and reopened, its SLA shown (${language})`, async () => {
      const words = WORDS[language];
      const { context, page } = await signInDemo(browser, url, language, 'service.retail@demo.example.com');
      const browserErrors: string[] = [];
      page.on('pageerror', (error) => browserErrors.push(error.message));

      // The list: every row has its SLA badge; the demo's breached tickets are counted.
      await page.goto(`${url}/tickets`);
      const table = page.getByTestId('tickets-table');
      await table.getByTestId('ticket-sla').first().waitFor();
      const states = await table
        .getByTestId('ticket-sla')
        .evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-state')));
      expect(states.length).toBeGreaterThanOrEqual(3);
      expect(states).toContain('breached');
      expect(states).toContain('paused');
      expect(
        Number((await page.getByTestId('ticket-view-breached').textContent())?.replace(/\D/g, '')),
      ).toBeGreaterThan(0);

      // A new ticket in the queue (as a customer's call would open it).
      const customers = await call<{ items: { id: string }[] }>(page, 'customers.list', { limit: 5 }, 'GET');
      const subject = `${language === 'en' ? 'Coat pilling after two wears' : '大衣穿两次就起球'} ${crypto.randomUUID().slice(0, 6)}`;
      const created = await call<{ ticket: { id: string; number: number } }>(
        page,
        'tickets.create',
        {
          customerId: customers.items[language === 'en' ? 1 : 0]?.id,
          type: 'complaint',
          subject,
          description: language === 'en' ? 'The customer asks for an exchange.' : '客户要求换货。',
          channel: 'phone',
        },
        'POST',
      );
      await page.getByTestId('ticket-search').fill(subject);
      await page.getByTestId('ticket-view-all').click();
      const row = table.locator('tbody tr').filter({ hasText: subject });
      await expect
        .poll(() => row.getByTestId('ticket-sla').getAttribute('data-state'), { timeout: 15_000 })
        .toBe('on_track');
      await row.getByTestId('ticket-link').click();
      await page.waitForURL(new RegExp(`/tickets/${created.ticket.id}$`));
      await page.getByTestId('ticket-sla-card').waitFor();
      expect(await slaState(page)).toBe('on_track');

      // Taken from the queue, answered: 处理中, the first response recorded.
      await page.getByTestId('ticket-take').click();
      await page.getByTestId('ticket-reply-body').fill(words.reply);
      await page.getByTestId('ticket-reply-send').click();
      const events = page.getByTestId('ticket-events');
      await events.locator('[data-kind="reply"]').getByText(words.reply).waitFor();
      await expect
        .poll(() => page.getByTestId('ticket-status').first().textContent())
        .toBe(words.statuses.in_progress);
      await expect
        .poll(() => page.getByTestId('ticket-sla-first').textContent())
        .toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

      // An internal note.
      await page.getByTestId('ticket-reply-kind').getByText(words.note).click();
      await page.getByTestId('ticket-reply-body').fill(words.noteBody);
      await page.getByTestId('ticket-reply-send').click();
      await events.locator('[data-kind="note"]').getByText(words.noteBody).waitFor();

      // A text file is kept; a web page named as anything is refused by its content.
      const folder = tmpdir();
      const receipt = join(folder, `receipt-${language}.txt`);
      writeFileSync(receipt, '订单号 2026120800123\n换货原因：起球\n');
      const page2 = join(folder, `photo-${language}.png.html`);
      writeFileSync(page2, '<!doctype html><html><body><script>alert(1)</script></body></html>');
      for (const file of [receipt, page2]) {
        const chooser = page.waitForEvent('filechooser');
        await page.getByTestId('ticket-upload').click();
        await (await chooser).setFiles(file);
        if (file === receipt)
          await page.getByTestId('ticket-attachments').getByText(`receipt-${language}.txt`).waitFor();
      }
      await page.locator('.ant-message').getByText(words.refused, { exact: false }).waitFor();
      expect(await page.getByTestId('ticket-attachments').textContent()).not.toContain('photo-');
      await page.screenshot({ path: `${SCREENSHOTS}e2e-ticket-worked-${language}.png`, fullPage: true });

      // Waiting on the customer: the clock pauses, and the card says since when.
      await move(page, 'waiting_on_customer', language === 'en' ? 'Asked for a photo' : '请客户补充照片');
      await expect.poll(() => slaState(page)).toBe('paused');
      await page.getByTestId('ticket-sla-card').getByText(words.paused).waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}e2e-ticket-paused-${language}.png`, fullPage: true });

      // Back to work: the resolution clock runs again.
      await move(page, 'in_progress', language === 'en' ? 'Photo received' : '客户已补充照片');
      await expect.poll(() => slaState(page)).toMatch(/on_track|at_risk/);
      expect(await page.getByTestId('ticket-sla-card').textContent()).not.toContain(words.paused);

      // Resolved within its targets: met, with when it was resolved.
      await move(page, 'resolved', language === 'en' ? 'Exchange delivered' : '换货已送达');
      await expect.poll(() => slaState(page)).toBe('met');
      const card = page.getByTestId('ticket-sla-card');
      await card.getByText(words.resolvedAt, { exact: true }).waitFor();
      expect(await page.getByTestId('ticket-sla-resolution').textContent()).toMatch(
        /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
      );
      expect(await card.textContent()).not.toContain(words.paused);

      // Closed: nothing left to do but reopen; the composer is gone.
      await move(page, 'closed', language === 'en' ? 'Customer confirmed' : '客户确认已解决');
      await expect
        .poll(() => page.getByTestId('ticket-status').first().textContent())
        .toBe(words.statuses.closed);
      await expect(page.getByTestId('ticket-composer').count()).resolves.toBe(0);
      const moves = await page.locator('[data-testid^="ticket-move-"]').allTextContents();
      expect(moves).toEqual([words.reopen]);
      await page.screenshot({ path: `${SCREENSHOTS}e2e-ticket-closed-${language}.png`, fullPage: true });

      // Reopened: 处理中 again, the clock running.
      await move(page, 'in_progress', language === 'en' ? 'The coat pills again' : '客户反馈又起球了');
      await expect
        .poll(() => page.getByTestId('ticket-status').first().textContent())
        .toBe(words.statuses.in_progress);
      await expect.poll(() => slaState(page)).toMatch(/on_track|at_risk/);
      await page.getByTestId('ticket-composer').waitFor();

      // Every move is on the timeline.
      expect(await events.locator('[data-kind="status"]').count()).toBeGreaterThanOrEqual(6);
      await page.screenshot({ path: `${SCREENSHOTS}e2e-ticket-reopened-${language}.png`, fullPage: true });
      expect(browserErrors).toEqual([]);
      await context.close();
    });
  }
});

describe('from a complaint to the customer’s answer', () => {
  it('a complaint becomes a ticket in one click; closed, its CSAT link is answered on a phone and a low score opens a follow-up', async () => {
    const { context: repContext, page: rep } = await signInDemo(
      browser,
      url,
      'zh-CN',
      'rep1.retail@demo.example.com',
    );
    const browserErrors: string[] = [];
    rep.on('pageerror', (error) => browserErrors.push(error.message));
    const customers = await call<{ items: { id: string }[] }>(rep, 'customers.list', { limit: 5 }, 'GET');
    const customerId = customers.items[2]?.id as string;
    const summary = `客户来电投诉：新买的羊绒大衣起球严重，要求换货 ${crypto.randomUUID().slice(0, 6)}`;
    await call(
      rep,
      'interactions.log',
      { customerId, kind: 'call', summary, sentiment: 'complaint' },
      'POST',
    );

    // 转为工单 on the complaint in 沟通记录; it then links to its ticket.
    await rep.goto(`${url}/customers/${customerId}`);
    await rep.getByTestId('customer-tab-interactions').click();
    const item = rep.getByTestId('interaction-item').filter({ hasText: summary });
    await item.getByTestId('complaint-ticket').click();
    await item.getByTestId('complaint-ticket-link').click();
    await rep.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    const ticketUrl = rep.url();
    await rep.getByTestId('ticket-sla-card').waitFor();
    expect(await rep.getByTestId('ticket-title').textContent()).toContain('羊绒大衣起球');
    expect(await slaState(rep)).toMatch(/on_track|at_risk/);
    await rep.screenshot({ path: `${SCREENSHOTS}e2e-ticket-from-complaint.png`, fullPage: true });

    // The service desk answers, resolves and closes it.
    const { context: agentContext, page: agent } = await signInDemo(
      browser,
      url,
      'zh-CN',
      'service.retail@demo.example.com',
    );
    await agent.goto(ticketUrl);
    await agent.getByTestId('ticket-sla-card').waitFor();
    if ((await agent.getByTestId('ticket-take').count()) > 0) await agent.getByTestId('ticket-take').click();
    await agent.getByTestId('ticket-reply-body').fill('您好，已为您安排换货，请留意物流信息。');
    await agent.getByTestId('ticket-reply-send').click();
    await agent.getByTestId('ticket-events').locator('[data-kind="reply"]').first().waitFor();
    await move(agent, 'resolved', '换货已送达');
    await move(agent, 'closed', '客户确认');
    await expect.poll(() => agent.getByTestId('ticket-status').first().textContent()).toBe('已关闭');
    await agentContext.close();

    // Closing sends the customer a CSAT survey: its link, as the rep would paste it into WeChat.
    type Invitations = { items: { id: string; occasion: string; status: string }[] };
    let invitationId: string | undefined;
    await expect
      .poll(
        async () => {
          const invitations = await call<Invitations>(rep, 'surveys.invitations', { customerId }, 'GET');
          invitationId = invitations.items.find((invitation) =>
            invitation.occasion.startsWith('ticket_closed:'),
          )?.id;
          return invitationId;
        },
        { timeout: 30_000 },
      )
      .toBeDefined();
    const link = await call<{ url: string }>(rep, 'surveys.link', { id: invitationId }, 'GET');

    // The customer answers on a phone, without signing in: the lowest score.
    const phone = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await phone.newPage();
    await page.goto(link.url.replace(/^https?:\/\/[^/]+/, url));
    const fieldsets = page.locator('fieldset');
    for (let index = 0; index < (await fieldsets.count()); index += 1) {
      const fieldset = fieldsets.nth(index);
      if ((await fieldset.locator('label').count()) > 0) await fieldset.locator('label').first().tap();
      else if ((await fieldset.locator('textarea').count()) > 0)
        await fieldset.locator('textarea').fill('换货太慢了');
    }
    await page.locator('button[type=submit]').tap();
    await page.locator('[role=status]').getByText('感谢您的反馈', { exact: false }).waitFor();
    await phone.close();

    // The low score opens a follow-up for the customer's owner, shown under 差评回访.
    type FollowUps = { items: { customerId: string; status: string; taskId: string | null }[] };
    await expect
      .poll(
        async () =>
          (await call<FollowUps>(rep, 'surveys.followUps', { status: 'open' }, 'GET')).items.some(
            (followUp) => followUp.customerId === customerId && followUp.taskId !== null,
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    await rep.goto(`${url}/surveys?tab=followUps`);
    await rep.locator('.ant-table-row').first().waitFor();
    await rep.screenshot({ path: `${SCREENSHOTS}e2e-ticket-csat-follow-up.png`, fullPage: true });
    expect(browserErrors).toEqual([]);
    await repContext.close();
  });
});
