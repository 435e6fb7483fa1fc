import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRadio, launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './server-process';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

async function rowNames(page: Page): Promise<string[]> {
  const names = await page
    .locator('[data-testid="customers-table"] tr.ant-table-row td:nth-child(2)')
    .allTextContents();
  return names.map((name) => name.trim()).sort();
}

async function uploadFile(page: Page, path: string) {
  await page.locator('input[type="file"]').setInputFiles(path);
  await page.getByTestId('import-mapping').waitFor({ timeout: 20_000 });
}

async function errorRows(page: Page): Promise<string[]> {
  const cells = await page
    .locator('[data-testid="import-errors"] tr.ant-table-row td:first-child')
    .allTextContents();
  return cells.map((cell) => cell.trim());
}

/** Opens 导出 on the customer list, exports CSV and downloads it from the exports panel. */
async function exportCsv(page: Page): Promise<{ path: string; bytes: Buffer }> {
  await page.getByTestId('export-open').click();
  await checkRadio(page, 'export-format-csv');
  await page.getByTestId('export-submit').click();
  const run = page.getByTestId('export-run').first();
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    run.getByTestId('export-download').click(),
  ]);
  const path = join(SCREENSHOTS, 'import-e2e-export.csv');
  await download.saveAs(path);
  await page.keyboard.press('Escape');
  return { path, bytes: readFileSync(path) };
}

/** The first column of each CSV line after the header (names hold no commas or quotes here). */
function firstColumn(text: string): string[] {
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',')[0] ?? '');
}

describe('import', () => {
  it('imports a messy GBK file: errors reported and downloadable, fixed file committed, re-import doubles nothing', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    const unique = crypto.randomUUID().slice(0, 8);

    await page.goto(`${server.url}/sign-up`);
    await page.getByTestId('signup-tenant-name').fill('华辰工业科技');
    await checkRadio(page, 'signup-industry-b2b');
    await page.getByTestId('signup-name').fill('周经理');
    await page.getByTestId('signup-email').fill(`import.${unique}@example.com`);
    await page.getByTestId('signup-password').fill('e2e passphrase 2026');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/customers/);

    // 导入 → upload the messy GBK file; the columns are mapped from the Chinese headers.
    await page.getByTestId('customers-import').click();
    await page.waitForURL(/\/customers\/import/);
    await uploadFile(page, fixture('customers-messy-gbk.csv'));
    await expect.poll(() => page.getByTestId('import-file-info').textContent()).toContain('gb18030');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-mapping.png'), fullPage: true });
    await page.getByTestId('import-dry-run').click();

    // The dry run: every bad row with its number and reason; nothing imported.
    await page.getByTestId('import-dry-run-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('共 6 行：2 行可以导入，4 行有错误');
    expect(await errorRows(page)).toEqual(['4', '5', '5', '6', '6', '6', '6', '7']);
    const reasons = await page.locator('[data-testid="import-errors"]').textContent();
    expect(reasons).toContain('客户名称不能为空');
    expect(reasons).toContain('与第 2 行是同一客户');
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-dry-run-errors.png'), fullPage: true });

    // The report downloads as a UTF-8 CSV with a BOM.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-download-report').click(),
    ]);
    const report = readFileSync((await download.path()) as string);
    expect([...report.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = report.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('行号,列,值,原因');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toBe('4,客户名称,,客户名称不能为空');

    // The fixed file: no errors, imported.
    await page.getByTestId('import-reupload').click();
    await uploadFile(page, fixture('customers-fixed-gbk.csv'));
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-dry-run-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('共 5 行：5 行可以导入，0 行有错误');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-commit-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-result').textContent())
      .toBe('新增 5 条，更新 0 条，跳过 0 条');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-committed.png'), fullPage: true });

    await page.goto(`${server.url}/customers`);
    await expect
      .poll(() => rowNames(page), { timeout: 10_000 })
      .toEqual(
        [
          '北京（中关村）科技有限公司',
          '上海浦东贸易有限公司',
          '张三',
          '广州天河餐饮管理有限公司',
          '深圳南山软件有限公司',
        ].sort(),
      );

    // The same file again: the commit says it was imported before; nothing doubles.
    await page.getByTestId('customers-import').click();
    await uploadFile(page, fixture('customers-fixed-gbk.csv'));
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-dry-run-result').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-commit-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-commit-result').textContent())
      .toContain('这个文件已经导入过');
    await page.goto(`${server.url}/customers`);
    await page.locator('[data-testid="customers-table"] tr.ant-table-row').nth(4).waitFor();
    expect(await rowNames(page)).toHaveLength(5);

    // Export the list and read it back: the same five customers; imported again, all are
    // recognised as existing ones and skipped.
    const exported = await exportCsv(page);
    expect([...exported.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(firstColumn(exported.bytes.subarray(3).toString('utf8')).sort()).toEqual(
      (await rowNames(page)).sort(),
    );
    await page.getByTestId('customers-import').click();
    await uploadFile(page, exported.path);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-dry-run-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('共 5 行：5 行可以导入，0 行有错误');
    expect(await page.getByTestId('import-dry-run-result').textContent()).toContain(
      '新增 0 条，更新 0 条，跳过 5 条',
    );

    expect(browserErrors).toEqual([]);
    await context.close();
  }, 180_000);
});
