import { permittedProcedure, publicProcedure, router } from '../trpc';
import {
  currentOutput,
  customerTierInput,
  customerTierOutput,
  historyInput,
  historyOutput,
  previewInput,
  previewOutput,
  profileChoicesOutput,
  resetInput,
  saveInput,
  saveOutput,
  settingsOutput,
} from './industry.schemas';
import {
  currentProfile,
  customerTier,
  listProfileChoices,
  previewSettings,
  readSettings,
  resetSettings,
  saveSettings,
  settingsHistory,
} from './industry.service';

/**
 * 设置 → 行业配置: the tenant's industry profile and its settings (defaults ⊕ the tenant's
 * versioned overrides). Members who read customers may read them; admins (tenant.update)
 * preview a change, save it — a new version, and the tenant's customers re-tiered in the same
 * transaction — or go back to the defaults.
 */
export const industryRouter = router({
  /**
   * The industry profiles a new organisation may choose (sign-up, 新建企业): every plugin this
   * server loaded, in its configured order. Public: the sign-up page lists them.
   */
  profiles: publicProcedure.output(profileChoicesOutput).query(({ ctx }) => listProfileChoices(ctx.plugins)),

  /** The profile in use, or INDUSTRY_PROFILE_UNAVAILABLE's state when its plugin was refused. */
  current: permittedProcedure('customers.read')
    .output(currentOutput)
    .query(({ ctx }) => currentProfile(ctx.scope, ctx.plugins)),

  settings: permittedProcedure('customers.read')
    .output(settingsOutput)
    .query(({ ctx }) => readSettings(ctx.scope, ctx.plugins)),

  /**
   * How many customers would move between which tiers with these settings, and a sample of
   * them; writes nothing. A mutation only because settings travel in the request body.
   */
  preview: permittedProcedure('tenant.update')
    .input(previewInput)
    .output(previewOutput)
    .mutation(({ ctx, input }) => previewSettings(ctx.scope, ctx.plugins, input.settings)),

  save: permittedProcedure('tenant.update')
    .input(saveInput)
    .output(saveOutput)
    .mutation(({ ctx, input }) => saveSettings(ctx.scope, ctx, input)),

  reset: permittedProcedure('tenant.update')
    .input(resetInput)
    .output(saveOutput)
    .mutation(({ ctx, input }) => resetSettings(ctx.scope, ctx, input)),

  /** Saved versions, newest first: who, when, what changed. */
  history: permittedProcedure('customers.read')
    .input(historyInput)
    .output(historyOutput)
    .query(({ ctx, input }) => settingsHistory(ctx.scope, ctx.plugins, input?.limit)),

  /** A customer's tier, score and explanation (the rule, and each dimension's part). */
  customerTier: permittedProcedure('customers.read')
    .input(customerTierInput)
    .output(customerTierOutput)
    .query(({ ctx, input }) => customerTier(ctx.scope, ctx.plugins, input.customerId)),
});
