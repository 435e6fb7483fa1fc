import { appError } from './errors';

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
/** A row id in a cursor. */
export const UUID = /^[0-9a-f-]{36}$/i;

/**
 * The one keyset-cursor codec: a cursor is the last row's sort values as JSON, base64url.
 * `decodeCursor` checks each part against its pattern (a string equal to it, or a RegExp) and
 * refuses anything else with INVALID_CURSOR, so a cursor never reaches SQL unchecked.
 */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, patterns: readonly (RegExp | string)[]): string[] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === patterns.length &&
      parsed.every((part, index) => {
        const pattern = patterns[index];
        if (typeof part !== 'string') return false;
        return typeof pattern === 'string' ? part === pattern : (pattern as RegExp).test(part);
      })
    )
      return parsed as string[];
  } catch {
    // falls through to the error below
  }
  throw appError('INVALID_CURSOR');
}

/**
 * A keyset cursor over (timestamp, id), newest first: the database's text form of the last
 * row's timestamp (microseconds kept) and its id.
 */
export function encodeTimestampCursor(timestampText: string, id: string): string {
  return encodeCursor([timestampText, id]);
}

export function decodeTimestampCursor(cursor: string): { timestamp: string; id: string } {
  const [timestamp = '', id = ''] = decodeCursor(cursor, [TIMESTAMP_TEXT, UUID]);
  return { timestamp, id };
}

/** The name of the constraint a database error is about, whichever driver raised it. */
export function violatedConstraint(error: unknown, code: '23505' | '23503'): string | null {
  const candidate = error as {
    code?: string;
    constraint_name?: string;
    constraint?: string;
    message?: string;
  };
  if (candidate.code !== code) return null;
  return `${candidate.constraint_name ?? candidate.constraint ?? candidate.message ?? ''}`;
}
