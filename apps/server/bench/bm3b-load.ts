/**
 * BM3b's concurrent write load (started by bm3b.ts for the busy figure, stopped with SIGTERM):
 * BM3B_WRITERS connections of their own (default 1), each inserting batches of 5,000
 * customer-like rows into a scratch table made `like customers including all` (the same
 * indexes, the generated search column and its GIN index), as another tenant's import does,
 * and emptying it every 40 batches. Prints `running` once every writer has written a batch, and
 * the rows written when stopped.
 */
import postgres from 'postgres';

const url = process.env.BM3B_LOAD_URL;
if (!url) throw new Error('BM3B_LOAD_URL is not set');
const writers = Number(process.env.BM3B_WRITERS ?? 1);
const tenantId = '00000000-0000-4000-8000-00000000b3b0';
let running = true;
let written = 0;
let started = 0;

async function writer(index: number) {
  const sql = postgres(url as string, { max: 1, onnotice: () => {} });
  const table = `bm3b_busy_writes_${index}`;
  await sql.unsafe(`drop table if exists ${table}`);
  await sql.unsafe(`create table ${table} (like customers including all)`);
  let batch = 0;
  while (running) {
    await sql.unsafe(
      `insert into ${table} (tenant_id, name, kind, phone, email, customer_number, explicit_needs)
       select $1, '杭州' || md5(g::text || $2) || '科技有限公司', 'company', '+86138' || lpad((g % 100000000)::text, 8, '0'),
         'c' || g || '@busy.example.cn', 'BUSY' || $2 || '-' || g, '希望年底前完成设备更新，预算已批'
       from generate_series(1, 5000) g`,
      [tenantId, `${index}-${batch}`],
    );
    written += 5000;
    batch += 1;
    // The first batch of each writer is in: the load is running.
    if (batch === 1 && ++started === writers) process.stdout.write('running\n');
    if (batch % 40 === 0) await sql.unsafe(`truncate ${table}`);
  }
  await sql.unsafe(`drop table ${table}`);
  await sql.end();
}

process.on('SIGTERM', () => {
  running = false;
});
await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
process.stdout.write(`${JSON.stringify({ written })}\n`);
