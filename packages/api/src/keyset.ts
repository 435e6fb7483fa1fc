import { appError } from './errors';

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
const UUID = /^[0-9a-f-]{36}$/i;

/**
 * A keyset cursor over (timestamp, id), newest first: the database's text form of the last
 * row's timestamp (microseconds kept) and its id.
 */
export function encodeTimestampCursor(timestampText: string, id: string): string {
  return Buffer.from(JSON.stringify([timestampText, id])).toString('base64url');
}

export function decodeTimestampCursor(cursor: string): { timestamp: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      TIMESTAMP_TEXT.test(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      return { timestamp: parsed[0], id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw appError('INVALID_CURSOR');
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
