import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, sql } from '@crm/db';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * T5.2: the embedded database survives its process being killed. A child process writes
 * customers with an order each, one transaction at a time, and reports each commit; it is
 * killed with SIGKILL mid-load, three times over the same folder. Each time the folder opens
 * cleanly, and every acknowledged write is there, exactly once.
 */
const repositoryRoot = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'crm-drill-pglite-'));
const dataDir = join(work, 'pglite');
const tenantId = crypto.randomUUID();

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `writes` more commits, then kills it with SIGKILL. */
async function writeThenKill(round: number, writes: number): Promise<string[]> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'apps/server/drills/embedded-writer.ts', dataDir, tenantId, String(round)],
    { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const acknowledged: string[] = [];
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  await new Promise<void>((done, fail) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ack ')) acknowledged.push(line.slice(4));
        if (acknowledged.length >= writes) {
          child.kill('SIGKILL');
          done();
          return;
        }
      }
    });
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') fail(new Error(`the writer ended by itself (${code}):\n${errors}`));
    });
  });
  if (child.exitCode === null && child.signalCode === null)
    await new Promise((done) => child.once('exit', done));
  return acknowledged;
}

describe('T5.2 embedded database killed mid-load', () => {
  it('opens cleanly after each kill -9 and keeps every acknowledged write once', {
    timeout: 600_000,
  }, async () => {
    const acknowledged: string[] = [];
    for (const round of [1, 2, 3]) {
      acknowledged.push(...(await writeThenKill(round, 40 * round)));
    }
    const database = await openDatabase({ dataDir });
    try {
      await database.migrate();
      const stored = await database.withTenant(tenantId, async (trx) => {
        const { rows } = await sql<{ name: string; orders: number }>`
          select c.name, (select count(*)::int from orders o where o.customer_id = c.id) as orders
          from customers c`.execute(trx);
        return rows;
      });
      const names = new Map(stored.map((row) => [row.name, row.orders]));
      const lost = acknowledged.filter((marker) => !names.has(marker));
      const halfWritten = stored.filter((row) => row.orders !== 1).length;
      const duplicates = stored.length - names.size;
      console.log(
        `T5.2 kills=3 acknowledged=${acknowledged.length} stored=${stored.length} acknowledged_writes_lost=${lost.length} duplicates=${duplicates} half_written=${halfWritten}`,
      );
      expect(lost).toEqual([]);
      expect(duplicates).toBe(0);
      expect(halfWritten).toBe(0);
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      await database.close();
    }
  });
});
