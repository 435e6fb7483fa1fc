/**
 * BM3 — importing 1,000,000 customers (at scale 1; ~200 MB of CSV), then 10,000,000 order
 * lines and 1,000,000 interactions of those customers, each end to end through the real
 * import path, in a child process whose memory is sampled from outside (bm3-import.ts: the
 * upload service streaming the file into the database, imports.start, the commit job), into
 * a fresh tenant of a database of its own (`crm_bench_bm3`, made anew and dropped after: a
 * million imported customers would otherwise stay in the shared data set, and the run's long
 * transaction would hold back other sessions' DDL there). Each import against its own
 * physical limit in the same run: a bare `COPY … FROM STDIN` of the same rows (PostgreSQL's
 * CSV form) into tables made `like <table> including all` (same columns, defaults,
 * constraints, generated search column and indexes; no RLS, triggers, foreign keys or
 * derived facts), as the owner — for customers the customers columns, for orders `orders`
 * and `order_lines`, for interactions `interactions`.
 * Ratio: limit ÷ project (time), target ≥ 0.5; peak RSS of each importing process ≤ 300 MB.
 * Each import is a figure with the load average at its start and end of its own (noisy when
 * it started on a busy machine).
 * BENCH_BM3_ROWS sets the number of customers regardless of BENCH_SCALE (the data set is not
 * read; order lines are 10 and interactions 1 per customer); BENCH_BM3_PARTS which imports
 * run (default customers,orders,interactions; the customers always); BENCH_BM3_HEAP_MB the
 * importing process's V8 old-space cap (default 128, as documented for the server; 0 = none);
 * BENCH_BM3_NODE_ARGS extra Node flags for it (a CPU profile: "--cpu-prof --cpu-prof-dir=DIR").
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { dropDatabase, openDatabase, provisionDatabase } from '@crm/db';
import postgres from 'postgres';
import {
  COPY_COLUMNS,
  CustomerIds,
  IMPORT_MAPPING,
  INTERACTION_COPY_COLUMNS,
  INTERACTION_IMPORT_MAPPING,
  ORDER_COPY_COLUMNS,
  ORDER_IMPORT_MAPPING,
  ORDER_LINE_COPY_COLUMNS,
  writeBm3Files,
  writeInteractionFiles,
  writeOrderFiles,
} from './bm3-data';
import {
  type BenchResult,
  benchDatabases,
  here,
  log,
  oneMinuteLoad,
  repositoryRoot,
  round,
  underLoad,
} from './harness';

const ROWS_AT_SCALE_1 = 1_000_000;
/** 10,000,000 order lines and 1,000,000 interactions at scale 1 (issue 22). */
const ORDER_LINES_PER_CUSTOMER = 10;
const INTERACTIONS_PER_CUSTOMER = 1;

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

/**
 * The limit: a bare `COPY … FROM STDIN` of each file (PostgreSQL's CSV form) into a table made
 * `like <table> including all` (the same columns, defaults, constraints, generated columns and
 * indexes; no RLS, triggers or foreign keys), as the owner, one after the other; the seconds
 * of all of them.
 */
type CopyLoad = { table: string; columns: string[]; path: string };

async function bareCopy(ownerUrl: string, loads: CopyLoad[]): Promise<number> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    for (const { table } of loads) {
      await sql.unsafe(`drop table if exists bm3_copy_${table}`);
      await sql.unsafe(`create table bm3_copy_${table} (like ${table} including all)`);
    }
    const started = performance.now();
    for (const { table, columns, path } of loads) {
      const writable = await sql
        .unsafe(`copy bm3_copy_${table} (${columns.join(', ')}) from stdin with (format csv)`)
        .writable();
      await pipeline(createReadStream(path), writable);
    }
    const seconds = (performance.now() - started) / 1000;
    for (const { table } of loads) await sql.unsafe(`drop table bm3_copy_${table}`);
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
  phases: Record<string, unknown>;
};

type ImportJob = {
  entity: 'customers' | 'orders' | 'interactions';
  mapping: Record<string, string>;
  file: string;
  tenantId: string;
  userId: string;
  heapMb: string;
};

