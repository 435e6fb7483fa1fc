import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { APP_ROLE, checkRuntimeRole, OWNER_ROLE, sql } from '@crm/db';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import PgBoss from 'pg-boss';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExecutor, splitScript } from './executor';
import { createJobQueue, type Job, type JobQueueOptions, QUEUE_SCHEMA } from './index';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

const logged: { level: string; fields: Record<string, unknown>; message?: string }[] = [];
const logger = {
  info: (fields: Record<string, unknown>, message?: string) =>
    logged.push({ level: 'info', fields, message }),
  warn: (fields: Record<string, unknown>, message?: string) =>
    logged.push({ level: 'warn', fields, message }),
  error: (fields: Record<string, unknown>, message?: string) =>
    logged.push({ level: 'error', fields, message }),
};

function fastQueue(options: Partial<JobQueueOptions> = {}) {
  return createJobQueue({
    database: testDb.database,
    logger,
    pollingIntervalSeconds: 0.5,
    maintenanceIntervalSeconds: 1,
    cronIntervalSeconds: 1,
    stopTimeoutSeconds: 5,
    leaseSeconds: 2,
    ...options,
  });
}

/** What a migration does for a new job name: the owner creates its queue. */
async function createQueue(name: string, policy = 'standard') {
  const options = JSON.stringify({ policy });
  if (testDb.adminUrl) {
    const admin = postgres(testDb.adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.begin(async (tx) => {
        await tx.unsafe(`set local role ${OWNER_ROLE}`);
        await tx`select pgboss.create_queue(${name}, ${options}::json)`;
      });
    } finally {
      await admin.end();
    }
    return;
  }
  await testDb.database.db.transaction().execute(async (trx) => {
    await sql`select set_config('role', ${OWNER_ROLE}, true)`.execute(trx);
    await sql`select pgboss.create_queue(${name}, ${options}::json)`.execute(trx);
  });
}

async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function jobRow(id: string) {
  return testDb.database.withoutTenant(async (db) => {
    const { rows } = await sql<{ state: string; retry_count: number; started_on: Date | null }>`
      select state::text as state, retry_count, started_on from pgboss.job where id = ${id}`.execute(db);
    return rows[0];
  });
}

const tenantA = crypto.randomUUID();

describe('the queue schema', () => {
  it('is installed by the owner; crm_app has row access only and cannot create tables or queues', async () => {
    const { rows } = await testDb.database.withoutTenant((db) =>
      sql<{ version: number; can_create: boolean; owner: string }>`
        select (select version from pgboss.version) as version,
               has_schema_privilege(${APP_ROLE}, 'pgboss', 'CREATE') as can_create,
               (select nspowner::regrole::text from pg_namespace where nspname = 'pgboss') as owner`.execute(
        db,
      ),
    );
    expect(rows[0]).toEqual({ version: 24, can_create: false, owner: OWNER_ROLE });

    const refusals: string[] = [];
    for (const statement of [
      'create table pgboss.intruder (id int)',
      `select pgboss.create_queue('intruder', '{}')`,
      'alter table pgboss.job add column intruder int',
      'drop table pgboss.archive',
    ]) {
      const error = await testDb.database
        .withoutTenant((db) => sql.raw(statement).execute(db))
        .then(() => null)
        .catch((caught: { code?: string }) => caught);
      if (error?.code === '42501' || (error as { code?: string } | null)?.code === '42P01')
        refusals.push(statement);
    }
    expect(refusals).toHaveLength(4);
    // On PGlite the session user is the superuser (docs/tenancy-and-auth.md); crm_app must stay clean.
    const violations = (await checkRuntimeRole(testDb.database)).violations;
    expect(violations.filter((violation) => violation.startsWith(APP_ROLE))).toEqual([]);

    const executor = createExecutor(testDb.database);
    const identity = (await executor.executeSql('select current_user, session_user')).rows[0];
    expect(identity?.current_user).toBe(APP_ROLE);
    if (testDb.kind === 'postgres') expect(identity?.session_user).toBe(APP_ROLE);
    console.log(
      `jobs schema on ${testDb.kind}: version=24 crm_app_create=false refused=${refusals.length}/4 ` +
        `queue_sql_user=${identity?.current_user}`,
    );
  });

  it('splits pg-boss scripts into statements, keeping function bodies whole', () => {
    const maintenance = `
    BEGIN;
    SET LOCAL lock_timeout = '30s';
    SELECT pg_advisory_xact_lock(('x' || encode(sha224('a;b'::bytea), 'hex'))::bit(64)::bigint);
    DELETE FROM pgboss.archive WHERE archived_on < (now() - interval '7 days');
    COMMIT;
  `;
    expect(splitScript(maintenance)).toHaveLength(3);
    const construction = PgBoss.getConstructionPlans('pgboss');
    const statements = splitScript(construction);
    expect(statements.some((statement) => statement.includes('EXECUTE format'))).toBe(true);
    expect(statements.filter((statement) => statement.startsWith('CREATE FUNCTION'))).toHaveLength(2);
  });

  it('refuses to start a handler whose queue no migration created', async () => {
    const queue = fastQueue({ scheduler: false });
    queue.register('t.no-such-queue', async () => {});
    await expect(queue.start()).rejects.toThrow(/No queue "t.no-such-queue": a migration creates it/);
  });
});

