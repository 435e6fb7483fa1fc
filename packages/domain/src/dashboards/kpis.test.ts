import { describe, expect, it } from 'vitest';
import { KPI_KEYS } from './keys';
import { KPI_CATALOGUE } from './kpis';

describe('KPI keys', () => {
  it("are the catalogue's keys, each defined once, in the catalogue's order", () => {
    expect(KPI_CATALOGUE.map((entry) => entry.key)).toEqual([...KPI_KEYS]);
  });
});
