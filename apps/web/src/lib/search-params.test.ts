import { describe, expect, it } from 'vitest';
import {
  dayShape,
  either,
  flag,
  integer,
  isoDay,
  listOf,
  oneOf,
  searchOf,
  strictRecord,
  text,
  uuid,
  withDefault,
} from './search-params';

const ID = '7d7c4f0e-8a4b-4c55-9a3e-6f6f0c1e2a11';

describe('search parameters', () => {
  it('keeps usable values and drops the rest, whatever the link holds', () => {
    const search = searchOf({
      tab: oneOf(['a', 'b']),
      q: text(5),
      owner: either(oneOf(['me']), uuid),
      ids: listOf(uuid, 2),
      mine: flag,
      size: integer(1, 100),
      mode: withDefault(oneOf(['week', 'month']), 'week'),
    });
    expect(search.parse({ tab: 'b', q: 'abc', owner: ID, ids: [ID], mine: true, size: 20 })).toEqual({
      tab: 'b',
      q: 'abc',
      owner: ID,
      ids: [ID],
      mine: true,
      size: 20,
      mode: 'week',
    });
    expect(
      search.parse({
        tab: 'c',
        q: 'too long',
        owner: 'x',
        ids: [ID, 'x'],
        mine: 'yes',
        size: 2.5,
        mode: 'month',
      }),
    ).toEqual({ mode: 'month' });
    expect(search.parse({ ids: [ID, ID, ID] })).toEqual({ mode: 'week' });
    expect(search.parse('garbage')).toEqual({ mode: 'week' });
    expect(search.parse({ owner: 'me', extra: 1 })).toEqual({ owner: 'me', mode: 'week' });
  });

  it('reads days: any YYYY-MM-DD shape, or only days that exist', () => {
    expect(dayShape('2026-02-30')).toBe('2026-02-30');
    expect(isoDay('2026-02-30')).toBeUndefined();
    expect(isoDay('2028-02-29')).toBe('2028-02-29');
    expect(isoDay('2026-2-3')).toBeUndefined();
    expect(uuid('7D7C4F0E-8A4B-4C55-9A3E-6F6F0C1E2A11')).toBeDefined();
    expect(uuid('7d7c4f0e-8a4b-0c55-9a3e-6f6f0c1e2a11')).toBeUndefined();
  });

  it('drops a nested object whole when a part of it is missing or malformed', () => {
    const kpi = strictRecord({ key: oneOf(['churn']), from: dayShape, segment: text(3) }, ['key', 'from']);
    expect(kpi({ key: 'churn', from: '2026-01-01' })).toEqual({ key: 'churn', from: '2026-01-01' });
    expect(kpi({ key: 'churn' })).toBeUndefined();
    expect(kpi({ key: 'churn', from: '2026-01-01', segment: 'long' })).toBeUndefined();
    expect(kpi(['churn'])).toBeUndefined();
  });
});
