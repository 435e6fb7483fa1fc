import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createKeyring, generateMasterKey, type Keyring, type Logger } from '@crm/api';
import type { Env } from './env';

/** Where the embedded mode keeps a generated master key: beside the data folder, not in it. */
export function masterKeyFilePath(dataDir: string): string {
  return `${resolve(dataDir)}.master-key`;
}

export class MasterKeyMissingError extends Error {
  constructor() {
    super(
      'Refusing to start: MASTER_KEY is not set. With a PostgreSQL server, sensitive fields need a master key ' +
        'from the environment (32 random bytes, base64: `openssl rand -base64 32`), kept apart from the database ' +
        'and its backups. See docs/sensitive-data.md.',
    );
  }
}

/**
 * The master key for sensitive fields:
 * - `MASTER_KEY` from the environment (with `MASTER_KEY_PREVIOUS` during a rotation) — the
 *   standard tier; the key lives apart from the database and its backups;
 * - unset with the embedded database: a key generated once into a file beside the data
 *   folder (mode 0600) — the lower tier: whoever can read the data folder's host can
 *   usually read the key too;
 * - unset with a PostgreSQL server: refuse to start.
 * Never logs the key.
 */
export function resolveKeyring(
  env: Pick<Env, 'MASTER_KEY' | 'MASTER_KEY_PREVIOUS' | 'DATA_DIR'>,
  databaseKind: 'postgres' | 'pglite',
  logger: Logger,
): Keyring {
  if (env.MASTER_KEY) {
    const keyring = createKeyring(env.MASTER_KEY, env.MASTER_KEY_PREVIOUS);
    logger.info(
      { masterKeyId: keyring.current.id, previousMasterKeyId: keyring.previous?.id ?? null },
      'sensitive fields: master key from the environment',
    );
    return keyring;
  }
  if (databaseKind === 'postgres') throw new MasterKeyMissingError();
  const path = masterKeyFilePath(env.DATA_DIR);
  let created = false;
  if (!existsSync(path)) {
    writeFileSync(path, `${generateMasterKey()}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const keyring = createKeyring(readFileSync(path, 'utf8').trim(), env.MASTER_KEY_PREVIOUS);
  logger.warn(
    { masterKeyFile: path, created, masterKeyId: keyring.current.id },
    'sensitive fields: master key from a file beside the embedded database — the lower assurance tier (key and data on one host); set MASTER_KEY in production (docs/sensitive-data.md)',
  );
  return keyring;
}
