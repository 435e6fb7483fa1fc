import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, SCREENSHOTS, signInDemo, startServer } from './server-process';

/**
 * 我的任务 on the demo data, in Chromium through the real server: a demo rep sees today's and
 * overdue tasks, completes one and logs the interaction in the same dialog, and the
 * interaction is on the customer's timeline; the calendar shows the week and the month; a
 * manager's overdue board counts the team's overdue tasks by owner and by tier. Both languages.
 */
let server: RunningServer | undefined;
let url: string;
let browser: Browser;

beforeAll(async () => {
  // TASKS_E2E_URL: a server already running with fresh demo data (a busy machine may take
  // longer to seed one than the start-up allows).
  if (process.env.TASKS_E2E_URL) url = process.env.TASKS_E2E_URL;
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

const count = async (page: Page, testId: string) =>
  Number((await page.getByTestId(testId).textContent()) ?? '0');

describe('tasks on the demo data', () => {
  it("a rep sees today's and overdue tasks, completes one with its interaction, and finds it on the timeline", async () => {
    const { context, page } = await signIn('zh-CN', 'rep1.retail@demo.example.com');
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));

    await page.getByRole('link', { name: /任务/ }).first().click();
    await page.waitForURL(/\/tasks$/);
    const table = page.getByTestId('tasks-table');
    await table.getByTestId('task-title').first().waitFor();
    await expect.poll(() => count(page, 'task-count-today'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(await count(page, 'task-count-overdue')).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-today.png`, fullPage: true });

    // Overdue: shown, and each says by how many days.
    await page.getByTestId('task-view-overdue').click();
    await page.waitForURL(/view=overdue/);
    await expect.poll(() => table.textContent(), { timeout: 10_000 }).toMatch(/逾期 \d+ 天/);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-overdue.png`, fullPage: true });

    // Complete the first overdue task that has a customer, logging the call in the same dialog.
    const row = table
      .locator('tbody tr')
      .filter({ has: page.getByTestId('task-complete') })
      .first();
    const title = (await row.getByTestId('task-title').textContent()) ?? '';
    const customerLink = row.locator('a[href^="/customers/"]').first();
    const customerHref = await customerLink.getAttribute('href');
    expect(customerHref).toMatch(/\/customers\/[0-9a-f-]{36}/);
    await row.getByTestId('task-complete').click();
    const summary = `电话回访：客户对上次购买满意，约下月到店 ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByTestId('task-complete-summary').fill(summary);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-complete-dialog.png` });
    await page.getByTestId('task-complete-submit').click();
    await page.locator('.ant-message').getByText('任务已完成，沟通已记录').waitFor();
    await expect.poll(() => table.textContent(), { timeout: 10_000 }).not.toContain(title);

    // The interaction is on the customer's timeline.
    await page.goto(`${url}${customerHref}`);
    await page.getByTestId('customer-tab-timeline').click();
    await page.getByTestId('timeline-list').getByText(summary).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-timeline.png`, fullPage: true });

    // The calendar: this week's tasks, overdue ones marked; the month; a task opens.
    await page.goto(`${url}/tasks`);
    await page.getByTestId('task-area-calendar').click();
    await page.waitForURL(/\/tasks\/calendar/);
    const calendar = page.getByTestId('task-calendar');
    await calendar.getByTestId('calendar-task').first().waitFor();
    expect(await calendar.getByTestId('calendar-task').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-calendar-week.png`, fullPage: true });
    await page.getByTestId('calendar-mode').getByText('月').click();
    await expect.poll(() => calendar.getAttribute('data-mode')).toBe('month');
    await calendar.locator('[data-testid="calendar-task"][data-overdue="true"]').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-calendar-month.png`, fullPage: true });
    await calendar.getByTestId('calendar-task').first().click();
    await page.getByTestId('task-detail').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-calendar-detail.png` });
    // A rep has no overdue board.
    await expect(page.getByTestId('task-area-board').count()).resolves.toBe(0);

    expect(browserErrors).toEqual([]);
    await context.close();
  });

  for (const language of ['zh-CN', 'en'] as const) {
    it(`a manager's overdue board counts the team's overdue tasks by owner and tier (${language})`, async () => {
      const { context, page } = await signIn(language, 'manager.retail@demo.example.com');
      const browserErrors: string[] = [];
      page.on('pageerror', (error) => browserErrors.push(error.message));
      await page.goto(`${url}/tasks/board`);
      const board = page.getByTestId('overdue-board');
      await board.waitFor();
      const total = Number(
        (
          (await page.getByTestId('board-total').locator('.ant-statistic-content-value').textContent()) ?? '0'
        ).replace(/\D/g, ''),
      );
      expect(total).toBeGreaterThanOrEqual(10);
      const reps = page.getByTestId('board-reps').locator('tbody tr');
      expect(await reps.count()).toBeGreaterThanOrEqual(2);
      await expect(page.getByTestId('board-reps').textContent()).resolves.toContain('陈思雨');
      await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-board-${language}.png`, fullPage: true });

      // A tier's row lists its overdue tasks beside the board.
      await page.getByTestId('board-tiers').locator('tbody tr').first().click();
      await page.getByTestId('board-drawer').getByTestId('task-title').first().waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}e2e-tasks-board-tier-${language}.png` });
      await page.keyboard.press('Escape');

      // An owner's row opens the list filtered to their overdue tasks.
      await reps.filter({ hasText: '陈思雨' }).first().click();
      await page.waitForURL(/\/tasks\?.*view=overdue.*owner=[0-9a-f-]{36}/);
      await page.getByTestId('tasks-table').getByTestId('task-title').first().waitFor();

      // The calendar in this language, the team's tasks.
      await page.goto(`${url}/tasks/calendar?team=true`);
      await page.getByTestId('task-calendar').getByTestId('calendar-task').first().waitFor();
      await page.screenshot({
        path: `${SCREENSHOTS}e2e-tasks-calendar-team-${language}.png`,
        fullPage: true,
      });
      expect(browserErrors).toEqual([]);
      await context.close();
    });
  }
});
