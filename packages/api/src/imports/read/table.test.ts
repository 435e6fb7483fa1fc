import fs, { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { ImportReadError } from './errors';
import { formatNumber, isDateFormat } from './excel';
import { buildCustomersWorkbook, buildStreamedWorkbook } from './fixtures/workbooks';
import { type OpenedTable, openTable, sniffDelimiter, type TableRow } from './table';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function* chunks(bytes: Uint8Array, size = 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function readAll(table: OpenedTable): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

async function openCsvText(text: string, chunkSize = 7) {
  const table = await openTable(chunks(utf8(text), chunkSize), { fileName: 'data.csv' });
  return { table, rows: await readAll(table) };
}

describe('CSV', () => {
  it('reads the messy GBK customers file', async () => {
    const table = await openTable(() => chunks(fixture('customers-gbk.csv'), 50), { fileName: '客户.csv' });
    expect(table.format).toBe('csv');
    expect(table.encoding).toBe('gb18030');
    expect(table.delimiter).toBe(',');
    expect(table.headers).toEqual([
      '客户名称',
      '客户类型',
      '手机',
      '邮箱',
      '成交金额',
      '成立日期',
      '负责人',
      '备注',
    ]);
    expect(table.headerRowNumber).toBe(1);
    const rows = await readAll(table);
    expect(rows.map((row) => row.rowNumber)).toEqual([2, 3, 4, 5, 6, 7, 9]);
    expect(rows[0]?.cells[0]).toBe('北京（中关村）科技有限公司');
    expect(rows[0]?.cells[2]).toBe('１３８ ００１３ ８０００');
    // A quoted line break stays in its cell; the row keeps one number.
    expect(rows[1]?.cells[7]).toBe('年底有采购计划，\r\n预算待定');
    expect(rows[1]?.cells[4]).toBe('￥1,234.50');
    expect(rows.every((row) => row.cells.length === 8)).toBe(true);
  });

  it('decides the encoding at the first non-ASCII byte, even after 64 KB of ASCII', async () => {
    const ascii = `name,phone\n${'Zhang San,13800138000\n'.repeat(5000)}`;
    const gbk = new Uint8Array([0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0x31, 0x0a]); // 你好,1
    const bytes = new Uint8Array([...utf8(ascii), ...gbk]);
    const table = await openTable(chunks(bytes, 4096), { fileName: 'a.csv' });
    expect(table.encoding).toBe('gb18030');
    const rows = await readAll(table);
    expect(rows.at(-1)?.cells).toEqual(['你好', '1']);
  });

  it('reads UTF-8 with a byte order mark, sniffing semicolons', async () => {
    const table = await openTable(chunks(fixture('orders-utf8-bom.csv'), 3), { fileName: 'orders.csv' });
    expect(table.encoding).toBe('utf-8-bom');
    expect(table.delimiter).toBe(';');
    expect(table.headers[0]).toBe('客户名称');
    const rows = await readAll(table);
    expect(rows).toHaveLength(3);
    expect(rows[0]?.cells[0]).toBe('Ａｌｐｈａ 咨询');
    expect(rows[1]?.cells[0]).toBe('Beta; Gamma 工作室');
  });

  it('folds full-width letters in headers', async () => {
    const { table } = await openCsvText('ｎａｍｅ,Ｅｍａｉｌ\nx,y\n');
    expect(table.headers).toEqual(['name', 'Email']);
  });

  it('skips blank lines before the header and counts them in row numbers', async () => {
    const { table, rows } = await openCsvText('\n,,\n名称,电话\n张三,13800138000\n\n李四,13900139000\n');
    expect(table.headerRowNumber).toBe(3);
    expect(rows.map((row) => row.rowNumber)).toEqual([4, 6]);
  });

  it('reports ragged rows instead of failing: short rows padded, extra cells kept aside', async () => {
    const { rows } = await openCsvText('a,b,c\n1\n1,2,3,4,5\n1,2,3,,\n');
    expect(rows[0]).toEqual({ rowNumber: 2, cells: ['1', '', ''] });
    expect(rows[1]).toEqual({ rowNumber: 3, cells: ['1', '2', '3'], extraCells: ['4', '5'] });
    // Trailing empty cells (Excel's stray commas) are not a problem.
    expect(rows[2]).toEqual({ rowNumber: 4, cells: ['1', '2', '3'] });
  });

  it('ignores unnamed trailing header columns', async () => {
    const { table, rows } = await openCsvText('a,b,,\n1,2,,\n');
    expect(table.headers).toEqual(['a', 'b']);
    expect(rows[0]?.cells).toEqual(['1', '2']);
  });

  it('sniffs tabs, pipes and semicolons, not commas inside quotes or cells', () => {
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2\n')).toBe('|');
    expect(sniffDelimiter('"a,b";c\n"1,2";3\n"x,y";4\n')).toBe(';');
    expect(sniffDelimiter('名称;金额\n张三;1,234.50\n李四;2,000\n')).toBe(';');
    expect(sniffDelimiter('single column\nvalue\n')).toBe(',');
  });

  it('reads quotes, doubled quotes and CRLF', async () => {
    const { rows } = await openCsvText('a,b\r\n"say ""hi""","x,y"\r\n');
    expect(rows[0]?.cells).toEqual(['say "hi"', 'x,y']);
  });

  it('tolerates a stray quote inside an unquoted cell', async () => {
    const { rows } = await openCsvText('a,b\n12" pipe,2\n');
    expect(rows[0]?.cells).toEqual(['12" pipe', '2']);
  });

  it('fails with CSV_MALFORMED and the row near an unclosed quote', async () => {
    const error = await openTable(chunks(utf8('a,b\n1,2\n"open,3\n')), { fileName: 'x.csv' })
      .then(readAll)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportReadError);
    expect((error as ImportReadError).code).toBe('CSV_MALFORMED');
    expect((error as ImportReadError).params.row).toBe(3);
  });

  it('refuses empty files, files without a header, and old .xls files', async () => {
    await expect(openTable(chunks(new Uint8Array()), { fileName: 'a.csv' })).rejects.toMatchObject({
      code: 'FILE_EMPTY',
    });
    await expect(openTable(chunks(utf8('\n\n , \n')), { fileName: 'a.csv' })).rejects.toMatchObject({
      code: 'FILE_NO_HEADER',
    });
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expect(openTable(chunks(ole), { fileName: 'a.xls' })).rejects.toMatchObject({
      code: 'FILE_XLS_UNSUPPORTED',
    });
    await expect(openTable(chunks(utf8('x')), { fileName: 'a.pdf' })).rejects.toMatchObject({
      code: 'FILE_FORMAT_UNSUPPORTED',
    });
    await expect(openTable(chunks(utf8('a,b')), { fileName: 'a.xlsx' })).rejects.toMatchObject({
      code: 'XLSX_MALFORMED',
    });
  });

  it('stops reading the source when the caller stops early', async () => {
    let produced = 0;
    let closed = false;
    async function* endless() {
      try {
        yield utf8('a,b\n');
        for (;;) {
          produced += 1;
          yield utf8(`${produced},${'客'.repeat(300)}\n`);
        }
      } finally {
        closed = true;
      }
    }
    const table = await openTable(endless(), { fileName: 'a.csv' });
    for await (const row of table.rows) {
      if (row.rowNumber >= 10) break;
    }
    expect(closed).toBe(true);
    // The head is read ahead to detect the encoding (64 KB) and the delimiter (64 K characters,
    // here 192 KB); little more.
    expect(produced).toBeLessThan(250);
  });

  it('streams a large file with flat memory', async () => {
    const rowCount = 200_000;
    const padding = 'x'.repeat(400);
    async function* generate() {
      yield utf8('客户名称,电话,金额,备注\n');
      let batch = '';
      for (let index = 1; index <= rowCount; index += 1) {
        batch += `客户${index},138${String(index).padStart(8, '0')},"${index}.50",${padding}\n`;
        if (index % 500 === 0) {
          yield utf8(batch);
          batch = '';
        }
      }
      if (batch) yield utf8(batch);
    }
    // Heap after a full collection, so the figure is what the reader keeps, not garbage a
    // busy machine has not collected yet.
    const gc = collector();
    gc();
    const before = retained();
    let peak = before;
    let count = 0;
    let last = 0;
    const table = await openTable(generate(), { fileName: 'big.csv' });
    for await (const row of table.rows) {
      count += 1;
      last = row.rowNumber;
      if (count % 10_000 === 0) {
        gc();
        peak = Math.max(peak, retained());
      }
    }
    expect(count).toBe(rowCount);
    expect(last).toBe(rowCount + 1);
    // About 85 MB of text went through; what the reader keeps must not grow with it.
    expect(peak - before).toBeLessThan(20 * 1024 * 1024);
  }, 60_000);
});

describe('XLSX', () => {
  it('reads the first sheet by default and lists the sheets', async () => {
    const bytes = await buildCustomersWorkbook();
    const table = await openTable(chunks(bytes, 4096), { fileName: 'book.xlsx' });
    expect(table.format).toBe('xlsx');
    expect(table.sheets).toEqual(['说明', '客户', '订单']);
    expect(table.sheet).toBe('说明');
    expect(table.headers).toEqual(['请从第二个工作表开始填写']);
    expect(await readAll(table)).toEqual([]);
  });

  it('reads a sheet by name: dates, numbers, formulas, rich text, hyperlinks, booleans, gaps', async () => {
    const bytes = await buildCustomersWorkbook();
    const table = await openTable(chunks(bytes, 1000), { fileName: 'book.xlsx', sheet: '客户' });
    expect(table.sheet).toBe('客户');
    expect(table.headers).toEqual([
      '客户名称',
      '成立日期',
      '年营业额',
      '翻倍',
      '联系人',
      '邮箱',
      '是否重点',
      '跟进时间',
      '备注',
    ]);
    const rows = await readAll(table);
    expect(rows.map((row) => row.rowNumber)).toEqual([2, 3, 5, 6]);
    expect(rows[0]?.cells).toEqual([
      '北京（中关村）科技有限公司',
      '2015-03-08',
      '1234.5',
      '2469',
      '张三',
      'sales@example.com',
      'TRUE',
      '2024-03-05 14:30:00',
      '',
    ]);
    expect(rows[1]?.cells).toEqual([
      '上海浦东贸易有限公司',
      '',
      '0.3',
      '',
      '',
      'sh@example.cn',
      'FALSE',
      '',
      '老客户',
    ]);
    expect(rows[2]?.cells.slice(0, 4)).toEqual([
      '广州天河餐饮管理有限公司',
      '2020-02-30',
      '123456789012',
      '',
    ]);
    expect(rows[3]?.cells.slice(0, 3)).toEqual(['成都锦江文化传播有限公司', '2012-05-20', '0.0000001']);
  });

  it('reads a sheet by position, and refuses a missing one', async () => {
    const bytes = await buildCustomersWorkbook();
    const table = await openTable(chunks(bytes), { fileName: 'book.xlsx', sheet: 2 });
    expect(table.sheet).toBe('订单');
    expect(await readAll(table)).toEqual([{ rowNumber: 2, cells: ['SO-1', '99.9'] }]);
    await expect(openTable(chunks(bytes), { fileName: 'book.xlsx', sheet: '不存在' })).rejects.toMatchObject({
      code: 'SHEET_NOT_FOUND',
    });
  });

  it('skips a hidden first sheet by default', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('选项', { state: 'hidden' }).addRow(['企业', '个人']);
    workbook.addWorksheet('客户').addRow(['客户名称']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const table = await openTable(chunks(bytes), { fileName: 'book.xlsx' });
    expect(table.sheets).toEqual(['选项', '客户']);
    expect(table.sheet).toBe('客户');
    expect(table.headers).toEqual(['客户名称']);
  });

  it('reads a workbook whose shared strings come after the sheet (streaming writer)', async () => {
    const bytes = await buildStreamedWorkbook(2000);
    // Whatever its name, the content says it is a workbook.
    const table = await openTable(chunks(bytes, 8192), { fileName: 'export' });
    expect(table.headers).toEqual(['客户名称', '金额', '日期']);
    const rows = await readAll(table);
    expect(rows).toHaveLength(2000);
    expect(rows[0]).toEqual({ rowNumber: 2, cells: ['客户1', '1.5', '2024-01-02'] });
    expect(rows[1999]?.cells[0]).toBe('客户2000');
  });

  it('reads the whole workbook when the disk is slow to take the sheet it holds back', async () => {
    // A sheet stored before the shared strings waits in a temporary file. The archive's last
    // entries (xl/workbook.xml: the sheet names) are read meanwhile; when the file is slow to
    // write, the end of the archive comes first, and those entries must still be taken.
    const createWriteStream = fs.createWriteStream;
    const slowDisk = vi.spyOn(fs, 'createWriteStream').mockImplementation((...args) => {
      const stream = createWriteStream(...args);
      const emit = stream.emit.bind(stream);
      stream.emit = (event: string | symbol, ...rest: unknown[]) => {
        if (event !== 'finish') return emit(event, ...rest);
        setTimeout(() => emit(event, ...rest), 500);
        return true;
      };
      return stream;
    });
    try {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('客户').addRows([
        ['客户名称', '电话'],
        ['杭州示例科技有限公司', '13800138000'],
      ]);
      const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
      const table = await openTable(chunks(bytes, bytes.length), { fileName: 'book.xlsx' });
      expect(slowDisk).toHaveBeenCalled();
      expect(table.sheets).toEqual(['客户']);
      expect(table.headers).toEqual(['客户名称', '电话']);
      expect(await readAll(table)).toEqual([
        { rowNumber: 2, cells: ['杭州示例科技有限公司', '13800138000'] },
      ]);
    } finally {
      slowDisk.mockRestore();
    }
  });

  it('refuses a damaged workbook', async () => {
    const bytes = await buildCustomersWorkbook();
    const damaged = bytes.slice(0, 600);
    await expect(
      openTable(chunks(damaged), { fileName: 'book.xlsx' }).then((table) => readAll(table)),
    ).rejects.toBeInstanceOf(ImportReadError);
  });
});

describe('Excel value helpers', () => {
  it('tells date formats from number formats', () => {
    expect(isDateFormat('yyyy-mm-dd')).toBe(true);
    expect(isDateFormat('yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat('[$-F800]dddd, mmmm dd, yyyy')).toBe(true);
    expect(isDateFormat('h:mm AM/PM')).toBe(true);
    expect(isDateFormat('0.00')).toBe(false);
    expect(isDateFormat('#,##0.00 "元"')).toBe(false);
    expect(isDateFormat('[Red]#,##0')).toBe(false);
    expect(isDateFormat('General')).toBe(false);
  });

  it('writes numbers without float noise or exponents', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(-1.5e-7)).toBe('-0.00000015');
    expect(formatNumber(1234.5)).toBe('1234.5');
  });
});

/** V8's full collection, exposed to this test only. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function retained(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
