import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRadio, launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * Sensitive fields in Chromium through the real server: a sales manager enters a national
 * ID, the sales rep who owns the customer sees it masked and cannot reveal it, the manager
 * reveals it, and the timeline records the reveal.
 */
let server: RunningServer;
let browser: Browser;

const NATIONAL_ID = '440304198803151233';
const PASSWORD = 'e2e passphrase 2026';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A tRPC call through the browser context's cookies (same origin, as the web app sends it). */
async function call(request: APIRequestContext, path: string, input: unknown, type: 'query' | 'mutation') {
  const url = `${server.url}/trpc/${path}`;
  const response =
    type === 'query'
      ? await request.get(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, {
          headers: { origin: server.url },
        })
      : await request.post(url, {
          headers: { origin: server.url, 'content-type': 'application/json' },
          data: JSON.stringify(input),
        });
  const body = (await response.json()) as { result?: { data: unknown }; error?: unknown };
  if (body.error) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result?.data as Record<string, unknown>;
}

/** A new user who joins the tenant by an invitation for `role`. */
async function joinAs(owner: APIRequestContext, role: string, email: string): Promise<BrowserContext> {
  const invitation = await call(owner, 'members.invitations.create', { role }, 'mutation');
  const context = await browser.newContext({ locale: 'zh-CN' });
  await call(
    context.request,
    'auth.signUp',
    {
      tenantName: `${role}的企业`,
      industry: 'b2b',
      name: role === 'sales_rep' ? '李销售' : '赵经理',
      email,
      password: PASSWORD,
    },
    'mutation',
  );
  await call(context.request, 'members.invitations.accept', { token: invitation.token }, 'mutation');
  return context;
}

describe('sensitive fields', () => {
  it('a manager enters a national ID, the owning rep sees it masked, the manager reveals it and the reveal is audited', async () => {
    const unique = crypto.randomUUID().slice(0, 8);
    const ownerContext = await browser.newContext({ locale: 'zh-CN' });
    const ownerPage = await ownerContext.newPage();
    await ownerPage.goto(`${server.url}/sign-up`);
    await ownerPage.getByTestId('signup-tenant-name').fill('江南理财顾问有限公司');
    await checkRadio(ownerPage, 'signup-industry-b2b');
    await ownerPage.getByTestId('signup-name').fill('钱总');
    await ownerPage.getByTestId('signup-email').fill(`owner.${unique}@example.com`);
    await ownerPage.getByTestId('signup-password').fill(PASSWORD);
    await ownerPage.getByTestId('signup-submit').click();
    await ownerPage.waitForURL(/\/customers/);

    const managerContext = await joinAs(
      ownerContext.request,
      'sales_manager',
      `manager.${unique}@example.com`,
    );
    const repContext = await joinAs(ownerContext.request, 'sales_rep', `rep.${unique}@example.com`);
    // One team: the manager sees the rep's customers.
    const team = await call(ownerContext.request, 'teams.create', { name: '理财一组' }, 'mutation');
    const members = (await call(ownerContext.request, 'members.list', undefined, 'query')) as unknown as {
      userId: string;
      role: string;
    }[];
    for (const member of members.filter((m) => m.role === 'sales_manager' || m.role === 'sales_rep')) {
      await call(
        ownerContext.request,
        'teams.assign',
        { userId: member.userId, teamId: team.id },
        'mutation',
      );
    }

    // The rep creates their customer.
    const rep: Page = await repContext.newPage();
    const browserErrors: string[] = [];
    rep.on('pageerror', (error) => browserErrors.push(error.message));
    await rep.goto(`${server.url}/customers`);
    const name = `孙丽-${unique}`;
    await rep.getByTestId('customers-new').click();
    // 身份证号 is a person's field: the customer is 个人.
    await checkRadio(rep, 'customer-kind-person');
    await rep.getByTestId('customer-name').fill(name);
    await rep.getByTestId('customer-submit').click();
    await rep.getByTestId('customers-table').getByText(name).click();
    await rep.waitForURL(/\/customers\/[0-9a-f-]{36}/);
    const profileUrl = rep.url();

    // The manager enters the national ID: a wrong check character is refused in the form first.
    const manager = await managerContext.newPage();
    manager.on('pageerror', (error) => browserErrors.push(error.message));
    await manager.goto(profileUrl);
    await manager.getByTestId('customer-edit').click();
    await manager.getByTestId('customer-national-id').fill('440304198803151234');
    await manager.getByTestId('customer-submit').click();
    await manager.getByText('身份证号不正确').first().waitFor();
    await manager.getByTestId('customer-national-id').fill('4403 0419 8803 1512 33');
    await manager.getByTestId('customer-submit').click();
    await manager.getByTestId('sensitive-national_id').waitFor();
    await expect(manager.getByTestId('sensitive-national_id').textContent()).resolves.toContain('**** 1233');
    await expect(manager.content()).resolves.not.toContain(NATIONAL_ID);

    // The rep sees it masked, with no way to reveal it.
    await rep.reload();
    await rep.getByTestId('sensitive-national_id').waitFor();
    await expect(rep.getByTestId('sensitive-national_id').textContent()).resolves.toContain('**** 1233');
    expect(await rep.getByTestId('sensitive-reveal').count()).toBe(0);
    await expect(rep.content()).resolves.not.toContain(NATIONAL_ID);

    // The manager reveals it: shown in place, in no URL and no browser storage.
    await manager.getByTestId('sensitive-reveal').click();
    await manager.getByTestId('sensitive-revealed').waitFor();
    await expect(manager.getByTestId('sensitive-revealed').textContent()).resolves.toContain(NATIONAL_ID);
    expect(manager.url()).not.toContain(NATIONAL_ID);
    // Evaluated in the page (browser globals), hence a string.
    const storage = String(
      await manager.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })'),
    );
    expect(storage).not.toContain(NATIONAL_ID);
    await manager.getByTestId('sensitive-hide').click();
    await expect(manager.getByTestId('sensitive-national_id').textContent()).resolves.toContain('**** 1233');

    // The rep finds the customer by the whole number: looked up by POST, never in the URL.
    const lookup = await repContext.newPage();
    await lookup.goto(`${server.url}/customers`);
    await lookup.getByTestId('customers-search').fill('４４０３０４ 1988 0315 1233');
    await lookup.getByTestId('identity-search-results').getByText(name).waitFor();
    expect(lookup.url()).not.toContain('1233');
    await lookup.close();

    // The timeline shows the change (masked) and the reveal, by the manager.
    await rep.getByTestId('customer-tab-timeline').click();
    await rep.getByTestId('timeline-list').waitFor();
    await rep.getByText('查看了身份证号的明文').waitFor();
    const timeline = await rep.getByTestId('timeline-list').textContent();
    expect(timeline).toContain('赵经理');
    expect(timeline).toContain('**** 1233');
    expect(timeline).not.toContain(NATIONAL_ID);
    await manager.screenshot({ path: `${SCREENSHOTS}e2e-sensitive-manager.png`, fullPage: true });
    await rep.screenshot({ path: `${SCREENSHOTS}e2e-sensitive-rep.png`, fullPage: true });
    expect(browserErrors).toEqual([]);
  });
});
