/**
 * Why a whole file cannot be read. Each code has a message in zh-CN and en in
 * `IMPORT_READ_MESSAGES` (messages.ts); `params` fill its placeholders.
 */
export type ReadErrorCode =
  | 'FILE_EMPTY'
  | 'FILE_BINARY'
  | 'FILE_FORMAT_UNSUPPORTED'
  | 'FILE_XLS_UNSUPPORTED'
  | 'FILE_NO_HEADER'
  | 'CSV_MALFORMED'
  | 'XLSX_MALFORMED'
  | 'SHEET_NOT_FOUND'
  | 'SHEET_EMPTY';

export class ImportReadError extends Error {
  readonly code: ReadErrorCode;
  readonly params: Record<string, string | number>;

  constructor(code: ReadErrorCode, params: Record<string, string | number> = {}, options?: ErrorOptions) {
    super(`${code}${Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : ''}`, options);
    this.name = 'ImportReadError';
    this.code = code;
    this.params = params;
  }
}
