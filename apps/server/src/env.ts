import { fileURLToPath } from 'node:url';
import { DEFAULT_TENANT_MAX_IN_FLIGHT } from '@crm/auth';
import { z } from 'zod';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * What this process does (docs/scaling.md): \`all\` — the web app and the background jobs
   * (the default, and the only choice on the embedded database); \`web\` — requests only,
   * jobs are enqueued for the workers; \`worker\` — background jobs and the cron scheduler,
   * with only /healthz and /readyz on PORT. Any number of each behind a load balancer.
   */
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  HOST: z.string().default('127.0.0.1'),
  /** Unset: the embedded database in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** The owner role, for migrations at start. Defaults to DATABASE_URL. */
  DATABASE_OWNER_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * `pgbouncer`: DATABASE_URL goes through PgBouncer in transaction mode (docs/scaling.md);
   * DATABASE_OWNER_URL must then reach PostgreSQL directly, for migrations.
   */
  DATABASE_POOLER: z.enum(['none', 'pgbouncer']).default('none'),
  /**
   * A streaming replica (hot standby) of DATABASE_URL's server, as the same runtime role:
   * exports read from it once it has caught up (docs/scaling.md). Unset: all reads go to
   * DATABASE_URL.
   */
  DATABASE_REPLICA_URL: z.string().url().optional(),
  /** How long an export waits for the replica to catch up before it reads from the primary. */
  DATABASE_REPLICA_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  DATA_DIR: z.string().default(`${repositoryRoot}.data/pglite`),
  /** The address users open; decides the cookie's Secure/__Host- form and the allowed Origin. */
  PUBLIC_URL: z.string().url().optional(),
  /** 32 bytes, base64: wraps each tenant's data key for sensitive fields. */
  MASTER_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'MASTER_KEY must be 32 bytes in base64')
    .optional(),
  /**
   * The master key being replaced, during a master-key rotation only: keys it wrapped stay
   * readable until `pnpm keys:rotate --master` has re-wrapped them (docs/sensitive-data.md).
   */
  MASTER_KEY_PREVIOUS: z
    .string()
    .refine(
      (value) => Buffer.from(value, 'base64').length === 32,
      'MASTER_KEY_PREVIOUS must be 32 bytes in base64',
    )
    .optional(),
  /** How many reverse proxies in front append to X-Forwarded-For; 0 trusts only the socket. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /**
   * Serves Prometheus metrics at /metrics to requests with \`Authorization: Bearer <token>\`
   * (docs/scaling.md). Unset: no /metrics.
   */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Demo tenants on the first start of an empty embedded database. */
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  /** The largest file an import upload may send, in MB. */
  IMPORT_MAX_MB: z.coerce.number().int().min(1).max(10240).default(1024),
  /**
   * Tenants up to this many active customers whose tier model ranks customers against each
   * other are re-ranked whole after a customer changes; larger ones mark it 待重算 until the
   * nightly run (docs/tiering.md).
   */
  TIERING_RERANK_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(50_000),
  /**
   * Requests one tenant's members may make of the app's API per minute, all together
   * (SECURITY.md T5.9, docs/scaling.md); 0 turns the limit off.
   */
  TENANT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6000),
  /**
   * Requests of one tenant this process serves at once; more wait their turn, up to
   * TENANT_WAITING_REQUESTS waiting for at most 5 s, then 429 TENANT_BUSY (SECURITY.md T5.9,
   * docs/scaling.md). Default half the machine's CPUs, at least 1; 0 turns the cap off.
   */
  TENANT_CONCURRENT_REQUESTS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(DEFAULT_TENANT_MAX_IN_FLIGHT),
  TENANT_WAITING_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(64),
  WEB_DIST: z.string().default(`${repositoryRoot}apps/web/dist`),
  /**
   * Outbound email (docs/maintenance.md): an SMTP server as one URL (smtp://user:pass@host:587,
   * smtps://…:465), or as SMTP_HOST and the fields below. Unset: emails go to the dev mailbox
   * (设置 → 邮件) and leave nothing.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL starts with smtp:// or smtps://')
    .optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** The From of every email, e.g. `客户管理 <crm@example.com>`. Default: no-reply at PUBLIC_URL's host. */
  SMTP_FROM: z.string().optional(),
  /**
   * The reply hook's HMAC secret (docs/leads-and-pipeline.md): an inbound mail gateway signs
   * POST /hooks/inbound-reply with it. Unset: the hook answers 404.
   */
  INBOUND_HOOK_SECRET: z.string().min(32, 'INBOUND_HOOK_SECRET needs at least 32 characters').optional(),
});

export type Env = z.infer<typeof envSchema> & { PUBLIC_URL: string };

/** The SMTP server of the SMTP_* variables, or null for the dev mailbox. */
export function smtpOf(
  env: Env,
): { url?: string; host?: string; port?: number; user?: string; pass?: string } | null {
  if (env.SMTP_URL) return { url: env.SMTP_URL };
  if (env.SMTP_HOST)
    return { host: env.SMTP_HOST, port: env.SMTP_PORT, user: env.SMTP_USER, pass: env.SMTP_PASS };
  return null;
}

/** The From header: SMTP_FROM, or no-reply at the host users open. */
export function emailFromOf(env: Env): string {
  return env.SMTP_FROM ?? `CRM <no-reply@${new URL(env.PUBLIC_URL).hostname}>`;
}

/** The one place the server reads process.env. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable (`DATABASE_URL=`) means unset.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  if (parsed.data.DATABASE_REPLICA_URL && !parsed.data.DATABASE_URL)
    throw new Error(
      'Invalid configuration:\n  DATABASE_REPLICA_URL: needs DATABASE_URL — a replica is a copy of a PostgreSQL server, not of the embedded database',
    );
  if (parsed.data.DATABASE_POOLER === 'pgbouncer' && !parsed.data.DATABASE_OWNER_URL)
    throw new Error(
      'Invalid configuration:\n  DATABASE_OWNER_URL: required with DATABASE_POOLER=pgbouncer — migrations connect to PostgreSQL directly',
    );
  return { ...parsed.data, PUBLIC_URL: parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}` };
}
