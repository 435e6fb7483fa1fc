import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createKeyring,
  generateMasterKey,
  getCipher,
  installKeyring,
  jobScope,
  type KeyEvent,
  type Keyring,
  onKeyEvent,
  reencryptTenant,
  rewrapTenantKeys,
  rotateTenantDataKey,
} from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKeyMissingError, masterKeyFilePath, resolveKeyring } from '../src/master-key';
import {
  createMemoryLogger,
  createTestServer,
  type SeededTenant,
  seedTenant,
  type TestServer,
} from './helpers';

/**
 * T4.4 at a reduced scale (see docs/sensitive-data.md): 5,000 values on PostgreSQL, 1,000 on
 * PGlite; SENSITIVE_ROTATION_ROWS sets another.
 */
let server: TestServer;
let tenant: SeededTenant;
const oldMaster = generateMasterKey();
const newMaster = generateMasterKey();
let rows = 0;

function plaintextOf(index: number) {
  return `value-${index}-${'x'.repeat(index % 7)}`;
}

/** Decrypts every stored value with the keys of `keyring`; returns how many failed or differ. */
async function unreadable(
  keyring: Keyring,
): Promise<{ unreadable: number; byVersion: Record<number, number> }> {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const cipher = await getCipher(jobScope(trx, tenant.tenantId), { keyring });
    const stored = await trx
      .selectFrom('customer_secrets')
      .innerJoin('customers', (join) =>
        join
          .onRef('customers.tenant_id', '=', 'customer_secrets.tenant_id')
          .onRef('customers.id', '=', 'customer_secrets.customer_id'),
      )
      .select([
        'customer_secrets.customer_id',
        'customer_secrets.field',
        'customer_secrets.ciphertext',
        'customer_secrets.key_version',
        'customers.customer_number',
      ])
      .where('customer_secrets.tenant_id', '=', tenant.tenantId)
      .execute();
    let failures = 0;
    const byVersion: Record<number, number> = {};
    for (const row of stored) {
      byVersion[row.key_version] = (byVersion[row.key_version] ?? 0) + 1;
      try {
        if (
          cipher.decrypt(row.field, row.customer_id, row.ciphertext) !==
          plaintextOf(Number(row.customer_number))
        )
          failures += 1;
      } catch {
        failures += 1;
      }
    }
    expect(stored.length).toBe(rows);
    return { unreadable: failures, byVersion };
  });
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '密钥轮换企业');
  // SENSITIVE_ROTATION_ROWS=100000 runs the drill at the plan's full scale (a multiple of 10).
  rows = Number(process.env.SENSITIVE_ROTATION_ROWS ?? (server.database.kind === 'postgres' ? 5000 : 1000));
  installKeyring(createKeyring(oldMaster));
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    await sql`insert into customers (tenant_id, name, kind, customer_number)
      select ${tenant.tenantId}, '客户' || i, 'person', i::text from generate_series(0, ${rows - 1}) i`.execute(
      trx,
    );
    const customers = await trx
      .selectFrom('customers')
      .select(['id', 'customer_number'])
      .where('tenant_id', '=', tenant.tenantId)
      .execute();
    const cipher = await getCipher(jobScope(trx, tenant.tenantId));
    const encrypted = customers.map((customer) => ({
      id: customer.id,
      ...cipher.encrypt('custom:note', customer.id, plaintextOf(Number(customer.customer_number))),
    }));
    await sql`insert into customer_secrets (tenant_id, customer_id, field, ciphertext, key_version, blind_index, hint)
      select ${tenant.tenantId}, u.id, 'custom:note', u.ciphertext, u.version, u.blind_index, u.hint
      from unnest(${encrypted.map((e) => e.id)}::uuid[], ${encrypted.map((e) => e.ciphertext)}::text[],
        ${encrypted.map((e) => e.keyVersion)}::int[], ${encrypted.map((e) => e.blindIndex)}::text[],
        ${encrypted.map((e) => e.hint)}::text[]) as u(id, ciphertext, version, blind_index, hint)`.execute(
      trx,
    );
  });
}, 120_000);
afterAll(() => server.destroy());

