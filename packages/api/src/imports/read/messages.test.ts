import { describe, expect, it } from 'vitest';
import { formatImportMessage, IMPORT_READ_MESSAGES, IMPORT_VALUE_MESSAGES } from './messages';

describe('messages', () => {
  it('has every message in both languages, with the same placeholders', () => {
    for (const messages of [IMPORT_VALUE_MESSAGES, IMPORT_READ_MESSAGES]) {
      for (const [code, text] of Object.entries(messages)) {
        const zh = text['zh-CN'].match(/\{\w+\}/g)?.sort() ?? [];
        const en = text.en.match(/\{\w+\}/g)?.sort() ?? [];
        expect(zh, code).toEqual(en);
        expect(text['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('fills placeholders', () => {
    expect(formatImportMessage('TEXT_TOO_LONG', 'zh-CN', { max: 200 })).toBe('最多 200 个字符');
    expect(formatImportMessage('PHONE_INVALID', 'en', { value: '12345' })).toContain('"12345"');
    expect(formatImportMessage('CSV_MALFORMED', 'zh-CN', { row: 3 })).toContain('第 3 行');
  });
});
