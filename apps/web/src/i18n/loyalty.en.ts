import type { loyaltyZhCN } from './loyalty.zh-CN';

/** Referrals and growth points: the customer's card, its dialogs and its timeline entries. */
export const loyaltyEn: typeof loyaltyZhCN = {
  loyalty: {
    card: {
      title: 'Points and referrals',
      balance: 'Points balance',
      expiringSoon: 'Expiring within 30 days',
      referredBy: 'Referred by {{name}}',
      referrals: 'Customers referred',
      noReferrals: 'Has not referred anyone yet',
      statement: 'Statement',
      noEntries: 'No points yet',
      discount: 'Referral reward: {{percent}} % off the next purchase',
      refer: 'Record a referral',
      redeem: 'Redeem points',
      adjust: 'Adjust points',
      cancel: 'Cancel',
      cancelled: 'Referral cancelled',
    },
    status: { pending: 'Awaiting first order', rewarded: 'Rewarded', cancelled: 'Cancelled' },
    reward: {
      points: '{{value}} points',
      discount: '{{value}} % off',
    },
    kinds: {
      earn: 'Earned from an order',
      referral: 'Referral reward',
      adjust: 'Adjusted',
      redeem: 'Redeemed',
      expire: 'Expired',
      reversal: 'Voided order',
    },
    form: {
      referred: 'Referred new customer',
      referredPlaceholder: 'Type a customer name to search',
      rule: 'Reward rule',
      note: 'Note',
      points: 'Points',
      adjustPoints: 'Points to add (negative to take off)',
      reason: 'Reason',
      reasonRequired: 'Enter the reason',
      referSaved: 'Referral recorded; the reward follows the referred customer’s first order',
      redeemed: 'Points redeemed: {{points}}',
      adjusted: 'Points adjusted',
    },
    timeline: {
      referred: 'Referred {{name}} ({{reward}})',
      rewarded: 'Reward for referring {{name}} granted ({{reward}})',
      referredBy: 'Referred by {{name}}',
      points: '{{kind}}: {{points}}',
    },
  },
};
