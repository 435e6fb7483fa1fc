/**
 * zh-CN strings of the customer settings pages (tags, custom fields, customer rules),
 * spread into zh-CN.ts; customer-settings.en.ts must have the same keys.
 */
export const customerSettingsZhCN = {
  customerSettings: {
    placeholder: '客户设置',
  },
} as const;