async function importInChild(appUrl: string, job: ImportJob) {
  const { heapMb } = job;
  // The heap cap docs/imports.md recommends for the server: V8 otherwise lets the garbage of a
  // long import pile up in old space (live data stays ~45 MB) before it collects.
  const child = spawn(
    process.execPath,
    [
      ...(heapMb === '0' ? [] : [`--max-old-space-size=${heapMb}`]),
      // BENCH_BM3_NODE_ARGS: extra flags for the importing process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
      ...(process.env.BENCH_BM3_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
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
        BM3_FILE: job.file,
        BM3_TENANT: job.tenantId,
        BM3_USER: job.userId,
        BM3_ENTITY: job.entity,
        BM3_MAPPING: JSON.stringify(job.mapping),
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

/** Which imports a run measures: BENCH_BM3_PARTS (customers,orders,interactions; customers always). */
function partsToRun(): Set<string> {
  const parts = new Set((process.env.BENCH_BM3_PARTS ?? 'customers,orders,interactions').split(','));
  parts.add('customers');
  return parts;
}

async function measure(
  dataset: { appUrl: string; ownerUrl: string; superUrl: string },
  scale: number,
): Promise<BenchResult[]> {
  const rows = Number(process.env.BENCH_BM3_ROWS ?? Math.max(1000, Math.round(ROWS_AT_SCALE_1 * scale)));
  const heapMb = process.env.BENCH_BM3_HEAP_MB ?? '128';
  const parts = partsToRun();
  const folder = mkdtempSync(join(tmpdir(), 'crm-bm3-'));
  const results: BenchResult[] = [];
  try {
    const { tenantId, userId } = await freshTenant(dataset.superUrl);
    const context = { dataset, folder, tenantId, userId, heapMb };
    // Each import is a figure of its own, with the load at its start and end (run.ts prints
    // "noisy" for a figure that started on a busy machine).
    results.push(...(await underLoad(() => customersFigure(context, rows))));
    if (parts.has('orders') || parts.has('interactions')) {
      const customers = await customerIds(dataset.superUrl, tenantId, rows);
      if (parts.has('orders'))
        results.push(
          ...(await underLoad(() => ordersFigure(context, customers, rows * ORDER_LINES_PER_CUSTOMER))),
        );
      if (parts.has('interactions'))
        results.push(
          ...(await underLoad(() =>
            interactionsFigure(context, customers, rows * INTERACTIONS_PER_CUSTOMER),
          )),
        );
    }
    return results;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

type FigureContext = {
  dataset: { appUrl: string; ownerUrl: string; superUrl: string };
  folder: string;
  tenantId: string;
  userId: string;
  heapMb: string;
};

/**
 * One import as a figure: its files generated, the bare COPY of its limit files, then the real
 * import of its file in a child process; every row must be committed.
 */
async function importFigure(
  context: FigureContext,
  figure: {
    id: string;
    entity: ImportJob['entity'];
    mapping: Record<string, string>;
    /** What the figure counts (`1000000 customers`), and how many rows the file has. */
    what: string;
    rows: number;
    /** Writes the files; returns the import file, the limit's loads and the records the import creates. */
    generate(): Promise<{ importPath: string; loads: CopyLoad[]; created: number; sizes: string }>;
  },
): Promise<BenchResult[]> {
  const { dataset, tenantId, userId, heapMb } = context;
  const generated = performance.now();
  const files = await figure.generate();
  log(
    `${figure.id}: ${figure.what} written in ${((performance.now() - generated) / 1000).toFixed(1)} s: ${files.sizes}\n`,
  );
  const limitSeconds = await bareCopy(dataset.ownerUrl, files.loads);
  log(
    `${figure.id}: bare COPY FROM STDIN of the same rows: ${limitSeconds.toFixed(2)} s (load ${oneMinuteLoad()})\n`,
  );
  const result = await importInChild(dataset.appUrl, {
    entity: figure.entity,
    mapping: figure.mapping,
    file: files.importPath,
    tenantId,
    userId,
    heapMb,
  });
  for (const path of [files.importPath, ...files.loads.map((load) => load.path)]) rmSync(path);
  if (result.status !== 'committed' || result.created !== files.created || result.errors !== 0) {
    throw new Error(`${figure.id} did not commit every row: ${JSON.stringify(result)}`);
  }
  log(
    `${figure.id}: importing process run with ${heapMb === '0' ? 'no heap cap' : `--max-old-space-size=${heapMb}`}\n`,
  );
  return figures(figure.id, figure.what, figure.rows, limitSeconds, result);
}

function customersFigure(context: FigureContext, rows: number): Promise<BenchResult[]> {
  const importPath = join(context.folder, 'customers.csv');
  const copyPath = join(context.folder, 'customers.copy.csv');
  return importFigure(context, {
    id: 'BM3 import',
    entity: 'customers',
    mapping: IMPORT_MAPPING,
    what: `${rows} customers`,
    rows,
    async generate() {
      const sizes = await writeBm3Files(rows, importPath, copyPath, context.tenantId);
      return {
        importPath,
        loads: [{ table: 'customers', columns: COPY_COLUMNS, path: copyPath }],
        created: rows,
        sizes: `import file ${mb(sizes.importBytes)} MB, COPY file ${mb(sizes.copyBytes)} MB`,
      };
    },
  });
}

function ordersFigure(context: FigureContext, customers: CustomerIds, lines: number): Promise<BenchResult[]> {
  const importPath = join(context.folder, 'orders.csv');
  const ordersPath = join(context.folder, 'orders.copy.csv');
  const linesPath = join(context.folder, 'order_lines.copy.csv');
  return importFigure(context, {
    id: 'BM3 orders import',
    entity: 'orders',
    mapping: ORDER_IMPORT_MAPPING,
    what: `${lines} order lines`,
    rows: lines,
    async generate() {
      const paths = { importPath, ordersPath, linesPath };
      const sizes = await writeOrderFiles(lines, customers, paths, context.tenantId, context.userId);
      return {
        importPath,
        loads: [
          { table: 'orders', columns: ORDER_COPY_COLUMNS, path: ordersPath },
          { table: 'order_lines', columns: ORDER_LINE_COPY_COLUMNS, path: linesPath },
        ],
        created: sizes.orders,
        sizes: `${sizes.orders} orders; import file ${mb(sizes.importBytes)} MB, COPY files ${mb(sizes.copyBytes)} MB`,
      };
    },
  });
}

function interactionsFigure(
  context: FigureContext,
  customers: CustomerIds,
  rows: number,
): Promise<BenchResult[]> {
  const importPath = join(context.folder, 'interactions.csv');
  const copyPath = join(context.folder, 'interactions.copy.csv');
  return importFigure(context, {
    id: 'BM3 interactions import',
    entity: 'interactions',
    mapping: INTERACTION_IMPORT_MAPPING,
    what: `${rows} interactions`,
    rows,
    async generate() {
      const paths = { importPath, copyPath };
      const sizes = await writeInteractionFiles(rows, customers, paths, context.tenantId, context.userId);
      return {
        importPath,
        loads: [{ table: 'interactions', columns: INTERACTION_COPY_COLUMNS, path: copyPath }],
        created: rows,
        sizes: `import file ${mb(sizes.importBytes)} MB, COPY file ${mb(sizes.copyBytes)} MB`,
      };
    },
  });
}

/** The ids of the customers the run imported, read once (16 bytes each). */
async function customerIds(superUrl: string, tenantId: string, rows: number): Promise<CustomerIds> {
  const ids = new CustomerIds(rows);
  const sql = postgres(superUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select customer_number, id from customers where tenant_id = ${tenantId}`.cursor(
      10_000,
      (batch) => {
        for (const row of batch) ids.set(row.customer_number as string, row.id as string);
      },
    );
  } finally {
    await sql.end();
  }
  return ids;
}

/** A figure's time and memory results, and its line in the log. */
function figures(
  id: string,
  what: string,
  rows: number,
  limitSeconds: number,
  result: ChildResult & { peakRss: number },
): BenchResult[] {
  const ratio = limitSeconds / result.totalSeconds;
  log(
    `${id}: ${result.totalSeconds.toFixed(2)} s (upload ${result.uploadSeconds.toFixed(2)} s, commit job ${result.commitSeconds.toFixed(2)} s; ${Math.round(rows / result.totalSeconds)} rows/s), bare COPY ${limitSeconds.toFixed(2)} s, ratio ${ratio.toFixed(3)}; peak RSS of the importing process ${mb(result.peakRss)} MB; phases ${JSON.stringify(phasesOf(result.phases))}; load ${oneMinuteLoad()}\n`,
  );
  return [
    {
      id,
      metric: `seconds for ${what} (import path vs bare COPY)`,
      project: round(result.totalSeconds, 2),
      limit: round(limitSeconds, 2),
      ratio: round(ratio, 3),
      target: '≥ 0.5',
      met: ratio >= 0.5,
    },
    {
      id: `${id} memory`,
      metric: 'peak RSS of the importing process, MB (limit: 300)',
      project: round(result.peakRss / 1024 / 1024, 1),
      limit: 300,
      ratio: round(300 / (result.peakRss / 1024 / 1024), 3),
      target: '≤ 300 MB',
      met: result.peakRss <= 300 * 1024 * 1024,
    },
  ];
}

/** The job's phase timings (…Ms) in seconds. */
function phasesOf(phases: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(phases ?? {})
      .filter(([key, value]) => key.endsWith('Ms') && typeof value === 'number')
      .map(([key, value]) => [key.slice(0, -2), round((value as number) / 1000, 1)]),
  );
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
