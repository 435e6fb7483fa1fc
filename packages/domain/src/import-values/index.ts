/**
 * The rules that read a spreadsheet cell as a value (Chinese dates, 万元 amounts, full-width
 * digits, phones, emails, identifiers, choices), pure and table-tested. The import pipeline
 * (packages/api/src/imports) applies them; their messages are here in zh-CN and en.
 */
export { IMPORT_VALUE_MESSAGES, type ImportLocale, type ImportValueReason } from './messages';
export { matchKey, normalizeHeader, normalizeText, type TextMode } from './text';
export * from './values';
