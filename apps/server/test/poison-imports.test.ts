import { randomBytes } from 'node:crypto';
import { importSessionName, registerImportJobs, runImport } from '@crm/api';
import { sql } from '@crm/db';
import { createJobQueue, type JobQueue } from '@crm/jobs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/**
 * One tenant's bad file must not stop anyone's imports: binary files are refused at upload, a
 * control character in a cell is a row error, the import workers stay free, and a restart
 * runs nothing twice. Runs go through a real job queue with the product's import handler.
 */
let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let owner: TrpcClient;
let otherOwner: TrpcClient;
let queue: JobQueue;
const onServer = Boolean(process.env.TEST_DATABASE_URL);

/** A session of the runtime role on the test database, named as a run's session is. */
function runSession(runId: string) {
  const url = new URL(server.testDatabase.adminUrl as string);
  url.username = 'crm_app';
  return postgres(url.toString(), {
    max: 1,
    onnotice: () => {},
    connection: { application_name: importSessionName(runId) },
  });
}

const MAPPING = { 客户名称: 'name', 客户类型: 'kind', 手机: 'phone' };

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '毒文件测试企业');
  other = await seedTenant(server.database, '无辜的企业');
  owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
  otherOwner = await signedInClient(server, other.users.owner.id, other.tenantId);
  queue = startQueue();
  await queue.start();
});
afterAll(async () => {
  await queue?.stop();
  await server?.destroy();
});

function startQueue() {
  const jobs = createJobQueue({
    database: server.database,
    logger: server.logger,
    pollingIntervalSeconds: 0.5,
    maintenanceIntervalSeconds: 5,
    scheduler: false,
    stopTimeoutSeconds: 10,
  });
  // biome-ignore lint/suspicious/noExplicitAny: the import jobs are a subset of the app's job map
  registerImportJobs(jobs as any, server.database, server.logger);
  return jobs;
}

async function upload(client: TrpcClient, bytes: Uint8Array | string, name = '客户.csv', locale = 'zh-CN') {
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(name),
        'x-locale': locale,
        cookie: client.cookie ?? '',
        origin: PUBLIC_URL,
      },
      body: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  return { status: response.status, body: (await response.json()) as any };
}

const FINAL = ['validated', 'committed', 'failed', 'cancelled'];

/** Starts a run (the queue's worker picks it up) and waits, with a deadline, until it ends. */
async function runThroughQueue(client: TrpcClient, input: Record<string, unknown>, deadlineMs = 20_000) {
  const started = await client.call('imports.start', { onMatch: 'skip', ...input });
  expect(started.error).toBeNull();
  const runId = started.data.runId as string;
  const startedAt = Date.now();
  for (;;) {
    const run = await client.call('imports.get', { runId });
    expect(run.error).toBeNull();
    if (FINAL.includes(run.data.status)) return { ...run.data, elapsedMs: Date.now() - startedAt };
    if (Date.now() - startedAt > deadlineMs)
      throw new Error(`run ${runId} still ${run.data.status} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function customerCount(tenantId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from customers`.execute(trx);
    return Number(rows[0]?.n);
  });
}

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0,
  1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0,
  0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

describe('binary uploads are refused before anything is staged', () => {
  it('a PNG renamed .csv and a random binary file answer 400 naming the problem, in zh-CN and en', async () => {
    const files = (name: string) =>
      server.database.withTenant(tenant.tenantId, async (trx) => {
        const { rows } = await sql<{
          n: string;
        }>`select count(*) as n from import_files where name = ${name}`.execute(trx);
        return Number(rows[0]?.n);
      });
    const png = await upload(owner, PNG, '图片.csv');
    expect(png.status).toBe(400);
    expect(png.body.code).toBe('IMPORT_FILE_UNREADABLE');
    expect(png.body.message).toContain('PNG 图片');
    const pngEn = await upload(owner, PNG, 'picture.csv', 'en');
    expect(pngEn.body.message).toContain('a PNG image');
    // Random bytes: the same seed every run would hide nothing; any 64 KB of noise is binary.
    const noise = await upload(owner, randomBytes(64 * 1024), '随机.csv');
    expect(noise.status).toBe(400);
    expect(noise.body.code).toBe('IMPORT_FILE_UNREADABLE');
    expect(noise.body.message).toMatch(/非文本文件/);
    // The upload's transaction rolled back: no file was kept.
    expect(await files('图片.csv')).toBe(0);
    expect(await files('随机.csv')).toBe(0);
  });
});

