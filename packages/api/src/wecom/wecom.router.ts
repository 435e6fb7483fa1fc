import { permittedProcedure, router } from '../trpc';
import {
  saveWecomBindingInput,
  saveWecomSettingsInput,
  wecomBindingOutput,
  wecomMessageOutput,
  wecomSettingsOutput,
} from './wecom.schemas';
import {
  getWecomSettings,
  listWecomBindings,
  recentWecomMessages,
  saveWecomBinding,
  saveWecomSettings,
  sendWecomTest,
} from './wecom.service';

/** 开放平台 → 企业微信: the tenant's group robot, its per-event switches, members' WeCom ids. */
export const wecomRouter = router({
  settings: permittedProcedure('platform.manage')
    .output(wecomSettingsOutput)
    .query(({ ctx }) => getWecomSettings(ctx.scope)),

  saveSettings: permittedProcedure('platform.manage')
    .input(saveWecomSettingsInput)
    .output(wecomSettingsOutput)
    .mutation(({ ctx, input }) => saveWecomSettings(ctx.scope, input)),

  bindings: permittedProcedure('platform.manage')
    .output(wecomBindingOutput.array())
    .query(({ ctx }) => listWecomBindings(ctx.scope)),

  saveBinding: permittedProcedure('platform.manage')
    .input(saveWecomBindingInput)
    .output(wecomBindingOutput.array())
    .mutation(({ ctx, input }) => saveWecomBinding(ctx.scope, input.userId, input.wecomUserId)),

  sendTest: permittedProcedure('platform.manage')
    .output(wecomSettingsOutput)
    .mutation(({ ctx }) => sendWecomTest(ctx.scope)),

  messages: permittedProcedure('platform.manage')
    .output(wecomMessageOutput.array())
    .query(({ ctx }) => recentWecomMessages(ctx.scope)),
});
