/**
 * BM5 — the customer list's first rows, cold, in Chromium, on the embedded demo.
 *
 * The real server as `pnpm start` runs it (built web app, embedded PGlite in a temporary
 * DATA_DIR, the demo data seeded on start), and Debian's Chromium through playwright-core:
 *
 * - **project, cold open**: a fresh browser context (empty cache) with the owner's session
 *   cookie opens `/customers`; from the navigation's start to the first customer row in the
 *   page (timed in the page: performance.now() when a MutationObserver first sees the row).
 * - **project, after sign-in**: on the sign-in page, from the click on 登录 to the first row.
 * - **limit**: the same app's page without data — a fresh context opening `/sign-in` until its
 *   email field is in the page: the same HTML, scripts and styles, and the one `auth.me` call the
 *   shell makes; what any page of this app costs before it asks for anything.
 *
 * Each is run BENCH_BM5_RUNS times (default 7), alternating, after one warm-up of each (the
 * very first cold open after start — server caches cold too — is printed on its own);
 * medians are compared. The requests of one cold open are printed with their start and end,
 * so a chain (auth → tenants → list) shows as such. Target: first rows ≤ 1 s.
 *
 * **Comparison** (`BENCH_BM5_BASE_DIST=<another build's apps/web/dist>`): the same demo server
 * serves that build too (through a front door of its own, see `frontDoor`), and every run opens
 * both, alternating which goes first — before and after a change to the web app, under the same
 * load (reported as base ÷ project).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Cookie, chromium, type Page } from 'playwright-core';
import { type BenchResult, log, repositoryRoot, round } from './harness';

const OWNER = { email: 'owner@demo.example.com', password: 'demo-2026' };
const FIRST_ROW = '[data-testid="customers-table"] tr.ant-table-row';
const EMAIL_FIELD = '[data-testid="signin-email"]';

/**
 * In the page, from its first script on: the time (performance.now(), from the navigation's
 * start) at which each watched element first entered the DOM. Read in the page, not by
 * polling from outside: a poll waits for the main thread, which a long render holds.
 */
function watchFirst(selectors: Record<string, string>): { content: string } {
  return {
    content: `(() => {
      const selectors = ${JSON.stringify(selectors)};
      const seen = (window.__first = {});
      new MutationObserver(() => {
        for (const [name, selector] of Object.entries(selectors)) {
          if (seen[name] === undefined && document.querySelector(selector)) seen[name] = performance.now();
        }
      }).observe(document, { subtree: true, childList: true });
    })();`,
  };
}

async function firstSeen(page: Page, name: string): Promise<number> {
  // A function, not a string: the app's Content-Security-Policy refuses eval.
  const handle = await page.waitForFunction(
    (key) => (globalThis as unknown as { __first?: Record<string, number> }).__first?.[key],
    name,
    { timeout: 60_000, polling: 50 },
  );
  return Number(await handle.jsonValue());
}

/** Whether `port` can be listened on at 127.0.0.1 now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port to listen on: the first free one of `BENCH_PORTS` (e.g. `3150-3159`, for a machine whose
 * users each have a range of ports), otherwise one the system picks.
 */
async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '');
  if (range) {
    for (let port = Number(range[1]); port <= Number(range[2]); port += 1) {
      if (await portIsFree(port)) return port;
    }
    throw new Error(`no free port in BENCH_PORTS=${process.env.BENCH_PORTS}`);
  }
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

type Server = { url: string; stop(): Promise<void> };

