import type { z } from 'zod';
import { adminRouter } from './admin/admin.router';
import { apiKeysRouter } from './api-keys/api-keys.router';
import { assignmentRouter } from './assignment/assignment.router';
import { authRouter } from './auth/auth.router';
import { authEventsRouter } from './auth-events/auth-events.router';
import { calendarRouter } from './calendar/calendar.router';
import { contactsRouter } from './contacts/contacts.router';
import { customFieldsRouter } from './custom-fields/custom-fields.router';
import { customersRouter } from './customers/customers.router';
import { dashboardsRouter } from './dashboards/dashboards.router';
import { duplicatesRouter } from './duplicates/duplicates.router';
import { emailRouter } from './email/email.router';
import { exportsRouter } from './exports/exports.router';
import { importsRouter } from './imports/imports.router';
import { industryRouter } from './industry/industry.router';
import { interactionsRouter } from './interactions/interactions.router';
import { leadEventsRouter } from './lead-events/lead-events.router';
import { leadsRouter } from './leads/leads.router';
import { loyaltyRouter } from './loyalty/loyalty.router';
import { marketingRouter } from './marketing/marketing.router';
import { membersRouter } from './members/members.router';
import { notificationsRouter } from './notifications/notifications.router';
import { opportunitiesRouter } from './opportunities/opportunities.router';
import { ordersRouter } from './orders/orders.router';
import { plansRouter } from './plans/plans.router';
import { poolRouter } from './pool/pool.router';
import { remindersRouter } from './reminders/reminders.router';
import { salesRouter } from './sales/sales.router';
import { settingsRouter } from './settings/settings.router';
import { surveysRouter } from './surveys/surveys.router';
import { tagsRouter } from './tags/tags.router';
import { tasksRouter } from './tasks/tasks.router';
import { teamsRouter } from './teams/teams.router';
import { tenantsRouter } from './tenants/tenants.router';
import { ticketsRouter } from './tickets/tickets.router';
import { createCallerFactory, inputSchemaOfParser, type Meta, router } from './trpc';
import { viewsRouter } from './views/views.router';
import { webhooksRouter } from './webhooks/webhooks.router';
import { wecomRouter } from './wecom/wecom.router';

export const appRouter = router({
  auth: authRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  customers: customersRouter,
  duplicates: duplicatesRouter,
  contacts: contactsRouter,
  orders: ordersRouter,
  interactions: interactionsRouter,
  admin: adminRouter,
  teams: teamsRouter,
  leadEvents: leadEventsRouter,
  leads: leadsRouter,
  marketing: marketingRouter,
  tags: tagsRouter,
  tasks: tasksRouter,
  plans: plansRouter,
  customFields: customFieldsRouter,
  views: viewsRouter,
  exports: exportsRouter,
  settings: settingsRouter,
  imports: importsRouter,
  industry: industryRouter,
  calendar: calendarRouter,
  notifications: notificationsRouter,
  email: emailRouter,
  reminders: remindersRouter,
  surveys: surveysRouter,
  tickets: ticketsRouter,
  dashboards: dashboardsRouter,
  opportunities: opportunitiesRouter,
  apiKeys: apiKeysRouter,
  authEvents: authEventsRouter,
  webhooks: webhooksRouter,
  assignment: assignmentRouter,
  pool: poolRouter,
  wecom: wecomRouter,
  sales: salesRouter,
  loyalty: loyaltyRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

export type ProcedureInfo = {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  meta: Meta | undefined;
};

/**
 * The zod schemas of a procedure's input, outermost first (a base procedure's, then its own);
 * the input fuzzer derives its values from them.
 */
export function procedureInputSchemas(path: string): z.ZodType[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>;
  const procedure = procedures[path];
  if (!procedure) throw new Error(`No procedure ${path}`);
  return procedure._def.inputs.flatMap((parser) => {
    const schema = inputSchemaOfParser(parser);
    return schema ? [schema] : [];
  });
}

/** Every procedure of the router, read from the router itself (the test suites enumerate this). */
export function listProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureInfo['type']; meta?: Meta } }
  >;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({ path, type: procedure._def.type, meta: procedure._def.meta }))
    .sort((left, right) => left.path.localeCompare(right.path));
}
