import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

/**
 * Nothing raw on screen: signs in to the demo and walks every page of the app — each demo
 * tenant (B2B, retail, banking), in zh-CN and in en — and fails on visible text that looks
 * like an internal: a snake_case, dotted or camelCase identifier (merged_into, imports.run,
 * an i18n key that was not translated), a UUID, an English option key shown in Chinese
 * (high / low), an unlabeled fraction ("5 / 5"), an English plural without a rule ("1 items"),
 * or "undefined" / "null" / "NaN" / "[object Object]". It reads the page's visible text, the
 * title, placeholder, aria-label and alt attributes, and opens the drawers and pickers that
 * matter (create customer, edit, more filters, the column picker, the merge dialog, the tier
 * preview). Each finding names the page, the language and the text, so the failure says what
 * to fix.
 *
 * RAW_TEXT_URL=http://localhost:<port> walks an already running demo server instead of
 * starting one (for fixing findings one by one).
 */
let server: RunningServer | null = null;
let url: string;
let browser: Browser;
/** A webhook receiver on this machine answering 204 (the 开放平台 page's endpoint delivers here). */
let receiver: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/crm/webhook`;
  if (process.env.RAW_TEXT_URL) url = process.env.RAW_TEXT_URL;
  else {
    // The receiver is on this machine: the server lets webhooks reach a private address.
    process.env.WEBHOOKS_ALLOW_PRIVATE = '1';
    server = await startServer({ seedDemo: true });
    url = server.url;
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

type Language = 'zh-CN' | 'en';
type Finding = { page: string; language: Language; rule: string; text: string; context: string };

/*
 * The allowlist: text that is meant to look like this, each for a reason.
 */
const ALLOWED: { pattern: RegExp; why: string }[] = [
  // An email address is data a user typed (the demo's owner@demo.example.com, contacts' addresses).
  { pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, why: 'email' },
  // A web address is meant to be copied as it is (the public URL, a plugin's homepage).
  { pattern: /\bhttps?:\/\/[^\s，。、）)]+/g, why: 'url' },
  // A file name or a file type is written with its extension (客户.xlsx, "支持 .xlsx 和 .csv").
  { pattern: /[\w\u4e00-\u9fff-]*\.(?:csv|xlsx|xls|json|txt|pdf|png|jpg)\b/gi, why: 'file name' },
  // English abbreviations, not identifiers.
  { pattern: /\b(?:e\.g|i\.e)\./g, why: 'abbreviation' },
];

/** The rules, each a pattern over the visible text (after the allowlist is taken out). */
const RULES: { name: string; pattern: RegExp; languages?: Language[] }[] = [
  { name: 'UUID', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  // merged_into, TAG_NAME_TAKEN, b2b_strategic
  { name: 'snake_case identifier', pattern: /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/gi },
  // imports.run, customers.manage, an i18n key (customers.detail.tabs.x); not "e.g." or "3.5".
  { name: 'dotted identifier', pattern: /\b[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+\b/g },
  // ownerUserId, tierScore (a field or i18n key leaking); not a brand written iPhone.
  { name: 'camelCase identifier', pattern: /\b[a-z]{2,}[A-Z][a-zA-Z]*\b/g },
  { name: 'undefined / null / NaN', pattern: /\b(?:undefined|null|NaN|Invalid Date)\b|\[object Object\]/g },
  // "5 / 5" with nothing saying what is counted (a label in the same sentence is fine: see unlabeled()).
  { name: 'unlabeled fraction', pattern: /(?<![\d.,])\d+\s+\/\s+\d+(?![\d.,])/g },
  // "1 items", "1 customers": an English count without a plural rule; "item(s)" dodges the rule.
  // (Not a decimal that ends in 1: "13.1 days" is right.)
  { name: 'plural without a rule', pattern: /(?<![\d.,])1 [a-z]+s\b|\b[a-z]+\(s\)/g, languages: ['en'] },
  // A rule by its number ("第 2 条规则", "Rule 2 holds") instead of what it says.
  { name: 'rule by number', pattern: /第\s*\d+\s*条规则|\bRule \d+\b/g },
  // In Chinese, a lowercase Latin word is a key that was not given its label (high / low / strategic).
  { name: 'English word in zh-CN', pattern: /(?<![\w-])[a-z]{2,}(?![\w-])/g, languages: ['zh-CN'] },
];

/** A fraction is labeled when its line also says what it counts ("已处理 5 / 5 行"), not when it stands alone. */
function unlabeled(line: string, match: string): boolean {
  const rest = line.replace(match, '').replace(/[\s·:：,，()（）%]/g, '');
  return rest.length === 0;
}

function check(language: Language, page: string, texts: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const text of texts) {
    for (const rawLine of text.split('\n')) {
      let line = rawLine.trim();
      if (!line) continue;
      for (const allowed of ALLOWED) line = line.replace(allowed.pattern, ' ');
      for (const rule of RULES) {
        if (rule.languages && !rule.languages.includes(language)) continue;
        for (const match of line.matchAll(rule.pattern)) {
          if (rule.name === 'unlabeled fraction' && !unlabeled(line, match[0])) continue;
          findings.push({
            page,
            language,
            rule: rule.name,
            text: match[0],
            context: rawLine.trim().slice(0, 120),
          });
        }
      }
    }
  }
  return findings;
}

/**
 * Everything a user reads on the page now, one line per block: the visible text, the document
 * title, and the title / placeholder / aria-label / alt of visible elements. Lines break at
 * every element that is not inline (a tag, a cell, a button), so two tags side by side are not
 * read as one word. Not read:
 * - what is not rendered or cannot be seen (display none, visibility hidden, opacity 0, or a
 *   zero-size box that clips its content — rc-select keeps its option values there for screen
 *   readers, beside their labels);
 * - text marked as written in the other language (`lang="en"` in the Chinese UI): a custom
 *   field's English label shown to the admin beside the Chinese one is meant to be English;
 * - antd's icons' aria-label (aria-label="setting"): a library default on decorative glyphs.
 */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(READ_VISIBLE_TEXT);
}

// Browser-side code, as a script: the server's tsconfig has no DOM types, and loading them for
// one test would let server code use browser globals unnoticed.
const READ_VISIBLE_TEXT = `(() => {
  const language = document.documentElement.lang;
  const lines = [];
  const attributes = [];
  let line = '';
  const flush = () => {
    if (line.trim()) lines.push(line.replace(/\\s+/g, ' ').trim());
    line = '';
  };
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      line += node.textContent ?? '';
      return;
    }
    if (!(node instanceof HTMLElement || node instanceof SVGElement)) return;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(node.tagName)) return;
    const style = getComputedStyle(node);
    if (style.display === 'none') return;
    if (!node.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return;
    const box = node.getBoundingClientRect();
    if ((box.width === 0 || box.height === 0) && style.overflow === 'hidden') return;
    const lang = node.getAttribute('lang');
    if (lang && language && lang !== language) return;
    if (!(node.closest('.anticon') || node.getAttribute('role') === 'img')) {
      for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
        const value = node.getAttribute(name);
        if (value) attributes.push(value);
      }
    }
    const inline = style.display === 'inline' || style.display === 'contents';
    if (!inline || node.tagName === 'BR') flush();
    for (const child of node.childNodes) walk(child);
    if (!inline) flush();
  };
  walk(document.body);
  flush();
  return [...lines, ...attributes, document.title];
})()`;

/** Not loaded yet: the app has not mounted, or a skeleton or a spinner shows. */
const LOADING = `(document.getElementById('root')?.childElementCount ?? 0) === 0 ||
  document.querySelector('.ant-skeleton-active, .ant-spin-spinning, .ant-btn-loading') !== null`;

async function trpcQuery(context: BrowserContext, path: string, input?: unknown) {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await context.request.get(`${url}/trpc/${path}${query}`);
  const body = await response.json();
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.result.data;
}

async function trpcMutation(context: BrowserContext, path: string, input: unknown) {
  const response = await context.request.post(`${url}/trpc/${path}`, {
    headers: { origin: url, 'content-type': 'application/json' },
    data: input,
  });
  const body = await response.json();
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.result.data;
}

async function switchTo(context: BrowserContext, tenantId: string) {
  const response = await context.request.post(`${url}/trpc/tenants.switch`, {
    headers: { origin: url, 'content-type': 'application/json' },
    data: { tenantId },
  });
  expect(response.ok()).toBe(true);
}

class Walk {
  findings: Finding[] = [];
  visited: string[] = [];
  private inFlight = new Set<Request>();
  private lastActivity = Date.now();
  constructor(
    readonly page: Page,
    readonly language: Language,
  ) {
    const started = (request: Request) => {
      this.inFlight.add(request);
      this.lastActivity = Date.now();
    };
    const ended = (request: Request) => {
      this.inFlight.delete(request);
      this.lastActivity = Date.now();
    };
    page.on('request', started);
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
  }

  /**
   * Waits until the page has stopped loading: no request in flight for a moment, no skeleton
   * or spinner. (Not Playwright's networkidle: it waits half a second each time.)
   */
  async settle() {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const quiet = this.inFlight.size === 0 && Date.now() - this.lastActivity > 300;
      if (quiet) {
        // Rendered (the app has mounted), and nothing shows a skeleton or a spinner.
        const loading = await this.page.evaluate<boolean>(LOADING);
        if (!loading) return;
      }
      if (Date.now() > deadline) {
        if (process.env.RAW_TEXT_DEBUG)
          console.log(
            'still loading:',
            [...this.inFlight].map((request) => request.url()),
          );
        return;
      }
      await this.page.waitForTimeout(50);
    }
  }

  async look(name: string) {
    const t0 = Date.now();
    await this.settle();
    if (process.env.RAW_TEXT_DEBUG) console.log(`${this.language} ${name}: settled in ${Date.now() - t0} ms`);
    this.visited.push(`${this.language} ${name}`);
    const t1 = Date.now();
    const texts = await visibleTexts(this.page);
    if (process.env.RAW_TEXT_DEBUG) console.log(`${this.language} ${name}: read in ${Date.now() - t1} ms`);
    const found = check(this.language, name, texts);
    if (process.env.RAW_TEXT_DEBUG) {
      const fresh = found.filter(
        (finding) =>
          !this.findings.some((seen) => seen.text === finding.text && seen.context === finding.context),
      );
      if (fresh.length) console.log(report(fresh));
    }
    this.findings.push(...found);
  }

  /**
   * Goes to a page the way a link in the app does (the router's own history, no reload of the
   * bundle), so a walk of every page stays quick.
   */
  async visit(path: string, name: string) {
    await this.page.evaluate(`(() => {
      const index = (window.history.state?.__TSR_index ?? 0) + 1;
      const key = Math.random().toString(36).slice(2);
      window.history.pushState({ __TSR_index: index, key, __TSR_key: key }, '', ${JSON.stringify(path)});
    })()`);
    await this.page.waitForURL((current) => `${current.pathname}${current.search}` === path);
    await this.look(name);
  }

  /** Opens something (a drawer, a picker), looks at it, closes it with Escape. */
  async open(name: string, testId: string, target = '.ant-drawer-body') {
    const trigger = this.page.getByTestId(testId).first();
    await trigger.waitFor({ timeout: 15_000 });
    await trigger.click();
    const opened = this.page.locator(target).filter({ visible: true }).first();
    await opened.waitFor({ timeout: 5_000 });
    await this.look(name);
    await this.page.keyboard.press('Escape');
    await opened.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

/**
 * A pair in the 查重 queue whose names differ (the demo has none): a customer written like an
 * existing company with another legal form, created anyway (仍然新建) — the queue shows it with
 * its reasons, and the merge dialog opens on it.
 */
let duplicatePair: Promise<void> | undefined;

async function ensureDuplicatePair(context: BrowserContext) {
  const queue = await trpcQuery(context, 'duplicates.list', { limit: 1 });
  if (queue.items.length > 0) return;
  const company = (await trpcQuery(context, 'customers.list', { limit: 1, kind: 'company' })).items[0] as {
    name: string;
  };
  const name = company.name.endsWith('股份有限公司')
    ? company.name.replace(/股份有限公司$/, '有限公司')
    : company.name.endsWith('有限公司')
      ? company.name.replace(/有限公司$/, '股份有限公司')
      : `${company.name}有限公司`;
  const create = (input: object) =>
    context.request.post(`${url}/trpc/customers.create`, {
      headers: { origin: url, 'content-type': 'application/json' },
      data: { name, kind: 'company', ...input },
    });
  let response = await create({});
  if (!response.ok() && (await response.json()).error?.data?.appCode === 'CUSTOMER_EXACT_DUPLICATE') {
    response = await create({ force: { reason: '同名的另一家公司（检查界面文字）' } });
  }
  expect(response.ok()).toBe(true);
  await expect
    .poll(async () => (await trpcQuery(context, 'duplicates.list', { limit: 1 })).items.length, {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
}

/**
 * 设置 → 开放平台 with something on every tab: an API key that has been used, and a webhook
 * endpoint (on this machine's receiver) subscribed to several events with a delivered test
 * event in its log. Both languages walk at once: the first to get here makes them.
 */
let platformReady: Promise<void> | undefined;

async function ensurePlatform(context: BrowserContext) {
  const { token } = (await trpcMutation(context, 'apiKeys.create', {
    name: 'ERP 订单同步',
    scopes: ['customers:read', 'orders:read', 'orders:write'],
  })) as { token: string };
  const used = await context.request.get(`${url}/api/v1/customers?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(used.status()).toBe(200);
  const { endpoint } = (await trpcMutation(context, 'webhooks.create', {
    url: receiverUrl,
    description: 'ERP 接收客户变更',
    events: ['customer.created', 'customer.merged', 'tier.changed', 'task.overdue', 'ticket.replied'],
  })) as { endpoint: { id: string } };
  await trpcMutation(context, 'webhooks.sendTest', { id: endpoint.id });
  await expect
    .poll(
      async () =>
        (
          (await trpcQuery(context, 'webhooks.deliveries', { endpointId: endpoint.id, limit: 5 })) as {
            items: { status: string }[];
          }
        ).items.some((delivery) => delivery.status === 'succeeded'),
      { timeout: 90_000 },
    )
    .toBe(true);
}

