/**
 * BM3's importing process (started by bm3.ts once per import — customers, orders,
 * interactions —, its memory measured from outside): the real import path as the server runs it — the upload service behind POST /api/imports/files
 * (the request's session resolved by the tenant procedures, the file streamed from disk into
 * the database in 1 MB chunks, its preview and mapping suggestions), imports.start through
 * the tRPC router, then the commit job's handler (runImport). Prints one JSON line.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createCaller, createContext, type RequestInfo, runImport, uploadImportFile } from '@crm/api';
import { createSession } from '@crm/auth';
import { openDatabase } from '@crm/db';
import { createDependencies } from '../src/dependencies';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
const BM3_APP_URL = required('BM3_APP_URL');
const BM3_FILE = required('BM3_FILE');
const BM3_TENANT = required('BM3_TENANT');
const BM3_USER = required('BM3_USER');
const BM3_ENTITY = required('BM3_ENTITY') as 'customers' | 'orders' | 'interactions';
const BM3_MAPPING = JSON.parse(required('BM3_MAPPING')) as Record<string, string>;
/** The run's phases (read, checks, outcomes, write …, in ms), as the job logs them. */
let phases: Record<string, unknown> = {};
const silent = {
  info: (fields: Record<string, unknown>, message?: string) => {
    if (message === 'import finished') phases = fields;
  },
  warn() {},
  error: (fields: Record<string, unknown>) => console.error(fields),
};
const database = await openDatabase({ databaseUrl: BM3_APP_URL, maxConnections: 4 });
const dependencies = createDependencies(database, silent, 'http://localhost:3000');
const { token } = await database.withScope({}, (trx) => createSession(trx, BM3_USER, BM3_TENANT));
const request: RequestInfo = {
  requestId: 'bm3',
  sessionToken: token,
  clientIp: '127.0.0.1',
  locale: 'zh-CN',
  idempotencyKey: null,
  setSessionCookie() {},
  clearSessionCookie() {},
};

/** This process's peak resident set so far (kB): the kernel's high-water mark, VmHWM. */
function vmHwmKb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : 0;
}
// Before any import work: Node, tsx, the API's modules and the database's pool.
const startRssKb = vmHwmKb();
let peak = 0;
let atPeak = process.memoryUsage();
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss > peak) {
    peak = usage.rss;
    atPeak = usage;
  }
}, 100);

const started = performance.now();
const uploaded = await uploadImportFile(dependencies, request, {
  fileName: `bm3-${BM3_ENTITY}.csv`,
  body: createReadStream(BM3_FILE),
  maxBytes: 4 * 1024 * 1024 * 1024,
});
if (!uploaded.ok) throw new Error(`upload failed: ${uploaded.code} ${uploaded.message}`);
const uploadSeconds = (performance.now() - started) / 1000;
const caller = createCaller(await createContext(dependencies, request));
const { runId } = await caller.imports.start({
  fileId: uploaded.result.fileId,
  entity: BM3_ENTITY,
  mapping: BM3_MAPPING,
  onMatch: 'skip',
  dryRun: false,
});
const commitStarted = performance.now();
await runImport(dependencies, BM3_TENANT, runId);
const commitSeconds = (performance.now() - commitStarted) / 1000;
const totalSeconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const run = await caller.imports.get({ runId });
process.stdout.write(
  `${JSON.stringify({
    uploadSeconds,
    commitSeconds,
    totalSeconds,
    status: run.status,
    failure: run.failure,
    rows: run.totalRows,
    created: run.created,
    errors: run.errorCount,
    firstErrors: run.errors.slice(0, 5),
    phases,
    suggested: uploaded.result.suggestions[BM3_ENTITY],
    sampledPeakRss: peak,
    maxRssKb: process.resourceUsage().maxRSS,
    vmHwmKb: vmHwmKb(),
    startRssKb,
    atPeak,
  })}\n`,
);
await database.close();
