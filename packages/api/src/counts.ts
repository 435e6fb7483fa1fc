import type { Database, Transaction } from '@crm/db';
import { type Expression, sql } from 'kysely';
import { z } from 'zod';

/**
 * How many rows a list's filters match, as every list's "共 N 条" shows it: exact while that
 * is cheap, an estimate beyond. Lists fetch it from a procedure of its own, in parallel with
 * the page, so a count never slows the rows down.
 */
export const countOutput = z.object({
  /** The number of matching rows; an estimate when `exact` is false. */
  total: z.number().int().nonnegative(),
  exact: z.boolean(),
});
export type CountOutput = z.infer<typeof countOutput>;

/**
 * Up to `exactUpTo` matching rows are counted exactly: the count reads at most that many
 * rows plus one (`select count(*) from (… limit exactUpTo + 1)`), and within `budgetMs` (a
 * statement timeout under a savepoint). Beyond the cap, or when the count would take longer
 * (a selective filter no index serves reads every candidate row), the planner's row estimate
 * for the same filtered statement, under the same row-level security and record access, is
 * returned — never below what was counted. Measured in docs/benchmarks.md (BM2 counts).
 * Tests lower both.
 */
export const countLimits = { exactUpTo: 10_000, budgetMs: 50 };

const QUERY_CANCELED = '57014';

/** Runs `work` under a statement timeout of `budgetMs`; null when it ran out of time. */
async function withinBudget<T>(trx: Transaction<Database>, work: () => Promise<T>): Promise<T | null> {
  await sql`savepoint crm_count`.execute(trx);
  const previous = await sql<{ value: string }>`select current_setting('statement_timeout') as value`.execute(
    trx,
  );
  await sql`select set_config('statement_timeout', ${`${countLimits.budgetMs}ms`}, true)`.execute(trx);
  try {
    const result = await work();
    await sql`select set_config('statement_timeout', ${previous.rows[0]?.value ?? '0'}, true)`.execute(trx);
    await sql`release savepoint crm_count`.execute(trx);
    return result;
  } catch (error) {
    if ((error as { code?: unknown }).code !== QUERY_CANCELED) throw error;
    // Back to before the count: the transaction is usable again, the timeout as it was.
    await sql`rollback to savepoint crm_count`.execute(trx);
    await sql`release savepoint crm_count`.execute(trx);
    return null;
  }
}

type PlanNode = { Plan?: { 'Plan Rows'?: number } };

/** The planner's row estimate of EXPLAIN (FORMAT JSON) output, however the driver returns it. */
function planRows(value: unknown): number | null {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const root = (Array.isArray(parsed) ? parsed[0] : parsed) as PlanNode | undefined;
  const rows = root?.Plan?.['Plan Rows'];
  return typeof rows === 'number' && Number.isFinite(rows) ? rows : null;
}

/** An estimate shown as "约 N 条": two significant digits (1,234,567 → 1,200,000). */
function roundEstimate(value: number): number {
  if (value < 100) return Math.round(value);
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/**
 * Counts the rows of `rows` — a statement selecting the matching rows of a list, with its
 * filters, tenant and record access, and no order or limit — on the request's RLS-bound
 * executor.
 */
export async function countRows(trx: Transaction<Database>, rows: Expression<unknown>): Promise<CountOutput> {
  const cap = countLimits.exactUpTo;
  const counted = await withinBudget(trx, () =>
    sql<{ n: number }>`select count(*)::int as n from (${rows} limit ${cap + 1}) capped`.execute(trx),
  );
  const n = counted ? (counted.rows[0]?.n ?? 0) : null;
  if (n !== null && n <= cap) return { total: n, exact: true };
  const plan = await sql<Record<string, unknown>>`explain (format json) ${rows}`.execute(trx);
  const estimate = roundEstimate(planRows(Object.values(plan.rows[0] ?? {})[0]) ?? 0);
  return { total: n === null ? estimate : Math.max(cap + 1, estimate), exact: false };
}
