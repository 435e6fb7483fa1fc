/**
 * Restores a backup into a new database (never over an existing one):
 *
 *   DATABASE_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm db:restore backups/crm.dump crm_restored
 *   DATA_DIR=.data/restored pnpm db:restore --embedded backups/crm.tar.gz
 */
import { resolve } from 'node:path';
import { restorePglite, restorePostgres } from '../backup';

const args = process.argv.slice(2);
const repositoryRoot = resolve(import.meta.dirname, '../../../..');
try {
  if (args[0] === '--embedded') {
    const file = args[1];
    if (!file) throw new Error('Usage: DATA_DIR=<new dir> pnpm db:restore --embedded <file.tar.gz>');
    const dataDir = process.env.DATA_DIR ?? `${repositoryRoot}/.data/pglite`;
    await restorePglite(resolve(file), dataDir);
  } else {
    const [file, database] = args;
    const adminUrl = process.env.DATABASE_ADMIN_URL;
    if (!adminUrl || !database || !file)
      throw new Error('Usage: DATABASE_ADMIN_URL=… pnpm db:restore <file.dump> <new database>');
    await restorePostgres(adminUrl, database, resolve(file));
  }
  console.log('Restored. Start the server on it with the same master key.');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
