import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTextDecoder, decodeStream, detectEncoding, isValidUtf8 } from './encoding';

const utf8 = (text: string) => new TextEncoder().encode(text);
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** GBK bytes of 你好，客户 (hand-checked against the GBK table). */
const GBK_HELLO = new Uint8Array([0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xbf, 0xcd, 0xbb, 0xa7]);

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function decodeAll(bytes: Uint8Array, size: number, encoding: Parameters<typeof decodeStream>[1]) {
  let text = '';
  for await (const part of decodeStream(chunks(bytes, size), encoding)) text += part;
  return text;
}

describe('detectEncoding', () => {
  it('tells byte order marks apart', () => {
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf-8-bom');
    expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toBe('utf-16le');
    expect(detectEncoding(new Uint8Array([0xfe, 0xff, 0x00, 0x61]))).toBe('utf-16be');
  });

  it('takes well-formed UTF-8 (and plain ASCII) as UTF-8', () => {
    expect(detectEncoding(utf8('客户名称,电话\n张三,13800138000\n'))).toBe('utf-8');
    expect(detectEncoding(utf8('name,phone\n'))).toBe('utf-8');
  });

  it('takes GBK as GB18030', () => {
    expect(detectEncoding(GBK_HELLO, true)).toBe('gb18030');
    expect(detectEncoding(fixture('customers-gbk.csv'), true)).toBe('gb18030');
  });

  it('excuses a UTF-8 character cut off by the end of the sample, but not at the end of the file', () => {
    const bytes = utf8('客户名称');
    const cut = bytes.subarray(0, bytes.length - 1);
    expect(detectEncoding(cut)).toBe('utf-8');
    expect(detectEncoding(cut, true)).toBe('gb18030');
  });

  it('recognises UTF-16 without a mark by its zero bytes', () => {
    const text = 'name,phone\r\nZhang,13800138000\r\n';
    const le = new Uint8Array(Buffer.from(text, 'utf16le'));
    const be = new Uint8Array(le.length);
    for (let index = 0; index < le.length; index += 2) {
      be[index] = le[index + 1] as number;
      be[index + 1] = le[index] as number;
    }
    expect(detectEncoding(le)).toBe('utf-16le');
    expect(detectEncoding(be)).toBe('utf-16be');
  });

  it('rejects malformed UTF-8: overlong forms, surrogates, stray continuation bytes', () => {
    expect(isValidUtf8(new Uint8Array([0xc0, 0xaf]))).toBe(false);
    expect(isValidUtf8(new Uint8Array([0xe0, 0x80, 0xaf]))).toBe(false);
    expect(isValidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(false);
    expect(isValidUtf8(new Uint8Array([0x80]))).toBe(false);
    expect(isValidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toBe(false);
    expect(isValidUtf8(utf8('😀 emoji'))).toBe(true);
  });

  it('accepts any string encoded as UTF-8, however it is cut', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), fc.nat(), (text, cutAt) => {
        const bytes = utf8(text);
        const cut = bytes.subarray(0, bytes.length === 0 ? 0 : cutAt % (bytes.length + 1));
        return isValidUtf8(bytes) && isValidUtf8(cut, true);
      }),
    );
  });
});

describe('decoding in chunks', () => {
  it('decodes GB18030 (the GBK fixture) whatever the chunk size', async () => {
    const bytes = fixture('customers-gbk.csv');
    const whole = createTextDecoder('gb18030');
    const expected = whole.decode(bytes) + whole.end();
    expect(expected).toContain('北京（中关村）科技有限公司');
    expect(expected).toContain('１３８ ００１３ ８０００');
    for (const size of [1, 2, 3, 7, 64]) {
      expect(await decodeAll(bytes, size, 'gb18030')).toBe(expected);
    }
  });

  it('keeps a UTF-8 character split across chunk boundaries whole', async () => {
    const text = '客户：张三，电话１３８';
    const bytes = utf8(text);
    for (const size of [1, 2, 4, 5]) {
      expect(await decodeAll(bytes, size, 'utf-8')).toBe(text);
    }
  });

  it('drops the byte order mark', async () => {
    const text = await decodeAll(fixture('orders-utf8-bom.csv'), 2, 'utf-8-bom');
    expect(text.startsWith('客户名称;')).toBe(true);
  });

  it('decodes UTF-16 LE with its mark', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from('客户,电话', 'utf16le')]);
    expect(await decodeAll(bytes, 3, 'utf-16le')).toBe('客户,电话');
  });

  it('round-trips any text through UTF-8 in random chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.integer({ min: 1, max: 9 }),
        async (text, size) => {
          return (await decodeAll(utf8(text), size, 'utf-8')) === text;
        },
      ),
    );
  });
});
