import {
  type CrmDatabase,
  currentRequestId,
  type Database,
  runWithRequestId,
  type Transaction,
} from '@crm/db';
import PgBoss from 'pg-boss';
import { createExecutor, transactionExecutor } from './executor';

/** The schema the owner installs the queue in (migration 2026-11-22-0003-job-queue). */
export const QUEUE_SCHEMA = 'pgboss';

/** pg-boss's job states. `retry`: failed, waiting for its next attempt; `failed`: out of attempts. */
export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** A job's payload: JSON. A job about a tenant carries its `tenantId` (SECURITY.md R1.10). */
export type JobData = { tenantId?: string } & Record<string, unknown>;

/** Job names and their payloads, e.g. `{ 'lifecycle.rederive-tenant': { tenantId: string } }`. */
export type JobMap = Record<string, JobData>;

/** Structured log sink (pino in the server), the same shape as @crm/api's. */
export type Logger = {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
};

/** What a handler gets. Handlers must be idempotent: a job can run again after a crash or a timeout. */
export type Job<T extends JobData = JobData> = {
  id: string;
  name: string;
  data: T;
  /** `data.tenantId`, or null for a job that concerns no single tenant. */
  tenantId: string | null;
  /** The id of the request that enqueued it (`x-request-id`), or null (a schedule, the system). */
  requestId: string | null;
  /** 1 on the first run, 2 on the first retry, … up to `maxAttempts`. */
  attempt: number;
  maxAttempts: number;
  /** After this long the run counts as failed (the handler is abandoned; a crashed worker's job is retried). */
  expireInSeconds: number;
  createdAt: Date;
  /** Aborted when the attempt passes `expireInSeconds`: the worker has moved on, stop and let go of resources. */
  signal: AbortSignal;
};

export type JobHandler<T extends JobData = JobData> = (job: Job<T>) => Promise<void>;

export type RetryPolicy = {
  /** Retries after the first attempt: attempts = retryLimit + 1. */
  retryLimit?: number;
  /** Delay before a retry. With backoff, the base of an exponential delay with jitter. */
  retryDelaySeconds?: number;
  /** Delay before retry n (n = 1, 2, …) is uniformly random in [d·2ⁿ⁻¹, d·2ⁿ] seconds (d ≥ 1). */
  retryBackoff?: boolean;
  /** How long one attempt may run (at most 24 h). */
  expireInSeconds?: number;
};

export type RegisterOptions = RetryPolicy & {
  /** Jobs of this name that run at the same time in this process. */
  concurrency?: number;
};

/** The policy a handler gets unless it says otherwise: 5 attempts over ~15 minutes, 15 minutes each. */
export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  retryLimit: 4,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

export type EnqueueOptions = RetryPolicy & {
  /** Enqueue inside this transaction: the job exists only if it commits. */
  trx?: Transaction<Database>;
  /**
   * Dedupe: at most one job of this name and key per `singletonSeconds` window (whatever its
   * state, except cancelled). A second enqueue in the window returns null.
   */
  singletonKey?: string;
  singletonSeconds?: number;
  /**
   * Debounce, for a queue created with the `stately` policy: at most one job of this name and
   * key waits (and one runs); an enqueue while one waits returns null, its work joins the
   * waiting job. Pair it with `startAfter` to gather a burst into one run.
   */
  debounceKey?: string;
  /** Idempotent enqueue: a second job with the same id (a UUID) is not created. */
  id?: string;
  /** Run no earlier than this (a Date, or seconds from now). */
  startAfter?: Date | number;
  priority?: number;
};

export type ScheduleOptions = {
  /** The IANA time zone the cron expression is read in. Default UTC. */
  tz?: string;
};

/** One job as the admin page shows it. */
export type JobRun = {
  id: string;
  name: string;
  state: JobState;
  tenantId: string | null;
  /** Runs started so far (0 while it waits for its first). */
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  /** When the latest attempt started. */
  startedAt: Date | null;
  /** When it completed, failed for good or was cancelled. */
  finishedAt: Date | null;
  /** When the next attempt may start (for `created` and `retry`). */
  runAfter: Date;
  /** The latest failure's message, unless the job has since completed. */
  lastError: string | null;
  singletonKey: string | null;
  /** True once maintenance has moved it out of the live table (after 12 h finished). */
  archived: boolean;
  /** Running past its bound (`expireInSeconds`): a stuck handler, shown on the jobs page and by /healthz. */
  overdue: boolean;
};

