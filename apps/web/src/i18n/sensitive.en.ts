import type { sensitiveZhCN } from './sensitive.zh-CN';

/** English strings of sensitive fields; the same keys as sensitive.zh-CN.ts. */
export const sensitiveEn: typeof sensitiveZhCN = {
  sensitive: {
    nationalId: 'National ID',
    bankCard: 'Bank card',
    reveal: 'Reveal',
    hide: 'Hide',
    revealTitle: 'Revealing the full value is recorded in the audit log',
    revealFailed: 'Could not reveal the value: {{message}}',
    maskedHint: 'Masked: only the last 4 characters are shown',
    badge: 'Sensitive',
    form: {
      section: 'Sensitive information',
      nationalIdPlaceholder: '18 characters, the last may be X',
      bankCardPlaceholder: '13 to 19 digits',
      keepPlaceholder: 'On file: {{masked}}. Leave empty to keep it',
      clear: 'Clear the value on file',
      encryptedNote:
        'Sensitive information is stored encrypted and shown with its last 4 characters only. Roles allowed to can click "Reveal" to see the full value; every reveal is recorded in the audit log.',
      invalidNationalId:
        'Invalid national ID number: enter 18 characters (the last may be X) and check the check character, or an old 15-digit number',
      invalidBankCard: 'Invalid bank card number: enter 13 to 19 digits and check the check digit',
    },
    lookup: {
      title: 'Exact lookup by ID number',
      hint: 'A whole national ID or bank card number is matched exactly (spaces and full-width digits are fine). The number never appears in the address bar.',
      none: 'No customer has this number',
    },
    settings: {
      sensitive: 'Sensitive field',
      sensitiveHelp:
        'Stored encrypted and masked (last 4 characters) in lists, profiles and exports; revealing the full value needs permission and is audited. Text fields only; cannot change once the field holds values.',
      column: 'Sensitive',
    },
  },
};
