/**
 * Reading imported files: pure and streaming, no database.
 *
 * ## Files
 * `openTable(source, { fileName, sheet? }) → Promise<OpenedTable>`
 * - `source`: `AsyncIterable<Uint8Array>` (e.g. the stored chunks) or a function returning one.
 * - The format comes from the content (an .xlsx is a zip), else the extension; old .xls is
 *   refused with `FILE_XLS_UNSUPPORTED`. CSV: encoding detected (UTF-8 with/without BOM,
 *   UTF-16 LE/BE, otherwise GB18030 = GBK/GB2312), delimiter sniffed among , ; tab |, quoted
 *   line breaks kept, blank lines before the header skipped; read by `CsvTokenizer` (csv.ts,
 *   about 200 MB/s). XLSX: the first sheet unless
 *   `sheet` (name or 0-based index) says otherwise; dates as 'YYYY-MM-DD' or
 *   'YYYY-MM-DD HH:mm:ss', numbers as plain decimal text, formulas as their cached result, rich
 *   text as plain text, errors as their text (#N/A).
 * - Returns `{ format, encoding?, delimiter?, headers, headerRowNumber, sheets?, sheet?, rows }`;
 *   `rows` is an `AsyncIterable<TableRow>` read once: `{ rowNumber, cells, extraCells? }`, where
 *   `rowNumber` is the row as the user sees it in Excel (the header is row 1 unless blank rows
 *   precede it), `cells` has exactly one string per header ('' when empty), and `extraCells`
 *   holds non-empty cells beyond the header (report them with `ROW_EXTRA_CELLS`). Blank rows
 *   are skipped. Memory stays flat: nothing is read ahead of the iteration but one chunk.
 * - A file that cannot be read throws `ImportReadError` (`code`, `params`); its messages are in
 *   `IMPORT_READ_MESSAGES[code][locale]`.
 *
 * ## Values (in @crm/domain, `import-values/`)
 * Each parser takes the cell text and returns `{ ok: true, value }` (value `null` for an empty
 * cell) or `{ ok: false, reason, params? }`; `formatImportMessage(reason, locale, params)` or
 * `IMPORT_VALUE_MESSAGES[reason][locale]` (placeholders `{name}`) give the message.
 * - `parseText(s, { max?, mode? })`, `parseList(s, { max?, maxLength? })` (tags)
 * - `parseAmount(s, { allowNegative? })` → '1234.50'; `parseDecimal`, `parseQuantity`, `parseInteger`
 * - `parseDate(s, { dayFirst?, excelSerial? })` → 'YYYY-MM-DD';
 *   `parseDateTime(s, …)` → 'YYYY-MM-DDTHH:mm:ss+08:00' (Asia/Shanghai for naive times)
 * - `parsePhones(s)` → string[] / `parsePhone(s)`; `parseEmails(s)` → string[] / `parseEmail(s)`
 * - `parseBoolean(s)`; `parseEnum(s, options)` / `parseEnums(s, options)` with options
 *   `{ value, zh?, en?, aliases? }` (the flow's `EnumOption` fits; `CHOICES` has the built-in ones);
 *   `parseCurrency(s)` → ISO code
 * - `parseNationalIdNumber(s)`, `parseBankCardNumber(s)`, `parseCreditCode(s)` (check digits)
 * - `normalizeText(s, 'code' | 'text' | 'prose')`, `matchKey(s)`
 *
 * ## Mapping
 * `suggestMapping(headers, entity, targets)` → `ColumnSuggestion[]` (`{ index, header, target,
 * confidence }` per header, each target at most once). `targets` are `{ key, zh, en }` — the
 * import flow's target list for the entity, custom fields (`custom:<key>`) included; the
 * synonyms are keyed by those target keys.
 */
export {
  createTextDecoder,
  decodeStream,
  detectEncoding,
  isValidUtf8,
  type TextEncodingName,
} from './encoding';
export { ImportReadError, type ReadErrorCode } from './errors';
export {
  type ColumnSuggestion,
  type ImportEntityName,
  knownSynonyms,
  type MappableTarget,
  MIN_CONFIDENCE,
  suggestMapping,
} from './mapping';
export {
  formatImportMessage,
  IMPORT_READ_MESSAGES,
  IMPORT_VALUE_MESSAGES,
  type ImportLocale,
  type ImportValueReason,
} from './messages';
export {
  type ByteSource,
  type OpenedTable,
  type OpenTableOptions,
  openTable,
  sniffDelimiter,
  type TableRow,
} from './table';
