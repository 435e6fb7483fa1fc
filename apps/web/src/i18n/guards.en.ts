import type { Messages } from './zh-CN';

/** Guards on every field: bounds of custom fields, phone checks while typing, a company's primary contact. */
export const guardsEn: Pick<Messages, 'guards'> = {
  guards: {
    phoneInvalid:
      'Not a phone number: enter a mobile (e.g. 138 1234 5678) or a landline with its area code (e.g. 0571-8755 8212)',
    range: 'Range: {{bounds}}',
    creditCodeInvalid: 'Not a valid unified social credit code (18 characters, the last a check character)',
    ratingHint: 'Stars: {{min}}–{{max}}',
    primaryContact: {
      section: 'Primary contact',
      hint: 'Created with the company; leave empty to add none',
      name: 'Contact name',
      namePlaceholder: 'e.g. Wang Wei',
      title: 'Title',
      titlePlaceholder: 'e.g. Purchasing manager',
      phone: 'Contact phone',
      email: 'Contact email',
      nameRequired: 'Enter the contact’s name along with their title, phone or email',
    },
    companyNoPersonal: 'A company has no national ID or bank card number (fields of individuals)',
    bounds: {
      section: 'Bounds',
      pluginLocked: 'An industry plugin provides this field and sets its bounds',
      min: 'Minimum',
      max: 'Maximum',
      integer: 'Whole numbers only',
      rating: 'A star rating (1–5 stars by default)',
      minLength: 'Fewest characters',
      maxLength: 'Most characters',
      pattern: 'Pattern (regular expression)',
      patternPlaceholder: 'e.g. ^M[0-9]{6}$',
      patternMessageZh: 'Message when it does not match (Chinese)',
      patternMessageEn: 'Message when it does not match (English)',
      patternMessageHelp: 'Shown after the field’s name, e.g. “must be M and six digits”',
      patternMessageRequired: 'Enter the message in both languages',
      patternInvalid: 'Not a valid regular expression',
      minAboveMax: 'The minimum cannot be above the maximum',
      none: 'Any',
    },
  },
};
