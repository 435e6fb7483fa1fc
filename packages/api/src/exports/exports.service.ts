import type { ValidatedSession } from '@crm/auth';
import { hasPermission } from '@crm/auth';
import type { Context, TenantContext } from '../context';
import { customerConditions, loadDefinitions, sortSpecOf } from '../customers/list-query';
import { appError } from '../errors';
import { countActiveRuns, insertRun, MAX_RUNNING_EXPORTS, toRunOutput } from './exports.repository';
import type { CreateExportInput } from './exports.schemas';
import { ENTITY_FILE_NAMES } from './labels';

/** 客户_2026-11-22.csv: the list's name and the day in Beijing time. */
function fileNameFor(entity: keyof typeof ENTITY_FILE_NAMES, format: string, locale: 'zh-CN' | 'en') {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return `${ENTITY_FILE_NAMES[entity][locale]}_${day}.${format}`;
}

/**
 * Queues an export of a list as it is filtered, sorted and shown; the job builds the file.
 * Revealing sensitive values needs `sensitive.reveal` and is audited per customer by the job.
 */
export async function createExport(
  ctx: Context & TenantContext & { auth: ValidatedSession },
  input: CreateExportInput,
) {
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
  const run = await insertRun(ctx.trx, {
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
  });
  await ctx.jobs.enqueue(
    'exports.run',
    { tenantId: ctx.tenantId, runId: run.id },
    { trx: ctx.trx, id: run.id, retryLimit: 2, expireInSeconds: 60 * 60 },
  );
  return toRunOutput(run, ctx.locale);
}
