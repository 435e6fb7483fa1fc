import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, signInDemo, startServer } from './server-process';

/**
 * Surveys on the demo data, in Chromium through the real server: the designer builds a
 * tenant's survey from the plugin's question types and edits it, the list previews its
 * questions; the results show NPS and CSAT per tier with the charts and the verbatim answers;
 * and the public link, on a phone-sized viewport in both languages, has no horizontal scroll
 * and touch targets of at least 44 px, shows its validation messages, thanks the customer, and
 * refuses a second submission clearly.
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

/** Picks an antd Select's option by its text, in the dropdown the select opened. */
async function choose(page: Page, select: Locator, option: string) {
  await select.click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

type SurveyList = {
  items: { key: string; source: 'plugin' | 'tenant'; kind: string; title: Record<string, string> }[];
};

/** Links for two customers to a survey of the given kind from the industry profile (the WeChat channel). */
async function surveyLinks(page: Page, kind: 'nps' | 'csat'): Promise<string[]> {
  const surveys = await call<SurveyList>(page, 'surveys.list', undefined, 'GET');
  const survey = surveys.items.find((item) => item.source === 'plugin' && item.kind === kind);
  const customers = await call<{ items: { id: string }[] }>(page, 'customers.list', { limit: 20 }, 'GET');
  const ids = customers.items.slice(-2).map((customer) => customer.id);
  const invited = await call<{ links: { url: string }[] }>(
    page,
    'surveys.invite',
    { key: survey?.key, customerIds: ids, channel: 'link' },
    'POST',
  );
  expect(invited.links).toHaveLength(2);
  return invited.links.map((link) => link.url.replace(/^https?:\/\/[^/]+/, url));
}

describe('surveys', () => {
  it('builds a survey from the question types in the designer, previews it and edits it (zh-CN)', async () => {
    const { context, page } = await signInDemo(browser, url, 'zh-CN', 'marketing.retail@demo.example.com');
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(`${url}/surveys`);
    await page.locator('.ant-table-row').first().waitFor();

    await page.getByTestId('survey-create').click();
    const modal = page.locator('.ant-modal');
    await modal.waitFor();
    // Saving an empty survey names what is missing.
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => modal.locator('.ant-form-item-explain-error').count()).toBeGreaterThanOrEqual(2);

    const title = `门店体验调研 ${crypto.randomUUID().slice(0, 6)}`;
    await modal.getByLabel('问卷标题').fill(title);
    await modal.getByLabel('给客户的说明（选填，显示在问卷开头）').fill('耽误您一分钟，说说这次到店的感受。');
    await choose(
      page,
      modal.locator('.ant-form-item').filter({ hasText: '问卷类型' }).locator('.ant-select'),
      '净推荐值',
    );
    const questions = modal.getByTestId('survey-question');
    // 1: the recommendation question.
    await choose(page, questions.nth(0).locator('.ant-select').first(), '推荐度（0–10）');
    await questions.nth(0).getByLabel('题目（中文）').fill('您有多大可能向朋友推荐我们的门店？');
    // 2: a single choice with two options.
    await modal.getByTestId('survey-add-question').click();
    await choose(page, questions.nth(1).locator('.ant-select').first(), '单选');
    await questions.nth(1).getByLabel('题目（中文）').fill('您这次主要是来做什么的？');
    for (const [value, label] of [
      ['buy', '购物'],
      ['exchange', '退换货'],
    ] as const) {
      await questions.nth(1).getByTestId('survey-add-option').click();
      await questions.nth(1).getByPlaceholder('选项键').last().fill(value);
      await questions.nth(1).getByPlaceholder('选项文字').last().fill(label);
    }
    // 3: yes / no; 4: a text question.
    await modal.getByTestId('survey-add-question').click();
    await choose(page, questions.nth(2).locator('.ant-select').first(), '是 / 否');
    await questions.nth(2).getByLabel('题目（中文）').fill('店员是否主动为您介绍商品？');
    await modal.getByTestId('survey-add-question').click();
    await questions.nth(3).getByLabel('题目（中文）').fill('还有什么想对我们说的？');
    await page.screenshot({ path: `${SCREENSHOTS}e2e-survey-designer.png` });
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.ant-message').getByText('问卷已保存').waitFor();
    await modal.waitFor({ state: 'detached' });

    // The list previews its questions with their types.
    const row = page.locator('.ant-table-row').filter({ hasText: title });
    await row.waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    const preview = page.locator('.ant-table-expanded-row').filter({ hasText: '您这次主要是来做什么的？' });
    await preview.waitFor();
    for (const type of ['推荐度（0–10）', '单选', '是 / 否', '文字'])
      await preview.getByText(type, { exact: true }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-survey-preview.png`, fullPage: true });

    // Edited: a new title.
    await row.getByRole('button', { name: /编辑/ }).click();
    await modal.waitFor();
    const edited = `${title}（修订）`;
    await modal.getByLabel('问卷标题').fill(edited);
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.ant-table-row').filter({ hasText: edited }).waitFor();

    // Its public page asks the four questions in order.
    const surveys = await call<SurveyList>(page, 'surveys.list', undefined, 'GET');
    const mine = surveys.items.find((item) => item.title['zh-CN'] === edited);
    const customers = await call<{ items: { id: string }[] }>(page, 'customers.list', { limit: 3 }, 'GET');
    const invited = await call<{ links: { url: string }[] }>(
      page,
      'surveys.invite',
      { key: mine?.key, customerIds: [customers.items[0]?.id], channel: 'link' },
      'POST',
    );
    const customerPage = await browser.newPage({ viewport: { width: 375, height: 667 } });
    await customerPage.goto(`${invited.links[0]?.url.replace(/^https?:\/\/[^/]+/, url)}?lang=zh-CN`);
    expect(await customerPage.locator('h1').textContent()).toBe(edited);
    expect(await customerPage.locator('legend').allTextContents()).toEqual([
      expect.stringContaining('您有多大可能向朋友推荐我们的门店？'),
      expect.stringContaining('您这次主要是来做什么的？'),
      expect.stringContaining('店员是否主动为您介绍商品？'),
      expect.stringContaining('还有什么想对我们说的？'),
    ]);
    expect(await customerPage.locator('fieldset').first().locator('input[type=radio]').count()).toBe(11);
    await customerPage.close();
    expect(browserErrors).toEqual([]);
    await context.close();
  });

  for (const language of ['zh-CN', 'en'] as const) {
    it(`shows NPS and CSAT per tier, the charts and the verbatim answers (${language})`, async () => {
      const { context, page } = await signInDemo(browser, url, language, 'marketing.retail@demo.example.com');
      const browserErrors: string[] = [];
      page.on('pageerror', (error) => browserErrors.push(error.message));
      await page.goto(`${url}/surveys?tab=results`);
      const nps = page.getByTestId('results-nps').locator('.ant-statistic-content-value');
      await expect.poll(async () => Number(await nps.textContent()), { timeout: 20_000 }).toBeGreaterThan(0);
      // Per tier: the retail tiers, each with its answers.
      const rows = page.locator('.ant-table-row');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
      const tierNames = language === 'en' ? /Head|Waist|Long tail/ : /头部客户|腰部客户|长尾客户/;
      await expect(rows.first().textContent()).resolves.toMatch(tierNames);
      // The two charts are drawn.
      await expect.poll(() => page.locator('canvas').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      // The verbatim answers, with their scores.
      const verbatim = page
        .locator('.ant-card')
        .filter({ hasText: language === 'en' ? 'In their words' : '客户原话' });
      await expect
        .poll(() => verbatim.locator('.ant-list-item').count(), { timeout: 20_000 })
        .toBeGreaterThanOrEqual(5);
      await page.screenshot({ path: `${SCREENSHOTS}e2e-survey-results-${language}.png`, fullPage: true });
      expect(browserErrors).toEqual([]);
      await context.close();
    });
  }

  const PHONE_WORDS = {
    'zh-CN': { summary: '有题目未填写', thanks: '感谢您的反馈', again: '您已提交过' },
    en: {
      summary: 'Some answers need a second look',
      thanks: 'Thank you for your feedback',
      again: 'already answered',
    },
  } as const;

  for (const language of ['zh-CN', 'en'] as const) {
    it(`a public survey link on a phone: fits, large targets, validation, thanks, a second submission refused (${language})`, async () => {
      const words = PHONE_WORDS[language];
      const { context: staff, page: staffPage } = await signInDemo(
        browser,
        url,
        'zh-CN',
        'marketing.retail@demo.example.com',
      );
      const [npsLink] = await surveyLinks(staffPage, language === 'en' ? 'csat' : 'nps');
      await staff.close();

      // The customer's phone: no session, a phone's viewport and touch.
      const phone = await browser.newContext({
        locale: language,
        viewport: { width: 375, height: 667 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await phone.newPage();
      const opened = await page.goto(`${npsLink}?lang=${language}`);
      expect(opened?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(language);

      /** What overflows the viewport sideways, and every touch target under 44 × 44 px. */
      const layout = () => page.evaluate<{ overflow: number; small: string[] }>(MEASURE_LAYOUT);
      expect(await layout()).toEqual({ overflow: 0, small: [] });
      await page.screenshot({ path: `${SCREENSHOTS}e2e-survey-phone-${language}.png`, fullPage: true });

      // Sent empty: the page again, a summary and a message under each required question.
      const [invalid] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === 'POST'),
        page.locator('button[type=submit]').tap(),
      ]);
      expect(invalid.status()).toBe(422);
      await page.locator('[role=alert]').getByText(words.summary, { exact: false }).waitFor();
      const firstError = page.locator('fieldset .error').first();
      await firstError.waitFor();
      const describedBy = await page
        .locator('fieldset[aria-invalid], fieldset[aria-describedby]')
        .first()
        .getAttribute('aria-describedby');
      expect(describedBy).toBe(await firstError.getAttribute('id'));
      expect(await layout()).toEqual({ overflow: 0, small: [] });
      await page.screenshot({
        path: `${SCREENSHOTS}e2e-survey-phone-errors-${language}.png`,
        fullPage: true,
      });

      // Answered: the score first, yes to a yes / no, a word where words are asked.
      const fieldsets = page.locator('fieldset');
      for (let index = 0; index < (await fieldsets.count()); index += 1) {
        const fieldset = fieldsets.nth(index);
        const choices = fieldset.locator('label');
        if ((await choices.count()) > 0) await choices.last().tap();
        else if ((await fieldset.locator('textarea').count()) > 0)
          await fieldset.locator('textarea').fill(language === 'en' ? 'Quick and friendly' : '处理很及时');
        else await fieldset.locator('input[type=number]').fill('8');
      }
      // A second tab of the same link, opened before the first is sent.
      const second = await phone.newPage();
      await second.goto(`${npsLink}?lang=${language}`);
      await second.locator('fieldset label').first().tap();

      const [sent] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === 'POST'),
        page.locator('button[type=submit]').tap(),
      ]);
      expect(sent.status()).toBe(200);
      await page.locator('[role=status]').getByText(words.thanks, { exact: false }).waitFor();
      expect(await layout()).toEqual({ overflow: 0, small: [] });
      await page.screenshot({
        path: `${SCREENSHOTS}e2e-survey-phone-thanks-${language}.png`,
        fullPage: true,
      });

      // The second submission records nothing and says so.
      const [replayed] = await Promise.all([
        second.waitForResponse((response) => response.request().method() === 'POST'),
        second.locator('button[type=submit]').tap(),
      ]);
      expect(replayed.status()).toBe(409);
      await second.locator('[role=status]').getByText(words.again, { exact: false }).waitFor();
      await second.screenshot({
        path: `${SCREENSHOTS}e2e-survey-phone-again-${language}.png`,
        fullPage: true,
      });
      // And the link, opened again, says it was answered instead of showing the form.
      await second.goto(`${npsLink}?lang=${language}`);
      await second.locator('[role=status]').getByText(words.again, { exact: false }).waitFor();
      expect(await second.locator('form').count()).toBe(0);
      await phone.close();
    });
  }
});

// Browser-side code, as a script: the server's tsconfig has no DOM types (as raw-text.e2e.ts).
const MEASURE_LAYOUT = `(() => {
  const small = [];
  for (const element of document.querySelectorAll('a, button, label, textarea, input[type=number]')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.width < 44 || box.height < 44)
      small.push(element.tagName + ' "' + (element.textContent || '').trim() + '" ' + Math.round(box.width) + '×' + Math.round(box.height));
  }
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    small,
  };
})()`;