describe('a control character inside a text file', () => {
  it('is a row error (行 N, the column, the reason) in a dry run; a commit imports nothing; the worker stays free for another tenant', async () => {
    const before = await customerCount(tenant.tenantId);
    const text =
      '客户名称,客户类型,手机\n好客户,企业,13800138000\n坏\u0000客户,企业,13800138001\n另一个好客户,企业,13800138002\n';
    const uploaded = await upload(owner, text);
    expect(uploaded.status).toBe(201);
    const dry = await runThroughQueue(owner, {
      fileId: uploaded.body.fileId,
      entity: 'customers',
      mapping: MAPPING,
      dryRun: true,
    });
    expect(dry.status).toBe('validated');
    expect(
      dry.errors.map((error: { rowNumber: number; column: string; reason: string }) => [
        error.rowNumber,
        error.column,
        error.reason,
      ]),
    ).toEqual([[3, '客户名称', 'CONTROL_CHARACTER']]);
    expect(dry.errors[0].message).toBe(
      '第 2 个字符是看不见的控制字符（值中显示为 [U+0000]），通常来自损坏的导出文件，无法保存。请在原文件中重新输入这个单元格后再导入',
    );
    expect(dry.errors[0].value).toBe('坏[U+0000]客户');
    expect(dry.validRows).toBe(2);
    const commit = await runThroughQueue(owner, {
      fileId: uploaded.body.fileId,
      entity: 'customers',
      mapping: MAPPING,
      dryRun: false,
    });
    expect(commit.status).toBe('failed');
    expect(commit.failure).toBe('HAS_ERRORS');
    expect(await customerCount(tenant.tenantId)).toBe(before);

    // Right after, another tenant's clean file goes through the same workers.
    const otherBefore = await customerCount(other.tenantId);
    const clean = await upload(
      otherOwner,
      '客户名称,客户类型,手机\n清白客户甲,企业,13900139000\n清白客户乙,个人,13900139001\n',
    );
    const done = await runThroughQueue(otherOwner, {
      fileId: clean.body.fileId,
      entity: 'customers',
      mapping: MAPPING,
      dryRun: false,
    });
    expect(done.status).toBe('committed');
    expect(done.created).toBe(2);
    expect(await customerCount(other.tenantId)).toBe(otherBefore + 2);
    console.log(
      `poison imports: nul dry run ${dry.elapsedMs} ms, commit ${commit.elapsedMs} ms, other tenant ${done.elapsedMs} ms`,
    );
  });

  it('a header with a control character is read without it (the mapping is saved as jsonb)', async () => {
    const uploaded = await upload(owner, '客户\u0000名称,客户类型\n头部测试,企业\n');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.headers).toEqual(['客户名称', '客户类型']);
    const saved = await owner.call('imports.mappings.save', {
      name: '带控制字符的表头',
      entity: 'customers',
      columns: { 客户名称: 'name', 客户类型: 'kind' },
    });
    expect(saved.error).toBeNull();
  });
});

