import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './cluster';

export const PGBOUNCER = '/usr/sbin/pgbouncer';
export const HAS_PGBOUNCER = existsSync(PGBOUNCER);

export type DrillBouncer = { port: number; stop(): Promise<void> };

async function waitForPort(port: number, log: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`PgBouncer did not listen on ${port}:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Debian's PgBouncer in transaction pooling mode in front of one database of a drill's
 * cluster, with `poolSize` server connections shared by every client.
 */
export async function startBouncer(target: {
  port: number;
  database: string;
  poolSize: number;
}): Promise<DrillBouncer> {
  const work = mkdtempSync(join(tmpdir(), 'crm-drill-pgbouncer-'));
  const port = await freePort();
  chmodSync(work, 0o755);
  writeFileSync(join(work, 'userlist.txt'), '"crm_app" ""\n"crm_owner" ""\n', { mode: 0o644 });
  writeFileSync(
    join(work, 'pgbouncer.ini'),
    [
      '[databases]',
      `${target.database} = host=127.0.0.1 port=${target.port} dbname=${target.database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(work, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${target.poolSize}`,
      'max_client_conn = 200',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  let log = '';
  // PgBouncer refuses to run as root; -u drops to the PostgreSQL server's own user.
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(
    PGBOUNCER,
    [...(asRoot ? ['-u', 'postgres'] : []), join(work, 'pgbouncer.ini')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  await waitForPort(port, () => log);
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}
