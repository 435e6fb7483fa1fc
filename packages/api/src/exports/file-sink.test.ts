import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, csvField, csvLine, FileSink } from './file-sink';

describe('csvField', () => {
  it.each([
    [null, ''],
    ['', '""'],
    ['plain', 'plain'],
    ['中文', '中文'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['\\.', '"\\."'],
    ["'=1+1", "'=1+1"],
  ])('%j → %j (as COPY … (FORMAT csv) writes it)', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('joins a line with commas and ends it with \\n', () => {
    expect(csvLine(['名称', null, 'a"b'])).toBe('名称,,"a""b"\n');
  });
});

describe('FileSink', () => {
  it('stores chunks of CHUNK_BYTES in order, the last one short', async () => {
    const stored: { seq: number; size: number }[] = [];
    const sink = new FileSink(async (seq, bytes) => {
      stored.push({ seq, size: bytes.byteLength });
    });
    const piece = new Uint8Array(300 * 1024);
    for (let index = 0; index < 10; index += 1) await sink.write(piece);
    await sink.close();
    expect(stored.map((chunk) => chunk.seq)).toEqual([0, 1, 2]);
    expect(stored.reduce((total, chunk) => total + chunk.size, 0)).toBe(10 * piece.byteLength);
    expect(sink.size).toBe(10 * piece.byteLength);
    for (const chunk of stored.slice(0, -1)) expect(chunk.size).toBeGreaterThanOrEqual(CHUNK_BYTES);
  });

  it('holds a fast producer back: at most one chunk stored while the next fills', async () => {
    let storing = 0;
    let most = 0;
    let buffered = 0;
    let mostBuffered = 0;
    const sink = new FileSink(async (_seq, bytes) => {
      storing += 1;
      most = Math.max(most, storing);
      await new Promise((resolve) => setTimeout(resolve, 5));
      storing -= 1;
      buffered -= bytes.byteLength;
    });
    const piece = new Uint8Array(64 * 1024);
    for (let index = 0; index < 200; index += 1) {
      buffered += piece.byteLength;
      mostBuffered = Math.max(mostBuffered, buffered);
      await sink.write(piece);
    }
    await sink.close();
    expect(most).toBe(1);
    // What the producer has handed over and is not yet stored: two chunks at most.
    expect(mostBuffered).toBeLessThanOrEqual(2 * CHUNK_BYTES + piece.byteLength);
    expect(buffered).toBe(0);
  });

  it('reports a failed store to the writer', async () => {
    const sink = new FileSink(async () => {
      throw new Error('disk full');
    });
    await sink.write(new Uint8Array(CHUNK_BYTES));
    await expect(sink.close()).rejects.toThrow('disk full');
  });
});