/** 设置 → 开放平台: each tab, the new-key dialog, the delivery log, the event picker. */
async function walkPlatform(walk: Walk, context: BrowserContext, at: (name: string) => string) {
  const { page } = walk;
  platformReady ??= ensurePlatform(context);
  await platformReady;
  await walk.visit('/settings/platform', at('open platform · API keys'));
  await walk.open(at('open platform · new API key'), 'api-key-create', '.ant-modal-body');
  await walk.visit('/settings/platform?tab=webhooks', at('open platform · webhooks'));
  await walk.open(at('open platform · delivery log'), 'webhook-deliveries');
  await page.getByTestId('webhook-create').click();
  const dialog = page.locator('.ant-modal-body').filter({ visible: true }).first();
  await dialog.waitFor({ timeout: 5_000 });
  await page.getByTestId('webhook-events').click();
  const picker = page.locator('.ant-select-dropdown').filter({ visible: true }).first();
  await picker.waitFor({ timeout: 5_000 });
  await walk.look(at('open platform · new webhook · events'));
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'hidden', timeout: 5_000 });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
  await walk.visit('/settings/platform?tab=wecom', at('open platform · WeCom'));
  await walk.visit('/settings/platform?tab=docs', at('open platform · API docs'));
}

/**
 * The pages of one demo tenant. The first tenant gets every page; the others the pages whose
 * text comes from their industry profile (fields, options, tiers, their customers).
 */
