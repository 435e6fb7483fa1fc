import { describe, expect, it } from 'vitest';
import { matchKeysOf } from './match-keys';

describe('matchKeysOf', () => {
  it('gives a company its name, phone, email and credit code keys, contacts included, once each', () => {
    expect(
      matchKeysOf({
        kind: 'company',
        name: '华辰工业科技有限公司北京分公司',
        phone: '+86 10 1234 5678',
        email: 'Info@HuaChen.cn',
        creditCode: '91330100799655058b',
        contactPhones: ['138 1234 5678', '010-12345678'],
        contactEmails: ['info@huachen.cn', 'not an email'],
      }),
    ).toEqual([
      { kind: 'name', value: '华辰工业科技', branch: true },
      { kind: 'phone', value: '01012345678' },
      { kind: 'phone', value: '13812345678' },
      { kind: 'email', value: 'info@huachen.cn' },
      { kind: 'credit_code', value: '91330100799655058B' },
    ]);
  });

  it("gives no key for a person's name", () => {
    expect(matchKeysOf({ kind: 'person', name: '张伟', phone: '138 1234 5678' })).toEqual([
      { kind: 'phone', value: '13812345678' },
    ]);
  });
});
