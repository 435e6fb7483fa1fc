import { z } from 'zod';
import { permittedProcedure, publicProcedure, router } from '../trpc';
import {
  currentOutput,
  customerTierInput,
  customerTierOutput,
  historyInput,
  historyOutput,
  previewInput,
  previewOutput,
  resetInput,
  saveInput,
  saveOutput,
  settingsOutput,
} from './industry.schemas';
import {
  currentProfile,
  customerTier,
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
const labelsOutput = z.object({ 'zh-CN': z.string(), en: z.string() });

export const industryRouter = router({
  /**
   * The industry profiles a new organisation may choose (sign-up, 新建企业): every plugin this
   * server loaded, in its configured order. Public: the sign-up page lists them.
   */
  profiles: publicProcedure
    .output(z.array(z.object({ id: z.string(), labels: labelsOutput, description: labelsOutput.nullable() })))
    .query(({ ctx }) =>
      ctx.plugins.plugins.map((plugin) => ({
        id: plugin.id,
        labels: { 'zh-CN': plugin.labels['zh-CN'], en: plugin.labels.en },
        description: plugin.description
          ? { 'zh-CN': plugin.description['zh-CN'], en: plugin.description.en }
          : null,
      })),
    ),

  /** The profile in use, or INDUSTRY_PROFILE_UNAVAILABLE's state when its plugin was refused. */
  current: permittedProcedure('customers.read')
    .output(currentOutput)
    .query(({ ctx }) => currentProfile(ctx, ctx.plugins, ctx.locale)),

  settings: permittedProcedure('customers.read')
    .output(settingsOutput)
    .query(({ ctx }) => readSettings(ctx, ctx.plugins)),

  /**
   * How many customers would move between which tiers with these settings, and a sample of
   * them; writes nothing. A mutation only because settings travel in the request body.
   */
  preview: permittedProcedure('tenant.update')
    .input(previewInput)
    .output(previewOutput)
    .mutation(({ ctx, input }) => previewSettings(ctx, ctx.plugins, input.settings)),

  save: permittedProcedure('tenant.update')
    .input(saveInput)
    .output(saveOutput)
    .mutation(({ ctx, input }) => saveSettings(ctx, ctx, ctx.plugins, ctx.auth.user.id, input)),

  reset: permittedProcedure('tenant.update')
    .input(resetInput)
    .output(saveOutput)
    .mutation(({ ctx, input }) => resetSettings(ctx, ctx, ctx.plugins, ctx.auth.user.id, input)),

  /** Saved versions, newest first: who, when, what changed. */
  history: permittedProcedure('customers.read')
    .input(historyInput)
    .output(historyOutput)
    .query(({ ctx, input }) => settingsHistory(ctx, ctx.plugins, input?.limit)),

  /** A customer's tier, score and explanation (the rule, and each dimension's part). */
  customerTier: permittedProcedure('customers.read')
    .input(customerTierInput)
    .output(customerTierOutput)
    .query(({ ctx, input }) => customerTier(ctx, ctx.plugins, input.customerId)),
});