async function walkTenant(
  walk: Walk,
  context: BrowserContext,
  tenant: { id: string; industry: string },
  everyPage: boolean,
) {
  const { page } = walk;
  const at = (name: string) => `${tenant.industry}: ${name}`;
  await switchTo(context, tenant.id);

  // 客户 list, with its pickers and drawers (loaded afresh: the app caches the previous tenant's pages).
  await page.goto(`${url}/customers`);
  await page
    .getByTestId('customers-table')
    .locator('tbody tr[data-row-key]')
    .first()
    .waitFor({ timeout: 30_000 });
  await walk.look(at('customer list'));
  await walk.open(at('customer list · new customer'), 'customers-new');
  if (everyPage) {
    await walk.open(at('customer list · column picker'), 'columns-button', '[data-testid="column-chooser"]');
    await walk.open(at('customer list · more filters'), 'customers-more-filters');
    await walk.open(at('customer list · saved views'), 'views-select', '.ant-select-dropdown');
  }

  // A profile: the best-placed customer (orders, contacts, a tier explanation), each tab.
  const top = (await trpcQuery(context, 'customers.list', { limit: 1, sort: 'tierScore', direction: 'desc' }))
    .items[0] as { id: string };
  await walk.visit(`/customers/${top.id}`, at('customer profile'));
  await walk.open(at('customer profile · edit'), 'customer-edit');
  const tabs = everyPage ? ['contacts', 'orders', 'interactions', 'needs', 'timeline'] : ['orders'];
  for (const tab of tabs)
    await walk.visit(`/customers/${top.id}?tab=${tab}`, at(`customer profile · ${tab}`));

  // 行业配置, with a preview of the settings as they are; the custom fields.
  await walk.visit('/settings/industry', at('industry settings'));
  await page.getByTestId('industry-preview').click();
  await page.getByTestId('tier-move-summary').waitFor({ timeout: 30_000 });
  await walk.look(at('industry settings · preview'));
  await walk.visit('/settings/custom-fields', at('custom fields'));

  if (!everyPage) return;
  // 查重: the queue, and the merge dialog of its first pair (looked at, not confirmed).
  // Both languages walk at once: the first to get here makes the pair.
  duplicatePair ??= ensureDuplicatePair(context);
  await duplicatePair;
  await walk.visit('/customers/duplicates', at('duplicates'));
  await walk.open(at('duplicates · merge dialog'), 'duplicate-merge', '[data-testid="merge-dialog"]');
  await walk.visit('/customers/import', at('import wizard'));
  for (const [path, name] of [
    ['/orders', 'orders'],
    ['/interactions', 'interactions'],
    ['/leads', 'leads'],
    ['/opportunities', 'opportunities'],
    ['/tasks', 'tasks'],
    ['/tickets', 'tickets'],
    ['/surveys', 'surveys'],
    ['/dashboards', 'dashboards'],
    ['/settings', 'settings'],
    ['/settings/members', 'members'],
    ['/settings/tags', 'tags'],
    ['/settings/customer-rules', 'customer rules'],
    ['/settings/jobs', 'jobs'],
    ['/settings/sessions', 'sessions'],
  ] as const) {
    await walk.visit(path, at(name));
  }
  await walkPlatform(walk, context, at);
}

