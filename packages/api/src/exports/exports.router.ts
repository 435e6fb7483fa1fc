import { hasPermission } from '@crm/auth';
import { z } from 'zod';
import { customerConditions, loadDefinitions, sortSpecOf } from '../customers/list-query';
import { appError } from '../errors';
import { permittedProcedure, router } from '../trpc';
import { countActiveRuns, findRun, listRuns, MAX_RUNNING_EXPORTS, toRunOutput } from './exports.repository';
import { createExportInput, exportRunOutput } from './exports.schemas';
import { ENTITY_FILE_NAMES } from './labels';

/** Owners and admins may open any export of the tenant; everyone else only their own. */
export const seesAllExports = (role: string) => role === 'owner' || role === 'admin';

/** 客户_2026-11-22.csv: the list's name and the day in Beijing time. */
function fileNameFor(entity: keyof typeof ENTITY_FILE_NAMES, format: string, locale: 'zh-CN' | 'en') {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return `${ENTITY_FILE_NAMES[entity][locale]}_${day}.${format}`;
}

export const exportsRouter = router({
  /**
   * Queues an export of a list as it is filtered, sorted and shown; the job builds the file.
   * Sales reps cannot export (no `customers.export`); revealing sensitive values needs
   * `sensitive.reveal` and is audited per customer.
   */
  create: permittedProcedure('customers.export', { idempotent: true })
    .input(createExportInput)
    .output(exportRunOutput)
    .mutation(async ({ ctx, input }) => {
      const revealSensitive = input.entity === 'customers' && input.revealSensitive;
      if (revealSensitive && !hasPermission(ctx.role, 'sensitive.reveal')) throw appError('FORBIDDEN');
      const userId = ctx.auth.user.id;
      const running = await countActiveRuns(ctx.trx, ctx.tenantId, userId);
      if (running >= MAX_RUNNING_EXPORTS) throw appError('EXPORT_TOO_MANY_RUNNING', { count: running });
      let sort = {};
      if (input.entity === 'customers') {
        // Refused now, with a message, rather than failing in the job: unknown custom fields
        // in the filters or sort.
        const definitions = await loadDefinitions(ctx.trx, ctx.tenantId);
        sortSpecOf(input.sort.sort, definitions);
        ctx.trx
          .selectFrom('customers')
          .select('id')
          .where(customerConditions(ctx.tenantId, input.filters, definitions))
          .compile();
        sort = input.sort;
      }
      const run = await ctx.trx
        .insertInto('export_runs')
        .values({
          tenant_id: ctx.tenantId,
          entity: input.entity,
          format: input.format,
          locale: ctx.locale,
          filters: JSON.stringify(input.filters),
          columns: JSON.stringify(input.columns),
          sort: JSON.stringify(sort),
          reveal_sensitive: revealSensitive,
          file_name: fileNameFor(input.entity, input.format, ctx.locale),
          created_by: userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.jobs.enqueue(
        'exports.run',
        { tenantId: ctx.tenantId, runId: run.id },
        { trx: ctx.trx, id: run.id, retryLimit: 2, expireInSeconds: 60 * 60 },
      );
      return toRunOutput(run, ctx.locale);
    }),

  get: permittedProcedure('customers.export')
    .input(z.strictObject({ id: z.uuid() }))
    .output(exportRunOutput)
    .query(async ({ ctx, input }) => {
      const owner = seesAllExports(ctx.role) ? null : ctx.auth.user.id;
      return toRunOutput(await findRun(ctx.trx, ctx.tenantId, input.id, owner), ctx.locale);
    }),

  /** The member's own recent exports (files are kept 24 hours). */
  list: permittedProcedure('customers.export')
    .input(z.strictObject({ limit: z.number().int().min(1).max(50).default(20) }).default({ limit: 20 }))
    .output(z.array(exportRunOutput))
    .query(async ({ ctx, input }) => {
      const runs = await listRuns(ctx.trx, ctx.tenantId, ctx.auth.user.id, input.limit);
      return runs.map((run) => toRunOutput(run, ctx.locale));
    }),
});
