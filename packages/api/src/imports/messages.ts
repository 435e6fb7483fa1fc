/**
 * Why a row (or one of its cells) cannot be imported, in both languages. `{label}` is the
 * target field's name, `{row}` another row's number, `{max}` a length, `{kind}` a match key.
 */
export const ROW_MESSAGES = {
  REQUIRED: { 'zh-CN': '{label}不能为空', en: '{label} is required' },
  /** A required column's empty cell (the column is named beside it). */
  EMPTY: { 'zh-CN': '不能为空', en: 'Must not be empty' },
  TOO_LONG: { 'zh-CN': '{label}最多 {max} 个字符', en: '{label} may have at most {max} characters' },
  INVALID_OPTION: {
    'zh-CN': '{label}须为以下之一：{options}',
    en: '{label} must be one of: {options}',
  },
  INVALID_VALUE: { 'zh-CN': '{label}格式不正确：{detail}', en: '{label} is not valid: {detail}' },
  MEMBER_NOT_FOUND: {
    'zh-CN': '找不到成员“{value}”（填写成员的邮箱或姓名）',
    en: 'No member "{value}" (enter a member’s email or name)',
  },
  TOO_MANY_TAGS: { 'zh-CN': '标签最多 50 个', en: 'At most 50 tags' },
  TAG_TOO_LONG: { 'zh-CN': '标签名最多 30 个字符', en: 'A tag name may have at most 30 characters' },
  DUPLICATE_IN_FILE: {
    'zh-CN': '与第 {row} 行是同一客户（{kind}相同）',
    en: 'Same customer as row {row} (same {kindEn})',
  },
  DUPLICATE_ORDER_IN_FILE: {
    'zh-CN': '订单号与第 {row} 行相同，但客户不同',
    en: 'Same order number as row {row} but another customer',
  },
  AMBIGUOUS_MATCH: {
    'zh-CN': '{kind}匹配到多个已有客户，无法确定更新哪一个',
    en: 'The {kindEn} matches several existing customers; cannot tell which to update',
  },
  CUSTOMER_REFERENCE_MISSING: {
    'zh-CN': '须填写客户编号、统一社会信用代码、电话或客户名称之一',
    en: 'Enter the customer number, credit code, phone or customer name',
  },
  CUSTOMER_NOT_FOUND: { 'zh-CN': '找不到此客户', en: 'No such customer' },
  COMPANY_PERSONAL_FIELDS: {
    'zh-CN': '企业客户不能填写身份证号或银行卡号（个人字段）',
    en: 'A company customer cannot have a national ID or bank card number (fields of individuals)',
  },
  CUSTOMER_NOT_VISIBLE: {
    'zh-CN': '与一位不在你权限范围内的已有客户重复，无法更新或跳过，请联系管理员导入',
    en: 'Matches an existing customer outside your access; ask an administrator to import it',
  },
  CUSTOMER_AMBIGUOUS: {
    'zh-CN': '匹配到多个客户，请改用客户编号',
    en: 'Several customers match; use the customer number',
  },
  CONTACT_NOT_FOUND: {
    'zh-CN': '该客户下没有名为“{value}”的联系人',
    en: 'The customer has no contact "{value}"',
  },
  ORDER_LINE_INCOMPLETE: {
    'zh-CN': '订单明细须同时填写产品、数量和单价',
    en: 'An order line needs the product, quantity and unit price',
  },
  SENSITIVE_INVALID: { 'zh-CN': '{label}无效：{detail}', en: '{label} is not valid: {detail}' },
  ORDER_OTHER_ROW_ERROR: {
    'zh-CN': '同一订单（订单号 {value}）的第 {row} 行有错误，整张订单一起跳过',
    en: 'Row {row} of the same order ({value}) has an error; the whole order is left out',
  },
  LEAD_NAME_REQUIRED: {
    'zh-CN': '联系人姓名与公司名称至少填写一项',
    en: 'Enter the contact’s name or the company',
  },
  DUPLICATE_LEAD_IN_FILE: {
    'zh-CN': '与第 {row} 行是同一线索（{kind}相同）',
    en: 'Same lead as row {row} (same {kindEn})',
  },
  ROW_UNREADABLE: { 'zh-CN': '此行无法读取：{detail}', en: 'This row cannot be read: {detail}' },
} as const;
export type RowErrorCode = keyof typeof ROW_MESSAGES;

/** Why a valid row is skipped (a row outcome's reason). */
export const SKIP_MESSAGES: Record<string, { 'zh-CN': string; en: string }> = {
  EXISTING_SKIPPED: {
    'zh-CN': '已有此客户，按“与已有客户重复时：跳过”未导入',
    en: 'Already a customer; skipped as chosen (“skip the row”)',
  },
  ORDER_EXISTS_SKIPPED: {
    'zh-CN': '订单号已存在，按“跳过”未导入',
    en: 'The order number exists; skipped as chosen',
  },
  LEAD_EXISTS_SKIPPED: {
    'zh-CN': '已有电话或邮箱相同的线索，不重复导入',
    en: 'A lead with the same phone or email exists; not imported again',
  },
  LEAD_CONVERTED_SKIPPED: {
    'zh-CN': '电话或邮箱相同的线索已转化为客户，导入不再更新它；请到客户档案中修改',
    en: 'The lead with the same phone or email has been converted to a customer; an import no longer updates it — edit the customer instead',
  },
  CUSTOMER_EXISTS_SKIPPED: {
    'zh-CN': '已是客户（按查重规则为同一客户），未作为线索导入',
    en: 'Already a customer (the same customer by the duplicate rules); not imported as a lead',
  },
  ALREADY_RECORDED: {
    'zh-CN': '已有相同的互动记录（同一客户、时间、方式和摘要），不重复导入',
    en: 'The same interaction is already recorded (customer, time, kind and summary)',
  },
};

/** A match key's name for messages. */
export const MATCH_KIND_LABELS: Record<string, { zh: string; en: string }> = {
  customer_number: { zh: '客户编号', en: 'customer number' },
  credit_code: { zh: '统一社会信用代码', en: 'credit code' },
  phone: { zh: '电话', en: 'phone' },
  email: { zh: '邮箱', en: 'email' },
  name: { zh: '企业名称', en: 'company name' },
  branch: { zh: '分支机构名称', en: 'branch name' },
  national_id: { zh: '身份证号', en: 'national ID' },
  name_phone: { zh: '姓名和电话', en: 'name and phone' },
  name_email: { zh: '姓名和邮箱', en: 'name and email' },
};

export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    params[key] === undefined ? whole : String(params[key]),
  );
}
