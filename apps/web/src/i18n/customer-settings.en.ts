import type { Messages } from './zh-CN';

/** English strings of the customer settings pages, typed by the zh-CN keys. */
export const customerSettingsEn: Pick<Messages, 'customerSettings'> = {
  customerSettings: {
    placeholder: 'Customer settings',
  },
};
