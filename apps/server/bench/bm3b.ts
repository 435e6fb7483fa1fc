/**
 * BM3b — exporting the big tenant's customers (1,000,000 at scale 1) to CSV through the real
 * export path — an export run, its job (`runExport`: the list query's ids into a temp table,
 * COPY of the rendered rows, the file stored in 1 MB chunks) — against the physical limit: a
 * bare `COPY (SELECT <the same columns, unrendered> FROM customers WHERE tenant_id = …) TO
 * STDOUT` read to its end, as crm_app in the same tenant scope, in the same run.
 * Interleaved, BENCH_BM3B_REPEAT times each (default 3), medians. Ratio: limit ÷ project
 * (time), target ≥ 0.5. Also printed: the file's size, the download (chunks streamed back
 * by the HTTP route's reader) and the process's peak RSS while exporting.
 * Twice: on the machine as it is ('BM3b export'), and while a second process writes to the
 * same database (`BM3b export (busy)`, bm3b-load.ts: BENCH_BM3B_WRITERS connections inserting
 * customer-like rows into a scratch copy of the customers table; BENCH_BM3B_BUSY=0 skips it),
 * each with the load average at its start and end.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runExport } from '@crm/api';
import { openDatabase } from '@crm/db';
import postgres from 'postgres';
import type { Dataset } from './generate';
import { type BenchResult, here, log, oneMinuteLoad, repositoryRoot, round, underLoad } from './harness';

const REPEAT = Number(process.env.BENCH_BM3B_REPEAT ?? 3);

/** The customers list's default columns (what the list page shows before the user changes them). */
const COLUMNS = [
  'kind',
  'stage',
  'tags',
  'amount12m',
  'orderCount',
  'lastDealAt',
  'completeness',
  'phone',
  'owner',
  'updatedAt',
];

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function bareCopy(appUrl: string, tenantId: string, userId: string) {
  const client = postgres(appUrl, { max: 1, onnotice: () => {} });
  try {
    const reserved = await client.reserve();
    const started = performance.now();
    let bytes = 0;
    await reserved`begin isolation level repeatable read`;
    await reserved`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true)`;
    const stream = await reserved
      .unsafe(`copy (select name, kind, lifecycle_stage, tag_ids, amount_12m, order_count, last_deal_at,
          completeness, phone, owner_user_id, updated_at
        from customers where tenant_id = '${tenantId}' and archived_at is null
        order by created_at desc, id desc) to stdout with (format csv)`)
      .readable();
    for await (const chunk of stream) bytes += (chunk as Buffer).byteLength;
    // As in CrmDatabase.copyOut: resume postgres.js's socket, which a full buffer may have paused.
    (stream as unknown as { _read(size: number): void })._read(0);
    await reserved`commit`;
    const seconds = (performance.now() - started) / 1000;
    reserved.release();
    return { seconds, bytes };
  } finally {
    // Without a timeout, end() waits for the released reserved connection indefinitely.
    await client.end({ timeout: 1 });
  }
}

export async function runBm3b(dataset: Dataset): Promise<BenchResult[]> {
  const results = await underLoad(async () => [await rounds(dataset, 'BM3b export', 'alone')]);
  if (process.env.BENCH_BM3B_BUSY !== '0')
    results.push(
      ...(await underLoad(async () => {
        // The busy figure: the same rounds while a second process writes (bm3b-load.ts).
        const load = startWriteLoad(dataset.ownerUrl);
        try {
          await load.running;
          return [await rounds(dataset, 'BM3b export (busy)', 'while another process writes')];
        } finally {
          log(`BM3b: the write load wrote ${(await load.stop()).toLocaleString('en-US')} rows meanwhile\n`);
        }
      })),
    );
  return results;
}

/** BENCH_BM3B_WRITERS connections (default 1) of a second process inserting customer-like rows. */
function startWriteLoad(ownerUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'bm3b-load.ts')], {
    cwd: repositoryRoot,
    env: { ...process.env, BM3B_LOAD_URL: ownerUrl, BM3B_WRITERS: process.env.BENCH_BM3B_WRITERS ?? '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Every writer has written its first batch (or the process ended: then the rounds fail loudly).
  const running = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('running\n')) resolve();
    });
    exited.then(() => reject(new Error(`BM3b's write load ended before it ran: ${output}`)));
    setTimeout(() => reject(new Error("BM3b's write load did not start within 60 s")), 60_000).unref();
  });
  running.catch(() => undefined);
  return {
    running,
    async stop(): Promise<number> {
      child.kill('SIGTERM');
      await exited;
      try {
        return (JSON.parse(output.trim().split('\n').at(-1) || '{}') as { written?: number }).written ?? 0;
      } catch {
        return 0;
      }
    },
  };
}

