import { describe, expect, it } from 'vitest';
import { normalizeEmailKey } from './email';

describe('normalizeEmailKey', () => {
  it.each([
    ['zhang.wei@example.com', 'zhang.wei@example.com'],
    [' Zhang.Wei@Example.COM ', 'zhang.wei@example.com'],
    ['ZHANGWEI@QQ.COM', 'zhangwei@qq.com'],
    ['ｚｈａｎｇ＠ｑｑ．ｃｏｍ', 'zhang@qq.com'],
    ['mailto:li@163.com', 'li@163.com'],
    ['li @163.com', 'li@163.com'],
    ['wang_fang-01@company.com.cn', 'wang_fang-01@company.com.cn'],
    ['li@sub.example.co.uk', 'li@sub.example.co.uk'],
  ])('%j → %s', (input, key) => {
    expect(normalizeEmailKey(input)).toBe(key);
  });

  it('does not fold gmail dots or plus tags', () => {
    expect(normalizeEmailKey('A.B+crm@GMAIL.com')).toBe('a.b+crm@gmail.com');
    expect(normalizeEmailKey('ab@gmail.com')).not.toBe(normalizeEmailKey('a.b@gmail.com'));
  });

  it.each(['li@163', 'li', '@163.com', 'li@@163.com', '', '  ', 'li@.com', 'li@163..com', 'li@163.com.'])(
    'rejects %j',
    (input) => {
      expect(normalizeEmailKey(input)).toBeNull();
    },
  );
});
