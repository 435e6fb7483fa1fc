import { describe, expect, it } from 'vitest';
import { type IdentityRecord, identityOf } from './identity';

const company = (name: string, more: Partial<IdentityRecord> = {}): IdentityRecord => ({
  kind: 'company',
  name,
  ...more,
});
const person = (name: string, more: Partial<IdentityRecord> = {}): IdentityRecord => ({
  kind: 'person',
  name,
  ...more,
});

describe('identityOf: one rule for the create check, the import and the scan', () => {
  it.each<[string, IdentityRecord, IdentityRecord, string, string | null]>([
    [
      'two companies sharing only a phone',
      company('杭州云帆科技有限公司', { phone: '0571-87558212' }),
      company('杭州远景贸易有限公司', { phone: '+86 571 8755 8212' }),
      'candidate',
      null,
    ],
    [
      'two companies sharing only an email',
      company('华辰工业科技有限公司', { email: 'info@example.com' }),
      company('北方重工有限公司', { email: 'INFO@example.com' }),
      'candidate',
      null,
    ],
    [
      'the same credit code under different names',
      company('华辰工业科技有限公司', { creditCode: '91330100799655058B' }),
      company('华辰科技', { creditCode: '９１３３０１００７９９６５５０５８ｂ' }),
      'same',
      'credit_code',
    ],
    [
      '有限公司 vs 有限责任公司',
      company('华辰工业科技有限公司'),
      company('华辰工业科技有限责任公司'),
      'same',
      'name',
    ],
    [
      '有限公司 vs 股份有限公司',
      company('华辰工业科技有限公司'),
      company('华辰工业科技股份有限公司'),
      'same',
      'name',
    ],
    [
      'full-width, spaces, brackets and case',
      company('ABC Trading Co., Ltd.'),
      company('ＡＢＣ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．'),
      'same',
      'name',
    ],
    [
      'a region in brackets',
      company('腾讯科技（深圳）有限公司'),
      company('腾讯科技(深圳)有限公司'),
      'same',
      'name',
    ],
    [
      'a branch of an existing company (上海分公司)',
      company('杭州某某科技有限公司'),
      company('杭州某某科技有限公司上海分公司'),
      'candidate',
      null,
    ],
    [
      'a branch sharing the head office phone',
      company('杭州某某科技有限公司', { phone: '0571-87558212' }),
      company('杭州某某科技有限公司上海分公司', { phone: '0571-87558212' }),
      'candidate',
      null,
    ],
    ['two branches of one bank', company('招商银行深圳分行'), company('招商银行北京分行'), 'candidate', null],
    ['a shop (门店)', company('某某餐饮有限公司'), company('某某餐饮有限公司望京门店'), 'candidate', null],
    ['a sub-branch (支行)', company('中国工商银行'), company('中国工商银行杭州西湖支行'), 'candidate', null],
    [
      'the same branch typed twice',
      company('A有限公司上海分公司'),
      company('A有限公司 上海分公司'),
      'same',
      'name',
    ],
    [
      'the same customer number',
      company('华辰', { customerNumber: 'C-001' }),
      company('别名', { customerNumber: 'C-001' }),
      'same',
      'customer_number',
    ],
    ['unrelated companies', company('华辰工业科技有限公司'), company('北方重工有限公司'), 'different', null],
    [
      'two persons with the same name and phone',
      person('张伟', { phone: '13812345678' }),
      person('张 伟', { phone: '+86 138 1234 5678' }),
      'same',
      'name_phone',
    ],
    [
      'two persons with the same name and email',
      person('Zhang Wei', { email: 'zw@example.com' }),
      person('zhang wei', { email: 'ZW@example.com' }),
      'same',
      'name_email',
    ],
    [
      'two persons sharing a phone only (a family)',
      person('张伟', { phone: '13812345678' }),
      person('李娜', { phone: '13812345678' }),
      'candidate',
      null,
    ],
    ['two persons with the same name only', person('张伟'), person('张伟'), 'different', null],
    [
      'the same national ID',
      person('张伟', { nationalId: 'blind-1' }),
      person('张卫', { nationalId: 'blind-1' }),
      'same',
      'national_id',
    ],
    [
      'a person and a company sharing a phone',
      person('张伟', { phone: '13812345678' }),
      company('张伟工作室', { phone: '13812345678' }),
      'candidate',
      null,
    ],
  ])('%s', (_, a, b, verdict, by) => {
    expect(identityOf(a, b)).toEqual({ verdict, by });
    // Symmetric.
    expect(identityOf(b, a)).toEqual({ verdict, by });
  });

  it('two valid, different credit codes make one name a candidate, not a match', () => {
    // 91330100799655058B and 91350100M000100Y43 are both valid codes.
    expect(
      identityOf(
        company('华辰工业科技有限公司', { creditCode: '91330100799655058B' }),
        company('华辰工业科技有限公司', { creditCode: '91350100M000100Y43' }),
      ),
    ).toEqual({ verdict: 'candidate', by: null });
  });
});
