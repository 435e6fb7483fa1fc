import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
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

async function call(page: Page, path: string, input: unknown) {
  return page.evaluate(
    async ([procedure, body]) => {
      const response = await fetch(`/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { error?: unknown; result: { data: unknown } };
      if (json.error) throw new Error(JSON.stringify(json.error));
      return json.result.data;
    },
    [path, input] as const,
  );
}

async function rowNames(page: Page): Promise<string[]> {
  const names = await page
    .locator('[data-testid="customers-table"] tr.ant-table-row td:nth-child(2)')
    .allTextContents();
  return names.map((name) => name.trim()).sort();
}

/** RFC 4180 fields, quoted values with doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (character !== '\r') field += character;
  }
  return rows;
}

/** Opens 导出, picks the format, starts it and downloads the file from the exports panel. */
async function exportAndDownload(
  page: Page,
  format: 'csv' | 'xlsx',
): Promise<{ name: string; bytes: Buffer }> {
  await page.getByTestId('export-open').click();
  await checkRadio(page, `export-format-${format}`);
  await page.getByTestId('export-submit').click();
  const run = page.getByTestId('export-run').first();
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    run.getByTestId('export-download').click(),
  ]);
  const path = join(SCREENSHOTS, `export-e2e.${format}`);
  await download.saveAs(path);
  await page.keyboard.press('Escape');
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

describe('export', () => {
  it('exports the filtered customers list to CSV and Excel, downloaded through the browser', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    const unique = crypto.randomUUID().slice(0, 8);

    await page.goto(`${server.url}/sign-up`);
    await page.getByTestId('signup-tenant-name').fill('导出测试商贸');
    await checkRadio(page, 'signup-industry-b2b');
    await page.getByTestId('signup-name').fill('周经理');
    await page.getByTestId('signup-email').fill(`export.${unique}@example.com`);
    await page.getByTestId('signup-password').fill('e2e passphrase 2026');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/customers/);

    for (const [name, phone] of [
      ['华东精密制造有限公司', '13900001111'],
      ['华南物流, "速达" 公司', '13900002222'],
      ['=危险公式客户', '13900003333'],
      ['北方食品', '13900004444'],
    ] as const) {
      await call(page, 'customers.create', { name, kind: 'company', phone });
    }
    await page.reload();
    await page.locator('[data-testid="customers-table"] tr.ant-table-row').nth(3).waitFor();

    // Filter the list: the export must hold exactly what the list shows.
    await page.getByTestId('customers-search').fill('华');
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toHaveLength(2);
    const listed = await rowNames(page);
    expect(listed).toEqual(['华东精密制造有限公司', '华南物流, "速达" 公司'].sort());

    const csv = await exportAndDownload(page, 'csv');
    expect(csv.name).toMatch(/^客户_\d{4}-\d{2}-\d{2}\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.bytes.subarray(3).toString('utf8'));
    expect(rows[0]?.[0]).toBe('名称');
    expect(rows[0]).toContain('电话');
    expect(
      rows
        .slice(1)
        .map((row) => row[0])
        .sort(),
    ).toEqual(listed);
    const phoneColumn = rows[0]?.indexOf('电话') ?? -1;
    expect(rows.find((row) => row[0] === '华东精密制造有限公司')?.[phoneColumn]).toBe('139 0000 1111');

    const xlsx = await exportAndDownload(page, 'xlsx');
    expect(xlsx.name).toMatch(/^客户_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as never);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect((sheet.getRow(1).values as unknown[])[1]).toBe('名称');
    const names: string[] = [];
    sheet.eachRow((row, index) => {
      if (index > 1) names.push(String((row.values as unknown[])[1]));
    });
    expect(names.sort()).toEqual(listed);

    // Without the filter the formula-looking name is exported as text.
    await page.getByTestId('customers-search').fill('');
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toHaveLength(4);
    const all = await exportAndDownload(page, 'csv');
    const allRows = parseCsv(all.bytes.subarray(3).toString('utf8'));
    expect(allRows.map((row) => row[0])).toContain("'=危险公式客户");

    await page.screenshot({ path: join(SCREENSHOTS, 'export-panel.png') });
    expect(browserErrors).toEqual([]);
    await context.close();
  });

  it('shows the orders and interactions lists with their export buttons', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    const unique = crypto.randomUUID().slice(0, 8);
    await page.goto(`${server.url}/sign-up`);
    await page.getByTestId('signup-tenant-name').fill('订单导出测试');
    await checkRadio(page, 'signup-industry-retail');
    await page.getByTestId('signup-name').fill('吴店长');
    await page.getByTestId('signup-email').fill(`orders.${unique}@example.com`);
    await page.getByTestId('signup-password').fill('e2e passphrase 2026');
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/customers/);
    const customer = (await call(page, 'customers.create', { name: '会员甲', kind: 'person' })) as {
      id: string;
    };
    await call(page, 'orders.create', { customerId: customer.id, amount: '88.8', orderedAt: '2026-11-01' });
    await call(page, 'interactions.log', { customerId: customer.id, kind: 'call', summary: '回访满意度' });

    await page.goto(`${server.url}/orders`);
    await page.locator('[data-testid="orders-table"] tr.ant-table-row').first().waitFor();
    expect(await page.locator('[data-testid="orders-table"]').textContent()).toContain('会员甲');
    const orders = await exportAndDownload(page, 'csv');
    expect(orders.name).toMatch(/^订单_/);
    const orderRows = parseCsv(orders.bytes.subarray(3).toString('utf8'));
    expect(orderRows[1]).toContain('88.80');

    await page.goto(`${server.url}/interactions`);
    await page.locator('[data-testid="interactions-table"] tr.ant-table-row').first().waitFor();
    const interactions = await exportAndDownload(page, 'csv');
    expect(parseCsv(interactions.bytes.subarray(3).toString('utf8'))[1]).toContain('回访满意度');
    await context.close();
  });
});
