import { permittedProcedure, router } from '../trpc';
import {
  dashboardInput,
  dashboardOutput,
  filterOptionsOutput,
  kpiTargetsOutput,
  setKpiTargetInput,
  workbenchInput,
  workbenchOutput,
} from './dashboards.schemas';
import {
  listFilterOptions,
  listKpiTargets,
  readDashboard,
  readWorkbench,
  setKpiTarget,
} from './dashboards.service';

/**
 * Dashboards (数据看板) and the workbench (工作台): reading needs customers.read and counts
 * only what the member sees (record access); setting a KPI's target is the tenant's setting
 * (tenant.update). The customers behind a figure are the customer list's `kpi` filter.
 */
export const dashboardsRouter = router({
  get: permittedProcedure('customers.read')
    .input(dashboardInput)
    .output(dashboardOutput)
    .query(({ ctx, input }) => readDashboard(ctx.scope, ctx, input)),

  workbench: permittedProcedure('customers.read')
    .input(workbenchInput)
    .output(workbenchOutput)
    .query(({ ctx, input }) => readWorkbench(ctx.scope, ctx, input)),

  filters: permittedProcedure('customers.read')
    .output(filterOptionsOutput)
    .query(({ ctx }) => listFilterOptions(ctx.scope)),

  targets: permittedProcedure('customers.read')
    .output(kpiTargetsOutput)
    .query(({ ctx }) => listKpiTargets(ctx.scope, ctx)),

  setTarget: permittedProcedure('tenant.update', { idempotent: true })
    .input(setKpiTargetInput)
    .output(kpiTargetsOutput)
    .mutation(({ ctx, input }) => setKpiTarget(ctx.scope, ctx, input)),
});
