import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CrmDatabase, dropDatabase, OWNER_ROLE, openDatabase, provisionDatabase, sql } from '@crm/db';
import { createJobQueue } from '@crm/jobs';
import { testAdminUrl } from '@crm/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The product through PgBouncer in transaction pooling mode (Debian's pgbouncer): requests
 * run through it with `DATABASE_POOLER=pgbouncer` (unnamed statements), migrations go to
 * PostgreSQL directly. T2.5 through the pooler: thousands of interleaved transactions of two
 * tenants over a server pool of two connections, some aborted, and no transaction ever sees
 * another's tenant context; the job queue (pg-boss) runs its jobs through it.
 */
const PGBOUNCER = '/usr/sbin/pgbouncer';
const adminUrl = testAdminUrl();
const enabled = Boolean(adminUrl) && existsSync(PGBOUNCER);
const databaseName = `crm_pgbouncer_${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'crm-pgbouncer-'));
let bouncer: ChildProcess | null = null;
let bouncerLog = '';
let database: CrmDatabase | null = null;
const tenants = [crypto.randomUUID(), crypto.randomUUID()] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`PgBouncer did not listen on ${port}:\n${bouncerLog}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  if (!enabled || !adminUrl) return;
  const urls = await provisionDatabase(adminUrl, databaseName);
  const server = new URL(adminUrl);
  const port = await freePort();
  chmodSync(work, 0o755);
  writeFileSync(join(work, 'userlist.txt'), '"crm_app" ""\n"crm_owner" ""\n', { mode: 0o644 });
  writeFileSync(
    join(work, 'pgbouncer.ini'),
    [
      '[databases]',
      `${databaseName} = host=${server.hostname} port=${server.port || 5432} dbname=${databaseName}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(work, 'userlist.txt')}`,
      'pool_mode = transaction',
      // Two server connections for eight clients: transactions of both tenants share them.
      'default_pool_size = 2',
      'max_client_conn = 100',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  // PgBouncer refuses to run as root; -u drops to the PostgreSQL server's own user.
  const asRoot = process.getuid?.() === 0;
  bouncer = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), join(work, 'pgbouncer.ini')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bouncer.stdout?.on('data', (chunk: Buffer) => {
    bouncerLog += chunk.toString();
  });
  bouncer.stderr?.on('data', (chunk: Buffer) => {
    bouncerLog += chunk.toString();
  });
  await waitForPort(port);
  const pooledUrl = new URL(urls.databaseUrl);
  pooledUrl.hostname = '127.0.0.1';
  pooledUrl.port = String(port);
  database = await openDatabase({
    databaseUrl: pooledUrl.toString(),
    ownerDatabaseUrl: urls.ownerDatabaseUrl,
    maxConnections: 8,
    pooler: 'pgbouncer',
  });
  await database.migrate();
  const owner = crypto.randomUUID();
  await database.withScope({}, (trx) =>
    sql`insert into users (id, email, name, password_hash, locale)
      values (${owner}, ${`owner-${owner}@pgbouncer.example.com`}, '钱芳', 'argon2-hash-placeholder', 'zh-CN')`.execute(
      trx,
    ),
  );
  for (const [index, tenantId] of tenants.entries()) {
    await database.withTenant(tenantId, async (trx) => {
      await sql`insert into tenants (id, name, industry) values (${tenantId}, ${`连接池测试${index}有限公司`}, 'retail')`.execute(
        trx,
      );
      await sql`insert into memberships (tenant_id, user_id, role) values (${tenantId}, ${owner}, 'owner')`.execute(
        trx,
      );
      await sql`insert into customers (tenant_id, name, kind, owner_user_id, created_by)
        select ${tenantId}, '客户' || i, 'person', ${owner}::uuid, ${owner}::uuid
        from generate_series(1, ${10 + index * 5}) i`.execute(trx);
    });
  }
}, 300_000);