/** Jobs running past their bound, by name, over all tenants. */
export type OverdueJobs = { name: string; count: number; oldestStartedAt: Date }[];

export type ListRecentOptions = {
  limit?: number;
  state?: JobState;
  name?: string;
  tenantId?: string;
  /** Read inside this transaction — required from a request's own transaction on PGlite, whose one session it holds. */
  trx?: Transaction<Database>;
};

export type JobQueueOptions = {
  database: CrmDatabase;
  logger: Logger;
  /** How often each idle worker looks for a job. Default 2 s (at least 0.5). */
  pollingIntervalSeconds?: number;
  /** How often expired attempts (lapsed leases) are failed/retried and old jobs archived. Default 20 s. */
  maintenanceIntervalSeconds?: number;
  /** How often cron schedules are checked (1–45 s). Default 30 s. */
  cronIntervalSeconds?: number;
  /** Run maintenance and the cron scheduler in this process. Default true. */
  scheduler?: boolean;
  /**
   * Take jobs in this process. Default true; false for a web process that only enqueues
   * (`ROLE=web`): its jobs are run by the worker processes.
   */
  workers?: boolean;
  /** How long `stop()` waits for running jobs before failing them (they are retried). Default 30 s. */
  stopTimeoutSeconds?: number;
  /**
   * On the PostgreSQL server, a running job holds a lease of this many seconds, renewed every
   * third of it while its handler runs: a worker that dies mid-job lets go of it within the
   * lease (+ one maintenance interval), however long the job's bound. Default 20; 0 turns
   * leases off (the job's row then expires at its bound, as on PGlite).
   */
  leaseSeconds?: number;
};

