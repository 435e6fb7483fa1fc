/** A file is stored in chunks of about this size (one row each in export_file_chunks). */
export const CHUNK_BYTES = 1024 * 1024;

/** The byte-order mark that makes Excel read a CSV file as UTF-8. */
export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * One CSV field exactly as PostgreSQL's `COPY … (FORMAT csv)` writes it, so both ways of
 * exporting give the same bytes: NULL is empty, an empty string is `""`, and a value holding
 * a comma, quote or line break (or `\.`) is quoted with quotes doubled.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '' || value === '\\.' || /[",\r\n]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

export function csvLine(values: readonly (string | null)[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

/**
 * Collects a file's bytes and hands them on in chunks of CHUNK_BYTES. One chunk is stored
 * while the next fills (the producer and the database work at the same time); when both are
 * busy, `write` waits, so a fast producer is held back by the database and at most two
 * chunks are in memory.
 */
export class FileSink {
  #parts: Uint8Array[] = [];
  #buffered = 0;
  #seq = 0;
  #storing: Promise<void> | null = null;
  size = 0;
  readonly #store: (seq: number, bytes: Uint8Array) => Promise<void>;

  constructor(store: (seq: number, bytes: Uint8Array) => Promise<void>) {
    this.#store = store;
  }

  async write(bytes: Uint8Array | string): Promise<void> {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    if (data.byteLength === 0) return;
    this.#parts.push(data);
    this.#buffered += data.byteLength;
    this.size += data.byteLength;
    if (this.#buffered >= CHUNK_BYTES) await this.#flush();
  }

  /** Stores what is left, and waits until every chunk is stored. */
  async close(): Promise<void> {
    if (this.#buffered > 0) await this.#flush();
    await this.#storing;
  }

  async #flush(): Promise<void> {
    await this.#storing;
    const chunk = Buffer.concat(this.#parts, this.#buffered);
    this.#parts = [];
    this.#buffered = 0;
    const seq = this.#seq;
    this.#seq += 1;
    const storing = this.#store(seq, chunk);
    // A failure surfaces at the next write or at close; until then it must not go unhandled.
    storing.catch(() => undefined);
    this.#storing = storing;
  }
}
