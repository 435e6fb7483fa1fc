/**
 * The built-in columns a customer list can show (and a saved view can keep); `custom:<key>`
 * adds a custom field. The web app's column set and the views API both read this list.
 */
export const CUSTOMER_LIST_COLUMNS = [
  'kind',
  'phone',
  'email',
  'owner',
  'stage',
  'amount12m',
  'amountLifetime',
  'orderCount',
  'lastDealAt',
  'tags',
  'valueLevel',
  'activityLevel',
  'needType',
  'completeness',
  'tier',
  'tierScore',
  'industry',
  'createdAt',
  'updatedAt',
] as const;
export type CustomerListColumn = (typeof CUSTOMER_LIST_COLUMNS)[number];
