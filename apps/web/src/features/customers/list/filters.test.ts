import { describe, expect, it } from 'vitest';
import { compactFilters, countMoreFilters, filtersFromUrl } from './filters';

describe('list filters from the URL', () => {
  it('keeps valid filters and drops malformed ones, so an old or edited link still opens', () => {
    const parsed = filtersFromUrl.parse({
      lifecycleStages: ['new', 'loyal'],
      tagIds: ['not-a-uuid'],
      amount12mMin: '100000',
      amount12mMax: '1e9',
      completenessMin: 90,
      custom: [{ key: 'grade', op: 'in', value: ['a'] }],
    });
    expect(parsed).toEqual({
      lifecycleStages: ['new', 'loyal'],
      amount12mMin: '100000',
      completenessMin: 90,
      custom: [{ key: 'grade', op: 'in', value: ['a'] }],
    });
    expect(filtersFromUrl.parse('garbage')).toEqual({});
  });

  it('compacts empty entries and counts only what the drawer holds', () => {
    const filters = compactFilters({
      lifecycleStages: [],
      tagIds: ['7d7c4f0e-8a4b-4c55-9a3e-6f6f0c1e2a11'],
      industry: '',
      unowned: false,
      stale: false,
      valueLevels: ['high'],
      custom: [
        { key: 'grade', op: 'empty' },
        { key: 'vip', op: 'eq', value: true },
      ],
    });
    expect(filters).toEqual({
      tagIds: ['7d7c4f0e-8a4b-4c55-9a3e-6f6f0c1e2a11'],
      stale: false,
      valueLevels: ['high'],
      custom: [
        { key: 'grade', op: 'empty' },
        { key: 'vip', op: 'eq', value: true },
      ],
    });
    // Tags are an inline filter; freshness, value level and two custom conditions are in the drawer.
    expect(countMoreFilters(filters)).toBe(4);
  });
});
