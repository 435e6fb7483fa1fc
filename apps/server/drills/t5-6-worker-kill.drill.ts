import { describe, expect, it } from 'vitest';
import { PUBLIC_URL, type SeededTenant, seedTenant, signedInClient, type TrpcClient } from '../test/helpers';
import { POSTGRES_BIN } from './cluster';
import { kill, stop, useWorkerDrill, waitFor } from './worker-drill';

/**
 * A worker killed mid-import: the web side (this test's app, whose job workers are off)
 * starts a commit import of ROWS customers; a `ROLE=worker` process takes its job and is
 * killed with SIGKILL while the import's transaction runs. The job stays `active` until its
 * lease lapses (20 s, where the import's bound is 2 h), maintenance fails it, and a second
 * worker process runs it again: the run is
 * committed once, with every row exactly once and the same table checksum as an undisturbed
 * run of the same file by another tenant.
 */
const ROWS = Number(process.env.DRILL_ROWS ?? 20_000);

const drill = useWorkerDrill();

function customersFile(): string {
  const lines = ['客户名称,客户编号,手机'];
  for (let index = 1; index <= ROWS; index += 1) {
    const phone = `139${String(index).padStart(8, '0')}`;
    lines.push(`演练导入${index}有限公司,D-${String(index).padStart(6, '0')},${phone}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Uploads the file and starts a commit import of it; the job is enqueued for the workers. */
async function startImport(client: TrpcClient, file: string): Promise<string> {
  const uploaded = await drill.server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent('演练客户.csv'),
        cookie: client.cookie ?? '',
        origin: PUBLIC_URL,
      },
      body: new TextEncoder().encode(file),
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  expect(uploaded.status).toBe(201);
  const { fileId } = (await uploaded.json()) as { fileId: string };
  const started = await client.call('imports.start', {
    fileId,
    entity: 'customers',
    mapping: { 客户名称: 'name', 客户编号: 'customer_number', 手机: 'phone' },
    onMatch: 'skip',
    dryRun: false,
  });
  expect(started.error).toBeNull();
  return started.data.runId as string;
}

type RunRow = { status: string; created_count: string; attempts: number; job_state: string | null };

async function runState(tenant: SeededTenant, runId: string): Promise<RunRow> {
  const [row] = await drill.admin<RunRow[]>`
    select r.status, r.created_count::text,
      coalesce((select max(j.retry_count) + 1 from pgboss.job j where j.name = 'imports.run' and j.data->>'runId' = ${runId}), 0)::int as attempts,
      (select j.state::text from pgboss.job j where j.name = 'imports.run' and j.data->>'runId' = ${runId} order by j.created_on desc limit 1) as job_state
    from import_runs r where r.tenant_id = ${tenant.tenantId} and r.id = ${runId}`;
  if (!row) throw new Error(`no run ${runId}`);
  return row;
}

/** The tenant's customers as the import wrote them: count, distinct numbers, and one md5 over the rows. */
async function customerChecksum(tenant: SeededTenant) {
  const [row] = await drill.admin<{ rows: number; distinct_numbers: number; checksum: string }[]>`
    select count(*)::int as rows, count(distinct customer_number)::int as distinct_numbers,
      md5(coalesce(string_agg(concat_ws('|', name, customer_number, phone), E'\\n' order by customer_number), '')) as checksum
    from customers where tenant_id = ${tenant.tenantId} and customer_number like 'D-%'`;
  return row as { rows: number; distinct_numbers: number; checksum: string };
}

describe.skipIf(!POSTGRES_BIN)('a worker killed mid-import', () => {
  it('the import is run again by another worker: committed once, every row once, the same checksum', {
    timeout: 1_500_000,
  }, async () => {
    const file = customersFile();
    const disturbed = await seedTenant(drill.server.database, '演练导入甲有限公司');
    const undisturbed = await seedTenant(drill.server.database, '演练导入乙有限公司');
    const disturbedClient = await signedInClient(drill.server, disturbed.users.owner.id, disturbed.tenantId);
    const undisturbedClient = await signedInClient(
      drill.server,
      undisturbed.users.owner.id,
      undisturbed.tenantId,
    );

    // The first worker takes the import and is killed while its transaction runs.
    const runId = await startImport(disturbedClient, file);
    const first = await drill.startWorker();
    const started = Date.now();
    await waitFor(
      'the import to run in the first worker',
      async () => {
        const [row] = await drill.admin<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where application_name = ${`crm-import:${runId}`} and state <> 'idle'`;
        return row && row.n > 0 ? true : undefined;
      },
      300_000,
    );
    // Some way into it: rows read, not yet committed.
    const rowsReadAtKill = await waitFor(
      'the import to read some rows',
      async () => {
        const [row] = await drill.admin<{ rows_read: string; status: string }[]>`
          select rows_read::text, status from import_runs where id = ${runId}`;
        if (row?.status === 'committed')
          throw new Error(`the import finished before the kill (raise DRILL_ROWS)`);
        return Number(row?.rows_read ?? 0) > 0 ? Number(row?.rows_read) : undefined;
      },
      300_000,
    );
    const killedAfter = (Date.now() - started) / 1000;
    const beforeKill = await runState(disturbed, runId);
    await kill(first);
    const afterKill = await customerChecksum(disturbed);
    const jobAfterKill = await runState(disturbed, runId);

    // Its job stays active until its lease (20 s) lapses, however long the import's bound (2 h):
    // a second worker's maintenance then fails it, and it runs again.
    const rerunFrom = Date.now();
    const second = await drill.startWorker();
    const finished = await waitFor(
      'the second worker to finish the import',
      async () => {
        const state = await runState(disturbed, runId);
        return ['committed', 'failed', 'cancelled'].includes(state.status) ? state : undefined;
      },
      600_000,
    );
    const recoverySeconds = (Date.now() - rerunFrom) / 1000;

    // The same file, undisturbed, for the other tenant: the result to compare with.
    const otherRunId = await startImport(undisturbedClient, file);
    const reference = await waitFor(
      'the undisturbed import',
      async () => {
        const state = await runState(undisturbed, otherRunId);
        return ['committed', 'failed', 'cancelled'].includes(state.status) ? state : undefined;
      },
      600_000,
    );
    const disturbedSum = await customerChecksum(disturbed);
    const referenceSum = await customerChecksum(undisturbed);
    await stop(second);

    console.log(
      `T5.6 worker killed mid-import rows=${ROWS} killed_after_s=${killedAfter.toFixed(1)} rows_read_at_kill=${rowsReadAtKill} ` +
        `status_at_kill=${beforeKill.status} rows_written_at_kill=${afterKill.rows} job_after_kill=${jobAfterKill.job_state} ` +
        `status=${finished.status} attempts=${finished.attempts} created=${finished.created_count} ` +
        `stored=${disturbedSum.rows} distinct=${disturbedSum.distinct_numbers} lost=${ROWS - disturbedSum.distinct_numbers} ` +
        `duplicates=${disturbedSum.rows - disturbedSum.distinct_numbers} checksum_equal=${disturbedSum.checksum === referenceSum.checksum} ` +
        `kill_to_committed_s=${recoverySeconds.toFixed(1)} (lease 20 s + maintenance ≤ 20 s + retry delay 10 s + the run)`,
    );
    expect(afterKill.rows).toBe(0);
    expect(jobAfterKill.job_state).toBe('active');
    expect(finished.status).toBe('committed');
    expect(finished.attempts).toBe(2);
    expect(Number(finished.created_count)).toBe(ROWS);
    expect(reference.status).toBe('committed');
    expect(disturbedSum.rows).toBe(ROWS);
    expect(disturbedSum.distinct_numbers).toBe(ROWS);
    expect(disturbedSum.checksum).toBe(referenceSum.checksum);
    // The bound is 2 h; the lease hands the job on in under a minute (plus the run itself).
    expect(recoverySeconds).toBeLessThan(300);
  });
});
