import { permittedProcedure, router } from '../trpc';
import { authEventOutput, listAuthEventsInput } from './auth-events.schemas';
import { listAuthEvents } from './auth-events.service';

/** 成员 → 登录与密钥日志: the tenant's auth events, newest first (docs/tenancy-and-auth.md). */
export const authEventsRouter = router({
  list: permittedProcedure('members.manage')
    .input(listAuthEventsInput)
    .output(authEventOutput.array())
    .query(({ ctx, input }) => listAuthEvents(ctx.scope, input?.limit ?? 100)),
});
