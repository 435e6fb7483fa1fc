/**
 * BM3 — importing 1,000,000 customers (at scale 1; ~250 MB of CSV) end to end through the
 * real import path, in a child process whose memory is sampled from outside (bm3-import.ts:
 * the upload service streaming the file into the database, imports.start, the commit job),
 * into a fresh tenant of a database of its own (`crm_bench_bm3`, made anew and dropped after:
 * a million imported customers would otherwise stay in the shared data set, and the run's
 * long transaction would hold back other sessions' DDL there); against the physical limit in
 * the same run: a
 * bare `COPY customers-columns FROM STDIN` of the same rows (PostgreSQL's CSV form) into a
 * table made `like customers including all` (same columns, defaults, constraints, generated
 * search column and indexes; no RLS, triggers or contacts), as the owner.
 * Ratio: limit ÷ project (time), target ≥ 0.5; peak RSS of the importing process ≤ 300 MB.
 * BENCH_BM3_ROWS sets the number of rows regardless of BENCH_SCALE (the data set is not read);
 * BENCH_BM3_HEAP_MB the importing process's V8 old-space cap (default 128, as documented for
 * the server; 0 = none).
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { dropDatabase, openDatabase, provisionDatabase } from '@crm/db';
import postgres from 'postgres';
import { COPY_COLUMNS, writeBm3Files } from './bm3-data';
import { type BenchResult, benchDatabases, here, log, repositoryRoot, round } from './harness';

const ROWS_AT_SCALE_1 = 1_000_000;

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function freshTenant(superUrl: string): Promise<{ tenantId: string; userId: string }> {
  const sql = postgres(superUrl, { max: 1, onnotice: () => {} });
  try {
    const tenantId = crypto.randomUUID();
    const userId = crypto.randomUUID();
    await sql`insert into tenants (id, name, industry) values (${tenantId}, ${`BM3 导入 ${new Date().toISOString()}`}, 'b2b')`;
    await sql`insert into users (id, email, name, password_hash) values (${userId}, ${`bm3.${userId.slice(0, 8)}@example.com`}, 'BM3 管理员', ${'x'})`;
    await sql`insert into memberships (tenant_id, user_id, role) values (${tenantId}, ${userId}, 'admin')`;
    return { tenantId, userId };
  } finally {
    await sql.end();
  }
}

async function bareCopy(ownerUrl: string, copyPath: string): Promise<number> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`drop table if exists bm3_copy_target`;
    await sql`create table bm3_copy_target (like customers including all)`;
    const started = performance.now();
    const writable = await sql
      .unsafe(`copy bm3_copy_target (${COPY_COLUMNS.join(', ')}) from stdin with (format csv)`)
      .writable();
    await pipeline(createReadStream(copyPath), writable);
    const seconds = (performance.now() - started) / 1000;
    await sql`drop table bm3_copy_target`;
    return seconds;
  } finally {
    await sql.end();
  }
}

type ChildResult = {
  uploadSeconds: number;
  commitSeconds: number;
  totalSeconds: number;
  status: string;
  failure: string | null;
  rows: number;
  created: number;
  errors: number;
  firstErrors: unknown[];
  sampledPeakRss: number;
  maxRssKb: number;
};

async function importInChild(appUrl: string, file: string, tenantId: string, userId: string, heapMb: string) {
  // The heap cap docs/imports.md recommends for the server: V8 otherwise lets the garbage of a
  // long import pile up in old space (live data stays ~45 MB) before it collects.
  const child = spawn(
    process.execPath,
    [
      ...(heapMb === '0' ? [] : [`--max-old-space-size=${heapMb}`]),
      '--import',
      'tsx',
      join(here, 'bm3-import.ts'),
    ],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production',
        BM3_APP_URL: appUrl,
        BM3_FILE: file,
        BM3_TENANT: tenantId,
        BM3_USER: userId,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let peak = 0;
  const sampler = setInterval(() => {
    if (child.pid) peak = Math.max(peak, rssOf(child.pid));
  }, 100);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`BM3 import process exited with ${code}`);
  const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ChildResult;
  return { ...result, peakRss: Math.max(peak, result.maxRssKb * 1024) };
}

/** BENCH_BM3_DATABASE names it when several runs share one server. */
const DATABASE = process.env.BENCH_BM3_DATABASE ?? 'crm_bench_bm3';

