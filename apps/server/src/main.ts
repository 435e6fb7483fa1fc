import { Server as HttpServer } from 'node:http';
import {
  installKeyring,
  jobScope,
  type Keyring,
  pluginTierSource,
  refreshCompleteness,
  refreshCustomerFacts,
  retierTenant,
  runMorningNotifications,
  runReminders,
  scheduleJobs,
  seedDemoSecrets,
  syncAllPlanCadences,
  syncAllPluginCustomFields,
  syncAllPluginLifecycles,
} from '@crm/api';
import { hashPassword } from '@crm/auth';
import { checkRuntimeRole, openDatabase } from '@crm/db';
import { DEMO_PASSWORD, seedDemoData, seedDemoSurveys } from '@crm/db/seed';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp, createProbeApp } from './app';
import { createDependencies } from './dependencies';
import { emailFromOf, loadEnv, smtpOf } from './env';
import { MasterKeyMissingError, resolveKeyring } from './master-key';
import { createMetrics } from './metrics';

const env = loadEnv();
const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: 'crm' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

if (env.ROLE !== 'all' && !env.DATABASE_URL) {
  logger.fatal(
    { role: env.ROLE },
    'ROLE=web and ROLE=worker need a PostgreSQL server (DATABASE_URL): the embedded database serves one process that does everything (ROLE=all)',
  );
  process.exit(1);
}

const database = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  ownerDatabaseUrl: env.DATABASE_OWNER_URL,
  dataDir: env.DATA_DIR,
  maxConnections: env.DATABASE_POOL_SIZE,
  pooler: env.DATABASE_POOLER === 'pgbouncer' ? 'pgbouncer' : undefined,
  replicaUrl: env.DATABASE_REPLICA_URL,
  replicaWaitMs: env.DATABASE_REPLICA_WAIT_MS,
});
await database.migrate();

if (database.kind === 'postgres') {
  const report = await checkRuntimeRole(database);
  if (report.violations.length > 0) {
    logger.fatal(
      { currentUser: report.currentUser, sessionUser: report.sessionUser, violations: report.violations },
      'Refusing to start: the database role can bypass row-level security. Connect DATABASE_URL as crm_app (see README).',
    );
    await database.close();
    process.exit(1);
  }
} else {
  logger.warn(
    { dataDir: env.DATA_DIR },
    'Embedded database: tenant isolation guards against application bugs only; use a PostgreSQL server in production (docs/tenancy-and-auth.md)',
  );
}

let keyring: Keyring;
try {
  keyring = resolveKeyring(env, database.kind, logger);
  installKeyring(keyring);
} catch (error) {
  if (!(error instanceof MasterKeyMissingError)) throw error;
  logger.fatal({ database: database.kind }, error.message);
  await database.close();
  process.exit(1);
}

const dependencies = createDependencies(
  database,
  logger,
  env.PUBLIC_URL,
  undefined,
  keyring,
  undefined,
  { rerankLimit: env.TIERING_RERANK_LIMIT },
  { smtp: smtpOf(env), from: emailFromOf(env) },
  { workers: env.ROLE !== 'web', scheduler: env.ROLE !== 'web' },
  env.TENANT_REQUESTS_PER_MINUTE,
  {
    maxInFlight:
      env.TENANT_CONCURRENT_REQUESTS > 0 ? env.TENANT_CONCURRENT_REQUESTS : Number.POSITIVE_INFINITY,
    maxWaiting: env.TENANT_WAITING_REQUESTS,
  },
);
if (!smtpOf(env))
  logger.info(
    'Outbound email: no SMTP server configured (SMTP_URL or SMTP_HOST); emails go to the dev mailbox, 设置 → 邮件',
  );