describe('a failing COPY on the database', () => {
  it('rejects within seconds and gives the connection back (the wedge of a NUL reaching PostgreSQL)', async () => {
    const started = Date.now();
    await expect(
      server.database.withTenantCopy(tenant.tenantId, tenant.users.owner.id, async (trx, copyIn) => {
        await sql`create temp table poison (value text) on commit drop`.execute(trx);
        await copyIn('poison', ['value'], ['ok\n', 'bad\u0000value\n', 'ok again\n']);
      }),
    ).rejects.toThrow(/0x00|invalid byte sequence/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Every connection is usable again: as many transactions as the pool holds, at once.
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        server.database.withTenant(tenant.tenantId, (trx) =>
          sql<{ one: number }>`select 1 as one`.execute(trx),
        ),
      ),
    );
    expect(answers.every((answer) => answer.rows[0]?.one === 1)).toBe(true);
    if (onServer) {
      const stuck = await server.database.withoutTenant(async (db) => {
        const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
          where datname = current_database() and state like 'idle in transaction%'`.execute(db);
        return Number(rows[0]?.n);
      });
      expect(stuck).toBe(0);
    }
  });
});

describe('runs after a restart and runs of one tenant', () => {
  it('a finished run is not run again when its job comes back, and a restarted queue runs nothing twice', async () => {
    const uploaded = await upload(owner, '客户名称,客户类型\n重启测试客户,企业\n');
    const run = await runThroughQueue(owner, {
      fileId: uploaded.body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name', 客户类型: 'kind' },
      dryRun: false,
    });
    expect(run.status).toBe('committed');
    const count = await customerCount(tenant.tenantId);
    // The same job delivered again (a retry after a crash) finds the run finished.
    expect(await runImport(server.dependencies, tenant.tenantId, run.id)).toBe('done');
    await queue.stop();
    queue = startQueue();
    await queue.start();
    const again = await owner.call('imports.get', { runId: run.id });
    expect(again.data.finishedAt).toBe(run.finishedAt);
    expect(again.data.created).toBe(1);
    expect(await customerCount(tenant.tenantId)).toBe(count);
  });

  it.runIf(onServer)(
    'a tenant runs one import at a time: a second waits while the first holds its session',
    async () => {
      const first = await upload(owner, '客户名称,客户类型\n排队甲,企业\n');
      const second = await upload(owner, '客户名称,客户类型\n排队乙,企业\n');
      const startRun = async (fileId: string) => {
        const result = await owner.call('imports.start', {
          fileId,
          entity: 'customers',
          mapping: { 客户名称: 'name', 客户类型: 'kind' },
          dryRun: true,
          onMatch: 'skip',
        });
        return result.data.runId as string;
      };
      // Stop the workers so the two runs are driven here, step by step.
      await queue.stop();
      try {
        const firstRun = await startRun(first.body.fileId);
        const secondRun = await startRun(second.body.fileId);
        // The first run "running": marked validating and its session open under its name.
        await server.database.withTenant(tenant.tenantId, (trx) =>
          trx
            .updateTable('import_runs')
            .set({ status: 'validating', started_at: new Date(Date.now() - 10 * 60_000) })
            .where('id', '=', firstRun)
            .execute(),
        );
        const session = runSession(firstRun);
        try {
          await session`select 1`;
          expect(await runImport(server.dependencies, tenant.tenantId, secondRun)).toBe('deferred');
          expect((await owner.call('imports.get', { runId: secondRun })).data.status).toBe('created');
          // Another tenant is not held up by it.
          const clean = await upload(otherOwner, '客户名称,客户类型\n不受影响,企业\n');
          const otherRun = await otherOwner.call('imports.start', {
            fileId: clean.body.fileId,
            entity: 'customers',
            mapping: { 客户名称: 'name', 客户类型: 'kind' },
            dryRun: true,
            onMatch: 'skip',
          });
          expect(await runImport(server.dependencies, other.tenantId, otherRun.data.runId)).toBe('done');
        } finally {
          await session.end();
        }
        // The first run's session is gone (its worker died): the second goes ahead, and the
        // first can be cancelled although nothing runs it.
        expect(await runImport(server.dependencies, tenant.tenantId, secondRun)).toBe('done');
        expect((await owner.call('imports.get', { runId: secondRun })).data.status).toBe('validated');
        const cancelled = await owner.call('imports.cancel', { runId: firstRun });
        expect(cancelled.error).toBeNull();
        expect(cancelled.data.status).toBe('cancelled');
      } finally {
        queue = startQueue();
        await queue.start();
      }
    },
  );

  it.runIf(onServer)('cancel interrupts the statement a running run is in', async () => {
    const uploaded = await upload(owner, '客户名称,客户类型\n取消测试,企业\n');
    await queue.stop();
    try {
      const started = await owner.call('imports.start', {
        fileId: uploaded.body.fileId,
        entity: 'customers',
        mapping: { 客户名称: 'name', 客户类型: 'kind' },
        dryRun: true,
        onMatch: 'skip',
      });
      const runId = started.data.runId as string;
      await server.database.withTenant(tenant.tenantId, (trx) =>
        trx
          .updateTable('import_runs')
          .set({ status: 'validating', started_at: new Date() })
          .where('id', '=', runId)
          .execute(),
      );
      const session = runSession(runId);
      try {
        const long = session`select pg_sleep(60)`.then(
          () => 'finished',
          (error: { code?: string }) => error.code,
        );
        // Wait until the long statement is running, then cancel.
        for (let tries = 0; tries < 100; tries += 1) {
          const { rows } = await server.database.withoutTenant((db) =>
            sql<{
              n: string;
            }>`select count(*) as n from pg_stat_activity where application_name = ${importSessionName(runId)} and state = 'active'`.execute(
              db,
            ),
          );
          if (Number(rows[0]?.n) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const startedCancel = Date.now();
        const cancelled = await owner.call('imports.cancel', { runId });
        expect(cancelled.error).toBeNull();
        expect(cancelled.data.cancelRequested).toBe(true);
        expect(await long).toBe('57014');
        expect(Date.now() - startedCancel).toBeLessThan(10_000);
      } finally {
        await session.end();
      }
    } finally {
      queue = startQueue();
      await queue.start();
    }
  });
});

describe('dry-run counts', () => {
  it('are never negative: rows that match existing customers and have errors count as neither new nor matched', async () => {
    const seed = await upload(
      owner,
      '客户名称,客户类型,手机\n老客户甲,企业,13700137000\n老客户乙,企业,13700137001\n',
    );
    expect(
      (
        await runThroughQueue(owner, {
          fileId: seed.body.fileId,
          entity: 'customers',
          mapping: MAPPING,
          dryRun: false,
        })
      ).status,
    ).toBe('committed');
    const file = await upload(
      owner,
      '客户名称,客户类型,手机,邮箱\n老客户甲,企业,13700137000,不是邮箱\n老客户乙,企业,13700137001,ok@example.com\n新客户丙,企业,13700137002,also-bad\n',
    );
    const dry = await runThroughQueue(owner, {
      fileId: file.body.fileId,
      entity: 'customers',
      mapping: { ...MAPPING, 邮箱: 'email' },
      dryRun: true,
    });
    expect(dry.status).toBe('validated');
    expect(dry.errorRows).toBe(2);
    expect(dry.validRows).toBe(1);
    expect({ created: dry.created, updated: dry.updated, skipped: dry.skipped }).toEqual({
      created: 0,
      updated: 0,
      skipped: 1,
    });
  });
});
