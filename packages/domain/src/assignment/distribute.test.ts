import { describe, expect, it } from 'vitest';
import { byLoad, resolveRecycleDays, roundRobin } from './distribute';

describe('round robin', () => {
  it.each([
    { members: ['a', 'b', 'c'], cursor: null, count: 4, picks: ['a', 'b', 'c', 'a'], next: 'a' },
    { members: ['a', 'b', 'c'], cursor: 'b', count: 2, picks: ['c', 'a'], next: 'a' },
    { members: ['a', 'b', 'c'], cursor: 'c', count: 1, picks: ['a'], next: 'a' },
    // The last one to get a record left the team: the turn starts again from the first.
    { members: ['a', 'b'], cursor: 'gone', count: 3, picks: ['a', 'b', 'a'], next: 'a' },
    { members: [], cursor: 'a', count: 3, picks: [], next: 'a' },
    { members: ['a'], cursor: null, count: 0, picks: [], next: null },
  ])('$members after $cursor, $count records → $picks', ({ members, cursor, count, picks, next }) => {
    expect(roundRobin(members, cursor, count)).toEqual({ picks, cursor: next });
  });
});

describe('by load', () => {
  it.each([
    { loads: [3, 1, 2], count: 1, picks: ['b'] },
    { loads: [3, 1, 2], count: 4, picks: ['b', 'b', 'c', 'a'] },
    { loads: [0, 0], count: 3, picks: ['a', 'b', 'a'] },
    { loads: [5], count: 2, picks: ['a', 'a'] },
    { loads: [], count: 2, picks: [] },
  ])('loads $loads, $count records → $picks', ({ loads, count, picks }) => {
    const members = loads.map((load, index) => ({ userId: String.fromCharCode(97 + index), load }));
    expect(byLoad(members, count)).toEqual(picks);
  });
});

describe('recycle days', () => {
  const plugin = {
    rules: new Map<string, number | null>([
      ['a', 7],
      ['strategic', null],
    ]),
    fallback: 30,
  };
  it.each([
    { tenant: [], key: 'a', days: 7 },
    { tenant: [], key: 'strategic', days: null },
    { tenant: [], key: 'other', days: 30 },
    { tenant: [['a', 3]], key: 'a', days: 3 },
    { tenant: [['strategic', 180]], key: 'strategic', days: 180 },
    // The tenant says never for A: never, though the plugin says 7.
    { tenant: [['a', null]], key: 'a', days: null },
    { tenant: [['*', 45]], key: 'other', days: 45 },
    { tenant: [['*', null]], key: '*', days: null },
  ] as { tenant: [string, number | null][]; key: string; days: number | null }[])(
    'tenant $tenant: $key → $days',
    ({ tenant, key, days }) => {
      expect(resolveRecycleDays(['a', 'strategic', 'other'], plugin, new Map(tenant)).get(key)).toBe(days);
    },
  );
});