const isEmpty = await database.withScope(
  {},
  async (trx) => !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()),
);
const shouldSeed = env.SEED_DEMO === 'always' || (env.SEED_DEMO === 'auto' && database.kind === 'pglite');
if (isEmpty && shouldSeed) {
  // Each demo tenant gets the custom fields of its industry plugin, as the server loaded them.
  const result = await seedDemoData(database, await hashPassword(DEMO_PASSWORD), undefined, {
    plugins: dependencies.plugins.plugins,
  });
  // Transaction facts, stages, system tags, completeness and tiers come from the data, by the product's own SQL.
  const tierSource = pluginTierSource(dependencies.plugins);
  for (const tenant of result.tenants) {
    await database.withTenant(tenant.id, async (trx) => {
      await refreshCustomerFacts(jobScope(trx, tenant.id), 'all', 'daily');
      await refreshCompleteness(jobScope(trx, tenant.id), 'all');
      const source = await tierSource(trx, tenant.id);
      if (source) await retierTenant(trx, tenant.id, 'retier', null, source);
    });
  }
  // A year of survey answers per tier, with the follow-ups of the unhappy ones (after the tiers:
  // a response keeps its customer's tier).
  await seedDemoSurveys(database, result.tenants, dependencies.plugins.plugins);
  // The reminders' first run, as the daily job makes them: first-order call-backs, birthday
  // and festival greetings in the coming days, each under its occasion's key.
  for (const tenant of result.tenants) {
    await database.withTenant(tenant.id, (trx) =>
      runReminders(jobScope(trx, tenant.id), dependencies.plugins),
    );
  }
  // This morning's notifications (tasks due today, just overdue) and digest emails, so the
  // bell and 设置 → 邮件 show what a real morning brings.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  for (const tenant of result.tenants) {
    await database.withTenant(tenant.id, (trx) => runMorningNotifications(jobScope(trx, tenant.id), today));
  }
  // A few customers with a national ID and bank card, encrypted like any other.
  await seedDemoSecrets(
    database,
    result.tenants.map((tenant) => tenant.id),
  );
  const lines = [
    '',
    '演示数据已创建 / Demo data created',
    ...result.tenants.map((tenant) => `  · ${tenant.name} (${tenant.industry})`),
    `登录地址 / Sign in at ${env.PUBLIC_URL}  密码 / password: ${DEMO_PASSWORD}`,
    ...result.users.map((user) => `  ${user.email.padEnd(38)} ${user.roles}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

// Every tenant on a loaded industry plugin has that plugin's custom fields (idempotent: a
// plugin upgrade's new or relabelled fields arrive, nothing else changes).
await syncAllPluginCustomFields(database, dependencies.plugins, logger);
// The lifecycle thresholds in force are the profile's settings (行业配置): a plugin upgrade's new
// default reaches every tenant that did not override it, and its stages are re-derived.
await syncAllPluginLifecycles(database, dependencies.plugins, logger);

// Workers, maintenance and cron run in this process (a separate worker process when scaled).
await dependencies.jobs.start();
await scheduleJobs(dependencies.jobs);
// The contact cadences in force follow the profile's settings (a plugin upgrade's new cadence
// reaches every tenant); tenants whose cadences changed — every tenant on first start — are re-planned.
await syncAllPlanCadences(database, dependencies.plugins, logger, dependencies.jobs);
let shuttingDown = false;
const metrics = env.METRICS_TOKEN ? createMetrics(dependencies) : undefined;
// A worker answers only its probes; a web process (or the one process of ROLE=all) everything.
const app =
  env.ROLE === 'worker'
    ? createProbeApp(
        dependencies,
        () => !shuttingDown,
        metrics && env.METRICS_TOKEN ? { metrics, token: env.METRICS_TOKEN } : undefined,
      )
    : createApp({
        dependencies,
        publicUrl: env.PUBLIC_URL,
        trustProxyHops: env.TRUST_PROXY_HOPS,
        webDist: env.WEB_DIST,
        importMaxBytes: env.IMPORT_MAX_MB * 1024 * 1024,
        isReady: () => !shuttingDown,
        inboundHookSecret: env.INBOUND_HOOK_SECRET ?? null,
        metrics,
        metricsToken: env.METRICS_TOKEN,
      });

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  logger.info(
    { port: info.port, host: env.HOST, database: database.kind, role: env.ROLE },
    env.ROLE === 'worker' ? `CRM worker (probes on port ${info.port})` : `CRM listening on ${env.PUBLIC_URL}`,
  );
});
// An idle keep-alive connection stays open longer than clients and proxies keep theirs (browsers,
// load balancers: 60 s), so the server never closes one just as a client sends its next request on
// it (which the client sees as ECONNRESET). Node's default is 5 s.
if (server instanceof HttpServer) {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  const forceExit = setTimeout(() => {
    logger.error('shutdown timed out after 10 s');
    process.exit(1);
  }, 10_000);
  forceExit.unref();
  server.close(async () => {
    await dependencies.jobs.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  });
  // Idle keep-alive sockets would hold close() open.
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