afterAll(async () => {
  await database?.close();
  bouncer?.kill('SIGTERM');
  if (bouncer && bouncer.exitCode === null) await new Promise((resolve) => bouncer?.once('exit', resolve));
  if (enabled && adminUrl) await dropDatabase(adminUrl, databaseName);
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!enabled)('through PgBouncer in transaction mode', () => {
  it('T2.5: interleaved tenants, some aborted, never see another transaction’s tenant context', async () => {
    const db = database as CrmDatabase;
    const total = 4000;
    let stale = 0;
    let aborted = 0;
    let checked = 0;
    let next = 0;
    async function one(index: number) {
      const tenantId = tenants[index % 2] as string;
      const kind = index % 20;
      if (kind === 7) {
        // Aborted by the application mid-transaction, after a write and a context of its own.
        await db
          .withTenant(tenantId, async (trx) => {
            await sql`update customers set name = name where tenant_id = ${tenantId}`.execute(trx);
            throw new Error('the request failed');
          })
          .catch(() => {
            aborted += 1;
          });
        return;
      }
      if (kind === 13) {
        // Aborted by PostgreSQL: a statement timeout inside the transaction.
        await db
          .withTenant(tenantId, async (trx) => {
            await sql`select set_config('statement_timeout', '20ms', true)`.execute(trx);
            await sql`select pg_sleep(1)`.execute(trx);
          })
          .catch(() => {
            aborted += 1;
          });
        return;
      }
      if (kind === 3) {
        // No tenant at all: nothing may be visible, whatever ran before on the connection.
        const visible = await db.withScope({}, async (trx) => {
          const { rows } = await sql<{ visible: number; context: string | null }>`
            select count(*)::int as visible, nullif(current_setting('app.tenant_id', true), '') as context
            from customers`.execute(trx);
          return rows[0];
        });
        checked += 1;
        if (visible?.visible !== 0 || visible.context !== null) stale += 1;
        return;
      }
      const seen = await db.withTenant(tenantId, async (trx) => {
        const { rows } = await sql<{ context: string; foreign: number; own: number }>`
          select current_setting('app.tenant_id') as context,
            count(*) filter (where tenant_id <> ${tenantId})::int as foreign,
            count(*)::int as own
          from customers`.execute(trx);
        return rows[0];
      });
      checked += 1;
      const expected = tenantId === tenants[0] ? 10 : 15;
      if (seen?.context !== tenantId || seen.foreign !== 0 || seen.own !== expected) stale += 1;
    }
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          const index = next;
          next += 1;
          await one(index);
        }
      }),
    );
    console.log(
      `T2.5 via pgbouncer (transaction mode, 2 server connections): requests=${total} checked=${checked} aborted=${aborted} stale_tenant_context=${stale}`,
    );
    expect(aborted).toBe(total / 10);
    expect(checked).toBe(total - aborted);
    expect(stale).toBe(0);
  });

  it('runs the job queue (pg-boss) through it', async () => {
    const db = database as CrmDatabase;
    const admin = postgres(new URL(`/${databaseName}`, adminUrl as string).toString(), {
      max: 1,
      onnotice: () => {},
    });
    try {
      await admin.begin(async (tx) => {
        await tx.unsafe(`set local role ${OWNER_ROLE}`);
        await tx`select pgboss.create_queue('t.pooled', '{"policy":"standard"}'::json)`;
      });
    } finally {
      await admin.end();
    }
    const ran: string[] = [];
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    const queue = createJobQueue({
      database: db,
      logger,
      pollingIntervalSeconds: 0.5,
      maintenanceIntervalSeconds: 1,
      cronIntervalSeconds: 1,
      stopTimeoutSeconds: 5,
    });
    queue.register('t.pooled', async (job) => {
      ran.push(String(job.data.label));
    });
    await queue.start();
    try {
      for (const label of ['一', '二', '三']) {
        await db.withTenant(tenants[0], (trx) =>
          queue.enqueue('t.pooled', { tenantId: tenants[0], label }, { trx }),
        );
      }
      const deadline = Date.now() + 60_000;
      while (ran.length < 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect([...ran].sort()).toEqual(['一', '三', '二'].sort());
    } finally {
      await queue.stop();
    }
  });
});
