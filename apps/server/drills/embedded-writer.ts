/**
 * The T5.2 drill's victim: opens the embedded database in the folder given as argv[2] and
 * writes a tenant's customers with an order each, one transaction per customer, printing
 * `ack <marker>` once each commit has returned — until it is killed.
 */
import { openDatabase, sql } from '@crm/db';

const dataDir = process.argv[2];
const tenantId = process.argv[3];
const round = process.argv[4] ?? '1';
if (!dataDir || !tenantId) throw new Error('usage: embedded-writer <dataDir> <tenantId>');
const database = await openDatabase({ dataDir });
await database.migrate();
const owner = crypto.randomUUID();
await database.withScope({}, (trx) =>
  sql`insert into users (id, email, name, password_hash, locale)
    values (${owner}, ${`owner-${owner}@drill.example.com`}, '孙丽', 'argon2-hash-placeholder', 'zh-CN')`.execute(
    trx,
  ),
);
await database.withTenant(tenantId, async (trx) => {
  await sql`insert into tenants (id, name, industry) values (${tenantId}, '嵌入式演练商店', 'retail') on conflict do nothing`.execute(
    trx,
  );
  await sql`insert into memberships (tenant_id, user_id, role) values (${tenantId}, ${owner}, 'owner')`.execute(
    trx,
  );
});
process.stdout.write('ready\n');
for (let sequence = 1; ; sequence += 1) {
  const marker = `嵌入${round}-${sequence}`;
  await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ id: string }>`
      insert into customers (tenant_id, name, kind, owner_user_id, created_by)
      values (${tenantId}, ${marker}, 'person', ${owner}, ${owner}) returning id`.execute(trx);
    await sql`insert into orders (tenant_id, customer_id, order_number, ordered_at, amount, profit, payment_method, status, created_by)
      values (${tenantId}, ${rows[0]?.id}, ${marker}, now(), 99.00, 10, 'wechat_pay', 'completed', ${owner})`.execute(
      trx,
    );
  });
  process.stdout.write(`ack ${marker}\n`);
}