export type JobQueue<TJobs extends JobMap = JobMap> = {
  /** Adds the handler for a job name. Call before `start()`; the queue must exist (a migration creates it). */
  register<N extends keyof TJobs & string>(
    name: N,
    handler: JobHandler<TJobs[N]>,
    options?: RegisterOptions,
  ): void;
  /** Creates or replaces the one cron schedule of a job name (`'0 3 * * *'`: daily at 03:00). */
  schedule<N extends keyof TJobs & string>(
    name: N,
    cron: string,
    data?: TJobs[N],
    options?: ScheduleOptions,
  ): Promise<void>;
  unschedule(name: keyof TJobs & string): Promise<void>;
  /** The job's id, or null when `singletonKey` or `id` deduped it. */
  enqueue<N extends keyof TJobs & string>(
    name: N,
    data: TJobs[N],
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /** Applies registered retry policies, then starts workers, maintenance and the cron scheduler. */
  start(): Promise<void>;
  /** Stops taking jobs, waits for running ones (up to `stopTimeoutSeconds`), fails the rest for a retry. */
  stop(): Promise<void>;
  /** The newest jobs first, live and archived. */
  listRecent(options?: ListRecentOptions): Promise<JobRun[]>;
  /** Jobs still active after their expiry, over all tenants (for the health check). */
  listOverdue(): Promise<OverdueJobs>;
};

/** Raised in a job whose attempt ran past its expiry; the attempt counts as failed (and is retried if it may). */
export class JobExpiredError extends Error {
  constructor(name: string, seconds: number) {
    super(`Job ${name} ran past its limit of ${seconds} s and was abandoned`);
    this.name = 'JobExpiredError';
  }
}

/** Raised in a job whose lease lapsed while it ran: it was failed for a retry, this run stops. */
export class JobLeaseLostError extends Error {
  constructor(name: string) {
    super(`Job ${name} lost its lease (not renewed in time) and was handed to another attempt`);
    this.name = 'JobLeaseLostError';
  }
}

const NAME = /^[a-z][a-z0-9_.-]{0,99}$/;
/** The key of a job's data under which the enqueuing request's id travels (taken out before the handler sees the data). */
const REQUEST_ID_KEY = '_requestId';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Registration = { handler: JobHandler<JobData>; options: RegisterOptions };
type ActiveJob = { name: string; id: string; controller: AbortController; done: Promise<void> };

/** The key of a job's data under which its bound travels when leases are on. */
const BOUND_KEY = '_boundSeconds';

/** How long idle workers woken together reuse one look at which names have a job due (namesDue). */
const SHARED_LOOK_MS = 250;

/** A running job's lease on the PostgreSQL server: renewed every third of it while the handler runs. */
export const DEFAULT_LEASE_SECONDS = 20;

/**
 * The product's job queue: pg-boss 10 on the same database, through the app's own Kysely
 * connection as the runtime role. See docs/jobs.md.
 */
export function createJobQueue<TJobs extends JobMap = JobMap>(options: JobQueueOptions): JobQueue<TJobs> {
  const { database, logger } = options;
  const executor = createExecutor(database);
  const scheduler = options.scheduler ?? true;
  const boss = new PgBoss({
    db: executor,
    schema: QUEUE_SCHEMA,
    migrate: false,
    supervise: scheduler,
    schedule: scheduler,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 20,
    cronMonitorIntervalSeconds: options.cronIntervalSeconds ?? 30,
    cronWorkerIntervalSeconds: Math.min(options.cronIntervalSeconds ?? 5, 5),
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
  });
  boss.on('error', (error: Error & { queue?: string }) =>
    logger.error({ err: error.message, queue: error.queue }, 'job queue error'),
  );

  const registrations = new Map<string, Registration>();
  let state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  let running = 0;
  // Leases need a second connection to renew them while a handler's transaction runs: on
  // PGlite's one session the renewal would wait behind it, and the process is the worker anyway.
  const leaseSeconds = Math.max(1, options.leaseSeconds ?? DEFAULT_LEASE_SECONDS);
  const leases = database.kind === 'postgres' && options.leaseSeconds !== 0;
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  const activeJobs = new Set<ActiveJob>();
  /** Jobs `stop()` failed after its timeout: their handlers' late results are not recorded. */
  const handedBack = new Set<string>();

  function assertName(name: string) {
    if (!NAME.test(name)) throw new Error(`Invalid job name "${name}" (lower case, digits, . _ -)`);
  }

  function assertData(data: unknown): asserts data is JobData {
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      throw new Error('A job’s data must be an object');
    const tenantId = (data as JobData).tenantId;
    if (tenantId !== undefined && (typeof tenantId !== 'string' || !UUID.test(tenantId)))
      throw new Error('A job’s tenantId must be a UUID');
  }

  async function applyPolicy(name: string, options: RegisterOptions) {
    const policy = { ...DEFAULT_RETRY_POLICY, ...definedOnly(options) };
    const { rows } = await executor.executeSql(
      `update ${QUEUE_SCHEMA}.queue set retry_limit = $2, retry_delay = $3, retry_backoff = $4,
         expire_seconds = $5, updated_on = now()
       where name = $1 returning name`,
      [
        name,
        policy.retryLimit,
        policy.retryDelaySeconds,
        policy.retryBackoff,
        // With leases a job's row expires with its lease; its bound is the handler's (or its own).
        leases ? leaseSeconds : policy.expireInSeconds,
      ],
    );
    if (rows.length === 0)
      throw new Error(
        `No queue "${name}": a migration creates it (select pgboss.create_queue('${name}', '{"policy":"standard"}')), see docs/jobs.md`,
      );
  }

  /**
   * Renews a running attempt's lease: it expires `leaseSeconds` from now unless renewed again.
   * False when the attempt is no longer this worker's (its lease lapsed and it was failed).
   */
  async function renewLease(name: string, id: string, retryCount: number): Promise<boolean> {
    const { rows } = await executor.executeSql(
      `update ${QUEUE_SCHEMA}.job set expire_in = (now() - started_on) + $3 * interval '1 second'
       where name = $1 and id = $2 and state = 'active' and retry_count = $4 returning id`,
      [name, id, leaseSeconds, retryCount],
    );
    return rows.length > 0;
  }

  /** One job, start to end: the handler under its bound, the lease renewed while it runs. */
  async function runJob(name: string, registration: Registration, raw: PgBoss.JobWithMetadata<JobData>) {
    const controller = new AbortController();
    const { [REQUEST_ID_KEY]: carried, [BOUND_KEY]: carriedBound, ...data } = (raw.data ?? {}) as JobData;
    const requestId = typeof carried === 'string' ? carried : null;
    // With leases the row's expiry is the lease; the bound travels in the data or is the handler's.
    const bound = leases
      ? Number(carriedBound) > 0
        ? Number(carriedBound)
        : (registration.options.expireInSeconds ?? DEFAULT_RETRY_POLICY.expireInSeconds)
      : Number(raw.expireInSeconds);
    const job: Job = {
      id: raw.id,
      name: raw.name,
      data: data as JobData,
      tenantId: typeof data.tenantId === 'string' ? data.tenantId : null,
      requestId,
      attempt: Number(raw.retryCount) + 1,
      maxAttempts: Number(raw.retryLimit) + 1,
      expireInSeconds: bound,
      createdAt: raw.createdOn,
      signal: controller.signal,
    };
    const fields = { job: job.id, name, tenantId: job.tenantId, attempt: job.attempt, requestId };
    const entry: ActiveJob = { name, id: job.id, controller, done: Promise.resolve() };
    // A handler that does not return within its bound is abandoned, so a stuck job cannot
    // hold a worker for ever: the attempt fails (retried if it may) and the handler is told
    // through its signal.
    let timer: NodeJS.Timeout | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    let leaseLost: (error: Error) => void = () => {};
    const expired = new Promise<never>((_, reject) => {
      leaseLost = reject;
      timer = setTimeout(() => {
        const error = new JobExpiredError(name, bound);
        controller.abort(error);
        reject(error);
      }, bound * 1000);
      timer.unref();
    });
    if (leases) {
      heartbeat = setInterval(
        () => {
          renewLease(name, job.id, job.attempt - 1).then(
            (held) => {
              if (held || controller.signal.aborted) return;
              // The lease lapsed (renewals could not reach the database in time) and the attempt
              // was failed for a retry: this run stops rather than race the next one.
              const error = new JobLeaseLostError(name);
              handedBack.add(job.id);
              controller.abort(error);
              leaseLost(error);
            },
            (error: unknown) =>
              logger.warn(
                { ...fields, err: error instanceof Error ? error.message : String(error) },
                'job lease not renewed',
              ),
          );
        },
        Math.max(250, (leaseSeconds * 1000) / 3),
      );
      heartbeat.unref();
    }
    const settle = async () => {
      try {
        // The run's transactions (audit rows) and the jobs it enqueues carry the request's id.
        const handled = requestId
          ? runWithRequestId(requestId, () => registration.handler(job))
          : registration.handler(job);
        await Promise.race([handled, expired]);
        clearInterval(heartbeat);
        if (!handedBack.has(job.id)) await boss.complete(name, job.id);
        logger.info(fields, 'job completed');
      } catch (error) {
        clearInterval(heartbeat);
        const final = job.attempt >= job.maxAttempts;
        logger[final ? 'error' : 'warn'](
          { ...fields, err: error instanceof Error ? error.message : String(error) },
          final ? 'job failed, no attempts left' : 'job failed, will retry',
        );
        if (!handedBack.has(job.id))
          await boss.fail(name, job.id, error instanceof Error ? error : { value: String(error) });
      } finally {
        clearTimeout(timer);
        clearInterval(heartbeat);
        handedBack.delete(job.id);
      }
    };
    entry.done = settle();
    activeJobs.add(entry);
    try {
      await entry.done;
    } finally {
      activeJobs.delete(entry);
    }
  }

  /**
   * The names that have a job waiting to start now: one statement that the idle workers woken
   * together share (a look younger than SHARED_LOOK_MS is reused), instead of a fetch — a
   * transaction that locks and updates — per worker. With ~45 workers polling every 2 s, that
   * was ~23 transactions a second while nothing was due; on PGlite each runs in the server's
   * own thread, and a page's requests waited behind them. Null when the look failed: then
   * every worker fetches, as without it.
   */
  let look: { at: number; names: Promise<ReadonlySet<string> | null> } | undefined;
  function namesDue(): Promise<ReadonlySet<string> | null> {
    if (look && Date.now() - look.at < SHARED_LOOK_MS) return look.names;
    const names = executor
      .executeSql(
        `select distinct name from ${QUEUE_SCHEMA}.job where state < 'active' and start_after < now()`,
      )
      .then(
        ({ rows }) => new Set(rows.map((row) => String(row.name))),
        () => null,
      );
    look = { at: Date.now(), names };
    return names;
  }

  /** One worker: takes a job of `name` when there is one, runs it, looks again. */
  async function workerLoop(name: string, registration: Registration) {
    const interval = Math.max(0.5, options.pollingIntervalSeconds ?? 2) * 1000;
    // Right after a job, the next one of the name is likely waiting: fetch without looking.
    let justRan = false;
    while (!stopping.signal.aborted) {
      let raw: PgBoss.JobWithMetadata<JobData> | undefined;
      try {
        const due = justRan ? null : await namesDue();
        if (!due || due.has(name))
          [raw] = await boss.fetch<JobData>(name, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? error.message : String(error), queue: name },
          'job queue error',
        );
      }
      justRan = Boolean(raw);
      if (raw) {
        running += 1;
        try {
          await runJob(name, registration, raw);
        } catch (error) {
          logger.error(
            { err: error instanceof Error ? error.message : String(error), queue: name },
            'job queue error',
          );
        } finally {
          running -= 1;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(wait);
          resolve();
        };
        const wait = setTimeout(() => {
          stopping.signal.removeEventListener('abort', wake);
          resolve();
        }, interval);
        stopping.signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  function work(name: string, registration: Registration) {
    const concurrency = Math.max(1, registration.options.concurrency ?? 1);
    for (let worker = 0; worker < concurrency; worker += 1) loops.push(workerLoop(name, registration));
  }

  return {
    register(name, handler, registerOptions = {}) {
      assertName(name);
      if (state !== 'new') throw new Error('Register job handlers before start()');
      if (registrations.has(name)) throw new Error(`A handler for "${name}" is already registered`);
      registrations.set(name, { handler: handler as JobHandler<JobData>, options: registerOptions });
    },

    async schedule(name, cron, data, scheduleOptions = {}) {
      assertName(name);
      if (data !== undefined) assertData(data);
      await boss.schedule(name, cron, data ?? {}, { tz: scheduleOptions.tz ?? 'UTC' });
    },

    async unschedule(name) {
      await boss.unschedule(name);
    },

    async enqueue(name, data, enqueueOptions = {}) {
      assertName(name);
      assertData(data);
      const { trx, retryDelaySeconds, startAfter, debounceKey, expireInSeconds, ...rest } = enqueueOptions;
      if (rest.id !== undefined && !UUID.test(rest.id)) throw new Error('A job id must be a UUID');
      if (rest.singletonKey !== undefined && rest.singletonSeconds === undefined)
        throw new Error('singletonKey needs singletonSeconds (the window in which it dedupes)');
      if (debounceKey !== undefined && rest.singletonKey !== undefined)
        throw new Error('debounceKey and singletonKey exclude each other');
      const sendOptions: PgBoss.SendOptions = definedOnly({
        ...rest,
        ...(debounceKey !== undefined && { singletonKey: debounceKey }),
        retryDelay: retryDelaySeconds,
        expireInSeconds: leases ? leaseSeconds : expireInSeconds,
        startAfter: typeof startAfter === 'number' ? Math.max(0, Math.ceil(startAfter)) : startAfter,
        db: trx ? transactionExecutor(trx) : undefined,
      });
      // A job enqueued while serving a request carries that request's id (REQUEST_ID_KEY).
      const requestId = currentRequestId();
      let sent: JobData =
        requestId && data[REQUEST_ID_KEY] === undefined ? { ...data, [REQUEST_ID_KEY]: requestId } : data;
      // With leases the job's own bound, if it has one, travels in its data (BOUND_KEY).
      if (leases && expireInSeconds !== undefined) sent = { ...sent, [BOUND_KEY]: expireInSeconds };
      return boss.send(name, sent, sendOptions);
    },

    async start() {
      if (state !== 'new') throw new Error(`The job queue cannot start when ${state}`);
      state = 'starting';
      try {
        for (const [name, registration] of registrations) await applyPolicy(name, registration.options);
        await boss.start();
        if (options.workers ?? true) {
          for (const [name, registration] of registrations) work(name, registration);
        }
        state = 'started';
        logger.info(
          { jobs: [...registrations.keys()], scheduler, workers: options.workers ?? true },
          'job queue started',
        );
      } catch (error) {
        state = 'new';
        await boss.stop({ graceful: false }).catch(() => {});
        throw error;
      }
    },

    async stop() {
      if (state !== 'started') return;
      state = 'stopping';
      const timeoutMs = (options.stopTimeoutSeconds ?? 30) * 1000;
      const started = Date.now();
      // Stop taking jobs; let running ones finish within the timeout.
      stopping.abort();
      const finished = Promise.all(loops).then(() => true);
      const timedOut = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
      if (!(await Promise.race([finished, timedOut]))) {
        // Past the timeout: hand the jobs still running back for a retry and tell their handlers.
        for (const entry of activeJobs) {
          handedBack.add(entry.id);
          entry.controller.abort(new Error('The job queue stopped'));
          await boss
            .fail(entry.name, entry.id, { value: 'pg-boss shut down while active' })
            .catch((error: unknown) =>
              logger.error(
                { err: error instanceof Error ? error.message : String(error), job: entry.id },
                'job queue error',
              ),
            );
        }
      }
      await boss.stop({ graceful: true, close: false, timeout: 1000 });
      // Statements on their way when the workers stopped: wait for them to settle.
      while (executor.pending() > 0 && Date.now() - started < timeoutMs + 5000) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      state = 'stopped';
      logger.info({ running, pending: executor.pending() }, 'job queue stopped');
    },

    async listRecent(listOptions = {}) {
      const limit = Math.min(Math.max(1, Math.trunc(listOptions.limit ?? 50)), 500);
      const columns = `id, name, state::text as state, data->>'tenantId' as tenant_id, retry_count, retry_limit,
        created_on, started_on, completed_on, start_after, output, singleton_key,
        (state = 'active' and started_on + expire_in < now()) as overdue`;
      const filter = `name not like '\\_\\_pgboss\\_\\_%'
        and ($2::text is null or state::text = $2) and ($3::text is null or name = $3)
        and ($4::text is null or data->>'tenantId' = $4)`;
      const runner = listOptions.trx ? transactionExecutor(listOptions.trx) : executor;
      const { rows } = await runner.executeSql(
        `select * from (
           (select ${columns}, false as archived from ${QUEUE_SCHEMA}.job where ${filter}
             order by created_on desc limit $1)
           union all
           (select ${columns}, true as archived from ${QUEUE_SCHEMA}.archive where ${filter}
             order by created_on desc limit $1)
         ) runs order by created_on desc, id limit $1`,
        [limit, listOptions.state ?? null, listOptions.name ?? null, listOptions.tenantId ?? null],
      );
      return rows.map(toJobRun);
    },

    async listOverdue() {
      const { rows } = await executor.executeSql(
        `select name, count(*)::int as count, min(started_on) as oldest from ${QUEUE_SCHEMA}.job
         where state = 'active' and started_on + expire_in < now() group by name order by name`,
        [],
      );
      return rows.map((row) => ({
        name: String(row.name),
        count: Number(row.count),
        oldestStartedAt: toDate(row.oldest) as Date,
      }));
    },
  };
}

function toJobRun(row: Record<string, unknown>): JobRun {
  const state = row.state as JobState;
  const startedAt = toDate(row.started_on);
  return {
    id: String(row.id),
    name: String(row.name),
    state,
    tenantId: (row.tenant_id as string | null) ?? null,
    attempts: startedAt ? Number(row.retry_count) + 1 : 0,
    maxAttempts: Number(row.retry_limit) + 1,
    createdAt: toDate(row.created_on) as Date,
    startedAt,
    finishedAt: toDate(row.completed_on),
    runAfter: toDate(row.start_after) as Date,
    lastError: state === 'completed' ? null : errorMessage(row.output),
    singletonKey: (row.singleton_key as string | null) ?? null,
    archived: row.archived === true,
    overdue: row.overdue === true,
  };
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

/** pg-boss stores a failure as the serialised error, a timeout as `{ value: { message } }`. */
function errorMessage(output: unknown): string | null {
  const parsed = typeof output === 'string' ? safeParse(output) : output;
  if (!parsed || typeof parsed !== 'object') return null;
  const record = parsed as { message?: unknown; value?: unknown };
  if (typeof record.message === 'string') return record.message;
  if (typeof record.value === 'string') return record.value;
  if (record.value && typeof record.value === 'object') {
    const inner = (record.value as { message?: unknown }).message;
    if (typeof inner === 'string') return inner;
  }
  return null;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function definedOnly<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