/** One line per distinct finding, with the pages it was seen on. */
function report(findings: Finding[]): string {
  const distinct = new Map<string, { finding: Finding; pages: string[] }>();
  for (const finding of findings) {
    const key = `${finding.language}|${finding.rule}|${finding.text}|${finding.context}`;
    const entry = distinct.get(key) ?? { finding, pages: [] };
    if (!entry.pages.includes(finding.page)) entry.pages.push(finding.page);
    distinct.set(key, entry);
  }
  return [...distinct.values()]
    .map(({ finding, pages }) => {
      const where =
        pages.length > 3 ? `${pages.slice(0, 3).join('; ')} (+${pages.length - 3} more)` : pages.join('; ');
      return `[${finding.language}] ${finding.rule}: «${finding.text}» in «${finding.context}» — on ${where}`;
    })
    .join('\n');
}

describe('nothing raw on screen', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    // The two languages walk side by side (each its own browser context and session): most of a
    // walk is waiting on the server, so the whole check stays within a few minutes.
    it.concurrent(`every page of the demo in ${language} shows labels, not keys, identifiers or UUIDs`, async () => {
      const context = await browser.newContext({ locale: language, viewport: { width: 1440, height: 900 } });
      await context.addInitScript(`localStorage.setItem('crm.language', ${JSON.stringify(language)})`);
      const page = await context.newPage();
      const browserErrors: string[] = [];
      page.on('pageerror', (error) => browserErrors.push(error.message));
      const walk = new Walk(page, language);
      const started = Date.now();

      await page.goto(`${url}/sign-up`);
      await walk.look('sign up');
      await page.goto(`${url}/sign-in`);
      await walk.look('sign in');
      await page.getByTestId('signin-email').fill('owner@demo.example.com');
      await page.getByTestId('signin-password').fill('demo-2026');
      await page.getByTestId('signin-submit').click();
      await page.waitForURL(/\/workbench/);

      // Every demo tenant (B2B, retail, banking); the B2B one first, in full.
      const tenants = ((await trpcQuery(context, 'tenants.list')) as { id: string; industry: string }[]).sort(
        (a, b) => Number(b.industry === 'b2b') - Number(a.industry === 'b2b'),
      );
      expect(tenants.map((tenant) => tenant.industry).sort()).toEqual(['b2b', 'corporate-banking', 'retail']);
      try {
        for (const [index, tenant] of tenants.entries()) await walkTenant(walk, context, tenant, index === 0);
      } catch (error) {
        // Where the walk stopped, for whoever reads the failure.
        await page.screenshot({ path: `${SCREENSHOTS}e2e-raw-text-${language}-stopped.png`, fullPage: true });
        throw error;
      }

      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `raw text (${language}): ${walk.visited.length} views in ${seconds} s, ${walk.findings.length} findings`,
      );
      expect(report(walk.findings)).toBe('');
      expect(browserErrors).toEqual([]);
      await context.close();
    }, 300_000);
  }
});
