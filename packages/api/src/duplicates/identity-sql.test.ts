import type { CrmDatabase } from '@crm/db';
import { type IdentityRecord, identityVerdict, SHARED_KEYS, sharedKeysOf } from '@crm/domain';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * crm_customer_identity (SQL) is the twin of identityVerdict (TypeScript): the import decides
 * with the first, the create check with the second. Every pair of a varied set of records,
 * and every subset of shared keys on a few of them, must get the same verdict from both.
 */

const records: IdentityRecord[] = [
  { kind: 'company', name: '华辰工业科技有限公司', phone: '0571-87558212', creditCode: '91330100799655058B' },
  { kind: 'company', name: '华辰工业科技股份有限公司', phone: '13812345678' },
  { kind: 'company', name: '华辰工业科技有限责任公司', creditCode: '91350100M000100Y43' },
  { kind: 'company', name: '华辰工业科技有限公司上海分公司', phone: '0571-87558212' },
  { kind: 'company', name: '华辰工业科技有限公司 上海分公司' },
  { kind: 'company', name: '华辰工业科技有限公司北京分公司' },
  { kind: 'company', name: '杭州远景贸易有限公司', phone: '+86 571 8755 8212', email: 'a@example.com' },
  { kind: 'company', name: '某某餐饮有限公司望京门店', email: 'a@example.com' },
  { kind: 'company', name: '某某餐饮有限公司' },
  { kind: 'company', name: 'ABC Trading Co., Ltd.', email: 'A@example.com' },
  { kind: 'company', name: 'ＡＢＣ　Ｔｒａｄｉｎｇ' },
  { kind: 'person', name: '张伟', phone: '13812345678', email: 'zw@example.com' },
  { kind: 'person', name: '张 伟', phone: '+8613812345678' },
  { kind: 'person', name: 'Zhang Wei', email: 'zw@example.com' },
  { kind: 'person', name: 'zhang wei', email: 'ZW@example.com', phone: '0571-87558212' },
  { kind: 'person', name: '李娜', phone: '13812345678' },
  { kind: 'person', name: '张伟' },
];

describe('crm_customer_identity agrees with identityVerdict', () => {
  let testDatabase: TestDatabase;
  let database: CrmDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = testDatabase.database;
  });
  afterAll(() => testDatabase?.destroy());

  it('on every pair of records and every set of shared keys', async () => {
    const cases: { a: IdentityRecord; b: IdentityRecord; shared: string[] }[] = [];
    for (const a of records) for (const b of records) cases.push({ a, b, shared: sharedKeysOf(a, b) });
    // Every subset of shared keys on a few pairs: the rule's order of precedence.
    for (let mask = 0; mask < 1 << SHARED_KEYS.length; mask++) {
      const shared = SHARED_KEYS.filter((_, i) => mask & (1 << i));
      for (const [a, b] of [
        [records[0], records[2]],
        [records[0], records[3]],
        [records[3], records[4]],
        [records[11], records[12]],
        [records[11], records[15]],
        [records[0], records[11]],
      ] as [IdentityRecord, IdentityRecord][])
        cases.push({ a, b, shared });
    }
    const fromSql = await database.withoutTenant(async (db) => {
      const { rows } = await sql<{ verdict: string | null }>`
        select crm_customer_identity(c ->> 'ak', c ->> 'an', c ->> 'ac', c ->> 'bk', c ->> 'bn', c ->> 'bc',
          array(select jsonb_array_elements_text(c -> 's'))) as verdict
        from jsonb_array_elements(${JSON.stringify(
          cases.map(({ a, b, shared }) => ({
            ak: a.kind,
            an: a.name ?? null,
            ac: a.creditCode ?? null,
            bk: b.kind,
            bn: b.name ?? null,
            bc: b.creditCode ?? null,
            s: shared,
          })),
        )}::jsonb) with ordinality as t (c, n) order by n`.execute(db);
      return rows.map((row) => row.verdict);
    });
    const mismatches = cases
      .map(({ a, b, shared }, i) => {
        const ts = identityVerdict(a, b, shared);
        const expected = ts.verdict === 'same' ? ts.by : ts.verdict === 'candidate' ? 'candidate' : null;
        return { a: a.name, b: b.name, shared, sql: fromSql[i], ts: expected };
      })
      .filter((row) => row.sql !== row.ts);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(new Set(fromSql)).toEqual(
      new Set([
        'customer_number',
        'credit_code',
        'national_id',
        'name',
        'name_phone',
        'name_email',
        'candidate',
        null,
      ]),
    );
  });
});
