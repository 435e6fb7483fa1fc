import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seedTenant, signedInClient, type TrpcClient } from '../test/helpers';
import { POSTGRES_BIN } from './cluster';
import { jobAttempts, jobEnded, kill, stop, useWorkerDrill, waitFor } from './worker-drill';

/**
 * A worker killed mid-export: a tenant of CUSTOMERS customers (long names, so the CSV is a
 * few of its 1 MB chunks); its owner asks for an export, a `ROLE=worker` process builds it
 * and is killed with SIGKILL after two chunks are stored, while it stores the third (the
 * drill holds that chunk's key in an open transaction, so the kill lands there every time).
 * While the run is unfinished its file is refused (409); its lease lapses, maintenance fails
 * the attempt and a second worker builds the file again from the start. The downloaded file
 * has the same bytes as an undisturbed export of the same list.
 */
const CUSTOMERS = Number(process.env.DRILL_CUSTOMERS ?? 20_000);
const EXPORT = {
  entity: 'customers',
  format: 'csv',
  sort: { sort: 'name', direction: 'asc' },
} as const;

const drill = useWorkerDrill();

async function download(client: TrpcClient, runId: string) {
  const response = await drill.server.app.request(
    `http://localhost:3000/api/exports/${runId}/file`,
    { headers: { cookie: client.cookie ?? '' } },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array();
  return { status: response.status, bytes, md5: createHash('md5').update(bytes).digest('hex') };
}

async function runState(tenantId: string, runId: string) {
  const [row] = await drill.admin<
    { status: string; rows_done: number; file_size: string | null; chunks: number }[]
  >`
    select r.status, r.rows_done, r.file_size::text,
      (select count(*)::int from export_file_chunks c where c.tenant_id = r.tenant_id and c.run_id = r.id) as chunks
    from export_runs r where r.tenant_id = ${tenantId} and r.id = ${runId}`;
  if (!row) throw new Error(`no export ${runId}`);
  return row;
}

async function finished(tenantId: string, runId: string) {
  const job = await jobEnded(drill.admin, 'the export to finish', 'exports.run', 'runId', runId);
  return { job, run: await runState(tenantId, runId) };
}

describe.skipIf(!POSTGRES_BIN)('a worker killed mid-export', () => {
  it('the export is built again from the start: the same file bytes as an undisturbed export, never a partial file', {
    timeout: 900_000,
  }, async () => {
    const tenant = await seedTenant(drill.server.database, '导出演练有限公司');
    await drill.admin`
      insert into customers (tenant_id, name, kind, phone)
      select ${tenant.tenantId}, '导出演练客户' || lpad(n::text, 6, '0') || repeat('长', 50), 'company',
        '139' || lpad(n::text, 8, '0')
      from generate_series(1, ${CUSTOMERS}) n`;
    const owner = await signedInClient(drill.server, tenant.users.owner.id, tenant.tenantId);

    const created = await owner.call('exports.create', EXPORT);
    expect(created.error).toBeNull();
    const runId = created.data.id as string;

    // Hold the third chunk's key: the worker stores chunks 0 and 1, then waits on chunk 2.
    const holder = await drill.admin.reserve();
    await holder`begin`;
    await holder`insert into export_file_chunks (tenant_id, run_id, seq, bytes)
      values (${tenant.tenantId}, ${runId}, 2, '\\x00'::bytea)`;
    let stored: number;
    let refusedWhileRunning: number;
    let killedAfter: number;
    try {
      const first = await drill.startWorker();
      const started = Date.now();
      await waitFor(
        'the worker to wait on the third chunk',
        async () => {
          const [row] = await drill.admin<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and application_name = 'crm'
              and wait_event_type = 'Lock' and query ilike '%export_file_chunks%'`;
          if ((await runState(tenant.tenantId, runId)).status === 'done')
            throw new Error('the export finished before the kill (raise DRILL_CUSTOMERS)');
          return row && row.n > 0 ? true : undefined;
        },
        300_000,
      );
      killedAfter = (Date.now() - started) / 1000;
      await kill(first);
      stored = (await runState(tenant.tenantId, runId)).chunks;
      refusedWhileRunning = (await download(owner, runId)).status;
    } finally {
      await holder`rollback`;
      holder.release();
    }
    const atKill = await runState(tenant.tenantId, runId);
    const jobAtKill = await jobAttempts(drill.admin, 'exports.run', 'runId', runId);

    const killedAt = Date.now();
    const second = await drill.startWorker();
    const rerun = await finished(tenant.tenantId, runId);
    const recoverySeconds = (Date.now() - killedAt) / 1000;

    const again = await owner.call('exports.create', EXPORT);
    expect(again.error).toBeNull();
    const reference = await finished(tenant.tenantId, again.data.id as string);
    await stop(second);
    const disturbedFile = await download(owner, runId);
    const referenceFile = await download(owner, again.data.id as string);
    const lines = new TextDecoder().decode(disturbedFile.bytes).split('\n').filter(Boolean).length;

    console.log(
      `T5.6 worker killed mid-export customers=${CUSTOMERS} killed_after_s=${killedAfter.toFixed(1)} ` +
        `chunks_stored_at_kill=${stored} status_at_kill=${atKill.status} download_at_kill=${refusedWhileRunning} ` +
        `job_after_kill=${jobAtKill.state} half_applied=${refusedWhileRunning === 200 ? 1 : 0} ` +
        `state=${rerun.job.state} attempts=${rerun.job.attempts} status=${rerun.run.status} ` +
        `rows=${rerun.run.rows_done}/${reference.run.rows_done} chunks=${rerun.run.chunks}/${reference.run.chunks} ` +
        `bytes=${disturbedFile.bytes.length}/${referenceFile.bytes.length} lines=${lines} ` +
        `file_bytes_equal=${disturbedFile.md5 === referenceFile.md5} kill_to_done_s=${recoverySeconds.toFixed(1)}`,
    );
    expect(stored).toBe(2);
    expect(atKill.status).toBe('running');
    expect(refusedWhileRunning).toBe(409);
    expect(jobAtKill.state).toBe('active');
    expect(rerun.job).toMatchObject({ state: 'completed', attempts: 2 });
    expect(rerun.run.status).toBe('done');
    expect(rerun.run.rows_done).toBe(CUSTOMERS);
    expect(rerun.run.chunks).toBeGreaterThanOrEqual(3);
    expect(reference.run.status).toBe('done');
    expect(disturbedFile.status).toBe(200);
    expect(lines).toBe(CUSTOMERS + 1);
    expect(disturbedFile.bytes.length).toBe(Number(rerun.run.file_size));
    expect(disturbedFile.md5).toBe(referenceFile.md5);
  });
});
