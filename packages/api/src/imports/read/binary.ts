/**
 * Telling a text file from a binary one before anything is staged. A CSV is text: it has
 * line breaks and printable characters, and at most a stray control character. A picture, an
 * archive or a program renamed `.csv` decodes as GB18030 "text" full of control characters
 * and undecodable bytes; it is refused as a whole (FILE_BINARY) instead of turning into
 * thousands of rows of garbage. A few stray control characters in real text are not refused
 * here: the rows holding them are reported one by one (CONTROL_CHARACTER).
 */

/** Leading bytes of common binary formats, with the name a user knows them by. */
const SIGNATURES: { bytes: number[]; zh: string; en: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], zh: '一张 PNG 图片', en: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], zh: '一张 JPEG 图片', en: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], zh: '一张 GIF 图片', en: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], zh: '一份 PDF 文档', en: 'a PDF document' },
  { bytes: [0x1f, 0x8b], zh: '一个 gzip 压缩包', en: 'a gzip archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], zh: '一个 7z 压缩包', en: 'a 7z archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], zh: '一个 RAR 压缩包', en: 'a RAR archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], zh: '一个程序文件', en: 'a program' },
  { bytes: [0x4d, 0x5a, 0x90, 0x00], zh: '一个程序文件', en: 'a program' },
  {
    bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74],
    zh: '一个 SQLite 数据库文件',
    en: 'an SQLite database',
  },
];

/** At least this many control characters, and more than this share of the sample, make a file binary. */
export const BINARY_MIN_CONTROLS = 8;
export const BINARY_CONTROL_SHARE = 0.01;
/** Undecodable bytes (U+FFFD after decoding) beyond this share of the sample make a file binary. */
export const BINARY_INVALID_SHARE = 0.05;

export type BinaryVerdict = { zh: string; en: string } | null;

/** A known binary format by its first bytes, or null. */
export function binarySignature(head: Uint8Array): BinaryVerdict {
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((byte, index) => head[index] === byte))
      return { zh: signature.zh, en: signature.en };
  }
  const riff = String.fromCharCode(...head.subarray(8, 12));
  if (head[0] === 0x52 && head[1] === 0x49 && head[2] === 0x46 && head[3] === 0x46 && riff === 'WEBP')
    return { zh: '一张 WebP 图片', en: 'a WebP image' };
  if (String.fromCharCode(...head.subarray(4, 8)) === 'ftyp')
    return { zh: '一个视频文件', en: 'a video file' };
  return null;
}

/**
 * Whether the decoded start of a file is text: not when control characters (other than tab,
 * line breaks and form feed) or undecodable bytes make up more than a small share of it.
 */
export function binaryText(sample: string): BinaryVerdict {
  if (sample.length === 0) return null;
  let controls = 0;
  let invalid = 0;
  for (let index = 0; index < sample.length; index += 1) {
    const code = sample.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0x7f)
      controls += 1;
    else if (code === 0xfffd) invalid += 1;
  }
  if (controls >= BINARY_MIN_CONTROLS && controls / sample.length > BINARY_CONTROL_SHARE)
    return { zh: '程序、图片或压缩包一类的非文本文件', en: 'a program, a picture or an archive, not text' };
  if (invalid >= BINARY_MIN_CONTROLS && invalid / sample.length > BINARY_INVALID_SHARE)
    return {
      zh: '非文本文件，或用了无法识别的编码保存',
      en: 'not text, or text saved in an encoding we cannot read',
    };
  return null;
}
