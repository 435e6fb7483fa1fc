import { createHash } from 'node:crypto';
import type { Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { appError } from '../errors';

/** Uploaded files are kept in the database in chunks of this size. */
export const CHUNK_BYTES = 1024 * 1024;
/** Uploaded files are deleted this long after their upload (runs keep their totals and errors). */
export const FILE_RETENTION_DAYS = 7;

export type StoredFile = { id: string; name: string; size: number; sha256: string };

/**
 * Streams an upload into `import_file_chunks` in ~1 MB chunks (never the whole file in
 * memory) and records its size and SHA-256. In the caller's transaction: a failed upload
 * leaves nothing behind.
 */
export async function storeFile(
  trx: Transaction<Database>,
  tenantId: string,
  userId: string,
  name: string,
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<StoredFile> {
  const file = await trx
    .insertInto('import_files')
    .values({ tenant_id: tenantId, name: cleanFileName(name), uploaded_by: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const bytes = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await trx
      .insertInto('import_file_chunks')
      .values({ tenant_id: tenantId, file_id: file.id, seq, bytes })
      .execute();
    seq += 1;
  };
  for await (const part of body) {
    size += part.byteLength;
    if (size > maxBytes)
      throw appError('IMPORT_FILE_TOO_LARGE', { maxMb: Math.floor(maxBytes / 1024 / 1024) });
    hash.update(part);
    pending.push(part);
    pendingBytes += part.byteLength;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  if (size === 0) throw appError('IMPORT_FILE_EMPTY');
  const sha256 = hash.digest('hex');
  await trx
    .updateTable('import_files')
    .set({ size, sha256, chunk_count: seq })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', file.id)
    .execute();
  return { id: file.id, name: cleanFileName(name), size, sha256 };
}

function cleanFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  return (cleaned || 'import.csv').slice(0, 255);
}

/** The file's bytes, chunk by chunk, read one chunk per statement through `trx`. */
export async function* readFileChunks(
  trx: Transaction<Database>,
  tenantId: string,
  fileId: string,
  chunkCount: number,
): AsyncGenerator<Uint8Array> {
  for (let seq = 0; seq < chunkCount; seq += 1) {
    const row = await trx
      .selectFrom('import_file_chunks')
      .select('bytes')
      .where('tenant_id', '=', tenantId)
      .where('file_id', '=', fileId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row) throw new Error(`Import file ${fileId} misses chunk ${seq}`);
    yield row.bytes instanceof Uint8Array ? row.bytes : new Uint8Array(row.bytes as ArrayBufferLike);
  }
}

/** Deletes files uploaded more than FILE_RETENTION_DAYS ago (their chunks go with them). */
export async function pruneFiles(trx: Transaction<Database>, tenantId: string): Promise<number> {
  const result = await sql`
    delete from import_files
    where tenant_id = ${tenantId} and created_at < now() - make_interval(days => ${FILE_RETENTION_DAYS})`.execute(
    trx,
  );
  return Number(result.numAffectedRows ?? 0);
}