async function rounds(dataset: Dataset, id: string, label: string): Promise<BenchResult> {
  const database = await openDatabase({ databaseUrl: dataset.appUrl, maxConnections: 4 });
  const tenantId = dataset.tenantId;
  const userId = dataset.adminUserId;
  const project: number[] = [];
  const limit: number[] = [];
  const downloads: number[] = [];
  let rows = 0;
  let fileBytes = 0;
  let limitBytes = 0;
  let peakRss = 0;
  // What the process holds before any export, to read the peak against.
  const restingRss = process.memoryUsage().rss;
  try {
    for (let attempt = 0; attempt < REPEAT; attempt += 1) {
      const copy = await bareCopy(dataset.appUrl, tenantId, userId);
      limit.push(copy.seconds);
      limitBytes = copy.bytes;

      const run = await database.withTenant(tenantId, (trx) =>
        trx
          .insertInto('export_runs')
          .values({
            tenant_id: tenantId,
            entity: 'customers',
            format: 'csv',
            filters: JSON.stringify({ archived: false }),
            columns: JSON.stringify(COLUMNS),
            sort: JSON.stringify({ sort: 'createdAt', direction: 'desc' }),
            file_name: 'bm3b.csv',
            created_by: userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 50);
      const started = performance.now();
      const outcome = await runExport(database, tenantId, run.id);
      project.push((performance.now() - started) / 1000);
      clearInterval(sampler);
      rows = outcome.rows;
      fileBytes = outcome.bytes;

      // The download route's reading: every chunk, one short transaction each.
      const downloadStarted = performance.now();
      const seqs = await database.withTenant(tenantId, (trx) =>
        trx
          .selectFrom('export_file_chunks')
          .select('seq')
          .where('run_id', '=', run.id)
          .orderBy('seq')
          .execute(),
      );
      for (const { seq } of seqs) {
        await database.withTenant(tenantId, (trx) =>
          trx
            .selectFrom('export_file_chunks')
            .select('bytes')
            .where('tenant_id', '=', tenantId)
            .where('run_id', '=', run.id)
            .where('seq', '=', seq)
            .executeTakeFirst(),
        );
      }
      downloads.push((performance.now() - downloadStarted) / 1000);
      await database.withTenant(tenantId, (trx) =>
        trx.deleteFrom('export_runs').where('tenant_id', '=', tenantId).where('id', '=', run.id).execute(),
      );
      log(
        `${id} round ${attempt + 1}: export ${round3(project.at(-1))} s (${rows} rows, ${mb(fileBytes)} MB), bare COPY ${round3(limit.at(-1))} s (${mb(limitBytes)} MB), download ${round3(downloads.at(-1))} s; load ${oneMinuteLoad()}\n`,
      );
    }
  } finally {
    await database.close();
  }
  const projectSeconds = median(project);
  const limitSeconds = median(limit);
  const ratio = limitSeconds / projectSeconds;
  log(
    `${id} (${label}): ${rows} customers → CSV ${mb(fileBytes)} MB in ${round3(projectSeconds)} s (${Math.round(rows / projectSeconds)} rows/s); bare COPY ${round3(limitSeconds)} s; ratio ${ratio.toFixed(3)}; download ${round3(median(downloads))} s; peak RSS ${mb(peakRss)} MB (${mb(restingRss)} MB before the first export)\n`,
  );
  return {
    id,
    metric: `seconds for ${rows} customers to CSV (export job vs bare COPY), ${label}`,
    project: round(projectSeconds, 3),
    limit: round(limitSeconds, 3),
    ratio: round(ratio, 3),
    target: '≥ 0.5',
    met: ratio >= 0.5,
  };
}

const round3 = (value: number | undefined) => (value ?? 0).toFixed(3);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
