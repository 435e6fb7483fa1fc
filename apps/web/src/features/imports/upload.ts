import { currentLanguage } from '../../i18n';

export type ImportEntity = 'customers' | 'orders' | 'interactions' | 'leads';

/** What POST /api/imports/files answers. */
export type UploadedFile = {
  fileId: string;
  name: string;
  size: number;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  /** Excel only: the sheet being read. */
  sheet?: string | null;
  headers: string[];
  /** The data rows (files up to 10 MB); null when the file is bigger. */
  rowCount?: number | null;
  preview: { rowNumber: number; cells: string[] }[];
  suggestions: Record<ImportEntity, Record<string, string>>;
  targets: Record<ImportEntity, { key: string; label: string; required: boolean }[]>;
  mappings: { id: string; entity: ImportEntity; name: string; columns: Record<string, string> }[];
};

export class UploadError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** Sends the file as the raw body (streamed by the browser), its name in a header. */
export async function uploadImportFile(file: File): Promise<UploadedFile> {
  const response = await fetch('/api/imports/files', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/octet-stream',
      'X-File-Name': encodeURIComponent(file.name),
      'X-Locale': currentLanguage(),
    },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as
    | (UploadedFile & { code?: undefined })
    | { code: string; message: string }
    | null;
  if (!response.ok || !body || body.code !== undefined) {
    const failure = body as { code?: string; message?: string } | null;
    throw new UploadError(failure?.message ?? response.statusText, failure?.code ?? null);
  }
  return body;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
