export type ImportLocale = 'zh-CN' | 'en';
type Messages = Record<ImportLocale, string>;

/**
 * Why a cell's value was refused, by the `reason` of a value parser. Placeholders in braces
 * (`{max}`, `{value}`, `{options}`) are filled from the result's `params`.
 */
export const IMPORT_VALUE_MESSAGES = {
  TEXT_TOO_LONG: { 'zh-CN': '最多 {max} 个字符', en: 'At most {max} characters' },
  AMOUNT_FORMAT: {
    'zh-CN': '不是有效的金额，请填写如 12800、12,800.50、1.28万元',
    en: 'Not an amount; enter e.g. 12800, 12,800.50 or 1.28万',
  },
  AMOUNT_AMBIGUOUS: {
    'zh-CN': '金额写法有歧义（逗号作小数点？），请写成 1234.56',
    en: 'Ambiguous amount (a comma as the decimal point?); write it as 1234.56',
  },
  AMOUNT_NEGATIVE: { 'zh-CN': '金额不能为负数', en: 'The amount cannot be negative' },
  AMOUNT_PRECISION: { 'zh-CN': '金额最多两位小数（精确到分）', en: 'An amount has at most two decimals' },
  AMOUNT_TOO_LARGE: { 'zh-CN': '金额过大', en: 'The amount is too large' },
  NUMBER_FORMAT: { 'zh-CN': '不是有效的数字', en: 'Not a number' },
  NUMBER_PRECISION: { 'zh-CN': '最多 {max} 位小数', en: 'At most {max} decimals' },
  NUMBER_RANGE: { 'zh-CN': '须在 {min} 到 {max} 之间', en: 'Must be between {min} and {max}' },
  INTEGER_FORMAT: { 'zh-CN': '须为整数', en: 'Must be a whole number' },
  DATE_FORMAT: {
    'zh-CN': '无法识别的日期，请填写如 2024-03-05 或 2024年3月5日',
    en: 'Not a date we can read; enter e.g. 2024-03-05',
  },
  DATE_INVALID: {
    'zh-CN': '日期不存在（如 2月30日）',
    en: 'No such date (e.g. 30 February)',
  },
  DATE_AMBIGUOUS: {
    'zh-CN': '无法确定是月/日还是日/月，请写成 2024-03-05',
    en: 'Cannot tell month/day from day/month; write it as 2024-03-05',
  },
  DATE_OUT_OF_RANGE: {
    'zh-CN': '日期须在 {min} 年到 {max} 年之间',
    en: 'The date must be between the years {min} and {max}',
  },
  TIME_INVALID: { 'zh-CN': '时间不存在（如 25:00）', en: 'No such time (e.g. 25:00)' },
  PHONE_INVALID: {
    'zh-CN': '电话号码“{value}”格式不正确，请填写手机号（如 138 1234 5678）或座机（如 010-12345678）',
    en: 'The phone number "{value}" is not valid: enter a mobile (e.g. 138 1234 5678) or a landline (e.g. 010-12345678)',
  },
  PHONE_TOO_MANY: { 'zh-CN': '电话号码最多 {max} 个', en: 'At most {max} phone numbers' },
  EMAIL_INVALID: { 'zh-CN': '邮箱“{value}”格式不正确', en: 'The email address "{value}" is not valid' },
  EMAIL_TOO_MANY: { 'zh-CN': '邮箱最多 {max} 个', en: 'At most {max} email addresses' },
  BOOLEAN_INVALID: { 'zh-CN': '请填写“是”或“否”', en: 'Enter yes or no' },
  ENUM_INVALID: { 'zh-CN': '须为以下之一：{options}', en: 'Must be one of: {options}' },
  CURRENCY_INVALID: {
    'zh-CN': '无法识别的币种，请填写如 CNY、人民币、USD',
    en: 'Unknown currency; enter a code such as CNY or USD',
  },
  LIST_TOO_MANY: { 'zh-CN': '最多 {max} 项', en: 'At most {max} items' },
  NATIONAL_ID_INVALID: {
    'zh-CN': '身份证号码无效（须为 18 位，校验位正确）',
    en: 'Not a valid national ID number (18 characters with a correct check digit)',
  },
  BANK_CARD_INVALID: {
    'zh-CN': '银行卡号无效（须为 13–19 位数字，校验位正确）',
    en: 'Not a valid bank card number (13–19 digits with a correct check digit)',
  },
  CREDIT_CODE_INVALID: {
    'zh-CN': '统一社会信用代码无效（须为 18 位，校验位正确）',
    en: 'Not a valid unified social credit code (18 characters with a correct check digit)',
  },
  CONTROL_CHARACTER: {
    'zh-CN':
      '第 {position} 个字符是看不见的控制字符（值中显示为 {picture}），通常来自损坏的导出文件，无法保存。请在原文件中重新输入这个单元格后再导入',
    en: 'character {position} is an invisible control character (shown as {picture} in the value), usually from a damaged export, and cannot be saved. Retype this cell in the file and import again',
  },
  ROW_EXTRA_CELLS: {
    'zh-CN': '此行的单元格比表头多（多出：{value}），可能有未加引号的分隔符',
    en: 'This row has more cells than the header (extra: {value}); a delimiter may be unquoted',
  },
} as const satisfies Record<string, Messages>;

export type ImportValueReason = keyof typeof IMPORT_VALUE_MESSAGES;