describe('T5.6 job queue', () => {
  it('attempts a deterministically failing job exactly retryLimit + 1 times with exponential backoff, then fails it', async () => {
    await createQueue('t.always-fails');
    const attempts: {
      attempt: number;
      maxAttempts: number;
      at: number;
      runAfter: number;
      failedAt: number;
    }[] = [];
    const queue = fastQueue();
    queue.register(
      't.always-fails',
      async (job) => {
        // start_after of this attempt: when the previous failure scheduled it.
        const { rows } = await testDb.database.withoutTenant((db) =>
          sql<{ start_after: Date }>`select start_after from pgboss.job where id = ${job.id}`.execute(db),
        );
        attempts.push({
          attempt: job.attempt,
          maxAttempts: job.maxAttempts,
          at: Date.now(),
          runAfter: rows[0]?.start_after.getTime() ?? 0,
          failedAt: Date.now(),
        });
        throw new Error('deterministic failure');
      },
      { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true },
    );
    await queue.start();
    try {
      const id = await queue.enqueue('t.always-fails', { tenantId: tenantA, customerId: 'c-1' });
      const run = await waitFor(
        async () => (await queue.listRecent({ name: 't.always-fails' })).find((item) => item.id === id),
        (item) => item?.state === 'failed',
      );
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const gaps = attempts.slice(1).map((item, index) => (item.at - (attempts[index]?.at ?? 0)) / 1000);
      const delays = attempts
        .slice(1)
        .map((item, index) => (item.runAfter - (attempts[index]?.failedAt ?? 0)) / 1000);
      console.log(
        `T5.6 attempts=${attempts.length} max_attempts=${run?.maxAttempts} state=${run?.state} ` +
          `retry_delays_s=${delays.map((delay) => delay.toFixed(2)).join(',')} (bounds [1,2],[2,4]) ` +
          `gaps_s=${gaps.map((gap) => gap.toFixed(2)).join(',')} last_error="${run?.lastError}"`,
      );
      expect(attempts.map((item) => item.attempt)).toEqual([1, 2, 3]);
      expect(attempts.every((item) => item.maxAttempts === 3)).toBe(true);
      expect(run).toMatchObject({
        state: 'failed',
        attempts: 3,
        maxAttempts: 3,
        tenantId: tenantA,
        lastError: 'deterministic failure',
        archived: false,
      });
      expect(run?.finishedAt).toBeInstanceOf(Date);
      // Retry n is scheduled between d·2ⁿ⁻¹ and d·2ⁿ seconds after the failure (d = 1) and
      // starts within one polling interval of that.
      expect(delays[0]).toBeGreaterThanOrEqual(0.95);
      expect(delays[0]).toBeLessThanOrEqual(2.3);
      expect(delays[1]).toBeGreaterThanOrEqual(1.95);
      expect(delays[1]).toBeLessThanOrEqual(4.3);
      expect(
        gaps.every((gap, index) => gap >= (delays[index] ?? 0) - 0.05 && gap <= (delays[index] ?? 0) + 1.5),
      ).toBe(true);
      expect(logged.some((entry) => entry.message === 'job failed, no attempts left')).toBe(true);
    } finally {
      await queue.stop();
    }
  });

  it('abandons a handler that never returns at its expiry: its signal aborts, the job fails, the worker takes the next one; meanwhile it shows as overdue', async () => {
    await createQueue('t.hangs');
    const signals: AbortSignal[] = [];
    const done: string[] = [];
    const queue = fastQueue();
    queue.register(
      't.hangs',
      async (job) => {
        if (job.data.hang) {
          signals.push(job.signal);
          await new Promise(() => {});
        }
        done.push(String(job.data.label));
      },
      { retryLimit: 0, expireInSeconds: 3, concurrency: 1 },
    );
    await queue.start();
    try {
      const stuck = await queue.enqueue('t.hangs', { hang: true, label: 'stuck' });
      await waitFor(
        () => signals.length,
        (count) => count === 1,
      );
      // Seen from outside while it hangs, as if it had started long ago.
      await testDb.database.withoutTenant((db) =>
        sql`update pgboss.job set started_on = now() - interval '1 hour' where id = ${stuck}`.execute(db),
      );
      const overdue = await queue.listOverdue();
      expect(overdue).toEqual([{ name: 't.hangs', count: 1, oldestStartedAt: expect.any(Date) }]);
      expect((await queue.listRecent({ name: 't.hangs' })).find((run) => run.id === stuck)?.overdue).toBe(
        true,
      );
      await queue.enqueue('t.hangs', { label: 'next' });
      await waitFor(
        () => done,
        (labels) => labels.includes('next'),
      );
      expect(signals[0]?.aborted).toBe(true);
      const run = await waitFor(
        async () => (await queue.listRecent({ name: 't.hangs' })).find((item) => item.id === stuck),
        (item) => item?.state === 'failed',
      );
      // Whichever notices first: this process's watchdog or pg-boss maintenance.
      expect(run?.lastError).toMatch(/ran past its limit of 3 s|failed by timeout/);
      expect(run?.overdue).toBe(false);
      expect(await queue.listOverdue()).toEqual([]);
    } finally {
      await queue.stop();
    }
  });

  it('never runs a job enqueued in a rolled-back transaction, and loses none that committed', async () => {
    await createQueue('t.transactional');
    const ran: string[] = [];
    const queue = fastQueue();
    queue.register('t.transactional', async (job: Job) => {
      ran.push(String(job.data.label));
    });

    const committed: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const label = `committed-${index}`;
      await testDb.database.withTenant(tenantA, (trx) =>
        queue.enqueue('t.transactional', { tenantId: tenantA, label }, { trx }),
      );
      committed.push(label);
      await testDb.database
        .withTenant(tenantA, async (trx) => {
          await queue.enqueue(
            't.transactional',
            { tenantId: tenantA, label: `rolled-back-${index}` },
            { trx },
          );
          throw new Error('the request failed');
        })
        .catch(() => {});
    }
    await queue.start();
    try {
      await waitFor(
        () => ran.length,
        (count) => count >= committed.length,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const phantom = ran.filter((label) => label.startsWith('rolled-back')).length;
      const lost = committed.filter((label) => !ran.includes(label)).length;
      const runs = await queue.listRecent({ name: 't.transactional' });
      console.log(
        `T5.6 enqueued_committed=${committed.length} enqueued_rolled_back=5 ran=${ran.length} ` +
          `jobs_lost=${lost} phantom_jobs=${phantom} rows=${runs.length}`,
      );
      expect(phantom).toBe(0);
      expect(lost).toBe(0);
      expect(ran).toHaveLength(5);
      expect(runs).toHaveLength(5);
      for (const run of runs) {
        expect(run).toMatchObject({ state: 'completed', attempts: 1, tenantId: tenantA, lastError: null });
        expect(run.startedAt).toBeInstanceOf(Date);
        expect(run.finishedAt?.getTime()).toBeGreaterThanOrEqual(run.startedAt?.getTime() ?? 0);
      }
    } finally {
      await queue.stop();
    }
  });

  it('runs a job again within its lease when the worker running it is killed, however long its bound', async () => {
    await createQueue('t.crash');
    // On the server the job may run an hour, but its lease is 2 s: a dead worker stops renewing
    // it. PGlite has no leases (one process): there the row expires at the bound, 2 s here.
    const bound = testDb.kind === 'postgres' ? 3600 : 2;
    const id = await fastQueue().enqueue(
      't.crash',
      { tenantId: tenantA },
      { expireInSeconds: bound, retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false },
    );
    if (!id) throw new Error('not enqueued');

    let how: string;
    if (testDb.kind === 'postgres' && testDb.adminUrl) {
      // A real worker process takes the job and is killed with SIGKILL mid-job.
      const url = new URL(testDb.adminUrl);
      url.username = APP_ROLE;
      url.password = process.env.CRM_APP_PASSWORD ?? '';
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./fixtures/killable-worker.ts', import.meta.url))],
        {
          cwd: fileURLToPath(new URL('../../..', import.meta.url)),
          env: { ...process.env, JOBS_DATABASE_URL: url.toString(), JOB_NAME: 't.crash' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += String(chunk);
      });
      child.stderr.on('data', (chunk) => {
        output += String(chunk);
      });
      await waitFor(
        () => output,
        (text) => text.includes(`started ${id}`),
        // A child process starting under tsx: seconds on a quiet machine, much longer on a busy one.
        120_000,
      );
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      how = 'worker process SIGKILL';
    } else {
      // PGlite is one process's database: a worker dies with the process. What the crash
      // leaves is a job that pg-boss's fetch marked active and nobody will finish: take it
      // with a separate pg-boss instance on the same database and abandon that instance.
      const dying = new PgBoss({
        db: createExecutor(testDb.database),
        schema: QUEUE_SCHEMA,
        migrate: false,
        supervise: false,
        schedule: false,
      });
      await dying.start();
      const [taken] = await dying.fetch('t.crash');
      expect(taken?.id).toBe(id);
      how = 'worker abandoned mid-job (simulated process death)';
    }
    const orphaned = await jobRow(id);
    expect(orphaned?.state).toBe('active');
    const orphanedAt = orphaned?.started_on?.getTime() ?? 0;

    const reruns: Job[] = [];
    const queue = fastQueue();
    queue.register('t.crash', async (job) => {
      reruns.push(job);
    });
    await queue.start();
    try {
      const run = await waitFor(
        async () => (await queue.listRecent({ name: 't.crash' }))[0],
        (item) => item?.state === 'completed',
      );
      const rerunAfter = ((run?.startedAt?.getTime() ?? 0) - orphanedAt) / 1000;
      console.log(
        `T5.6 crash (${testDb.kind}, ${how}): bound_s=${bound} lease_s=${testDb.kind === 'postgres' ? 2 : 'none'} ` +
          `rerun_after_s=${rerunAfter.toFixed(2)} attempt=${reruns[0]?.attempt} runs_after_crash=${reruns.length} ` +
          `jobs_lost=${run?.state === 'completed' ? 0 : 1}`,
      );
      expect(reruns).toHaveLength(1);
      expect(reruns[0]?.attempt).toBe(2);
      expect(reruns[0]?.expireInSeconds).toBe(bound);
      expect(rerunAfter).toBeGreaterThanOrEqual(2);
      // Within the lease and a maintenance round or two, never near the hour-long bound.
      expect(rerunAfter).toBeLessThan(120);
      expect(run).toMatchObject({ state: 'completed', attempts: 2, maxAttempts: 2 });
    } finally {
      await queue.stop();
    }
  }, 240_000);

  it.skipIf(!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL)(
    'a healthy job runs on past many leases: its heartbeat renews it',
    async () => {
      await createQueue('t.long');
      const attempts: number[] = [];
      const queue = fastQueue({ leaseSeconds: 1, maintenanceIntervalSeconds: 1 });
      queue.register(
        't.long',
        async (job) => {
          attempts.push(job.attempt);
          // Five leases long, with maintenance failing expired rows every second meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 5000));
        },
        { expireInSeconds: 60, retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false },
      );
      await queue.start();
      try {
        const id = await queue.enqueue('t.long', { tenantId: tenantA });
        if (!id) throw new Error('not enqueued');
        const expiries: number[] = [];
        const row = await waitFor(
          async () => {
            const current = await testDb.database.withoutTenant(async (db) => {
              const { rows } = await sql<{ state: string; expire_s: number }>`
                select state::text as state, extract(epoch from expire_in)::float8 as expire_s
                from pgboss.job where id = ${id}`.execute(db);
              return rows[0];
            });
            if (current?.state === 'active') expiries.push(current.expire_s);
            return current;
          },
          (current) =>
            current?.state === 'completed' || current?.state === 'failed' || current?.state === 'retry',
          60_000,
        );
        console.log(
          `job lease: lease_s=1 ran_s=5 state=${row?.state} attempts=${attempts.length} ` +
            `max_row_expiry_s=${Math.max(...expiries).toFixed(1)} (renewed, bound 60)`,
        );
        expect(row?.state).toBe('completed');
        expect(attempts).toEqual([1]);
        // The row's expiry grew with the run instead of sitting at the bound.
        expect(Math.max(...expiries)).toBeGreaterThan(2);
        expect(Math.max(...expiries)).toBeLessThan(60);
      } finally {
        await queue.stop();
      }
    },
    120_000,
  );

  it('stop() lets a running job finish; past its timeout it hands the job back for a retry', async () => {
    await createQueue('t.slow');
    const finished: number[] = [];
    const queue = fastQueue({ scheduler: false, stopTimeoutSeconds: 5 });
    queue.register('t.slow', async (job) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      finished.push(job.attempt);
    });
    await queue.start();
    const id = await queue.enqueue('t.slow', { tenantId: tenantA });
    if (!id) throw new Error('not enqueued');
    await waitFor(
      () => jobRow(id),
      (row) => row?.state === 'active',
    );
    await queue.stop();
    expect(finished).toEqual([1]);
    expect((await jobRow(id))?.state).toBe('completed');

    await createQueue('t.too-slow');
    const impatient = fastQueue({ scheduler: false, stopTimeoutSeconds: 1 });
    impatient.register('t.too-slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
    });
    await impatient.start();
    const slowId = await impatient.enqueue('t.too-slow', { tenantId: tenantA }, { retryDelaySeconds: 0 });
    if (!slowId) throw new Error('not enqueued');
    await waitFor(
      () => jobRow(slowId),
      (row) => row?.state === 'active',
    );
    await impatient.stop();
    const [handedBack] = await impatient.listRecent({ name: 't.too-slow' });
    console.log(
      `T5.6 graceful stop: finished_before_stop=${finished.length} state=completed; ` +
        `past timeout: state=${handedBack?.state} last_error="${handedBack?.lastError}"`,
    );
    expect(handedBack).toMatchObject({
      state: 'retry',
      attempts: 1,
      lastError: 'pg-boss shut down while active',
    });
  });

  it('dedupes by singleton key within its window and by job id', async () => {
    await createQueue('t.dedupe');
    const queue = fastQueue();
    const options = { singletonKey: `rederive:${tenantA}`, singletonSeconds: 3600 };
    const first = await queue.enqueue('t.dedupe', { tenantId: tenantA }, options);
    const second = await queue.enqueue('t.dedupe', { tenantId: tenantA }, options);
    const otherTenant = crypto.randomUUID();
    const third = await queue.enqueue(
      't.dedupe',
      { tenantId: otherTenant },
      { singletonKey: `rederive:${otherTenant}`, singletonSeconds: 3600 },
    );
    const importId = crypto.randomUUID();
    const byId = await queue.enqueue('t.dedupe', { tenantId: tenantA }, { id: importId });
    const byIdAgain = await queue.enqueue('t.dedupe', { tenantId: tenantA }, { id: importId });
    const runs = await queue.listRecent({ name: 't.dedupe' });
    console.log(
      `T5.6 dedupe: same_key_enqueued=2 created=${[first, second].filter(Boolean).length} ` +
        `same_id_enqueued=2 created=${[byId, byIdAgain].filter(Boolean).length} rows=${runs.length}`,
    );
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(third).toEqual(expect.any(String));
    expect(byId).toBe(importId);
    expect(byIdAgain).toBeNull();
    expect(runs).toHaveLength(3);
    await expect(queue.enqueue('t.dedupe', { tenantId: tenantA }, { singletonKey: 'k' })).rejects.toThrow(
      /singletonSeconds/,
    );
    await expect(queue.enqueue('t.dedupe', { tenantId: 'not-a-uuid' })).rejects.toThrow(/UUID/);
  });

  it('registers a daily cron schedule and fires it at its time', async () => {
    await createQueue('t.daily');
    const fired: Job[] = [];
    const queue = fastQueue();
    queue.register('t.daily', async (job) => {
      fired.push(job);
    });
    await queue.schedule('t.daily', '0 3 * * *', { scope: 'all-tenants' });
    const { rows } = await testDb.database.withoutTenant((db) =>
      sql<{
        cron: string;
        timezone: string;
      }>`select cron, timezone from pgboss.schedule where name = 't.daily'`.execute(db),
    );
    expect(rows).toEqual([{ cron: '0 3 * * *', timezone: 'UTC' }]);

    // The scheduler measures the clock against the database at start, then checks schedules
    // every second: move this process's clock to 03:00:05 UTC tomorrow after the start.
    await queue.start();
    const tomorrow = new Date();
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    tomorrow.setUTCHours(3, 0, 5, 0);
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: tomorrow });
    try {
      await waitFor(
        () => fired.length,
        (count) => count >= 1,
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      vi.useRealTimers();
      await queue.stop();
    }
    console.log(`T5.6 cron: schedule='0 3 * * *' tz=UTC fired=${fired.length} at=${tomorrow.toISOString()}`);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.data).toEqual({ scope: 'all-tenants' });
    expect(fired[0]?.tenantId).toBeNull();
  });

  it('runs handlers and its own SQL as crm_app, and hands them the payload exactly as enqueued', async () => {
    await createQueue('t.identity');
    const seen: { current_user: string; session_user: string }[] = [];
    const payloads: unknown[] = [];
    const payload = {
      tenantId: tenantA,
      note: '{"looks":"like json"}',
      nested: { list: [1, 'two', null] },
      text: '客户 ✓',
    };
    const queue = fastQueue({ scheduler: false });
    queue.register('t.identity', async (job) => {
      payloads.push(job.data);
      await testDb.database.withTenant(job.tenantId ?? '', async (trx) => {
        const { rows } = await sql<{
          current_user: string;
          session_user: string;
        }>`select current_user, session_user`.execute(trx);
        if (rows[0]) seen.push(rows[0]);
      });
    });
    await queue.start();
    try {
      await queue.enqueue('t.identity', payload);
      await waitFor(
        () => seen.length,
        (count) => count === 1,
      );
    } finally {
      await queue.stop();
    }
    console.log(
      `jobs identity on ${testDb.kind}: handler current_user=${seen[0]?.current_user} session_user=${seen[0]?.session_user}`,
    );
    expect(payloads).toEqual([payload]);
    expect(seen[0]?.current_user).toBe(APP_ROLE);
    if (testDb.kind === 'postgres') expect(seen[0]?.session_user).toBe(APP_ROLE);
  });
});

