import {
  AUDITED_COLUMNS,
  FACTS_COLUMNS,
  jobScope,
  refreshCompleteness,
  refreshCustomerFacts,
  runImport,
} from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
  uploadImportFile,
} from './helpers';

/**
 * An import writes its customers' and contacts' audit rows and match keys (and its orders' and
 * interactions' audit rows) in the statements that insert them (imports/bulk-write.ts), while
 * the insert triggers stand aside; every other insert keeps the triggers. The same rows written
 * both ways give the same audit rows, match keys and derived facts.
 */

let server: TestServer;
let tenant: SeededTenant;
let copy: SeededTenant;
let admin: TrpcClient;

const MAPPING = {
  客户名称: 'name',
  客户类型: 'kind',
  客户编号: 'customer_number',
  信用代码: 'credit_code',
  手机: 'phone',
  邮箱: 'email',
  标签: 'tags',
  地址: 'address',
  成立日期: 'founded_on',
  计划采购金额: 'purchase_plan_amount',
  需求: 'explicit_needs',
  联系人: 'contact.name',
  联系人电话: 'contact.phone',
  联系人邮箱: 'contact.email',
};
const FILE = [
  '客户名称,客户类型,客户编号,信用代码,手机,邮箱,标签,地址,成立日期,计划采购金额,需求,联系人,联系人电话,联系人邮箱',
  '杭州瑞丰科技有限公司,企业,KH-1,91330100799655058B,138 1111 2222,Sales@RuiFeng.example.cn,重点客户、华东,杭州市文三路1号,2015年3月8日,12.5万元,希望年底前完成设备更新,王伟,15900001111,wang@ruifeng.example.cn',
  '上海恒达贸易有限公司浦东分公司,企业,KH-2,,021-61234567,,老客户,,2019/7/1,"￥1,234.50",,李娜,,li@hengda.example.cn',
  '张敏,个人,KH-3,,13933334444,zhang@mail.example.cn,,北京市中山路9号,,,,,,',
  '北京天合实业有限公司,企业,,,,,,,,,关注交付周期,,,',
].join('\r\n');

type AuditRow = {
  actor: string | null;
  entity: string;
  entity_id: string;
  customer_id: string;
  action: string;
  changes: unknown;
};
type KeyRow = { customer_id: string; kind: string; value: string; branch: boolean };

/** The records' audit rows (not the procedures' own 'call' rows of the upload and the start). */
function auditOf(tenantId: string, entities: string[] = ['customer', 'contact']) {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<AuditRow>`
      select actor_user_id as actor, entity, entity_id, customer_id, action, changes from audit_log
      where entity = any(${entities}::text[])
      order by entity, entity_id, action`.execute(trx);
    return rows;
  });
}

/**
 * Copies the tenant's rows of the tables into the copy tenant by ordinary INSERTs (same ids,
 * same values), as the acting member, so the triggers write their audit rows and keys.
 */
async function copyByStatements(tables: string[], actor: string) {
  // Read first: one database session at a time on PGlite, so no transaction inside another.
  const sources: Record<string, { columns: string; doc: string }> = {};
  for (const table of tables) {
    sources[table] = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{ columns: string }>`
        select string_agg(quote_ident(column_name), ', ' order by ordinal_position) as columns
        from information_schema.columns
        where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER' and column_name <> 'tenant_id'`.execute(
        trx,
      );
      const source = await sql<{ doc: unknown }>`
        select coalesce(jsonb_agg(to_jsonb(x) - 'tenant_id' - 'search_grams'), '[]') as doc
        from ${sql.table(table)} x`.execute(trx);
      return { columns: rows[0]?.columns ?? '', doc: JSON.stringify(source.rows[0]?.doc) };
    });
  }
  await server.database.withTenant(copy.tenantId, async (trx) => {
    await sql`select set_config('app.user_id', ${actor}, true)`.execute(trx);
    for (const table of tables) {
      const { columns, doc } = sources[table] as { columns: string; doc: string };
      await sql`
        insert into ${sql.table(table)} (tenant_id, ${sql.raw(columns)})
        select ${copy.tenantId}::uuid, ${sql.raw(columns)}
        from jsonb_populate_recordset(null::${sql.table(table)}, ${doc}::jsonb)`.execute(trx);
    }
  });
}

async function importFile(content: string, entity: 'customers' | 'orders' | 'interactions', mapping: object) {
  const fileId = await uploadImportFile(server, admin, '客户.csv', `${content}\r\n`);
  const started = await admin.call('imports.start', {
    fileId,
    entity,
    mapping,
    onMatch: 'skip',
    dryRun: false,
  });
  expect(started.error).toBeNull();
  const { runId } = started.data as { runId: string };
  await runImport(server.dependencies, tenant.tenantId, runId);
  return (await admin.call('imports.get', { runId })).data;
}

