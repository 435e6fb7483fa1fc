import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase, provisionDatabase } from '@crm/db';
import { testAdminUrl } from '@crm/testing';
import { afterAll, describe, expect, it } from 'vitest';

const serverDirectory = fileURLToPath(new URL('..', import.meta.url));

function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDirectory,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('CRM listening')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const adminUrl = testAdminUrl();
const databaseName = `crm_startup_${process.pid}`;

describe.skipIf(!adminUrl)('start-up role check on a PostgreSQL server (R1.3)', () => {
  afterAll(() => dropDatabase(adminUrl ?? '', databaseName));

  it('refuses to start when DATABASE_URL is a role that bypasses RLS', async () => {
    const urls = await provisionDatabase(adminUrl ?? '', databaseName);
    const superuserUrl = new URL(adminUrl ?? '');
    superuserUrl.pathname = `/${databaseName}`;
    const refused = await runServer({
      DATABASE_URL: superuserUrl.toString(),
      DATABASE_OWNER_URL: urls.ownerDatabaseUrl,
    });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/Refusing to start/);
    expect(refused.output).toMatch(/superuser/);
  }, 60_000);

  it('starts as crm_app, and stops cleanly on SIGTERM', async () => {
    const urls = await provisionDatabase(adminUrl ?? '', databaseName);
    // With a PostgreSQL server the master key must come from the environment.
    const keyless = await runServer({
      DATABASE_URL: urls.databaseUrl,
      DATABASE_OWNER_URL: urls.ownerDatabaseUrl,
      MASTER_KEY: '',
    });
    expect(keyless.code).not.toBe(0);
    expect(keyless.output).toMatch(/Refusing to start: MASTER_KEY is not set/);
    const started = await runServer({
      DATABASE_URL: urls.databaseUrl,
      DATABASE_OWNER_URL: urls.ownerDatabaseUrl,
      MASTER_KEY: randomBytes(32).toString('base64'),
    });
    expect(started.output).toMatch(/CRM listening/);
    expect(started.output).toMatch(/"msg":"stopped"/);
    expect(started.code).toBe(0);
  }, 60_000);
});

describe('first start on the embedded database', () => {
  it('creates the three demo tenants once, prints how to sign in, and does not seed again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-start-'));
    try {
      const first = await runServer({
        DATA_DIR: dataDir,
        SEED_DEMO: 'auto',
        DATABASE_URL: '',
        TEST_DATABASE_URL: '',
      });
      expect(first.code).toBe(0);
      expect(first.output).toContain('演示数据已创建 / Demo data created');
      for (const name of [
        '悦享生活百货 (retail)',
        '华辰工业科技 (b2b)',
        '江城商业银行公司金融部 (corporate-banking)',
      ]) {
        expect(first.output).toContain(name);
      }
      expect(first.output).toMatch(
        /owner@demo\.example\.com\s+悦享生活百货: owner; 华辰工业科技: owner; 江城商业银行公司金融部: owner/,
      );
      expect(first.output).toContain('password: demo-2026');
      const second = await runServer({
        DATA_DIR: dataDir,
        SEED_DEMO: 'auto',
        DATABASE_URL: '',
        TEST_DATABASE_URL: '',
      });
      expect(second.code).toBe(0);
      expect(second.output).not.toContain('Demo data created');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
