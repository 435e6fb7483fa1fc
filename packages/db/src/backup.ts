import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { provisionDatabase } from './provision';

/**
 * Backup and restore of a tenant database as a whole (every tenant, the job queue, the
 * migrations' bookkeeping). A server database is dumped by pg_dump in its custom format as
 * an administrator (row-level security is FORCEd on every tenant table, so the owner role
 * would see nothing) and restored by pg_restore in one transaction into a database that
 * does not exist yet, provisioned with the same two roles. The embedded database is one
 * data directory, written as a gzipped tarball and loaded into an empty directory.
 *
 * Encrypted columns stay encrypted in a backup: restoring needs the master key
 * (MASTER_KEY, or the `.master-key` file beside the embedded data directory), which is kept
 * apart from the backups on purpose.
 */

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} was not found: install the PostgreSQL client tools (postgresql-client).`)
          : error,
      ),
    );
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (exit ${code}):\n${stderr.trim()}`));
    });
  });
}

/** pg_dump of the whole database in the custom format, taken in one snapshot. */
export async function backupPostgres(adminUrl: string, database: string, file: string): Promise<void> {
  await run('pg_dump', [
    '--format=custom',
    '--compress=6',
    `--file=${file}`,
    `--dbname=${databaseUrl(adminUrl, database)}`,
  ]);
}

/**
 * Restores a backup into a new database: refuses to write over one that exists (a restore
 * never mixes with live data), provisions it with the roles, then pg_restore in a single
 * transaction — a broken backup leaves an empty database, never half of one.
 */
export async function restorePostgres(adminUrl: string, database: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`No backup at ${file}.`);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await admin`select 1 from pg_database where datname = ${database}`;
    if (found.length > 0)
      throw new Error(`Database ${database} already exists: restore into a new database name.`);
  } finally {
    await admin.end();
  }
  await provisionDatabase(adminUrl, database);
  await run('pg_restore', [
    '--single-transaction',
    '--exit-on-error',
    `--dbname=${databaseUrl(adminUrl, database)}`,
    file,
  ]);
}

/** The embedded database's data directory as a gzipped tarball (the server must be stopped). */
export async function backupPglite(dataDir: string, file: string): Promise<void> {
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0)
    throw new Error(`No embedded database at ${dataDir}.`);
  const pglite = new PGlite(dataDir);
  try {
    await pglite.waitReady;
    const dump = await pglite.dumpDataDir('gzip');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await pglite.close();
  }
}

/** Loads a tarball from `backupPglite` into an empty or missing data directory. */
export async function restorePglite(file: string, dataDir: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`No backup at ${file}.`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty: restore into a new data directory.`);
  const bytes = await readFile(file);
  const pglite = new PGlite(dataDir, { loadDataDir: new Blob([bytes]) });
  try {
    await pglite.waitReady;
  } finally {
    await pglite.close();
  }
}
