import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase, provisionDatabase } from '@crm/db';
import { testAdminUrl } from '@crm/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export type RunningServer = { url: string; output: () => string; stop(): Promise<void> };

/**
 * Starts the real server the way `pnpm start` does (built web app, migrations on start),
 * on a fresh database: a new one on the PostgreSQL server when TEST_DATABASE_URL is set,
 * else an embedded PGlite in a temporary folder.
 */
export async function startServer(options: { seedDemo?: boolean } = {}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    PUBLIC_URL: url,
    // With the demo data the server seeds before it listens (three tenants, 900 customers).
    SEED_DEMO: options.seedDemo ? 'always' : 'never',
    LOG_LEVEL: 'warn',
  };
  const adminUrl = testAdminUrl();
  const databaseName = `crm_e2e_${process.pid}`;
  let dataDir: string | null = null;
  if (adminUrl) {
    const urls = await provisionDatabase(adminUrl, databaseName);
    env.DATABASE_URL = urls.databaseUrl;
    env.DATABASE_OWNER_URL = urls.ownerDatabaseUrl;
    // A server database needs the master key from the environment (the embedded one makes its own).
    env.MASTER_KEY = randomBytes(32).toString('base64');
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
    env.DATA_DIR = dataDir;
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + (options.seedDemo ? 300_000 : 180_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    output: () => output,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      if (adminUrl) await dropDatabase(adminUrl, databaseName);
      if (dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(`${dataDir}.master-key`, { force: true });
      }
    },
  };
}

/** Where e2e screenshots go (git-ignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/', import.meta.url));

/** Debian's Chromium, headless, with the flags this machine needs (no background networking). */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * A demo member signed in through the sign-in page, in a browser context of their own whose
 * language is set as a user sets it; resolves once the app has left the sign-in page.
 */
export async function signInDemo(
  browser: Browser,
  url: string,
  language: 'zh-CN' | 'en',
  email: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: language, viewport: { width: 1440, height: 900 } });
  await context.addInitScript(`localStorage.setItem('crm.language', ${JSON.stringify(language)})`);
  const page = await context.newPage();
  await page.goto(`${url}/sign-in`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill('demo-2026');
  await page.getByTestId('signin-submit').click();
  await page.waitForURL((target) => !target.pathname.startsWith('/sign-in'));
  return { context, page };
}

/**
 * Checks an antd radio by its test id, clicking its label the way a user does: Playwright
 * waits until a drawer or modal has finished animating, and a click never lands on the
 * mask behind it (which would close it).
 */
export async function checkRadio(page: Page, testId: string): Promise<void> {
  const radio = page.getByTestId(testId);
  await radio.locator('xpath=ancestor::label[1]').click();
  await expect.poll(() => radio.isChecked(), { timeout: 5_000 }).toBe(true);
}
