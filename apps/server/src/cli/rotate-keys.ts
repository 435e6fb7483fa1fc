/**
 * pnpm keys:rotate — sensitive-field key rotation (docs/sensitive-data.md, "Rotation runbook").
 *
 *   --master       re-wrap every tenant's keys under MASTER_KEY (set MASTER_KEY to the new
 *                  key and MASTER_KEY_PREVIOUS to the old one first)
 *   --data-key     give each tenant a new data key version (new values use it at once)
 *   --reencrypt    re-encrypt values still on older data key versions (implied by --data-key)
 *   --tenant <id>  only this tenant (repeatable); default: every tenant
 *   --batch-size N rows per transaction (default 1000)
 *
 * Each re-encryption batch is its own transaction: Ctrl-C (or a kill) stops it safely and
 * running the command again continues where it stopped. Prints progress, never keys or values.
 */
import { parseArgs } from 'node:util';
import {
  allTenantIds,
  installKeyring,
  reencryptTenant,
  rewrapTenantKeys,
  rotateTenantDataKey,
} from '@crm/api';
import { openDatabase } from '@crm/db';
import pino from 'pino';
import { loadEnv } from '../env';
import { resolveKeyring } from '../master-key';

const { values } = parseArgs({
  options: {
    master: { type: 'boolean', default: false },
    'data-key': { type: 'boolean', default: false },
    reencrypt: { type: 'boolean', default: false },
    tenant: { type: 'string', multiple: true },
    'batch-size': { type: 'string', default: '1000' },
  },
});

if (!values.master && !values['data-key'] && !values.reencrypt) {
  process.stderr.write(
    'Usage: pnpm keys:rotate [--master] [--data-key] [--reencrypt] [--tenant <id>] [--batch-size N]\n',
  );
  process.exit(2);
}

const env = loadEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'crm-keys' } });
const database = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  ownerDatabaseUrl: env.DATABASE_OWNER_URL,
  dataDir: env.DATA_DIR,
  maxConnections: 2,
});
const controller = new AbortController();
process.on('SIGINT', () => {
  logger.warn('stopping after the current batch; run the command again to continue');
  controller.abort();
});

let exitCode = 0;
try {
  const keyring = resolveKeyring(env, database.kind, logger);
  installKeyring(keyring);
  const tenants = values.tenant?.length ? values.tenant : await allTenantIds(database);
  const batchSize = Number(values['batch-size']);
  for (const tenantId of tenants) {
    if (controller.signal.aborted) break;
    if (values.master) {
      const rewrapped = await rewrapTenantKeys(database, tenantId, keyring);
      logger.info(
        { tenantId, rewrapped, masterKeyId: keyring.current.id },
        'keys re-wrapped under the current master key',
      );
    }
    if (values['data-key']) {
      const version = await rotateTenantDataKey(database, tenantId, keyring);
      logger.info({ tenantId, version }, 'new data key version');
    }
    if (values['data-key'] || values.reencrypt) {
      const progress = await reencryptTenant(database, tenantId, {
        batchSize,
        keyring,
        signal: controller.signal,
        onBatch: (state) => {
          if (state.batches % 10 === 0) logger.info({ tenantId, ...state }, 're-encrypting');
        },
      });
      logger.info(
        { tenantId, ...progress },
        progress.aborted ? 're-encryption stopped' : 're-encryption done',
      );
      if (progress.unreadable > 0) exitCode = 1;
    }
  }
} catch (error) {
  logger.error({ err: error }, 'key rotation failed');
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
