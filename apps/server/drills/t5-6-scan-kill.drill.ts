import { describe, expect, it } from 'vitest';
import { seedTenant, signedInClient } from '../test/helpers';
import { POSTGRES_BIN } from './cluster';
import { jobAttempts, jobEnded, killMidTransaction, stop, useWorkerDrill } from './worker-drill';

/**
 * A worker killed mid-duplicate-scan: two tenants with the same CUSTOMERS customers, every
 * phone number shared by two of them; the first tenant's owner asks for a scan (查重), a
 * `ROLE=worker` process takes its `duplicates.scan-tenant` job and is killed with SIGKILL
 * while the scan's one transaction is writing. Its lease lapses, maintenance fails the
 * attempt and a second worker scans again: the candidate pairs (by the customers' names,
 * reasons and confidence) equal the undisturbed tenant's, the scan is recorded done once, and
 * right after the kill no pair and no running or done scan was visible.
 */
const CUSTOMERS = Number(process.env.DRILL_CUSTOMERS ?? 20_000);

const drill = useWorkerDrill();

async function seedCustomers(tenantId: string) {
  const pairs = Math.floor(CUSTOMERS / 2);
  await drill.admin`
    insert into customers (tenant_id, name, kind, phone)
    select ${tenantId}, '查重演练客户' || lpad(n::text, 6, '0'), 'company',
      '139' || lpad((n % ${pairs})::text, 8, '0')
    from generate_series(1, ${CUSTOMERS}) n`;
}

/** Candidate pairs by the two customers' names (in name order), reasons, confidence and status. */
async function pairChecksum(tenantId: string) {
  const [row] = await drill.admin<{ pairs: number; md5: string; scans_done: number; scans: string }[]>`
    select
      (select count(*)::int from duplicate_candidates where tenant_id = ${tenantId}) as pairs,
      (select md5(coalesce(string_agg(line, E'\\n' order by line), '')) from (
         select concat_ws('|', least(a.name, b.name), greatest(a.name, b.name), d.reasons::text, d.confidence, d.status, d.source) as line
         from duplicate_candidates d
         join customers a on a.tenant_id = d.tenant_id and a.id = d.customer_a
         join customers b on b.tenant_id = d.tenant_id and b.id = d.customer_b
         where d.tenant_id = ${tenantId}) lines) as md5,
      (select count(*)::int from duplicate_scans where tenant_id = ${tenantId} and status = 'done') as scans_done,
      (select string_agg(status, ',' order by created_at) from duplicate_scans where tenant_id = ${tenantId}) as scans`;
  if (!row) throw new Error('no checksum');
  return row;
}

const finished = (tenantId: string) =>
  jobEnded(drill.admin, 'the scan to finish', 'duplicates.scan-tenant', 'tenantId', tenantId);

describe.skipIf(!POSTGRES_BIN)('a worker killed mid-duplicate-scan', () => {
  it('the scan runs again: the same candidate pairs as an undisturbed scan, recorded once, nothing half-applied', {
    timeout: 900_000,
  }, async () => {
    const disturbed = await seedTenant(drill.server.database, '查重演练甲有限公司');
    const undisturbed = await seedTenant(drill.server.database, '查重演练乙有限公司');
    await seedCustomers(disturbed.tenantId);
    await seedCustomers(undisturbed.tenantId);
    const disturbedOwner = await signedInClient(drill.server, disturbed.users.owner.id, disturbed.tenantId);
    const undisturbedOwner = await signedInClient(
      drill.server,
      undisturbed.users.owner.id,
      undisturbed.tenantId,
    );

    const queued = await disturbedOwner.call('duplicates.scan', undefined);
    expect(queued.error).toBeNull();
    const { atKill, killedAfter } = await killMidTransaction(drill, () => pairChecksum(disturbed.tenantId));
    const jobAtKill = await jobAttempts(
      drill.admin,
      'duplicates.scan-tenant',
      'tenantId',
      disturbed.tenantId,
    );

    const killedAt = Date.now();
    const second = await drill.startWorker();
    const rerun = await finished(disturbed.tenantId);
    const recoverySeconds = (Date.now() - killedAt) / 1000;

    expect((await undisturbedOwner.call('duplicates.scan', undefined)).error).toBeNull();
    const reference = await finished(undisturbed.tenantId);
    await stop(second);
    const disturbedSum = await pairChecksum(disturbed.tenantId);
    const referenceSum = await pairChecksum(undisturbed.tenantId);

    const halfApplied = atKill.pairs + atKill.scans_done;
    console.log(
      `T5.6 worker killed mid-duplicate-scan customers=${CUSTOMERS} killed_after_s=${killedAfter.toFixed(1)} ` +
        `job_after_kill=${jobAtKill.state} scans_at_kill=${atKill.scans} half_applied=${halfApplied} ` +
        `state=${rerun.state} attempts=${rerun.attempts} pairs=${disturbedSum.pairs}/${referenceSum.pairs} ` +
        `scans=${disturbedSum.scans} pairs_checksum_equal=${disturbedSum.md5 === referenceSum.md5} ` +
        `kill_to_completed_s=${recoverySeconds.toFixed(1)}`,
    );
    expect(halfApplied).toBe(0);
    expect(jobAtKill.state).toBe('active');
    expect(rerun).toMatchObject({ state: 'completed', attempts: 2 });
    expect(reference).toMatchObject({ state: 'completed', attempts: 1 });
    expect(disturbedSum.pairs).toBe(Math.floor(CUSTOMERS / 2));
    expect(disturbedSum.scans).toBe('done');
    expect(disturbedSum.md5).toBe(referenceSum.md5);
  });
});
