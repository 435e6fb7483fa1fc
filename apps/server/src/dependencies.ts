import {
  type ApiDependencies,
  type AppJobs,
  createKeyring,
  generateMasterKey,
  hasInstalledKeyring,
  installEmailSettings,
  installKeyring,
  type Keyring,
  type Logger,
  onKeyEvent,
  type PluginRegistry,
  pluginTierSource,
  registerJobs,
  type SmtpSettings,
} from '@crm/api';
import {
  DEFAULT_SESSION_POLICY,
  LoginRateLimiter,
  type LoginRateLimits,
  sessionCookieFor,
  TenantGate,
  type TenantGateOptions,
  TenantRateLimiter,
} from '@crm/auth';
import type { CrmDatabase } from '@crm/db';
import { createJobQueue } from '@crm/jobs';
import { createServerPluginRegistry } from './plugins';

/** Wires the long-lived parts every request shares. The job queue is created, not started. */
export function createDependencies(
  database: CrmDatabase,
  logger: Logger,
  publicUrl: string,
  rateLimits?: LoginRateLimits,
  /**
   * The master key for sensitive fields (main.ts: from MASTER_KEY or the embedded key file).
   * Left out (tests, benchmarks): a random key for this process, unless one is installed.
   */
  keyring?: Keyring,
  /** The industry plugins (main.ts and tests: built from apps/server/src/plugins.ts by default). */
  plugins?: PluginRegistry,
  /** Re-tier after touches (main.ts: TIERING_RERANK_LIMIT). */
  tiering: { rerankLimit?: number } = {},
  /** Outbound email (main.ts: the SMTP_* variables). Left out: the dev mailbox. */
  email: { smtp: SmtpSettings | null; from?: string } = { smtp: null },
  /** What this process runs of the job queue (main.ts: from ROLE). Default: workers and the scheduler. */
  queue: { workers: boolean; scheduler: boolean } = { workers: true, scheduler: true },
  /**
   * Requests per tenant per minute (main.ts: TENANT_REQUESTS_PER_MINUTE, default
   * DEFAULT_TENANT_REQUESTS_PER_MINUTE). Left out (tests, benchmarks): unlimited.
   */
  tenantRequestsPerMinute = 0,
  /**
   * Requests per tenant served at once by this process and waiting for it (main.ts:
   * TENANT_CONCURRENT_REQUESTS, TENANT_WAITING_REQUESTS). Left out (tests, benchmarks): no cap.
   */
  tenantConcurrency: TenantGateOptions = { maxInFlight: Number.POSITIVE_INFINITY },
): ApiDependencies {
  installEmailSettings({
    publicUrl,
    smtp: email.smtp,
    from: email.from ?? `CRM <no-reply@${new URL(publicUrl).hostname}>`,
  });
  if (keyring) installKeyring(keyring);
  else if (!hasInstalledKeyring()) installKeyring(createKeyring(generateMasterKey()));
  // Key lifecycle events, never key material.
  onKeyEvent((event) =>
    event.event === 'encryption_limit_near'
      ? logger.warn(event, 'sensitive fields: data key nears its encryption limit')
      : logger.info(event, 'sensitive fields: data key'),
  );
  const registry = plugins ?? createServerPluginRegistry(logger);
  const jobs = createJobQueue<AppJobs>({ database, logger, ...queue });
  registerJobs(jobs, database, logger, pluginTierSource(registry), tiering, registry);
  return {
    database,
    logger,
    jobs,
    plugins: registry,
    rateLimiter: new LoginRateLimiter(rateLimits, database),
    tenantRateLimiter:
      tenantRequestsPerMinute > 0
        ? new TenantRateLimiter({ perMinute: tenantRequestsPerMinute }, database)
        : undefined,
    tenantGate: new TenantGate(tenantConcurrency),
    sessionCookie: sessionCookieFor(publicUrl),
    sessionPolicy: DEFAULT_SESSION_POLICY,
  };
}
