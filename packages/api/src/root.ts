import { authRouter } from './auth/auth.router';
import { customersRouter } from './customers/customers.router';
import { membersRouter } from './members/members.router';
import { tenantsRouter } from './tenants/tenants.router';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  customers: customersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
