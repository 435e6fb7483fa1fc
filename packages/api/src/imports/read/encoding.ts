/**
 * Text encodings of uploaded CSV files. Chinese Excel saves "CSV" in the system code page
 * (GBK on Simplified Chinese Windows), other systems export UTF-8 with or without a byte order
 * mark, and a few write UTF-16. GB18030 is a superset of GBK and GB2312, so it decodes all of them.
 */

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** How many leading bytes are enough to tell the encodings apart. */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

/**
 * Whether `bytes` is well-formed UTF-8. A multibyte sequence cut off by the end of the sample
 * (the head of a longer file) counts as well-formed when `truncated` is set.
 */
export function isValidUtf8(bytes: Uint8Array, truncated = false): boolean {
  const length = bytes.length;
  let index = 0;
  while (index < length) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    let needed: number;
    let min: number;
    let max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      needed = 1;
      min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      // Overlong forms (E0 80–9F) and UTF-16 surrogates (ED A0–BF) are not UTF-8.
      min = lead === 0xe0 ? 0xa0 : 0x80;
      if (lead === 0xed) max = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      min = lead === 0xf0 ? 0x90 : 0x80;
      if (lead === 0xf4) max = 0x8f;
    } else {
      return false;
    }
    for (let offset = 1; offset <= needed; offset += 1) {
      if (index + offset >= length) return truncated;
      const next = bytes[index + offset] as number;
      const low = offset === 1 ? min : 0x80;
      const high = offset === 1 ? max : 0xbf;
      if (next < low || next > high) return false;
    }
    index += needed + 1;
  }
  return true;
}

/**
 * The encoding of a file from its first bytes (pass up to {@link ENCODING_SAMPLE_BYTES}; pass the
 * whole file when it is shorter, and set `complete` then so a cut-off character is not excused).
 * A byte order mark decides; then well-formed UTF-8 is UTF-8; anything else is taken as GB18030.
 * UTF-16 without a mark is recognised by the zero bytes of ASCII text.
 */
export function detectEncoding(head: Uint8Array, complete = false): TextEncodingName {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const utf16 = guessUnmarkedUtf16(head);
  if (utf16) return utf16;
  return isValidUtf8(head, !complete) ? 'utf-8' : 'gb18030';
}

/** UTF-16 text of mostly ASCII characters has a zero byte in every other position. */
function guessUnmarkedUtf16(head: Uint8Array): TextEncodingName | null {
  const pairs = Math.min(Math.floor(head.length / 2), 512);
  if (pairs < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let pair = 0; pair < pairs; pair += 1) {
    if (head[pair * 2] === 0) zeroEven += 1;
    if (head[pair * 2 + 1] === 0) zeroOdd += 1;
  }
  if (zeroOdd > pairs * 0.6 && zeroEven < pairs * 0.1) return 'utf-16le';
  if (zeroEven > pairs * 0.6 && zeroOdd < pairs * 0.1) return 'utf-16be';
  return null;
}

/**
 * A streaming decoder for the encoding: feed chunks in order with `decode(chunk)` and call
 * `end()` last. A character split across chunks comes out whole; the byte order mark is dropped.
 * Bytes that are not valid in the encoding become U+FFFD rather than failing the import.
 */
export function createTextDecoder(encoding: TextEncodingName): {
  decode(chunk: Uint8Array): string;
  end(): string;
} {
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  // Node 20 ships full ICU, so TextDecoder knows gb18030 (verified by the tests).
  const decoder = new TextDecoder(label, { fatal: false, ignoreBOM: false });
  return {
    decode: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => decoder.decode(),
  };
}

/**
 * Decodes a byte stream to text chunks in the given encoding. Chunks may split characters anywhere.
 */
export async function* decodeStream(
  source: AsyncIterable<Uint8Array>,
  encoding: TextEncodingName,
): AsyncGenerator<string> {
  const decoder = createTextDecoder(encoding);
  for await (const chunk of source) {
    const text = decoder.decode(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