export async function startDemoServer(webDist = join(repositoryRoot, 'apps/web/dist')): Promise<Server> {
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`BM5 needs the built web app in ${webDist}: run \`pnpm --filter @crm/web build\` first`);
  }
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-bm5-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      WEB_DIST: webDist,
      SEED_DEMO: 'always',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const started = performance.now();
  // Seeding the demo takes ~30 s on a quiet machine, minutes on a busy one.
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(
    `  BM5 demo server (PGlite, ${dataDir}, ${webDist}) up with its demo data in ${round((performance.now() - started) / 1000, 1)} s\n`,
  );
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}.master-key`, { force: true });
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

type Request = { path: string; start: number; end: number };

/** Records the page's requests (document, scripts, styles, tRPC) relative to `origin`. */
function recordRequests(context: BrowserContext, origin: () => number): Request[] {
  const requests: Request[] = [];
  const started = new Map<object, number>();
  context.on('request', (request) => {
    started.set(request, performance.now());
  });
  context.on('requestfinished', (request) => {
    const url = new URL(request.url());
    const start = started.get(request) ?? performance.now();
    requests.push({
      path: decodeURIComponent(url.pathname.replace('/trpc/', '')),
      start: round(start - origin()),
      end: round(performance.now() - origin()),
    });
  });
  return requests;
}

async function signInCookies(browser: Browser, url: string): Promise<Cookie[]> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  // Sign-in lands on the workbench; sent from the list, it goes back there.
  await page.goto(`${url}/sign-in?redirect=%2Fcustomers`);
  await page.getByTestId('signin-email').fill(OWNER.email);
  await page.getByTestId('signin-password').fill(OWNER.password);
  await page.getByTestId('signin-submit').click();
  await page.waitForSelector(FIRST_ROW, { state: 'visible', timeout: 60_000 });
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

/** A fresh context with the session: navigation to `/customers` → the first row visible, in ms. */
async function coldOpen(browser: Browser, url: string, cookies: Cookie[], trace = false) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  await context.addCookies(cookies);
  await context.addInitScript(watchFirst({ row: FIRST_ROW }));
  const page = await context.newPage();
  let origin = 0;
  const requests = trace ? recordRequests(context, () => origin) : [];
  origin = performance.now();
  await page.goto(`${url}/customers`, { waitUntil: 'commit' });
  const ms = await firstSeen(page, 'row');
  await context.close();
  return { ms, requests };
}

/** A fresh context without a session: navigation to `/sign-in` → its email field visible, in ms. */
async function bareOpen(browser: Browser, url: string) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  await context.addInitScript(watchFirst({ email: EMAIL_FIELD }));
  const page = await context.newPage();
  await page.goto(`${url}/sign-in`, { waitUntil: 'commit' });
  const ms = await firstSeen(page, 'email');
  await context.close();
  return ms;
}

/** On the loaded sign-in page sent from the list: the click on 登录 → the first customer row visible, in ms. */
async function afterSignIn(browser: Browser, url: string) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  await context.addInitScript(watchFirst({ row: FIRST_ROW }));
  const page = await context.newPage();
  await page.goto(`${url}/sign-in?redirect=%2Fcustomers`);
  await page.getByTestId('signin-email').fill(OWNER.email);
  await page.getByTestId('signin-password').fill(OWNER.password);
  const clickedAt = await page.evaluate(() => {
    const page = globalThis as unknown as {
      document: { querySelector(selector: string): { click(): void } | null };
    };
    const at = performance.now();
    page.document.querySelector('[data-testid="signin-submit"]')?.click();
    return at;
  });
  const ms = (await firstSeen(page, 'row')) - clickedAt;
  await context.close();
  return ms;
}

export function launchChromium(): Promise<Browser> {
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

const loadAverage = () => round(loadavg()[0] ?? 0, 2);

/**
 * One front door per build, in front of the one demo server: every request goes on to the
 * server (the Origin rewritten to the server's own, which it requires of a sign-in), and the
 * app's HTML in the answer is replaced by this build's `index.html` — or, for the build the
 * server itself serves (`indexHtml` null), left as the server made it (with each page's
 * preloads). The server serves the assets of both builds (their file names are content
 * hashes), so the two builds differ in their HTML, scripts and styles only, and both pay the
 * same extra hop.
 */
async function frontDoor(
  serverUrl: string,
  indexHtml: string | null,
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(serverUrl);
  const door = createHttpServer((request, response) => {
    const headers = { ...request.headers, host: target.host };
    if (headers.origin) headers.origin = target.origin;
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers },
      (answer) => {
        const isHtml = String(answer.headers['content-type'] ?? '').startsWith('text/html');
        if (!isHtml || indexHtml === null) {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          return;
        }
        answer.resume();
        const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = answer.headers;
        response.writeHead(answer.statusCode ?? 502, {
          ...rest,
          'content-length': Buffer.byteLength(indexHtml),
        });
        response.end(indexHtml);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => door.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise((resolve) => door.close(() => resolve())),
  };
}

/**
 * This build against another (`BENCH_BM5_BASE_DIST`) on one demo server, in the same runs:
 * cold open, sign-in click → first row and the bare sign-in page of each, alternating which
 * build goes first. Figures: base ÷ project (above 1: this build is faster).
 */
async function compareBm5(baseDist: string, runs: number): Promise<BenchResult[]> {
  log(`\nBM5 comparison — this build against ${baseDist}, ${runs} runs, load average ${loadAverage()}\n`);
  const projectDist = join(repositoryRoot, 'apps/web/dist');
  const both = mkdtempSync(join(tmpdir(), 'crm-bm5-dist-'));
  cpSync(projectDist, both, { recursive: true });
  cpSync(join(baseDist, 'assets'), join(both, 'assets'), { recursive: true, force: false });
  const server = await startDemoServer(both);
  // The server serves this build (its index.html and route-preloads.json): its HTML as it answers.
  const project = await frontDoor(server.url, null);
  const base = await frontDoor(server.url, readFileSync(join(baseDist, 'index.html'), 'utf8'));
  const browser = await launchChromium();
  const figures = {
    project: { cold: [], signIn: [], bare: [] },
    base: { cold: [], signIn: [], bare: [] },
  } as Record<'project' | 'base', Record<'cold' | 'signIn' | 'bare', number[]>>;
  try {
    const servers = { project, base };
    const cookies = {
      project: await signInCookies(browser, project.url),
      base: await signInCookies(browser, base.url),
    };
    for (const side of ['project', 'base'] as const) {
      // Warm-up of each server (its first queries); every timed open is a fresh, empty context.
      await coldOpen(browser, servers[side].url, cookies[side]);
      await afterSignIn(browser, servers[side].url);
    }
    const loads: number[] = [loadAverage()];
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? (['project', 'base'] as const) : (['base', 'project'] as const);
      for (const side of order) {
        figures[side].cold.push((await coldOpen(browser, servers[side].url, cookies[side])).ms);
        figures[side].signIn.push(await afterSignIn(browser, servers[side].url));
        figures[side].bare.push(await bareOpen(browser, servers[side].url));
      }
      loads.push(loadAverage());
    }
    const results: BenchResult[] = [];
    const names = {
      cold: 'cold open /customers → first row',
      signIn: 'sign-in click → first row',
      bare: 'bare /sign-in → email field',
    } as const;
    for (const measure of ['cold', 'signIn', 'bare'] as const) {
      const projectMedian = round(median(figures.project[measure]));
      const baseMedian = round(median(figures.base[measure]));
      log(
        `  ${names[measure]}, ms — this build: ${figures.project[measure].map((ms) => round(ms)).join(', ')} (median ${projectMedian}); base: ${figures.base[measure].map((ms) => round(ms)).join(', ')} (median ${baseMedian})\n`,
      );
      results.push({
        id: `BM5 comparison: ${names[measure]}`,
        metric: 'ms (median); limit = the base build; ratio = base ÷ this build',
        project: projectMedian,
        limit: baseMedian,
        ratio: round(baseMedian / projectMedian, 3),
        ...(measure === 'bare' ? {} : { target: '≤ 1000 ms', met: projectMedian <= 1000 }),
      });
    }
    log(`  load average (1 min) over the runs: ${loads.join(' → ')}\n`);
    return results;
  } finally {
    await browser.close();
    await base.close();
    await project.close();
    await server.stop();
    rmSync(both, { recursive: true, force: true });
  }
}

export async function runBm5(): Promise<BenchResult[]> {
  const runs = Number(process.env.BENCH_BM5_RUNS ?? 7);
  const baseDist = process.env.BENCH_BM5_BASE_DIST;
  if (baseDist) return compareBm5(baseDist, runs);
  log('\nBM5 — the customer list cold in Chromium on the embedded demo\n');
  const server = await startDemoServer();
  const browser = await launchChromium();
  try {
    const cookies = await signInCookies(browser, server.url);
    const first = await coldOpen(browser, server.url, cookies, true);
    log(`  first cold open after start: ${round(first.ms)} ms; its requests (start → end, ms):\n`);
    for (const request of first.requests.sort((a, b) => a.start - b.start)) {
      log(`    ${String(request.start).padStart(5)} → ${String(request.end).padStart(5)}  ${request.path}\n`);
    }
    await bareOpen(browser, server.url);
    await afterSignIn(browser, server.url);
    const cold: number[] = [];
    const bare: number[] = [];
    const signIn: number[] = [];
    for (let run = 0; run < runs; run++) {
      cold.push((await coldOpen(browser, server.url, cookies)).ms);
      bare.push(await bareOpen(browser, server.url));
      signIn.push(await afterSignIn(browser, server.url));
    }
    const project = round(median(cold));
    const limit = round(median(bare));
    const afterSignInMs = round(median(signIn));
    log(
      `  cold open /customers → first row, ms: ${cold.map((ms) => round(ms)).join(', ')} (median ${project})\n`,
    );
    log(
      `  bare /sign-in → email field, ms:      ${bare.map((ms) => round(ms)).join(', ')} (median ${limit})\n`,
    );
    log(
      `  sign-in click → first row, ms:        ${signIn.map((ms) => round(ms)).join(', ')} (median ${afterSignInMs})\n`,
    );
    return [
      {
        id: 'BM5 customer list first rows, cold (Chromium, embedded demo)',
        metric: 'ms, navigation → first row (median)',
        project,
        limit,
        ratio: round(limit / project, 3),
        target: '≤ 1000 ms',
        met: project <= 1000,
      },
      {
        id: 'BM5 first rows after sign-in',
        metric: 'ms, sign-in click → first row (median)',
        project: afterSignInMs,
        limit,
        ratio: round(limit / afterSignInMs, 3),
        target: '≤ 1000 ms',
        met: afterSignInMs <= 1000,
      },
      {
        id: 'BM5 first cold open after server start',
        metric: 'ms, navigation → first row (one run)',
        project: round(first.ms),
        limit,
        ratio: round(limit / first.ms, 3),
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
