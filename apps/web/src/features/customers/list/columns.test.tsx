import { CUSTOMER_LIST_COLUMNS } from '@crm/domain';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_COLUMNS, defaultColumns } from './columns';

describe('customer list columns', () => {
  it('every column the list can show is one a saved view may keep (views.create refuses others)', () => {
    const savable = new Set<string>(CUSTOMER_LIST_COLUMNS);
    expect(BUILT_IN_COLUMNS.filter((column) => !savable.has(column))).toEqual([]);
    // A tiered tenant's default columns (tier, score) are saved as they are by 另存为视图.
    expect(defaultColumns(true).filter((column) => !savable.has(column))).toEqual([]);
    expect(defaultColumns(false).filter((column) => !savable.has(column))).toEqual([]);
  });
});
