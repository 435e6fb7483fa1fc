import { describe, expect, it } from 'vitest';
import { nextPendingRunAt, TIERING_PENDING_SCHEDULE } from './tiering.schedule';

describe('the nightly run of customers waiting (待重算)', () => {
  it('is the next 03:30 Beijing time, as its cron says', () => {
    expect(TIERING_PENDING_SCHEDULE).toEqual({ cron: '30 3 * * *', tz: 'Asia/Shanghai' });
    const cases: Array<[string, string]> = [
      // 08:00 Beijing → 03:30 the next morning.
      ['2026-12-07T00:00:00.000Z', '2026-12-07T19:30:00.000Z'],
      // 03:29 Beijing → one minute later.
      ['2026-12-07T19:29:00.000Z', '2026-12-07T19:30:00.000Z'],
      // At 03:30 sharp the run is starting: the next is tomorrow.
      ['2026-12-07T19:30:00.000Z', '2026-12-08T19:30:00.000Z'],
      ['2026-12-31T23:59:59.000Z', '2027-01-01T19:30:00.000Z'],
    ];
    for (const [now, next] of cases) expect(nextPendingRunAt(new Date(now)).toISOString()).toBe(next);
  });
});
