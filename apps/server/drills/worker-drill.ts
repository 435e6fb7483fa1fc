import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { provisionDatabase } from '@crm/db';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { createTestServer, type TestServer } from '../test/helpers';
import { createCluster, type DrillCluster } from './cluster';

/**
 * What the worker-kill drills share: a PostgreSQL cluster of the drill's own, the test app (its
 * job workers off: it only serves requests and enqueues), the drill database's URLs for
 * `ROLE=worker` processes, and a superuser connection to read tables and the queue as they are.
 */
export type WorkerDrill = {
  cluster: DrillCluster;
  server: TestServer;
  urls: { databaseUrl: string; ownerDatabaseUrl: string };
  admin: postgres.Sql;
  startWorker(): Promise<Worker>;
  teardown(): Promise<void>;
};

export type Worker = { child: ChildProcessWithoutNullStreams; output: () => string; pid: number };

const serverDirectory = fileURLToPath(new URL('..', import.meta.url));

export async function createWorkerDrill(): Promise<WorkerDrill> {
  const cluster = await createCluster();
  process.env.TEST_DATABASE_URL = cluster.adminUrl;
  const server = await createTestServer();
  const databaseName = server.testDatabase.databaseName as string;
  const urls = await provisionDatabase(cluster.adminUrl, databaseName);
  const admin = postgres(server.testDatabase.adminUrl as string, { max: 2, onnotice: () => {} });
  const workers: Worker[] = [];
  const masterKey = randomBytes(32).toString('base64');

  /** A worker process (src/main.ts, ROLE=worker) on the drill's database; resolves once it runs. */
  const startWorker = () =>
    new Promise<Worker>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: serverDirectory,
        env: {
          ...process.env,
          ROLE: 'worker',
          PORT: '0',
          LOG_LEVEL: 'info',
          SEED_DEMO: 'never',
          DATABASE_URL: urls.databaseUrl,
          DATABASE_OWNER_URL: urls.ownerDatabaseUrl,
          MASTER_KEY: masterKey,
        },
      });
      let output = '';
      const worker = { child, output: () => output, pid: child.pid ?? 0 };
      workers.push(worker);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        if (/CRM worker/.test(output)) resolve(worker);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      child.once('exit', (code, signal) => {
        if (!/CRM worker/.test(output))
          reject(new Error(`worker exited ${code ?? signal} before running:\n${output}`));
      });
    });

  return {
    cluster,
    server,
    urls,
    admin,
    startWorker,
    async teardown() {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await admin.end({ timeout: 5 });
      await Promise.race([
        server.destroy().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 30_000)),
      ]);
      await cluster.stop();
      cluster.remove();
    },
  };
}

/**
 * The worker drill of a drill file: made before its tests (a cluster of its own takes a while),
 * taken down after them. Its fields are read when used, once it is made.
 */
export function useWorkerDrill(): WorkerDrill {
  let current: WorkerDrill | undefined;
  beforeAll(async () => {
    current = await createWorkerDrill();
  }, 300_000);
  afterAll(async () => {
    await current?.teardown();
  });
  const made = () => {
    if (!current) throw new Error('The worker drill is not made yet (use it inside a test)');
    return current;
  };
  return {
    get cluster() {
      return made().cluster;
    },
    get server() {
      return made().server;
    },
    get urls() {
      return made().urls;
    },
    get admin() {
      return made().admin;
    },
    startWorker: () => made().startWorker(),
    teardown: () => made().teardown(),
  };
}

/** Waits until the newest job of `name` whose data has `key` = `value` has ended (completed or failed). */
export function jobEnded(admin: postgres.Sql, what: string, name: string, key: string, value: string) {
  return waitFor(
    what,
    async () => {
      const job = await jobAttempts(admin, name, key, value);
      return ['completed', 'failed'].includes(job.state) ? job : undefined;
    },
    600_000,
  );
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGKILL, and wait until the process is gone. */
export async function kill(worker: Worker): Promise<void> {
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGKILL');
  await exited;
}

/** SIGTERM (a graceful stop), and wait until the process is gone. */
export async function stop(worker: Worker): Promise<void> {
  if (worker.child.exitCode !== null) return;
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGTERM');
  await exited;
}

/**
 * Waits until a connection of the app's (application_name `crm`) other than the drill's own
 * has an open transaction that has already written (it holds a transaction id), running a
 * statement that mentions `marker`: the job is half-way through its one transaction.
 */
export function waitForWritingTransaction(admin: postgres.Sql, marker: string, timeoutMs: number) {
  return waitFor(
    `a worker transaction writing (${marker})`,
    async () => {
      const [row] = await admin<{ pid: number; seconds: number }[]>`
        select pid, extract(epoch from now() - xact_start)::float8 as seconds from pg_stat_activity
        where datname = current_database() and application_name = 'crm' and backend_xid is not null
          and state in ('active', 'idle in transaction') and query ilike ${`%${marker}%`}
        order by xact_start limit 1`;
      return row;
    },
    timeoutMs,
  );
}

/**
 * Starts a worker, waits until it is half-way through its job's one writing transaction, kills
 * it (SIGKILL), and once PostgreSQL has rolled that transaction back (the killed backend gone)
 * reads what is visible (`read`). Returns that, the seconds from the start to the kill, and how
 * long the transaction had been open when it was found.
 */
export async function killMidTransaction<T>(
  drill: WorkerDrill,
  read: () => Promise<T>,
): Promise<{ atKill: T; killedAfter: number; transactionOpenSeconds: number }> {
  const worker = await drill.startWorker();
  const started = Date.now();
  const writing = await waitForWritingTransaction(drill.admin, '', 300_000);
  const killedAfter = (Date.now() - started) / 1000;
  await kill(worker);
  const atKill = await waitFor(
    'the killed transaction to end',
    async () => {
      const [open] = await drill.admin<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where pid = ${writing.pid}`;
      return open?.n === 0 ? read() : undefined;
    },
    300_000,
  );
  return { atKill, killedAfter, transactionOpenSeconds: writing.seconds };
}

/** The job rows of `name` whose data matches, newest first: state and the number of attempts started. */
export async function jobAttempts(admin: postgres.Sql, name: string, key: string, value: string) {
  const rows = await admin<{ state: string; attempts: number }[]>`
    select state::text as state, (retry_count + 1)::int as attempts from pgboss.job
    where name = ${name} and data->>${key} = ${value} order by created_on desc`;
  return rows[0] ?? { state: 'none', attempts: 0 };
}
