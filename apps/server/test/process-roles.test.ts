import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dropDatabase, openDatabase, provisionDatabase, sql } from '@crm/db';
import { createJobQueue } from '@crm/jobs';
import { testAdminUrl } from '@crm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from './helpers';

/**
 * Scale-out by process role (docs/scaling.md): with a PostgreSQL server, ROLE=web processes
 * serve requests and only enqueue jobs, ROLE=worker processes run them and the cron
 * scheduler and answer only their probes; the embedded database refuses both.
 */
const serverDirectory = fileURLToPath(new URL('..', import.meta.url));

type Running = { child: ChildProcessWithoutNullStreams; output: () => string; port: number };

/** Starts src/main.ts and resolves once it listens (its port read from the log). */
function startServer(env: Record<string, string>): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDirectory,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', SEED_DEMO: 'never', ...env },
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n').find((text) => /CRM (listening|worker)/.test(text));
      if (line) {
        const port = Number((JSON.parse(line) as { port: number }).port);
        resolve({ child, output: () => output, port });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null) return resolve(running.child.exitCode);
    running.child.removeAllListeners('exit');
    running.child.on('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('process roles on the embedded database', () => {
  it('refuses ROLE=web and ROLE=worker: one process does everything there', async () => {
    for (const role of ['web', 'worker']) {
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
          cwd: serverDirectory,
          env: { ...process.env, PORT: '0', ROLE: role, DATABASE_URL: '', TEST_DATABASE_URL: '' },
        });
        let output = '';
        child.stdout.on('data', (chunk) => {
          output += chunk;
        });
        child.stderr.on('data', (chunk) => {
          output += chunk;
        });
        child.on('exit', (code) => resolve({ code, output }));
      });
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/need a PostgreSQL server/);
    }
  }, 120_000);
});

const adminUrl = testAdminUrl();
const databaseName = `crm_roles_${process.pid}`;

describe.skipIf(!adminUrl)('web and worker processes on a PostgreSQL server', () => {
  afterAll(() => dropDatabase(adminUrl ?? '', databaseName));

  it('the web process enqueues, the worker runs; both answer their probes and stop cleanly', async () => {
    const urls = await provisionDatabase(adminUrl ?? '', databaseName);
    const env = {
      DATABASE_URL: urls.databaseUrl,
      DATABASE_OWNER_URL: urls.ownerDatabaseUrl,
      MASTER_KEY: randomBytes(32).toString('base64'),
    };
    // The web process migrates first; the worker then finds the schema current.
    const web = await startServer({ ...env, ROLE: 'web' });
    const worker = await startServer({ ...env, ROLE: 'worker' });
    try {
      expect(web.output()).toMatch(/"workers":false/);
      expect(worker.output()).toMatch(/"workers":true/);
      for (const running of [web, worker]) {
        const ready = await fetch(`http://127.0.0.1:${running.port}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ready' });
        expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
      }
      // The worker serves nothing but its probes.
      const page = await fetch(`http://127.0.0.1:${worker.port}/trpc/auth.me`);
      expect(page.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${web.port}/trpc/auth.me`)).status).toBe(200);

      // A job enqueued the way a web process does (workers off) is run by the worker process.
      const database = await openDatabase({ databaseUrl: urls.databaseUrl, maxConnections: 2 });
      const enqueuer = createJobQueue({
        database,
        logger: createMemoryLogger(),
        workers: false,
        scheduler: false,
      });
      try {
        await enqueuer.start();
        const id = await enqueuer.enqueue('reminders.run-all', { day: '2026-12-08' });
        expect(id).not.toBeNull();
        const state = await waitFor('the worker to complete the job', async () => {
          const { rows } = await database.withoutTenant((db) =>
            sql<{ state: string }>`select state from pgboss.job where id = ${id}::uuid`.execute(db),
          );
          const found = rows[0]?.state;
          return found === 'completed' || found === 'failed' ? found : undefined;
        });
        expect(state).toBe('completed');
      } finally {
        await enqueuer.stop();
        await database.close();
      }
    } finally {
      expect(await stop(worker)).toBe(0);
      expect(await stop(web)).toBe(0);
    }
  }, 240_000);
});
