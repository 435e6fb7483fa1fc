import type { CustomFieldValue } from '@crm/db';
import * as values from '@crm/domain';
import { checkCustomFieldValue } from '@crm/domain';
import { rulesOf } from '../custom-fields/values';
import { formatImportMessage, type ImportValueReason } from './read/messages';
import type { EnumOption, Target } from './targets';

/** One cell read for its target: the stored form, or why not (a code and both messages). */
export type CellResult =
  | { ok: true; value: CustomFieldValue }
  | { ok: false; code: string; zh: string; en: string };

/**
 * Members by lower-cased email and by name; a name two members share maps to
 * {@link AMBIGUOUS_MEMBER} (the row must name the member by email).
 */
export type Members = Map<string, string>;
export const AMBIGUOUS_MEMBER = 'ambiguous';

/**
 * A refused cell. The message does not name the field: the report shows the column beside it
 * (the wizard's 列, the error file's "列名：原因"). `_target` stays for the call sites' shape.
 */
function refused(
  _target: Target,
  reason: ImportValueReason,
  params: Record<string, string | number> = {},
): CellResult {
  return {
    ok: false,
    code: reason,
    zh: formatImportMessage(reason, 'zh-CN', params),
    en: formatImportMessage(reason, 'en', params),
  };
}

function from<T extends CustomFieldValue>(target: Target, result: values.ParseResult<T>): CellResult {
  if (result.ok) return { ok: true, value: result.value };
  return refused(target, result.reason, result.params);
}

/** A refused choice: the options listed in each message's own language (企业、个人 / Company, Individual). */
function refusedOption(target: Target, options: readonly EnumOption[]): CellResult {
  return {
    ok: false,
    code: 'ENUM_INVALID',
    zh: formatImportMessage('ENUM_INVALID', 'zh-CN', {
      options: options.map((option) => option.zh || option.en || option.value).join('、'),
    }),
    en: formatImportMessage('ENUM_INVALID', 'en', {
      options: options.map((option) => option.en || option.zh || option.value).join(', '),
    }),
  };
}

/** "must be at least 0" as a message of its own, after the column's name: "Must be at least 0". */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reads one cell for its target; an empty cell is `{ ok: true, value: null }`. */
export function parseCell(target: Target, raw: string, members: Members): CellResult {
  switch (target.type) {
    case 'text':
      return from(target, values.parseText(raw, target.max === undefined ? {} : { max: target.max }));
    case 'phone':
      return from(target, values.parsePhone(raw));
    case 'email':
      return from(target, values.parseEmail(raw));
    case 'date':
      return from(target, values.parseDate(raw));
    case 'datetime':
      return from(target, values.parseDateTime(raw));
    case 'money':
      return from(target, values.parseAmount(raw));
    case 'quantity':
      return from(target, values.parseQuantity(raw));
    case 'count': {
      const result = values.parseInteger(raw, { min: 0, max: 100_000_000 });
      if (!result.ok) return refused(target, result.reason, result.params);
      return { ok: true, value: result.value === null ? null : String(result.value) };
    }
    case 'enum': {
      const result = values.parseEnum(raw, target.options ?? []);
      if (!result.ok) return refusedOption(target, target.options ?? []);
      return { ok: true, value: result.value };
    }
    case 'member': {
      const text = values.parseText(raw);
      if (!text.ok || text.value === null) return { ok: true, value: null };
      const id = members.get(text.value.normalize('NFKC').toLowerCase());
      if (id === AMBIGUOUS_MEMBER)
        return {
          ok: false,
          code: 'MEMBER_AMBIGUOUS',
          zh: `有多位成员叫“${text.value}”，请改填其邮箱`,
          en: `More than one member is called "${text.value}"; enter their email instead`,
        };
      if (!id)
        return {
          ok: false,
          code: 'MEMBER_NOT_FOUND',
          zh: `找不到成员“${text.value}”（请填写成员的邮箱或姓名）`,
          en: `No member "${text.value}" (enter a member’s email or name)`,
        };
      return { ok: true, value: id };
    }
    case 'tags':
      return from(target, values.parseList(raw, { max: 50, maxLength: 30 }));
    case 'credit_code':
      return from(target, values.parseCreditCode(raw));
    case 'national_id':
      return from(target, values.parseNationalIdNumber(raw));
    case 'bank_card':
      return from(target, values.parseBankCardNumber(raw));
    case 'custom':
      return parseCustom(target, raw);
  }
}

/**
 * A custom field's cell: read as its type (amounts like 1.28万, dates like 2024年3月5日, options
 * by label), then checked by the one value rule of custom fields (`checkCustomFieldValue`, as
 * on create and update): bounds, whole numbers, ratings, length, pattern, check digits. A
 * refused value says the bound in words without the field's name ("不能小于 0" / "Must be at
 * least 0"): the report shows it after its column ("员工人数：不能小于 0"), as every cell's reason.
 */
function parseCustom(target: Target, raw: string): CellResult {
  const definition = target.definition;
  if (!definition) return { ok: true, value: null };
  const read = readCustom(target, definition, raw);
  if (!read.ok || read.value === null) return read;
  const checked = checkCustomFieldValue(rulesOf(definition), read.value);
  if (checked.ok) return { ok: true, value: checked.value };
  return {
    ok: false,
    code:
      checked.problem === 'TYPE' || checked.problem === 'OPTION'
        ? 'CUSTOM_FIELD_INVALID'
        : 'CUSTOM_FIELD_OUT_OF_BOUNDS',
    zh: checked.rule['zh-CN'],
    en: sentence(checked.rule.en),
  };
}

function readCustom(target: Target, definition: NonNullable<Target['definition']>, raw: string): CellResult {
  const options: EnumOption[] = definition.options.map((item) => ({
    value: item.value,
    zh: item.labelZh,
    en: item.labelEn,
    aliases: [],
  }));
  switch (definition.type) {
    case 'text':
      return from(target, values.parseText(raw, { max: 1000 }));
    case 'number':
      return from(target, values.parseDecimal(raw, { allowNegative: true, maxDecimals: 6 }));
    case 'money':
      return from(target, values.parseAmount(raw, { allowNegative: true }));
    case 'date':
      return from(target, values.parseDate(raw));
    case 'boolean':
      return from(target, values.parseBoolean(raw));
    case 'enum': {
      const result = values.parseEnum(raw, options);
      if (!result.ok) return refusedOption(target, options);
      return { ok: true, value: result.value };
    }
    case 'multi_enum': {
      const result = values.parseEnums(raw, options);
      if (!result.ok) return refusedOption(target, options);
      return { ok: true, value: result.value };
    }
  }
}