function superUrlOf(adminUrl: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

export async function runBm3(adminUrl: string, scale: number): Promise<BenchResult[]> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DATABASE} with (force)`);
  await admin.end();
  const urls = await provisionDatabase(adminUrl, DATABASE);
  benchDatabases.add(DATABASE);
  const migrating = await openDatabase({ ...urls, maxConnections: 1 });
  await migrating.migrate();
  await migrating.close();
  const dataset = {
    appUrl: urls.databaseUrl,
    ownerUrl: urls.ownerDatabaseUrl,
    superUrl: superUrlOf(adminUrl),
  };
  try {
    return await measure(dataset, scale);
  } finally {
    await dropDatabase(adminUrl, DATABASE);
  }
}

async function measure(
  dataset: { appUrl: string; ownerUrl: string; superUrl: string },
  scale: number,
): Promise<BenchResult[]> {
  const rows = Number(process.env.BENCH_BM3_ROWS ?? Math.max(1000, Math.round(ROWS_AT_SCALE_1 * scale)));
  const folder = mkdtempSync(join(tmpdir(), 'crm-bm3-'));
  try {
    const importPath = join(folder, 'customers.csv');
    const copyPath = join(folder, 'customers.copy.csv');
    const { tenantId, userId } = await freshTenant(dataset.superUrl);
    const generated = performance.now();
    const sizes = await writeBm3Files(rows, importPath, copyPath, tenantId);
    log(
      `BM3: ${rows} rows written in ${((performance.now() - generated) / 1000).toFixed(1)} s: import file ${mb(sizes.importBytes)} MB, COPY file ${mb(sizes.copyBytes)} MB\n`,
    );
    const limitSeconds = await bareCopy(dataset.ownerUrl, copyPath);
    log(`BM3: bare COPY FROM STDIN of the same rows: ${limitSeconds.toFixed(2)} s\n`);
    const heapMb = process.env.BENCH_BM3_HEAP_MB ?? '128';
    const result = await importInChild(dataset.appUrl, importPath, tenantId, userId, heapMb);
    if (result.status !== 'committed' || result.created !== rows) {
      throw new Error(`BM3 import did not commit every row: ${JSON.stringify(result)}`);
    }
    const ratio = limitSeconds / result.totalSeconds;
    log(
      `BM3: importing process run with ${heapMb === '0' ? 'no heap cap' : `--max-old-space-size=${heapMb}`}\n`,
    );
    log(
      `BM3: import ${result.totalSeconds.toFixed(2)} s (upload ${result.uploadSeconds.toFixed(2)} s, commit job ${result.commitSeconds.toFixed(2)} s; ${Math.round(rows / result.totalSeconds)} rows/s), bare COPY ${limitSeconds.toFixed(2)} s, ratio ${ratio.toFixed(3)}; peak RSS of the importing process ${mb(result.peakRss)} MB\n`,
    );
    return [
      {
        id: 'BM3 import',
        metric: `seconds for ${rows} customers (import path vs bare COPY)`,
        project: round(result.totalSeconds, 2),
        limit: round(limitSeconds, 2),
        ratio: round(ratio, 3),
        target: '≥ 0.5',
        met: ratio >= 0.5,
      },
      {
        id: 'BM3 import memory',
        metric: 'peak RSS of the importing process, MB (limit: 300)',
        project: round(result.peakRss / 1024 / 1024, 1),
        limit: 300,
        ratio: round(300 / (result.peakRss / 1024 / 1024), 3),
        target: '≤ 300 MB',
        met: result.peakRss <= 300 * 1024 * 1024,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
