import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropDatabase, type ProvisionedUrls, provisionDatabase } from '@crm/db';

/**
 * A PostgreSQL cluster of the drill's own: `initdb` in a temp folder on a free port, so the
 * drill may restart and kill it (never the shared server on 5432). As root, the cluster's
 * programs run as the `postgres` user, which PostgreSQL requires.
 */
export type DrillCluster = {
  port: number;
  adminUrl: string;
  restartFast(): Promise<void>;
  killPostmaster(): number;
  start(): Promise<void>;
  stop(): Promise<void>;
  remove(): void;
  /**
   * A streaming replica of this cluster: `pg_basebackup -R` (a hot standby that follows the
   * primary over replication) in a folder of its own, started on a free port. `stop`/`start`
   * take it down and up; `remove` removes its folder (after `stop`).
   */
  createReplica(extraOptions?: string): Promise<DrillCluster & { logFile: string }>;
};

function binDirectory(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

export const POSTGRES_BIN = binDirectory();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function createCluster(): Promise<DrillCluster> {
  if (!POSTGRES_BIN) throw new Error('PostgreSQL server programs (initdb, pg_ctl) are not installed');
  const bin = POSTGRES_BIN;
  const folder = mkdtempSync(join(tmpdir(), 'crm-drill-pg-'));
  const data = join(folder, 'data');
  const asRoot = process.getuid?.() === 0;
  let ids: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(folder, uid, gid);
    ids = { uid, gid };
  }
  const run = async (program: string, args: string[]) => {
    try {
      await promisify(execFile)(join(bin, program), args, { ...ids, encoding: 'utf8', timeout: 180_000 });
    } catch (error) {
      const failed = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(
        `${program} ${args.join(' ')} failed: ${failed.stderr || failed.stdout || failed.message}`,
      );
    }
  };
  const port = await freePort();
  await run('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c max_connections=60 -c fsync=on`;
  await startCluster(run, data, options, join(folder, 'log'));
  return clusterHandle(run, folder, data, options, port, ids);
}

type Run = (program: string, args: string[]) => Promise<void>;

const startCluster = (run: Run, data: string, options: string, log: string) =>
  run('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '120', 'start']);

function clusterHandle(
  run: Run,
  folder: string,
  data: string,
  options: string,
  port: number,
  ids: { uid: number; gid: number } | undefined,
): DrillCluster {
  const start = () => startCluster(run, data, options, join(folder, 'log'));
  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restartFast: () =>
      run('pg_ctl', [
        '-D',
        data,
        '-o',
        options,
        '-l',
        join(folder, 'log'),
        '-m',
        'fast',
        '-w',
        '-t',
        '120',
        'restart',
      ]),
    killPostmaster: () => {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      return pid;
    },
    start: async () => {
      // After a kill -9 of the postmaster its backends exit on their own a moment later;
      // until they have, the shared memory is in use and a new postmaster refuses to start.
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await start();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
    stop: async () => {
      try {
        await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
    async createReplica(extraOptions = '') {
      const replicaFolder = mkdtempSync(join(tmpdir(), 'crm-drill-replica-'));
      if (ids) chownSync(replicaFolder, ids.uid, ids.gid);
      const replicaData = join(replicaFolder, 'data');
      await run('pg_basebackup', [
        '-D',
        replicaData,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
      ]);
      const replicaPort = await freePort();
      const replicaOptions = `-p ${replicaPort} -k ${replicaFolder} -c listen_addresses=127.0.0.1 -c max_connections=60 -c hot_standby=on ${extraOptions}`;
      await startCluster(run, replicaData, replicaOptions, join(replicaFolder, 'log'));
      const handle = clusterHandle(run, replicaFolder, replicaData, replicaOptions, replicaPort, ids);
      return { ...handle, logFile: join(replicaFolder, 'log') };
    },
  };
}

/** A drill's database and who may do everything in it (`superUrl`: a superuser, in it). */
export type DrillDatabase = {
  urls: ProvisionedUrls;
  superUrl: string;
  /** Drops the database (a shared server) or stops and removes the cluster. */
  dispose(): Promise<void>;
};

/**
 * The database of a drill that never restarts or kills its server: on a cluster of its own,
 * or — with `DRILL_DATABASE_URL`, a superuser URL of a server to share, e.g. a busy machine's
 * test server — in a database of its own there (`<name>_<8 hex>`), dropped at the end, so
 * the drill adds no third PostgreSQL to a loaded machine.
 */
export async function openDrillDatabase(name: string): Promise<DrillDatabase> {
  const shared = process.env.DRILL_DATABASE_URL;
  const cluster = shared ? undefined : await createCluster();
  const adminUrl = shared ?? (cluster as DrillCluster).adminUrl;
  const database = shared ? `${name}_${crypto.randomUUID().slice(0, 8)}` : name;
  const urls = await provisionDatabase(adminUrl, database);
  const superUrl = new URL(adminUrl);
  superUrl.pathname = `/${database}`;
  return {
    urls,
    superUrl: superUrl.toString(),
    async dispose() {
      if (cluster) {
        await cluster.stop();
        cluster.remove();
      } else await dropDatabase(adminUrl, database);
    },
  };
}