describe('key rotation (T4.4)', () => {
  it('counts stored encryptions per data key version', async () => {
    const keys = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('tenant_data_keys').select(['version', 'encryptions']).execute(),
    );
    expect(keys.map((key) => [key.version, Number(key.encryptions)])).toEqual([[1, rows]]);
  });

  it('rotates the master key and the data key, re-encrypts in resumable batches, killed twice', async () => {
    // Master key: MASTER_KEY=new, MASTER_KEY_PREVIOUS=old, then re-wrap.
    const during = createKeyring(newMaster, oldMaster);
    installKeyring(during);
    expect(await rewrapTenantKeys(server.database, tenant.tenantId, during)).toBe(2);
    expect(await rewrapTenantKeys(server.database, tenant.tenantId, during)).toBe(0);
    const after = createKeyring(newMaster);
    expect((await unreadable(after)).unreadable).toBe(0);
    installKeyring(after);

    // Data key: version 2 becomes current; version 1 values stay readable meanwhile.
    expect(await rotateTenantDataKey(server.database, tenant.tenantId, after)).toBe(2);
    expect(await unreadable(after)).toEqual({ unreadable: 0, byVersion: { 1: rows } });

    const checks: number[] = [];
    const runKilledAfter = async (batches: number) => {
      const controller = new AbortController();
      return reencryptTenant(server.database, tenant.tenantId, {
        batchSize: rows / 10,
        signal: controller.signal,
        onBatch: async (progress) => {
          checks.push((await unreadable(after)).unreadable);
          if (progress.batches >= batches) controller.abort();
        },
      });
    };
    const first = await runKilledAfter(3);
    expect(first).toMatchObject({ aborted: true, batches: 3, reencrypted: (rows / 10) * 3, unreadable: 0 });
    const second = await runKilledAfter(2);
    expect(second).toMatchObject({ aborted: true, batches: 2, reencrypted: (rows / 10) * 2 });
    const mid = await unreadable(after);
    expect(mid).toEqual({ unreadable: 0, byVersion: { 1: rows / 2, 2: rows / 2 } });

    const last = await reencryptTenant(server.database, tenant.tenantId, { batchSize: rows / 10 });
    expect(last).toMatchObject({ aborted: false, reencrypted: rows / 2, remaining: 0, unreadable: 0 });
    expect(checks.every((count) => count === 0)).toBe(true);
    const end = await unreadable(after);
    expect({ rowsUnreadable: end.unreadable, rowsOnOldKeyVersion: rows - (end.byVersion[2] ?? 0) }).toEqual({
      rowsUnreadable: 0,
      rowsOnOldKeyVersion: 0,
    });

    // Done twice: nothing happens the second time.
    const again = await reencryptTenant(server.database, tenant.tenantId, { batchSize: rows / 10 });
    expect(again).toMatchObject({ reencrypted: 0, remaining: 0, batches: 1 });
    const keys = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('tenant_data_keys')
        .select(['version', 'retired_at', 'kek_id'])
        .orderBy('version')
        .execute(),
    );
    expect(keys.map((key) => [key.version, key.retired_at !== null, key.kek_id])).toEqual([
      [1, true, after.current.id],
      [2, false, after.current.id],
    ]);
  }, 300_000);

  it('warns near the encryption limit and rotates at it', async () => {
    const events: KeyEvent[] = [];
    onKeyEvent((event) => events.push(event));
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .updateTable('tenant_data_keys')
        .set({ encryptions: sql<string>`${2 ** 31}::bigint` as never })
        .where('tenant_id', '=', tenant.tenantId)
        .where('version', '=', 2)
        .execute(),
    );
    const version = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const cipher = await getCipher(jobScope(trx, tenant.tenantId));
      return cipher.currentVersion;
    });
    expect(version).toBe(3);
    expect(events.map((event) => event.event)).toEqual(['encryption_limit_near', 'data_key_rotated']);
  });
});

describe('master key configuration', () => {
  it('embedded: generates a 0600 key file beside the data folder, once; server: refuses without MASTER_KEY', () => {
    const folder = mkdtempSync(join(tmpdir(), 'crm-key-'));
    const dataDir = join(folder, 'pglite');
    const logger = createMemoryLogger();
    const first = resolveKeyring({ DATA_DIR: dataDir }, 'pglite', logger);
    const path = masterKeyFilePath(dataDir);
    expect(path).toBe(`${dataDir}.master-key`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = resolveKeyring({ DATA_DIR: dataDir }, 'pglite', logger);
    expect(second.current.id).toBe(first.current.id);
    expect(logger.lines.some((line) => String(line.message).includes('lower assurance tier'))).toBe(true);
    const key = readFileSync(path, 'utf8').trim();
    expect(JSON.stringify(logger.lines)).not.toContain(key);
    expect(() => resolveKeyring({ DATA_DIR: dataDir }, 'postgres', logger)).toThrow(MasterKeyMissingError);
    const configured = resolveKeyring({ DATA_DIR: dataDir, MASTER_KEY: key }, 'postgres', logger);
    expect(configured.current.id).toBe(first.current.id);
    rmSync(folder, { recursive: true, force: true });
  });
});
