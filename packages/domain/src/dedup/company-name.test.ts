import { describe, expect, it } from 'vitest';
import { normalizeCompanyName, normalizeCompanyNameKey } from './company-name';

describe('normalizeCompanyNameKey', () => {
  it.each([
    ['华辰工业科技有限公司', '华辰工业科技'],
    ['华辰工业科技股份有限公司', '华辰工业科技'],
    ['华辰工业科技有限责任公司', '华辰工业科技'],
    ['华辰工业科技集团有限公司', '华辰工业科技'],
    ['华辰工业科技集团股份有限公司', '华辰工业科技'],
    ['华辰工业科技公司', '华辰工业科技'],
    ['华辰工业科技集团', '华辰工业科技'],
    ['华辰工业科技', '华辰工业科技'],
    ['华 辰 工 业 科 技 有 限 公 司', '华辰工业科技'],
    ['华辰-工业·科技 有限公司', '华辰工业科技'],
    ['“华辰”工业科技有限公司。', '华辰工业科技'],
    ['阿里巴巴（中国）有限公司', '阿里巴巴'],
    ['阿里巴巴(中国)有限公司', '阿里巴巴'],
    ['腾讯科技（深圳）有限公司', '腾讯科技'],
    ['西门子〔中国〕有限公司', '西门子'],
    ['【华辰】科技集团有限公司', '华辰科技'],
    ['华辰工业科技有限公司（原华辰机械厂）', '华辰工业科技'],
    ['ABC Trading Co., Ltd.', 'abctrading'],
    ['ABC Trading Co.,Ltd', 'abctrading'],
    ['ABC TRADING CO., LTD.', 'abctrading'],
    ['ＡＢＣ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．', 'abctrading'],
    ['ABC Trading Company Limited', 'abctrading'],
    ['ABC Trading Limited', 'abctrading'],
    ['Apple Inc.', 'apple'],
    ['Acme Corp.', 'acme'],
    ['Acme LLC', 'acme'],
    ['Costco', 'costco'],
    ['Cost Co', 'cost'],
    ['株式会社ソニー', '株式会社ソニー'],
  ])('%j → %s', (input, key) => {
    expect(normalizeCompanyNameKey(input)).toEqual({ key, branch: false });
  });

  it.each([
    ['A公司北京分公司', 'a'],
    ['A公司（北京）分公司', 'a'],
    ['华辰工业科技有限公司上海分公司', '华辰工业科技'],
    ['华辰工业科技有限公司（上海）分公司', '华辰工业科技'],
    ['华辰工业科技有限公司上海营业部', '华辰工业科技'],
    ['华辰工业科技有限公司广州办事处', '华辰工业科技'],
    ['华辰工业科技有限公司驻京代表处', '华辰工业科技'],
    ['招商银行深圳分行', '招商银行'],
    ['中国工商银行北京市分行海淀支行', '中国工商银行'],
    ['悦享生活百货公司朝阳分店', '悦享生活百货'],
  ])('branch %j → %s', (input, key) => {
    expect(normalizeCompanyNameKey(input)).toEqual({ key, branch: true });
  });

  it('a branch and its head office share a key', () => {
    expect(normalizeCompanyName('A公司北京分公司')).toBe(normalizeCompanyName('A公司'));
  });

  it('never strips a name down to nothing', () => {
    expect(normalizeCompanyName('公司')).toBe('公司');
    expect(normalizeCompanyName('有限公司')).toBe('有限');
    expect(normalizeCompanyName('分公司')).toBe('分');
  });

  it.each(['', ' ', '（）', '()', '。，'])('rejects %j', (input) => {
    expect(normalizeCompanyNameKey(input)).toBeNull();
  });
});
