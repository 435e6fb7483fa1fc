import { describe, expect, it } from 'vitest';
import { formatTimeIn, instantAt, inTimeZone } from './format';

/**
 * Deadlines are set and read on the tenant's wall clock, whatever zone the browser is in
 * (a rep travelling, or a test runner on UTC).
 */
describe('times in the tenant’s time zone', () => {
  it('reads an instant on the tenant’s clock', () => {
    expect(formatTimeIn('2026-12-08T06:30:00.000Z', 'Asia/Shanghai')).toBe('14:30');
    expect(formatTimeIn('2026-12-08T06:30:00.000Z', 'Europe/Berlin')).toBe('07:30');
    const local = inTimeZone('2026-12-08T17:05:00.000Z', 'Asia/Shanghai');
    expect([local.format('YYYY-MM-DD'), local.hour(), local.minute()]).toEqual(['2026-12-09', 1, 5]);
  });

  it('turns a day and a time on the tenant’s clock into the instant', () => {
    expect(instantAt('2026-12-08', 14, 30, 'Asia/Shanghai')).toBe('2026-12-08T06:30:00.000Z');
    expect(instantAt('2026-12-09', 1, 5, 'Asia/Shanghai')).toBe('2026-12-08T17:05:00.000Z');
    // Summer time elsewhere: 09:00 in Berlin is 07:00 UTC in July, 08:00 in December.
    expect(instantAt('2026-07-01', 9, 0, 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(instantAt('2026-12-01', 9, 0, 'Europe/Berlin')).toBe('2026-12-01T08:00:00.000Z');
  });
});
