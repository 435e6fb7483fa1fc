import { permittedProcedure, router } from '../trpc';
import {
  adjustPointsInput,
  createReferralInput,
  customerIdInput,
  customerLoyaltyOutput,
  loyaltySettingsOutput,
  redeemPointsInput,
  referralIdInput,
  referralOutput,
  saveLoyaltySettingsInput,
} from './loyalty.schemas';
import {
  adjustPoints,
  cancelReferral,
  createReferral,
  getCustomerLoyalty,
  getLoyaltySettings,
  redeemPoints,
  saveLoyaltySettings,
} from './loyalty.service';

/**
 * Referrals and growth points (转介绍, 成长值). Reading needs customers.read (through the
 * customer: `visibleCustomer`); recording a referral and redeeming points loyalty.write;
 * adjusting points by hand and cancelling a referral loyalty.manage; the rate, expiry and
 * referral rules loyalty.configure.
 */
export const loyaltyRouter = router({
  settings: permittedProcedure('customers.read')
    .output(loyaltySettingsOutput)
    .query(({ ctx }) => getLoyaltySettings(ctx.scope, ctx)),

  saveSettings: permittedProcedure('loyalty.configure')
    .input(saveLoyaltySettingsInput)
    .output(loyaltySettingsOutput)
    .mutation(({ ctx, input }) => saveLoyaltySettings(ctx.scope, ctx, input)),

  /** A customer's balance, statement and referrals, for its profile. */
  customer: permittedProcedure('customers.read')
    .input(customerIdInput)
    .output(customerLoyaltyOutput)
    .query(({ ctx, input }) => getCustomerLoyalty(ctx.scope, input.customerId)),

  /** A customer referred a lead or a new customer; the reward waits for the first order. */
  refer: permittedProcedure('loyalty.write', { idempotent: true })
    .input(createReferralInput)
    .output(referralOutput)
    .mutation(({ ctx, input }) => createReferral(ctx.scope, ctx, input)),

  cancelReferral: permittedProcedure('loyalty.manage')
    .input(referralIdInput)
    .output(referralOutput)
    .mutation(({ ctx, input }) => cancelReferral(ctx.scope, input.id)),

  /** Points added or taken off by hand, with the reason. */
  adjust: permittedProcedure('loyalty.manage', { idempotent: true })
    .input(adjustPointsInput)
    .output(customerLoyaltyOutput)
    .mutation(({ ctx, input }) => adjustPoints(ctx.scope, ctx, input)),

  redeem: permittedProcedure('loyalty.write', { idempotent: true })
    .input(redeemPointsInput)
    .output(customerLoyaltyOutput)
    .mutation(({ ctx, input }) => redeemPoints(ctx.scope, input)),
});
