import { describe, expect, it } from 'vitest';
import { normalizePersonNameKey } from './person-name';

describe('normalizePersonNameKey', () => {
  it.each([
    ['张伟', '张伟'],
    ['张 伟', '张伟'],
    [' 张伟　', '张伟'],
    ['阿卜杜勒·艾尼', '阿卜杜勒艾尼'],
    ['阿卜杜勒•艾尼', '阿卜杜勒艾尼'],
    ['Zhang Wei', 'zhangwei'],
    ['ZHANG WEI', 'zhangwei'],
    ['ｚｈａｎｇ ｗｅｉ', 'zhangwei'],
    ['欧阳 娜娜', '欧阳娜娜'],
    ['李-娜', '李娜'],
    ['José Núñez', 'josénúñez'],
  ])('%j → %s', (input, key) => {
    expect(normalizePersonNameKey(input)).toBe(key);
  });

  it('traditional characters are not folded to simplified', () => {
    expect(normalizePersonNameKey('張偉')).toBe('張偉');
  });

  it.each(['', '  ', '·', '（）'])('rejects %j', (input) => {
    expect(normalizePersonNameKey(input)).toBeNull();
  });
});
