import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CrmDatabase, dropDatabase, openDatabase, provisionDatabase, sql } from '@crm/db';
import { testAdminUrl } from '@crm/testing';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Upgrading keeps every row: a database at the first release's schema (the migrations of
 * 2026-11-22), holding a tenant's members, customers, contacts, orders with lines and
 * interactions written the way that release wrote them, migrated to the head. Every row is
 * still there with every value it had (checksums of the first release's columns, table by
 * table), and the product's new tables start empty or derived. Migrations only add.
 */
const FIRST_RELEASE = '2026-11-22-0013-contact-keys-fast';
/** Tables of the first release whose rows a user wrote, and the columns they had then. */
const TABLES = [
  'tenants',
  'users',
  'memberships',
  'customers',
  'contacts',
  'orders',
  'order_lines',
  'interactions',
];

/**
 * Values a later migration rewrites on purpose, by table and column — everything else must
 * come through unchanged. Phones are converted to their one stored form (E.164) by
 * 2026-12-07-0201-identity-phones: checked below to be exactly that conversion of what was
 * there. The search grams are derived from names and phones, recomputed as those are.
 */
const REWRITTEN: Record<string, string[]> = {
  customers: ['phone', 'search_grams'],
  contacts: ['phones', 'search_grams'],
};

/**
 * Values a later migration moved to another table, read there after the upgrade: a customer's
 * tier placement left the customer row for customer_tiers (2026-12-16-0801-customer-tiers).
 */
const MOVED: Record<string, Record<string, string>> = {
  customers: {
    tier: 'tier',
    tier_score: 'score',
    tier_explanation: 'explanation',
    tier_changed_at: 'changed_at',
    tier_settings_version: 'settings_version',
  },
};

const adminUrl = testAdminUrl();
const databaseName = `crm_upgrade_${process.pid}`;
let dataDir: string | null = null;

async function openFirstRelease(): Promise<CrmDatabase> {
  if (adminUrl) {
    const urls = await provisionDatabase(adminUrl, databaseName);
    return openDatabase({
      databaseUrl: urls.databaseUrl,
      ownerDatabaseUrl: urls.ownerDatabaseUrl,
      maxConnections: 2,
    });
  }
  dataDir = mkdtempSync(join(tmpdir(), 'crm-upgrade-'));
  return openDatabase({ dataDir });
}

