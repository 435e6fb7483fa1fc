import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backupPglite,
  backupPostgres,
  type CrmDatabase,
  dropDatabase,
  openDatabase,
  provisionDatabase,
  restorePglite,
  restorePostgres,
  sql,
} from '@crm/db';
import { testAdminUrl } from '@crm/testing';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A backup restores every row: a migrated database with a tenant's members, customers,
 * orders and tasks is backed up, restored into a new database, and each table's rows
 * (count and one md5 over every row's text) are the same; row-level security still holds
 * on the restored tables, and the runtime role still reads through it.
 */
const TABLES = ['tenants', 'memberships', 'customers', 'contacts', 'orders', 'order_lines', 'tasks'];
const adminUrl = testAdminUrl();
const work = mkdtempSync(join(tmpdir(), 'crm-backup-'));
const databases: string[] = [];

afterAll(async () => {
  if (adminUrl) for (const name of databases) await dropDatabase(adminUrl, name);
  rmSync(work, { recursive: true, force: true });
});

async function fill(database: CrmDatabase, tenantId: string) {
  const owner = crypto.randomUUID();
  await database.withScope({}, async (trx) => {
    await sql`insert into users (id, email, name, password_hash, locale)
      values (${owner}, ${`owner-${owner}@backup.example.com`}, '周敏', 'argon2-hash-placeholder', 'zh-CN')`.execute(
      trx,
    );
  });
  await database.withTenant(tenantId, async (trx) => {
    await sql`insert into tenants (id, name, industry) values (${tenantId}, '苏州备份测试有限公司', 'retail')`.execute(
      trx,
    );
    await sql`insert into memberships (tenant_id, user_id, role) values (${tenantId}, ${owner}, 'owner')`.execute(
      trx,
    );
    await sql`insert into customers (tenant_id, id, name, kind, phone, owner_user_id, created_by)
      select ${tenantId}, gen_random_uuid(), '客户' || i || '号', 'person', '+86138' || lpad(i::text, 8, '0'),
        ${owner}::uuid, ${owner}::uuid
      from generate_series(1, 200) i`.execute(trx);
    await sql`insert into contacts (tenant_id, customer_id, name, phones, emails, is_primary)
      select tenant_id, id, '联系人' || right(name, 4), array[phone], array[]::text[], true from customers`.execute(
      trx,
    );
    await sql`insert into orders (tenant_id, id, customer_id, order_number, ordered_at, amount, profit, payment_method, status, created_by)
      select tenant_id, gen_random_uuid(), id, 'SO-' || right(phone, 6), now() - interval '9 days', 1288.50, 200,
        'wechat_pay', 'completed', ${owner}::uuid
      from customers`.execute(trx);
    await sql`insert into order_lines (tenant_id, order_id, line_no, product, quantity, unit_price)
      select tenant_id, id, 1, '蚕丝被', 1, amount from orders`.execute(trx);
    await sql`insert into tasks (tenant_id, customer_id, title, type, due_on, owner_user_id, created_by)
      select tenant_id, id, '回访：' || name, 'call', current_date + 2, ${owner}::uuid, ${owner}::uuid
      from customers order by phone limit 50`.execute(trx);
  });
}

async function fingerprints(database: CrmDatabase, tenantId: string) {
  return database.withTenant(tenantId, async (trx) => {
    const result: Record<string, { rows: number; md5: string }> = {};
    for (const table of TABLES) {
      const { rows } = await sql<{ rows: number; md5: string | null }>`
        select count(*)::int as rows, md5(string_agg(t::text, '|' order by t::text)) as md5
        from ${sql.table(table)} t`.execute(trx);
      result[table] = { rows: rows[0]?.rows ?? 0, md5: rows[0]?.md5 ?? '' };
    }
    return result;
  });
}

describe('backup and restore', () => {
  it('has every function call ours by schema, so a restore (empty search_path) finds them', async () => {
    const database = await openDatabase({ dataDir: join(work, 'functions') });
    try {
      await database.migrate();
      const unqualified = await database.withScope({}, async (trx) => {
        const { rows } = await sql<{ caller: string; callee: string }>`
          with ours as (
            select p.oid, p.proname, p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and p.prokind = 'f'
              and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e'))
          select distinct caller.proname as caller, callee.proname as callee
          from ours caller, ours callee
          where caller.prosrc ~ (${String.raw`(?<![.\w"])`} || callee.proname || ${String.raw`\(`})
          order by 1, 2`.execute(trx);
        return rows.map((row) => `${row.caller} → ${row.callee}`);
      });
      expect(unqualified).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('restores an embedded database with every row', async () => {
    const dataDir = join(work, 'pglite');
    const tenantId = crypto.randomUUID();
    const database = await openDatabase({ dataDir });
    await database.migrate();
    await fill(database, tenantId);
    const before = await fingerprints(database, tenantId);
    await database.close();
    expect(before.customers?.rows).toBe(200);

    const file = join(work, 'pglite.tar.gz');
    await backupPglite(dataDir, file);
    const restoredDir = join(work, 'pglite-restored');
    await restorePglite(file, restoredDir);
    await expect(restorePglite(file, restoredDir)).rejects.toThrow(/not empty/);

    const restored = await openDatabase({ dataDir: restoredDir });
    try {
      expect(await fingerprints(restored, tenantId)).toEqual(before);
      // Still at the head: migrating again has nothing to do, and the data can be written.
      await restored.migrate();
      await restored.withTenant(tenantId, (trx) =>
        sql`update customers set name = name || '（已核对）' where phone like '%01'`.execute(trx),
      );
    } finally {
      await restored.close();
    }
  });

  it.skipIf(!adminUrl)(
    'restores a server database into a new one, with row-level security and grants',
    async () => {
      if (!adminUrl) return;
      const source = `crm_backup_${process.pid}`;
      const target = `crm_restored_${process.pid}`;
      databases.push(source, target);
      const urls = await provisionDatabase(adminUrl, source);
      const database = await openDatabase({ ...urls, maxConnections: 2 });
      const tenantId = crypto.randomUUID();
      const file = join(work, 'server.dump');
      let before: Awaited<ReturnType<typeof fingerprints>>;
      try {
        await database.migrate();
        await fill(database, tenantId);
        before = await fingerprints(database, tenantId);
        await backupPostgres(adminUrl, source, file);
      } finally {
        await database.close();
      }

      await restorePostgres(adminUrl, target, file);
      await expect(restorePostgres(adminUrl, target, file)).rejects.toThrow(/already exists/);
      const restoredUrls = await provisionDatabase(adminUrl, target);
      const restored = await openDatabase({ ...restoredUrls, maxConnections: 2 });
      try {
        // The runtime role reads the tenant's rows through its policies, and nothing without a tenant.
        expect(await fingerprints(restored, tenantId)).toEqual(before);
        const other = await fingerprints(restored, crypto.randomUUID());
        expect(Object.values(other).map((table) => table.rows)).toEqual(TABLES.map(() => 0));
        const forced = await restored.withScope({}, async (trx) => {
          const { rows } = await sql<{ relname: string }>`
          select relname from pg_class
          where relname = any(${TABLES}::text[]) and relrowsecurity and relforcerowsecurity`.execute(trx);
          return rows.map((row) => row.relname).sort();
        });
        expect(forced).toEqual([...TABLES].sort());
        await restored.migrate();
      } finally {
        await restored.close();
      }
    },
  );

  it.skipIf(!adminUrl)('a broken backup restores nothing', async () => {
    if (!adminUrl) return;
    const target = `crm_broken_${process.pid}`;
    databases.push(target);
    const file = join(work, 'broken.dump');
    writeFileSync(file, 'PGDMP this is not a backup');
    await expect(restorePostgres(adminUrl, target, file)).rejects.toThrow(/pg_restore failed/);
  });
});
