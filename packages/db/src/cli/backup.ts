/**
 * Writes a backup of the whole database:
 *
 *   DATABASE_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm db:backup crm backups/crm.dump
 *   pnpm db:backup --embedded backups/crm.tar.gz     # the embedded database in DATA_DIR (server stopped)
 */
import { resolve } from 'node:path';
import { backupPglite, backupPostgres } from '../backup';

const args = process.argv.slice(2);
const repositoryRoot = resolve(import.meta.dirname, '../../../..');
try {
  if (args[0] === '--embedded') {
    const file = args[1];
    if (!file) throw new Error('Usage: pnpm db:backup --embedded <file.tar.gz>');
    const dataDir = process.env.DATA_DIR ?? `${repositoryRoot}/.data/pglite`;
    await backupPglite(dataDir, resolve(file));
  } else {
    const [database, file] = args;
    const adminUrl = process.env.DATABASE_ADMIN_URL;
    if (!adminUrl || !database || !file)
      throw new Error('Usage: DATABASE_ADMIN_URL=… pnpm db:backup <database> <file.dump>');
    await backupPostgres(adminUrl, database, resolve(file));
  }
  console.log('Backup written. Keep the master key apart from it: restoring needs both.');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
