import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallResult,
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from '../test/helpers';
import { createCluster, type DrillCluster, POSTGRES_BIN } from './cluster';

/**
 * T5.1: the database restarts under a mixed write load. Four clients create customers, post
 * orders and log interactions for DRILL_SECONDS (default 120), each call with an
 * Idempotency-Key and retried with the same key until it is acknowledged, as a browser's
 * client does. At a quarter of the time the cluster is restarted (`pg_ctl restart -m fast`),
 * at three quarters its postmaster is killed (`kill -9`) and started again (crash recovery).
 * Then: every acknowledged write is in the database (lost 0), no write is there twice
 * (duplicates 0), and the server answers within 10 s of the database being back.
 */
const SECONDS = Number(process.env.DRILL_SECONDS ?? 120);
const CLIENTS = 4;

type Write = {
  kind: 'customer' | 'order' | 'interaction';
  marker: string;
  acknowledged: boolean;
  id?: string;
};

let cluster: DrillCluster;
let server: TestServer;
let tenant: SeededTenant;
let client: TrpcClient;
let hung = 0;

beforeAll(async () => {
  cluster = await createCluster();
  process.env.TEST_DATABASE_URL = cluster.adminUrl;
  server = await createTestServer();
  tenant = await seedTenant(server.database, '重启演练贸易有限公司');
  client = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
}, 300_000);

afterAll(async () => {
  await Promise.race([
    server?.destroy().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 30_000)),
  ]);
  await cluster?.stop();
  cluster?.remove();
});

/** A client's retry: the same key until acknowledged, for up to a minute; refusals of the input are final. */
async function callUntilAcknowledged(path: string, input: unknown, key: string): Promise<CallResult | null> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    let result: CallResult | null = null;
    try {
      // A call that never answers is a wedged server: counted, and the client gives up on it.
      let timer: NodeJS.Timeout | undefined;
      result = await Promise.race([
        client.call(path, input, { 'idempotency-key': key }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('hung')), 60_000);
        }),
      ]).finally(() => clearTimeout(timer));
    } catch (error) {
      if ((error as Error).message === 'hung') {
        hung += 1;
        return null;
      }
      result = null;
    }
    if (result?.ok) return result;
    if (result?.error?.appCode === 'INVALID_INPUT') return null;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!POSTGRES_BIN)('T5.1 database restart under load', () => {
  it('loses no acknowledged write, doubles none, and answers again within seconds', {
    timeout: (SECONDS + 240) * 1000,
  }, async () => {
    const writes: Write[] = [];
    const successes: number[] = [];
    const customers: string[] = [];
    const started = Date.now();
    const end = started + SECONDS * 1000;
    let sequence = 0;

    async function worker(index: number) {
      while (Date.now() < end) {
        sequence += 1;
        const marker = `演练${index}-${sequence}-${crypto.randomUUID().slice(0, 6)}`;
        const key = crypto.randomUUID();
        const customerId = customers[sequence % Math.max(customers.length, 1)];
        const kind: Write['kind'] =
          !customerId || sequence % 3 === 0 ? 'customer' : sequence % 3 === 1 ? 'order' : 'interaction';
        const write: Write = { kind, marker, acknowledged: false };
        writes.push(write);
        const result =
          kind === 'customer'
            ? await callUntilAcknowledged(
                'customers.create',
                { name: `${marker}有限公司`, kind: 'company' },
                key,
              )
            : kind === 'order'
              ? await callUntilAcknowledged(
                  'orders.create',
                  {
                    customerId,
                    orderNumber: marker,
                    orderedAt: '2026-11-01',
                    lines: [{ product: '工业传感器', quantity: 1, unitPrice: '1980.00' }],
                  },
                  key,
                )
              : await callUntilAcknowledged(
                  'interactions.log',
                  { customerId, kind: 'call', summary: `电话回访 ${marker}` },
                  key,
                );
        if (result) {
          write.acknowledged = true;
          write.id = result.data?.id;
          successes.push(Date.now());
          if (kind === 'customer' && result.data?.id) customers.push(result.data.id);
        }
      }
    }

    const events: { what: string; issuedAt: number; backAt: number }[] = [];
    const disturb = (async () => {
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 250));
      let issuedAt = Date.now();
      await cluster.restartFast();
      events.push({ what: 'pg_ctl restart -m fast', issuedAt, backAt: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + SECONDS * 750 - Date.now())));
      issuedAt = Date.now();
      cluster.killPostmaster();
      await cluster.start();
      events.push({ what: 'kill -9 postmaster, start', issuedAt, backAt: Date.now() });
    })();
    const progress = setInterval(() => {
      console.log(
        `T5.1 progress at ${((Date.now() - started) / 1000).toFixed(0)}s: writes=${writes.length} acknowledged=${writes.filter((write) => write.acknowledged).length} events=${events.length}`,
      );
    }, 5000);
    try {
      await Promise.all([...Array.from({ length: CLIENTS }, (_, index) => worker(index)), disturb]);
    } finally {
      clearInterval(progress);
    }

    // What the database holds, by marker.
    const stored = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{ marker: string; copies: number }>`
          select marker, count(*)::int as copies from (
            select regexp_replace(name, '有限公司$', '') as marker from customers
            union all select order_number from orders
            union all select regexp_replace(summary, '^电话回访 ', '') from interactions
          ) x where marker like '演练%' group by marker`.execute(trx);
      return new Map(rows.map((row) => [row.marker, row.copies]));
    });
    const acknowledged = writes.filter((write) => write.acknowledged);
    const lost = acknowledged.filter((write) => !stored.has(write.marker));
    const duplicates = [...stored.values()].filter((copies) => copies > 1).length;
    const failedButCommitted = writes.filter(
      (write) => !write.acknowledged && stored.has(write.marker),
    ).length;
    const recoveries = events.map((event) => {
      const first = successes.find((at) => at >= event.backAt);
      return { ...event, firstSuccessSeconds: first === undefined ? null : (first - event.backAt) / 1000 };
    });
    // The pool is not wedged: a plain read answers.
    const after = await Promise.race([
      client.call('customers.list', {}),
      new Promise<CallResult>((resolve) =>
        setTimeout(() => resolve({ error: { message: 'hung' } } as unknown as CallResult), 30_000),
      ),
    ]);

    console.log(
      `T5.1 seconds=${SECONDS} writes=${writes.length} acknowledged=${acknowledged.length} ` +
        `acknowledged_writes_lost=${lost.length} duplicates=${duplicates} failed_but_committed=${failedButCommitted} requests_hung=${hung} ` +
        recoveries
          .map(
            (event) =>
              `[${event.what}: down ${((event.backAt - event.issuedAt) / 1000).toFixed(1)}s, first success after ${event.firstSuccessSeconds?.toFixed(1)}s]`,
          )
          .join(' '),
    );
    expect(events).toHaveLength(2);
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(lost.map((write) => write.marker)).toEqual([]);
    expect(duplicates).toBe(0);
    expect(hung).toBe(0);
    for (const event of recoveries) {
      expect(event.firstSuccessSeconds).not.toBeNull();
      expect(event.firstSuccessSeconds).toBeLessThanOrEqual(10);
    }
    expect(after.error).toBeNull();
  });
});
