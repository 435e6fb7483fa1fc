import { describe, expect, it } from 'vitest';
import { binarySignature, binaryText } from './binary';
import { ImportReadError } from './errors';
import { openTable } from './table';

async function* chunks(...parts: Uint8Array[]) {
  yield* parts;
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe('binarySignature', () => {
  it.each([
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a), '一张 PNG 图片'],
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), '一张 JPEG 图片'],
    ['GIF', new TextEncoder().encode('GIF89a'), '一张 GIF 图片'],
    ['PDF', new TextEncoder().encode('%PDF-1.7'), '一份 PDF 文档'],
    ['gzip', bytes(0x1f, 0x8b, 0x08), '一个 gzip 压缩包'],
    ['ELF', bytes(0x7f, 0x45, 0x4c, 0x46, 2), '一个程序文件'],
    ['WebP', new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), '一张 WebP 图片'],
    ['MP4', new TextEncoder().encode('\u0000\u0000\u0000\u0018ftypmp42'), '一个视频文件'],
    ['CSV', new TextEncoder().encode('客户名称,手机\n'), null],
    ['CSV starting with PDF', new TextEncoder().encode('PDF,名称\n'), null],
  ])('%s', (_, head, expected) => {
    expect(binarySignature(head)?.zh ?? null).toBe(expected);
  });
});

describe('binaryText', () => {
  it.each([
    ['a CSV', '客户名称,手机\n华辰,13800138000\n'.repeat(50), false],
    ['a CSV with one stray NUL', `${'客户名称,手机\n华辰,13800138000\n'.repeat(50)}坏\u0000行,1\n`, false],
    ['a short text with a few control characters', 'a\u0000b\u0001c\n', false],
    [
      'noise full of control characters',
      Array.from({ length: 2000 }, (_, i) => String.fromCharCode(i % 40)).join(''),
      true,
    ],
    ['undecodable bytes', `${'\uFFFD'.repeat(100)}${'a'.repeat(100)}`, true],
    ['tabs, form feeds and line breaks', '\t\f\r\n'.repeat(100), false],
    ['empty', '', false],
  ])('%s → binary %s', (_, sample, binary) => {
    expect(binaryText(sample) !== null).toBe(binary);
  });
});

describe('openTable', () => {
  it('refuses a PNG named .csv and random bytes with FILE_BINARY, and opens text with a NUL in a row', async () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d);
    await expect(openTable(chunks(png), { fileName: 'a.csv' })).rejects.toMatchObject({
      code: 'FILE_BINARY',
    });
    let seed = 7;
    const noise = new Uint8Array(16 * 1024).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 256;
    });
    const refused = await openTable(chunks(noise), { fileName: 'noise.csv' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ImportReadError);
    expect((refused as ImportReadError).code).toBe('FILE_BINARY');
    const table = await openTable(chunks(new TextEncoder().encode('名称\n好\n坏\u0000\n')), {
      fileName: 'a.csv',
    });
    const rows = [];
    for await (const row of table.rows) rows.push(row.cells[0]);
    expect(rows).toEqual(['好', '坏\u0000']);
  });
});
