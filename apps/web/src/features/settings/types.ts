import type { NEED_TYPES, TAG_COLORS } from '@crm/domain';
import type { CUSTOM_FIELD_TYPES } from '@crm/plugin-sdk';
import type { RouterInputs, RouterOutputs } from '../../lib/api-types';

/** Types of the customer settings pages, derived from the API (lib/api-types.ts is not theirs). */
export type FreeTag = RouterOutputs['tags']['list'][number];
export type TagColor = FreeTag['color'];
export type CustomField = RouterOutputs['customFields']['list'][number];
export type CustomFieldType = CustomField['type'];
export type CustomFieldOption = CustomField['options'][number];
export type CreateCustomFieldInput = RouterInputs['customFields']['create'];
export type UpdateCustomFieldInput = RouterInputs['customFields']['update'];
export type CustomerRules = RouterOutputs['settings']['customerRules'];
export type UpdateCustomerRulesInput = RouterInputs['settings']['updateCustomerRules'];
export type NeedType = NonNullable<RouterOutputs['customers']['get']['needType']>;

/** Fails to compile when `List` leaves out a member of `Union`. */
type AssertComplete<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never]
  ? true
  : never;

// The colour picker's order, the field types and the need types: the shared lists.
export { NEED_TYPES, TAG_COLORS } from '@crm/domain';
export { CUSTOM_FIELD_TYPES } from '@crm/plugin-sdk';

/** The built-in completeness key fields (the server's COMPLETENESS_KEYS), grouped as the form shows them. */
export const BASIC_COMPLETENESS_KEYS = [
  'phone',
  'email',
  'industry',
  'customer_number',
  'addresses',
  'anniversary',
  'contacts',
  'owner_user_id',
] as const;
export const NEEDS_COMPLETENESS_KEYS = [
  'need_type',
  'explicit_needs',
  'implicit_needs',
  'pain_points',
  'purchase_plan',
] as const;
export type BuiltInCompletenessKey =
  | (typeof BASIC_COMPLETENESS_KEYS)[number]
  | (typeof NEEDS_COMPLETENESS_KEYS)[number];

export const settingsListsAreComplete: [
  AssertComplete<TagColor, typeof TAG_COLORS>,
  AssertComplete<CustomFieldType, typeof CUSTOM_FIELD_TYPES>,
  AssertComplete<NeedType, typeof NEED_TYPES>,
] = [true, true, true];

/** Choice fields carry a list of options. */
export function hasOptions(type: CustomFieldType | undefined): boolean {
  return type === 'enum' || type === 'multi_enum';
}

/** A custom field's (or option's) name in the UI language. */
export function labelIn(language: string, labelled: { labelZh: string; labelEn: string }): string {
  return language === 'en' ? labelled.labelEn : labelled.labelZh;
}
