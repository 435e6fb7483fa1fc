import { KPI_CATALOGUE } from '@crm/domain';
import { KPI_TARGET_UNITS } from '@crm/plugin-sdk';
import { describe, expect, it } from 'vitest';

describe('the KPIs a plugin may give a target', () => {
  it('are the catalogue’s, with the same units', () => {
    expect(KPI_TARGET_UNITS).toEqual(Object.fromEntries(KPI_CATALOGUE.map((kpi) => [kpi.key, kpi.unit])));
  });
});