afterAll(async () => {
  if (adminUrl) await dropDatabase(adminUrl, databaseName);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Per table: the row count, one md5 over the given columns of every row (rows sorted by
 * their text) and, to name what changed, one md5 per column over its values. `moved`: read
 * the columns of MOVED where they went.
 */
async function fingerprints(
  database: CrmDatabase,
  tenantId: string,
  columns: Record<string, string[]>,
  moved = false,
) {
  return database.withTenant(tenantId, async (trx) => {
    const result: Record<string, { rows: number; md5: string; columns: Record<string, string> }> = {};
    for (const table of TABLES) {
      const list = (columns[table] ?? []).filter((column) => !(REWRITTEN[table] ?? []).includes(column));
      const value = (column: string) => {
        const target = moved ? MOVED[table]?.[column] : undefined;
        if (!target) return sql.ref(column);
        return sql`(select t.${sql.ref(target)} from customer_tiers t
          where t.tenant_id = ${sql.table(table)}.tenant_id and t.customer_id = ${sql.table(table)}.id)`;
      };
      const text = (column: string) => sql`coalesce(${value(column)}::text, '∅')`;
      const { rows } = await sql<Record<string, string | number>>`
        select count(*)::int as rows,
          coalesce(md5(string_agg(${sql.join(list.map(text), sql` || '¦' || `)}, '|'
            order by ${sql.join(list.map(text), sql` || '¦' || `)})), '') as md5,
          ${sql.join(
            list.map(
              (column) =>
                sql`coalesce(md5(string_agg(${text(column)}, '|' order by ${text(column)})), '') as ${sql.ref(`c_${column}`)}`,
            ),
          )}
        from ${sql.table(table)}`.execute(trx);
      const row = rows[0] ?? {};
      result[table] = {
        rows: Number(row.rows ?? 0),
        md5: String(row.md5 ?? ''),
        columns: Object.fromEntries(list.map((column) => [column, String(row[`c_${column}`] ?? '')])),
      };
    }
    return result;
  });
}

describe('upgrade from the first release', () => {
  it('keeps every row and every value of the first release through every migration since', async () => {
    const database = await openFirstRelease();
    try {
      await database.migrate({ upTo: FIRST_RELEASE });
      const tenantId = crypto.randomUUID();
      const [owner, rep] = [crypto.randomUUID(), crypto.randomUUID()];
      await database.withScope({}, async (trx) => {
        await sql`insert into users (id, email, name, password_hash, locale) values
          (${owner}, 'owner@upgrade.example.com', '王总', 'argon2-hash-placeholder', 'zh-CN'),
          (${rep}, 'rep@upgrade.example.com', '李娜', 'argon2-hash-placeholder', 'en')`.execute(trx);
      });
      await database.withTenant(tenantId, async (trx) => {
        await sql`insert into tenants (id, name, industry) values (${tenantId}, '杭州升级测试有限公司', 'b2b')`.execute(
          trx,
        );
        await sql`insert into memberships (tenant_id, user_id, role) values
          (${tenantId}, ${owner}, 'owner'), (${tenantId}, ${rep}, 'sales_rep')`.execute(trx);
        // 300 customers of both kinds, some archived, with phones in the forms people type.
        await sql`insert into customers (tenant_id, id, name, kind, phone, email, owner_user_id, created_by, archived_at, created_at)
          select ${tenantId}, gen_random_uuid(),
            case when i % 3 = 0 then '客户' || i || '（个人）' else '浙江第' || i || '机械有限公司' end,
            case when i % 3 = 0 then 'person' else 'company' end,
            case i % 4 when 0 then '138' || lpad(i::text, 8, '0') when 1 then '0571-8' || lpad(i::text, 7, '0')
              when 2 then null else '+86 139 ' || lpad(i::text, 8, '0') end,
            case when i % 5 = 0 then 'c' || i || '@example.com' end,
            case when i % 2 = 0 then ${rep}::uuid else ${owner}::uuid end, ${owner}::uuid,
            case when i % 50 = 0 then now() - interval '3 days' end,
            now() - (i || ' days')::interval
          from generate_series(1, 300) i`.execute(trx);
        // Some of the companies placed in a tier, as that release's re-tier wrote it.
        await sql`update customers set tier = case when created_at < now() - interval '150 days' then 'b2b_key'
            else 'b2b_ordinary' end,
          tier_score = (50 + (extract(day from created_at)::int % 40) + 0.25)::numeric(5, 2),
          tier_explanation = jsonb_build_object('kind', 'weighted', 'score', 50),
          tier_changed_at = created_at + interval '1 hour', tier_settings_version = 2
          where name like '%机械%' and length(name) % 2 = 0`.execute(trx);
        await sql`insert into contacts (tenant_id, customer_id, name, title, phones, emails, birthday, is_primary)
          select tenant_id, id, '联系人' || left(name, 4), '采购经理', array['1370000' || lpad((row_number() over ())::text, 4, '0')],
            array[]::text[], date '1985-06-18', true
          from customers where kind = 'company'`.execute(trx);
        await sql`insert into orders (tenant_id, id, customer_id, order_number, ordered_at, amount, profit, payment_method, status, created_by)
          select c.tenant_id, gen_random_uuid(), c.id, 'SO-' || row_number() over (order by c.created_at, n),
            now() - (n * 30 || ' days')::interval, (1000 + n * 250.5)::numeric(16, 2), (n * 20)::numeric(16, 2),
            case n % 3 when 0 then 'bank_transfer' when 1 then 'alipay' else 'wechat_pay' end,
            case when n = 4 then 'void' else 'completed' end, ${owner}::uuid
          from customers c cross join generate_series(1, 4) n where c.archived_at is null`.execute(trx);
        await sql`insert into order_lines (tenant_id, order_id, line_no, product, quantity, unit_price)
          select tenant_id, id, 1, '液压泵', 2, amount / 2 from orders`.execute(trx);
        await sql`insert into interactions (tenant_id, customer_id, kind, occurred_at, user_id, summary, next_step, next_step_due, sentiment)
          select tenant_id, id, 'visit', now() - interval '10 days', ${rep}::uuid, '上门拜访，了解明年采购计划',
            '寄送报价单', current_date + 7, 'neutral'
          from customers where archived_at is null`.execute(trx);
      });

      // The columns each table had at the first release.
      const firstColumns = await database.withScope({}, async (trx) => {
        const { rows } = await sql<{ table_name: string; column_name: string }>`
          select table_name, column_name from information_schema.columns
          where table_schema = 'public' and table_name = any(${TABLES}::text[])
          order by table_name, ordinal_position`.execute(trx);
        const columns: Record<string, string[]> = {};
        for (const row of rows) {
          columns[row.table_name] ??= [];
          columns[row.table_name]?.push(row.column_name);
        }
        return columns;
      });
      // users' rows are read without a tenant (the table is global).
      const before = await fingerprints(database, tenantId, firstColumns);
      expect(before.customers?.rows).toBe(300);
      expect(before.orders?.rows).toBeGreaterThan(1000);

      const phonesBefore = await database.withTenant(tenantId, async (trx) => {
        const { rows } = await sql<{ phone: string }>`
          select phone from customers where phone is not null
          union all select p from contacts, unnest(phones) p`.execute(trx);
        return rows.map((row) => row.phone);
      });

      await database.migrate();

      // Every phone is the same number in its stored form, and no phone went missing.
      const phones = await database.withTenant(tenantId, async (trx) => {
        const { rows } = await sql<{ expected: string[]; actual: string[] }>`
          select
            (select array_agg(coalesce(crm_phone_stored(p), p) order by coalesce(crm_phone_stored(p), p))
               from unnest(${phonesBefore}::text[]) p) as expected,
            (select array_agg(phone order by phone) from (
               select phone from customers where phone is not null
               union all select p from contacts, unnest(phones) p) x) as actual`.execute(trx);
        return rows[0];
      });
      expect(phones?.actual).toEqual(phones?.expected);
      expect(phones?.actual.length).toBe(phonesBefore.length);

      const after = await fingerprints(database, tenantId, firstColumns, true);
      const changed = TABLES.flatMap((table) =>
        Object.keys(before[table]?.columns ?? {})
          .filter((column) => before[table]?.columns[column] !== after[table]?.columns[column])
          .map((column) => `${table}.${column}`),
      );
      expect(changed).toEqual([]);
      expect(after).toEqual(before);
      // What the later migrations derived from these rows is there too: 下一步 with a due day became tasks.
      const derived = await database.withTenant(tenantId, async (trx) => {
        const { rows } = await sql<{ tasks: number }>`
          select count(*)::int as tasks from tasks where source = 'interaction'`.execute(trx);
        return rows[0]?.tasks ?? 0;
      });
      expect(derived).toBe(before.interactions?.rows);
      console.log(
        `upgrade from ${FIRST_RELEASE}: ${Object.entries(after)
          .map(([table, value]) => `${table}=${value.rows}`)
          .join(' ')} rows_lost=0 values_changed=0`,
      );
    } finally {
      await database.close();
    }
  }, 600_000);
});
