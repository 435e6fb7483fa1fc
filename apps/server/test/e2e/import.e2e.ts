import { readFileSync, writeFileSync } from 'node:fs';
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

/** The row numbers the outcome table shows. */
async function outcomeRows(page: Page): Promise<string[]> {
  const cells = await page
    .locator('[data-testid="import-rows-table"] tr.ant-table-row td:first-child')
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
  it('imports a messy GBK file: its good rows in one go, the error file fixed in place and imported, re-import doubles nothing', async () => {
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
    await expect
      .poll(() => page.getByTestId('import-file-info').textContent())
      .toBe('customers-messy-gbk.csv · CSV 文件 · 文件编码 GBK · 11 列 · 6 行');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-mapping.png'), fullPage: true });
    await page.getByTestId('import-dry-run').click();

    // The dry run: every row's outcome, the bad ones first with their reasons; nothing imported.
    await page.getByTestId('import-dry-run-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('共 6 行：3 行可以导入，3 行有错误');
    await expect.poll(() => outcomeRows(page)).toEqual(['4', '5', '6']);
    const reasons = await page.getByTestId('import-rows-table').textContent();
    expect(reasons).toContain('客户名称：不能为空');
    expect(reasons).toContain('成立日期：日期不存在');
    await expect
      .poll(() => page.getByTestId('import-rows-page').textContent())
      .toBe('第 1 页 · 每页 50 行 · 共 3 行');
    await page.getByTestId('import-rows-filter').getByText('新建 3').click();
    await expect.poll(() => outcomeRows(page)).toEqual(['2', '3', '7']);
    await page.getByTestId('import-rows-filter').getByText('错误 3').click();
    expect(await page.getByTestId('import-commit-valid').textContent()).toBe(
      '导入 3 行有效数据，跳过 3 行错误',
    );
    expect(await page.getByTestId('import-fix').textContent()).toBe('修正后再导入');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-dry-run-errors.png'), fullPage: true });

    // The error file: the rows as the file had them, plus 行号 and 错误原因 (CSV with a BOM, and Excel).
    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-download-xlsx').click(),
    ]);
    expect(
      readFileSync((await workbook.path()) as string)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-download-report').click(),
    ]);
    expect(download.suggestedFilename()).toBe('customers-messy-gbk-错误行.csv');
    const report = readFileSync((await download.path()) as string);
    expect([...report.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const reportText = report.subarray(3).toString('utf8');
    const lines = reportText.trim().split('\r\n');
    expect(lines[0]).toBe(
      '客户名称,客户类型,客户编号,手机,邮箱,负责人,标签,联系人,联系人电话,成立日期,计划采购金额,行号,错误原因',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(',个人,C-0003,13700137000,,,,,,,,4,客户名称：不能为空');

    // The good rows go in at once; the bad ones are reported.
    await page.getByTestId('import-commit-valid').click();
    await page.getByTestId('import-commit-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-result').textContent())
      .toBe('新增 3 条，更新 0 条，跳过 0 条');
    expect(await page.getByTestId('import-result-errors').textContent()).toContain('3 行有错误，未导入');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-committed-valid.png'), fullPage: true });

    // The error file fixed in place (as one would in Excel) and uploaded again: it imports.
    const fixed = reportText
      .replace(',个人,C-0003', '张三,个人,C-0003')
      .replace('gz@example,', 'gz@example.com,')
      .replace('2020年2月30日', '2020年2月28日')
      .replace('外星人', '企业')
      .replace(',12345,', ',0755-26661234,')
      .replace('不存在的人', '')
      .replace('很多', '8800元');
    const fixedPath = join(SCREENSHOTS, '导入错误行-已修正.csv');
    writeFileSync(fixedPath, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixed, 'utf8')]));
    await page.getByTestId('import-again').click();
    await uploadFile(page, fixedPath);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-dry-run-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('共 3 行：3 行可以导入，0 行有错误');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-commit-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-result').textContent())
      .toBe('新增 3 条，更新 0 条，跳过 0 条');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-committed.png'), fullPage: true });

    await page.goto(`${server.url}/customers`);
    await expect
      .poll(() => rowNames(page), { timeout: 10_000 })
      .toEqual(
        [
          '北京（中关村）科技有限公司',
          '北京中关村科技有限公司',
          '上海浦东贸易有限公司',
          '张三',
          '广州天河餐饮管理有限公司',
          '深圳南山软件有限公司',
        ].sort(),
      );

    // The same file again: the commit says it was imported before; nothing doubles.
    await page.getByTestId('customers-import').click();
    await uploadFile(page, fixedPath);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-dry-run-result').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-commit-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('import-commit-result').textContent())
      .toContain('这个文件已经导入过');
    await page.goto(`${server.url}/customers`);
    await page.locator('[data-testid="customers-table"] tr.ant-table-row').nth(5).waitFor();
    expect(await rowNames(page)).toHaveLength(6);

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
      .toContain('共 6 行：6 行可以导入，0 行有错误');
    expect(await page.getByTestId('import-dry-run-result').textContent()).toContain(
      '新增 0 条，更新 0 条，跳过 6 条',
    );

    expect(browserErrors).toEqual([]);
    await context.close();
  }, 180_000);
});
