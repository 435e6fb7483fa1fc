import type { CrmDatabase } from '@crm/db';
import {
  formatPhone,
  normalizeCompanyNameKey,
  normalizeCreditCode,
  normalizeEmailKey,
  normalizePersonNameKey,
  normalizePhone,
  normalizePhoneKey,
} from '@crm/domain';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The SQL twins of the match-key normalisers (crm_normalize_*) must agree with the
 * TypeScript ones on every input: the form's warning, the import's matching and the scan all
 * rely on the same keys. A few hundred varied inputs, hand-written and generated.
 */

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const FULL_WIDTH = (text: string) =>
  text.replace(/[0-9A-Za-z+\-()@.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function phoneInputs(): string[] {
  const fixed = [
    '13812345678',
    '+86 138 1234 5678',
    '+86-138-1234-5678',
    '0086 13812345678',
    '008613812345678',
    '8613812345678',
    '86 138 1234 5678',
    '(86)13812345678',
    '１３８１２３４５６７８',
    '＋８６　１３８ １２３４ ５６７８',
    '138.1234.5678',
    '138-1234-5678 / 139-8765-4321',
    '138 1234 5678、13987654321',
    '010-12345678',
    '(010)12345678',
    '（010）1234 5678',
    '010 1234 5678',
    '(021)1234-5678',
    '021-1234-5678',
    '0755 8888 8888',
    '0755-8888888',
    '0755-8888888-12',
    '0755-88888888-1234',
    '010-12345678-123',
    '010-12345678转123',
    '010-12345678 转 8001',
    '010-12345678分机123',
    '010-12345678 ext. 55',
    '010-12345678x55',
    '010-12345678#9',
    '010-12345678,2',
    '+86 10 1234 5678',
    '+86 (0)10 1234 5678',
    '0086-21-12345678',
    '+86 755 8888 8888',
    '86-10-12345678',
    '400-810-8888',
    '400 810 8888',
    '800-820-8820',
    '+1 415 555 0100',
    '+852 2345 6789',
    '00852 2345 6789',
    '+44 20 7946 0958',
    'tel: 13812345678',
    '电话：010-12345678',
    'fax: 010 1234 5678',
    '手机 139 8765 4321',
    'abc',
    '',
    '   ',
    '123',
    '88888888',
    '12345678901',
    '11111111111',
    '0000',
    '+',
    '+86',
    '00',
    '138123456789',
    '1381234567',
    '010-1234567',
    '0755-123456',
    '02012345678',
    '028 8765 4321',
    '0571-8888 8888',
    '0591-12345678',
    '+86 571 8888 8888',
    '+86-0571-88888888',
    '13800138000 ',
    ' 13800138000',
    '\t13800138000\n',
    '135-0000-0000 (wife)',
    'x13812345678',
    '#13812345678',
    '1３８－１２３４－５６７８',
    '０１０－１２３４５６７８',
    '86 10 12345678',
    '+861381234567',
    '+8613812345678',
  ];
  const next = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
  const generated: string[] = [];
  for (let i = 0; i < 200; i++) {
    const kind = pick(['mobile', 'landline3', 'landline4', 'service', 'junk']);
    let number: string;
    if (kind === 'mobile') number = `1${pick(['3', '5', '7', '8', '9'])}${digits(9)}`;
    else if (kind === 'landline3') number = `0${pick(['10', '21', '22', '27', '28'])}-${digits(8)}`;
    else if (kind === 'landline4')
      number = `0${pick(['755', '571', '591', '311', '898'])} ${digits(pick([7, 8]))}`;
    else if (kind === 'service') number = `${pick(['400', '800'])}-${digits(3)}-${digits(4)}`;
    else number = digits(Math.floor(next() * 14) + 1);
    const prefix = pick(['', '', '+86 ', '0086-', '86', '+86-', '(+86) ']);
    const separated = pick([
      number,
      number.replace(/(\d{3})(\d{4})(\d{4})/, '$1 $2 $3'),
      number.replace(/(\d{3})(\d{4})(\d{4})/, '$1-$2-$3'),
    ]);
    const extension = pick(['', '', '', '-123', '转8001', ' ext 12', '#6']);
    let text = `${prefix}${separated}${extension}`;
    if (next() < 0.3) text = FULL_WIDTH(text);
    generated.push(text);
  }
  return [...fixed, ...generated];
}

function emailInputs(): string[] {
  return [
    'zhang.wei@example.com',
    ' Zhang.Wei@Example.COM ',
    'ZHANGWEI@QQ.COM',
    'ｚｈａｎｇ＠ｑｑ．ｃｏｍ',
    'mailto:li@163.com',
    'li @163.com',
    'li@163',
    'li',
    '@163.com',
    'li@@163.com',
    'a.b+tag@gmail.com',
    'A.B@GMAIL.COM',
    'li@sub.example.co.uk',
    'wang_fang-01@company.com.cn',
    '王芳@例子.中国',
    'x@y.z',
    '',
    '  ',
    'li@.com',
    'li@163..com',
    'li@163.com.',
    'Li@Example.Com\n',
    'li\t@example.com',
    'ÉMILE@EXAMPLE.COM',
    'émile@example.com',
  ];
}

function companyInputs(): string[] {
  const bases = [
    '华辰工业科技',
    '阿里巴巴',
    '腾讯科技',
    '悦享生活百货',
    '江城商业银行',
    '北京字节跳动科技',
    'ABC Trading',
    'Apple',
  ];
  const forms = [
    '有限公司',
    '有限责任公司',
    '股份有限公司',
    '集团有限公司',
    '集团股份有限公司',
    '公司',
    '集团',
    '',
    ' Co., Ltd.',
    ' Co.,Ltd',
    ' CO., LTD.',
    ' Inc.',
    ' Limited',
    ' Company Limited',
    ' Corp.',
    ' LLC',
    ' GmbH',
  ];
  const regions = ['', '（北京）', '(深圳)', '【上海】', '〔中国〕', '[China]'];
  const branches = [
    '',
    '北京分公司',
    '（北京）分公司',
    '上海营业部',
    '广州办事处',
    '深圳分行',
    '海淀支行',
    '朝阳分店',
    '某某餐饮有限公司望京门店',
    '门店',
    '驻京代表处',
  ];
  const fixed = [
    'A公司北京分公司',
    'A公司',
    '招商银行深圳分行',
    '中国工商银行北京市分行海淀支行',
    '【华辰】科技集团有限公司',
    '公司',
    '有限公司',
    '分公司',
    'Costco',
    'cost co',
    'Co.',
    ' ',
    '',
    '（）',
    '()有限公司',
    '华 辰 工 业 科 技 有 限 公 司',
    '华辰工业科技有限公司。',
    '“华辰”工业科技有限公司',
    '华辰工业科技有限公司（原华辰机械厂）',
    '华辰-工业·科技 有限公司',
    'ＡＢＣ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．',
    '株式会社ソニー',
    '삼성전자',
    'Société Générale',
    'МТС',
    '华辰工业科技有限公司上海分公司营业部',
  ];
  const next = random(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const generated: string[] = [];
  for (let i = 0; i < 160; i++) {
    let text = `${pick(bases)}${pick(regions)}${pick(forms)}${pick(branches)}`;
    if (next() < 0.25) text = text.replace(/[()（）]/g, (c) => (c === '(' ? '（' : c === ')' ? '）' : c));
    if (next() < 0.2) text = FULL_WIDTH(text);
    if (next() < 0.2) text = text.split('').join(pick([' ', '', '　']));
    generated.push(text);
  }
  return [...fixed, ...generated];
}

function personInputs(): string[] {
  return [
    '张伟',
    '张 伟',
    ' 张伟 ',
    '張偉',
    '阿卜杜勒·艾尼',
    '阿卜杜勒•艾尼',
    'Zhang Wei',
    'ZHANG WEI',
    'ｚｈａｎｇ ｗｅｉ',
    '王芳（客户）',
    '李-娜',
    '',
    '  ',
    '·',
    'O’Brien',
    'José Núñez',
    '佐藤太郎',
    '김민준',
    '欧阳 娜娜',
    '123',
    'Mr. Li',
  ];
}

function creditCodeInputs(): string[] {
  return [
    '91330100799655058B',
    '9144030071526726XG',
    '911100001000079554',
    '91330100799655058b',
    ' 9133 0100 7996 5505 8B ',
    '91330100-799655058B',
    '９１３３０１００７９９６５５０５８Ｂ',
    '91330100799655058C',
    '91330100799655058',
    '913301007996550580B',
    '91330100799655058I',
    '9133O100799655058B',
    'ABCDEFGHIJKLMNOPQR',
    '',
    '000000000000000000',
    '91350100M000100Y43',
  ];
}

describe('the SQL normalisers agree with the TypeScript ones', () => {
  let testDatabase: TestDatabase;
  let database: CrmDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = testDatabase.database;
  });
  afterAll(() => testDatabase?.destroy());

  async function sqlResults(fn: string, inputs: string[]): Promise<(string | null)[]> {
    return database.withoutTenant(async (db) => {
      const { rows } = await sql<{ value: string | null }>`
        select ${sql.raw(fn)}(input) as value
        from unnest(${inputs}::text[]) with ordinality as t (input, n) order by n`.execute(db);
      return rows.map((row) => row.value);
    });
  }

  const cases: [string, () => string[], (input: string) => string | null][] = [
    ['crm_normalize_phone', phoneInputs, normalizePhoneKey],
    // The stored form (E.164, ;ext=) has the key of the number as typed.
    [
      'crm_normalize_phone',
      () => phoneInputs().flatMap((input) => normalizePhone(input) ?? []),
      normalizePhoneKey,
    ],
    ['crm_normalize_email', emailInputs, normalizeEmailKey],
    ['crm_normalize_person_name', personInputs, normalizePersonNameKey],
    ['crm_normalize_company_name', companyInputs, (input) => normalizeCompanyNameKey(input)?.key ?? null],
    ['crm_normalize_credit_code', creditCodeInputs, normalizeCreditCode],
  ];
  for (const [fn, inputs, typescript] of cases) {
    it(fn, async () => {
      const values = inputs();
      const fromSql = await sqlResults(fn, values);
      const mismatches = values
        .map((input, i) => ({ input, sql: fromSql[i], ts: typescript(input) }))
        .filter((row) => row.sql !== row.ts);
      expect(mismatches).toEqual([]);
      expect(fromSql.filter((value) => value !== null).length).toBeGreaterThan(3);
    });
  }

  it('crm_phone_stored (the migration of stored phones) gives the stored form normalizePhone gives', async () => {
    const values = phoneInputs().filter(
      (input) => normalizePhone(input) !== null && !/[/、,，;；]/.test(input),
    );
    const fromSql = await sqlResults('crm_phone_stored', values);
    const mismatches = values
      .map((input, i) => ({ input, sql: fromSql[i], ts: normalizePhone(input) }))
      .filter((row) => row.sql !== row.ts);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(values.length).toBeGreaterThan(20);
  });

  it('crm_format_phone (exports) shows a Chinese stored phone as formatPhone (the screens) does', async () => {
    const stored = [...new Set(phoneInputs().flatMap((input) => normalizePhone(input) ?? []))].filter(
      (value) => value.startsWith('+86'),
    );
    for (const locale of ['zh-CN', 'en'] as const) {
      const fromSql = await database.withoutTenant(async (db) => {
        const { rows } = await sql<{ value: string | null }>`
          select crm_format_phone(input, ${locale}) as value
          from unnest(${stored}::text[]) with ordinality as t (input, n) order by n`.execute(db);
        return rows.map((row) => row.value);
      });
      const mismatches = stored
        .map((input, i) => ({ input, sql: fromSql[i], ts: formatPhone(input, locale) }))
        .filter((row) => row.sql !== row.ts);
      expect(mismatches.slice(0, 10)).toEqual([]);
    }
    expect(stored.length).toBeGreaterThan(20);
  });

  it('crm_company_is_branch', async () => {
    const values = companyInputs();
    const fromSql = await database.withoutTenant(async (db) => {
      const { rows } = await sql<{ value: boolean | null }>`
        select crm_company_is_branch(input) as value
        from unnest(${values}::text[]) with ordinality as t (input, n) order by n`.execute(db);
      return rows.map((row) => row.value);
    });
    const mismatches = values
      .map((input, i) => ({ input, sql: fromSql[i], ts: normalizeCompanyNameKey(input)?.branch ?? false }))
      .filter((row) => row.sql !== row.ts);
    expect(mismatches).toEqual([]);
  });

  it('runs over several hundred inputs in all', () => {
    const total =
      phoneInputs().length + emailInputs().length + companyInputs().length + personInputs().length;
    expect(total).toBeGreaterThan(400);
  });
});
