import { describe, expect, it } from 'vitest';
import { seedTenant } from '../test/helpers';
import { POSTGRES_BIN } from './cluster';
import { jobAttempts, jobEnded, killMidTransaction, stop, useWorkerDrill } from './worker-drill';

/**
 * A worker killed mid-re-tier: two tenants with the same CUSTOMERS customers and orders; a
 * `ROLE=worker` process takes the first tenant's `tiering.retier-tenant` job and is killed
 * with SIGKILL while the run's one transaction is writing tiers. Its lease lapses (20 s),
 * maintenance fails the attempt and a second worker runs it again. The tiers, scores,
 * explanations and tier history equal the undisturbed tenant's, and nothing of the killed
 * attempt was ever visible (no customer tiered, no history row, right after the kill).
 */
const CUSTOMERS = Number(process.env.DRILL_CUSTOMERS ?? 20_000);

const drill = useWorkerDrill();

/** The same customers and orders for a tenant: names by number, amounts and dates by a fixed rule. */
async function seedCustomers(tenantId: string) {
  await drill.admin`
    insert into customers (tenant_id, name, kind)
    select ${tenantId}, '分层演练客户' || lpad(n::text, 6, '0'), 'company' from generate_series(1, ${CUSTOMERS}) n`;
  await drill.admin`
    insert into orders (tenant_id, customer_id, ordered_at, amount, profit)
    select c.tenant_id, c.id, date_trunc('day', now()) - ((n % 400) || ' days')::interval,
      ((n * 7919) % 200000)::numeric, ((n * 7919) % 200000)::numeric / 5
    from customers c cross join lateral (select substr(c.name, 7)::int as n) k
    where c.tenant_id = ${tenantId} and k.n % 3 <> 0`;
}

/** Tiers, scores and explanations by customer name, and the tier history, as one md5 each. */
async function tierChecksum(tenantId: string) {
  const [row] = await drill.admin<
    { tiered: number; history: number; customers_md5: string; history_md5: string }[]
  >`
    select
      (select count(*)::int from customer_tiers where tenant_id = ${tenantId}) as tiered,
      (select count(*)::int from tier_history where tenant_id = ${tenantId}) as history,
      (select md5(coalesce(string_agg(concat_ws('|', c.name, t.tier, t.score, t.explanation::text), E'\\n' order by c.name), ''))
         from customers c left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
         where c.tenant_id = ${tenantId}) as customers_md5,
      (select md5(coalesce(string_agg(concat_ws('|', c.name, h.from_tier, h.to_tier, h.score, h.reason), E'\\n' order by c.name, h.changed_at), ''))
         from tier_history h join customers c on c.tenant_id = h.tenant_id and c.id = h.customer_id
         where h.tenant_id = ${tenantId}) as history_md5`;
  if (!row) throw new Error('no checksum');
  return row;
}

async function retier(tenantId: string) {
  await drill.server.dependencies.jobs.enqueue('tiering.retier-tenant', { tenantId, reason: 'quarterly' });
}

const finished = (tenantId: string) =>
  jobEnded(drill.admin, 're-tier to finish', 'tiering.retier-tenant', 'tenantId', tenantId);

describe.skipIf(!POSTGRES_BIN)('a worker killed mid-re-tier', () => {
  it('the re-tier runs again: the same tiers, explanations and history as an undisturbed run, nothing half-applied', {
    timeout: 900_000,
  }, async () => {
    const disturbed = await seedTenant(drill.server.database, '分层演练甲有限公司', 'b2b');
    const undisturbed = await seedTenant(drill.server.database, '分层演练乙有限公司', 'b2b');
    await seedCustomers(disturbed.tenantId);
    await seedCustomers(undisturbed.tenantId);
    // Only the runs this drill starts: no debounced re-tier of the seeded rows.
    await drill.admin`delete from pgboss.job where name like 'tiering.%'`;

    await retier(disturbed.tenantId);
    // The killed backend's transaction is rolled back once PostgreSQL notices the client is gone.
    const { atKill, killedAfter, transactionOpenSeconds } = await killMidTransaction(drill, () =>
      tierChecksum(disturbed.tenantId),
    );
    const jobAtKill = await jobAttempts(drill.admin, 'tiering.retier-tenant', 'tenantId', disturbed.tenantId);

    const killedAt = Date.now();
    const second = await drill.startWorker();
    const rerun = await finished(disturbed.tenantId);
    const recoverySeconds = (Date.now() - killedAt) / 1000;

    await retier(undisturbed.tenantId);
    const reference = await finished(undisturbed.tenantId);
    await stop(second);
    const disturbedSum = await tierChecksum(disturbed.tenantId);
    const referenceSum = await tierChecksum(undisturbed.tenantId);

    const halfApplied = atKill.tiered + atKill.history;
    console.log(
      `T5.6 worker killed mid-re-tier customers=${CUSTOMERS} killed_after_s=${killedAfter.toFixed(1)} ` +
        `transaction_open_s=${transactionOpenSeconds.toFixed(1)} job_after_kill=${jobAtKill.state} half_applied=${halfApplied} ` +
        `state=${rerun.state} attempts=${rerun.attempts} tiered=${disturbedSum.tiered}/${referenceSum.tiered} ` +
        `history=${disturbedSum.history}/${referenceSum.history} ` +
        `tiers_checksum_equal=${disturbedSum.customers_md5 === referenceSum.customers_md5} ` +
        `history_checksum_equal=${disturbedSum.history_md5 === referenceSum.history_md5} ` +
        `kill_to_completed_s=${recoverySeconds.toFixed(1)}`,
    );
    expect(halfApplied).toBe(0);
    expect(jobAtKill.state).toBe('active');
    expect(rerun).toMatchObject({ state: 'completed', attempts: 2 });
    expect(reference).toMatchObject({ state: 'completed', attempts: 1 });
    expect(disturbedSum.tiered).toBe(CUSTOMERS);
    expect(disturbedSum.history).toBe(referenceSum.history);
    expect(disturbedSum.customers_md5).toBe(referenceSum.customers_md5);
    expect(disturbedSum.history_md5).toBe(referenceSum.history_md5);
  });
});
