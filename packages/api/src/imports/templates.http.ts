import { type ApiDependencies, createContext, type RequestInfo } from '../context';
import { createCallerFactory, permittedProcedure, router } from '../trpc';
import { failure, type HttpFailure } from './http';
import { templateInput } from './imports.schemas';
import { downloadTemplate } from './imports.service';
import type { TemplateFile } from './templates';

/**
 * The procedure behind GET /api/imports/template (a file download is not a JSON call): a
 * tenant procedure like every other, run through the same session check, tenant transaction
 * and permission check as /trpc; not part of the tRPC router.
 */
const templateRouter = router({
  template: permittedProcedure('customers.import')
    .input(templateInput)
    .query(({ ctx, input }) => downloadTemplate(ctx.scope, input)),
});

const createTemplateCaller = createCallerFactory(templateRouter);

/** GET /api/imports/template?kind=customers&format=xlsx&locale=en: an import template. */
export async function openImportTemplate(
  dependencies: ApiDependencies,
  request: RequestInfo,
  query: Record<string, string>,
): Promise<{ ok: true; file: TemplateFile } | HttpFailure> {
  const caller = createTemplateCaller(await createContext(dependencies, request));
  try {
    return { ok: true, file: await caller.template(query as never) };
  } catch (error) {
    return failure(error, request.locale);
  }
}