describe('idle workers', () => {
  it('share one look at which names have a job due instead of a fetch each, and still take a job within an interval', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `t.idle-${index}`);
    for (const name of names) await createQueue(name);
    // Every statement the queue runs outside a caller's transaction goes through withoutTenant.
    let statements = 0;
    const counted = Object.create(testDb.database) as typeof testDb.database;
    counted.withoutTenant = (work) => {
      statements += 1;
      return testDb.database.withoutTenant(work);
    };
    const ran: string[] = [];
    const queue = fastQueue({ database: counted, scheduler: false });
    for (const name of names) queue.register(name, async (job) => void ran.push(job.name));
    await queue.start();
    try {
      // Let the start's first round pass, then count two seconds of idling (four polling intervals).
      await new Promise((resolve) => setTimeout(resolve, 700));
      const before = statements;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const idle = statements - before;
      console.log(`idle workers on ${testDb.kind}: ${names.length} names, ${idle} statements in 2 s`);
      // A fetch per worker per interval would be 12 × 4 = 48.
      expect(idle).toBeLessThanOrEqual(10);
      const enqueuedAt = Date.now();
      await queue.enqueue('t.idle-7', { tenantId: tenantA });
      await waitFor(
        () => ran.length,
        (count) => count === 1,
        5000,
      );
      expect(ran).toEqual(['t.idle-7']);
      expect(Date.now() - enqueuedAt).toBeLessThan(2000);
    } finally {
      await queue.stop();
    }
  });
});