function keysOf(tenantId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<KeyRow>`
      select customer_id, kind, value, branch from customer_match_keys order by customer_id, kind, value`.execute(
      trx,
    );
    return rows;
  });
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '批量写入企业');
  copy = await seedTenant(server.database, '逐条写入企业');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  // The owner weighs in too: an imported customer without an owner column gets the importer.
  for (const tenantId of [tenant.tenantId, copy.tenantId])
    await server.database.withTenant(tenantId, (trx) =>
      sql`update tenants set completeness_weights = completeness_weights || '{"owner_user_id": 2}'
        where id = ${tenantId}`.execute(trx),
    );
  // The copy's rows name the first tenant's members (owner, creator): make them members there too.
  await server.database.withTenant(copy.tenantId, (trx) =>
    trx
      .insertInto('memberships')
      .values(
        Object.values(tenant.users).map((user) => ({
          tenant_id: copy.tenantId,
          user_id: user.id,
          role: 'sales_rep' as const,
        })),
      )
      .execute(),
  );
});
afterAll(async () => {
  await server?.destroy();
});

describe('the import write path', () => {
  it('writes the same audit rows, match keys and facts as the triggers do for the same rows', async () => {
    expect(await importFile(FILE, 'customers', MAPPING)).toMatchObject({ status: 'committed', created: 4 });

    // Derived facts: the single-row refreshes find nothing to change.
    await server.database.withTenant(tenant.tenantId, async (trx) => {
      expect(await refreshCompleteness(jobScope(trx, tenant.tenantId), 'all')).toBe(0);
      expect((await refreshCustomerFacts(jobScope(trx, tenant.tenantId), 'all', 'daily')).updated).toBe(0);
    });

    // The same rows (same ids, same values) inserted into another tenant by ordinary statements.
    const imported = await auditOf(tenant.tenantId);
    await copyByStatements(['customers', 'contacts'], imported[0]?.actor ?? '');

    const written = await auditOf(copy.tenantId);
    expect(imported).toHaveLength(6);
    expect(imported.filter((row) => row.entity === 'customer')).toHaveLength(4);
    expect(written).toEqual(imported);
    const keys = await keysOf(tenant.tenantId);
    expect(keys.some((row) => row.kind === 'name' && row.branch)).toBe(true);
    expect(keys.filter((row) => row.kind === 'phone').length).toBeGreaterThanOrEqual(4);
    expect(await keysOf(copy.tenantId)).toEqual(keys);
  });

  it('writes the same audit rows for imported orders and interactions as the triggers do', async () => {
    // Of the customers the test above imported (and copied).
    const orders = await importFile(
      [
        '订单号,客户编号,下单时间,订单金额,支付方式,产品,数量,单价',
        'SO-1,KH-1,2024-03-05 14:30,"￥2,560.00",对公转账,工业传感器,2,1280',
        'SO-1,KH-1,2024-03-05 14:30,"￥2,560.00",对公转账,,,',
        'SO-2,KH-3,2024年5月1日 09:00,88.5,微信,,,',
      ].join('\r\n'),
      'orders',
      {
        订单号: 'order_number',
        客户编号: 'customer.number',
        下单时间: 'ordered_at',
        订单金额: 'amount',
        支付方式: 'payment_method',
        产品: 'line.product',
        数量: 'line.quantity',
        单价: 'line.unit_price',
      },
    );
    expect(orders).toMatchObject({ status: 'committed', created: 2 });
    const interactions = await importFile(
      [
        '客户编号,联系人,互动方式,互动时间,内容摘要,下一步',
        'KH-1,王伟,拜访,2024-03-06 10:00,上门演示新产品,发送正式报价',
        'KH-3,,电话,2024/3/7 16:20,回访交付情况,',
      ].join('\r\n'),
      'interactions',
      {
        客户编号: 'customer.number',
        联系人: 'contact.name',
        互动方式: 'kind',
        互动时间: 'occurred_at',
        内容摘要: 'summary',
        下一步: 'next_step',
      },
    );
    expect(interactions).toMatchObject({ status: 'committed', created: 2 });
    const imported = await auditOf(tenant.tenantId, ['order', 'interaction']);
    expect(imported).toHaveLength(4);
    await copyByStatements(['orders', 'interactions'], imported[0]?.actor ?? '');
    expect(await auditOf(copy.tenantId, ['order', 'interaction'])).toEqual(imported);
  });

  it('lists every column the audit trigger records, so a new column is not missed', async () => {
    await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows: source } = await sql<{ prosrc: string }>`
        select prosrc from pg_proc where proname = 'audit_changes'`.execute(trx);
      const ignored = [
        ...(/ignored text\[\] := array\[([^\]]*)\]/.exec(source[0]?.prosrc ?? '')?.[1] ?? '').matchAll(
          /'([a-z_0-9]+)'/g,
        ),
      ].map((match) => match[1]);
      expect(ignored).toContain('search_grams');
      for (const [entity, table] of [
        ['customer', 'customers'],
        ['contact', 'contacts'],
        ['order', 'orders'],
        ['interaction', 'interactions'],
      ] as const) {
        const { rows } = await sql<{ column_name: string }>`
          select column_name from information_schema.columns
          where table_schema = 'public' and table_name = ${table} order by ordinal_position`.execute(trx);
        const audited = rows.map((row) => row.column_name).filter((column) => !ignored.includes(column));
        expect([...AUDITED_COLUMNS[entity]].sort()).toEqual(audited.sort());
      }
    });
  });

  it('keeps the triggers for any insert that is not the running import’s', async () => {
    const { rows: finished } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ id: string }>`select id from import_runs where status = 'committed' limit 1`.execute(trx),
    );
    for (const value of [crypto.randomUUID(), finished[0]?.id ?? '']) {
      await server.database.withTenant(tenant.tenantId, async (trx) => {
        await sql`select set_config('crm.import_bulk_run', ${value}, true)`.execute(trx);
        const { rows } = await sql<{ id: string }>`
          insert into customers (tenant_id, name, kind, phone) values (${tenant.tenantId}, ${`单条写入 ${value.slice(0, 8)}`}, 'company', '13700001111')
          returning id`.execute(trx);
        const id = rows[0]?.id;
        const audit = await sql`select 1 from audit_log where entity_id = ${id}`.execute(trx);
        const keys = await sql`select 1 from customer_match_keys where customer_id = ${id}`.execute(trx);
        expect(audit.rows).toHaveLength(1);
        expect(keys.rows.length).toBeGreaterThan(0);
      });
    }
  });
  it('refreshes facts without the update triggers, and keeps them for the next update', async () => {
    // Rolled back at the end: the tenant's rows stay as the other cases left them.
    const run = server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows: source } = await sql<{ prosrc: string }>`
        select prosrc from pg_proc where proname = 'audit_changes'`.execute(trx);
      const ignored = (
        /ignored text\[\] := array\[([^\]]*)\]/.exec(source[0]?.prosrc ?? '')?.[1] ?? ''
      ).match(/[a-z_0-9]+/g);
      // Only columns the audit ignores and the match keys do not read.
      for (const column of FACTS_COLUMNS) expect(ignored).toContain(column);
      const { rows: keySource } = await sql<{ prosrc: string }>`
        select prosrc from pg_proc where proname = 'customers_match_keys_update'`.execute(trx);
      for (const column of FACTS_COLUMNS) expect(keySource[0]?.prosrc).not.toContain(column);

      const { rows } = await sql<{ id: string }>`
        select c.id from customers c where exists (select 1 from orders o where o.customer_id = c.id)
        limit 1`.execute(trx);
      const id = rows[0]?.id as string;
      const auditCount = async () =>
        Number(
          (await sql<{ n: string }>`select count(*) as n from audit_log where entity_id = ${id}`.execute(trx))
            .rows[0]?.n,
        );
      const before = await auditCount();
      await sql`update customers set order_count = 0, amount_12m = 0, lifecycle_stage = 'potential'
        where id = ${id}`.execute(trx);
      const refreshed = await refreshCustomerFacts(jobScope(trx, tenant.tenantId), [id], 'order');
      expect(refreshed.updated).toBe(1);
      expect(await auditCount()).toBe(before);
      const { rows: flag } = await sql<{ value: string }>`
        select current_setting('crm.facts_refresh', true) as value`.execute(trx);
      expect(flag[0]?.value).toBe('');
      // The next update of the same transaction is audited and re-keys the customer.
      await sql`update customers set phone = '+8613700002222' where id = ${id}`.execute(trx);
      expect(await auditCount()).toBe(before + 1);
      const keys = await sql<{ value: string }>`select value from customer_match_keys
        where customer_id = ${id} and kind = 'phone'`.execute(trx);
      expect(keys.rows.map((row) => row.value).join(' ')).toContain('13700002222');
      throw new Error('ROLLBACK');
    });
    await expect(run).rejects.toThrow('ROLLBACK');
  });
});
