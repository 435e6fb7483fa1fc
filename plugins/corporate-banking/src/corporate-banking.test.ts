import { defaultSettingsOf, resolvePlugin, validateSettings } from '@crm/plugin-sdk';
import {
  checkPluginContract,
  describePluginContract,
  runTierModel,
  SAMPLE_CUSTOMERS,
  type TierCustomer,
} from '@crm/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import corporateBanking, {
  DEPOSITS_FIELD,
  LOANS_FIELD,
  migrateCorporateBankingSettings,
  SETTLEMENT_FIELD,
} from './index';

/** A client with the figures its relationship manager keeps (money as the strings custom fields store). */
function client(
  id: string,
  figures: { deposits?: string; loans?: string; settlement?: string },
): TierCustomer {
  return {
    id,
    facts: { amount_12m: 60_000, order_count: 3, recency_days: 40 },
    customFields: {
      ...(figures.deposits !== undefined && { [DEPOSITS_FIELD]: figures.deposits }),
      ...(figures.loans !== undefined && { [LOANS_FIELD]: figures.loans }),
      ...(figures.settlement !== undefined && { [SETTLEMENT_FIELD]: figures.settlement }),
    },
  };
}

const FIXTURES: TierCustomer[] = [
  client('deposits', { deposits: '8000000.00', loans: '0', settlement: '20000000' }),
  client('deposits-at-threshold', { deposits: '5000000.00' }),
  client('loans', { deposits: '600000', loans: '45000000' }),
  client('settlement', { settlement: '150000000' }),
  client('below-thresholds', { deposits: '4999999.99', loans: '29000000', settlement: '99000000' }),
  client('no-figures', {}),
];

const run = (settings: Parameters<typeof runTierModel<typeof corporateBanking.settings.schema>>[1] = {}) =>
  new Map(runTierModel(corporateBanking, settings, FIXTURES).map((result) => [result.id, result]));

describePluginContract(corporateBanking, { customers: [...SAMPLE_CUSTOMERS, ...FIXTURES] });

describe('corporate-banking plugin', () => {
  it('passes the whole contract on its fixtures', () => {
    expect(checkPluginContract(corporateBanking, { customers: FIXTURES })).toEqual([]);
  });

  it('defaults to monthly and quarterly call-backs and the important-client thresholds', () => {
    const settings = defaultSettingsOf(corporateBanking);
    expect(settings.tiers).toEqual({
      importantDeposits: 5_000_000,
      importantLoans: 30_000_000,
      importantSettlement: 100_000_000,
    });
    expect(settings.cadences).toEqual({ importantMonths: 1, generalMonths: 3 });
  });

  it('makes a client important when any one figure reaches its threshold, and says which', () => {
    const results = run();
    expect(Object.fromEntries([...results].map(([id, result]) => [id, result.tier]))).toEqual({
      deposits: 'corporate_banking_important',
      'deposits-at-threshold': 'corporate_banking_important',
      loans: 'corporate_banking_important',
      settlement: 'corporate_banking_important',
      'below-thresholds': 'corporate_banking_general',
      'no-figures': 'corporate_banking_general',
    });
    const deposits = results.get('deposits')?.explanation;
    expect(deposits?.kind).toBe('thresholds');
    expect(deposits?.score).toBeNull();
    expect(deposits?.rule).toEqual({
      index: 0,
      tier: 'corporate_banking_important',
      conditions: [{ metric: `custom_number:${DEPOSITS_FIELD}`, op: 'gte', value: 5_000_000 }],
    });
    expect(deposits?.dimensions.map((dimension) => [dimension.metric, dimension.raw])).toEqual([
      [`custom_number:${DEPOSITS_FIELD}`, 8_000_000],
      [`custom_number:${LOANS_FIELD}`, 0],
      [`custom_number:${SETTLEMENT_FIELD}`, 20_000_000],
    ]);
    expect(results.get('loans')?.explanation.rule.index).toBe(1);
    expect(results.get('settlement')?.explanation.rule.index).toBe(2);
    expect(results.get('below-thresholds')?.explanation.rule).toEqual({
      index: null,
      tier: 'corporate_banking_general',
    });
    expect(results.get('no-figures')?.explanation.dimensions.map((dimension) => dimension.raw)).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('follows the admin’s thresholds', () => {
    const results = run({ tiers: { importantDeposits: 10_000_000, importantLoans: 20_000_000 } });
    expect(results.get('deposits')?.tier).toBe('corporate_banking_general');
    expect(results.get('below-thresholds')?.tier).toBe('corporate_banking_important');
    expect(
      validateSettings(corporateBanking, { tiers: { importantDeposits: -1 } }).map((p) => p.setting),
    ).toEqual(['tiers.importantDeposits']);
  });

  it('declares the KYC fields, with the national ID and the account number sensitive', () => {
    const fields = Object.fromEntries(
      resolvePlugin(corporateBanking).customFields.map((field) => [field.key, field]),
    );
    expect(fields.corporate_banking_credit_code).toBeUndefined();
    expect(corporateBanking.defaultCustomerKind).toBe('company');
    expect(fields.corporate_banking_legal_representative?.labels['zh-CN']).toBe('法定代表人');
    expect(fields.corporate_banking_registered_capital?.type).toBe('money');
    expect(fields.corporate_banking_industry_code?.labels['zh-CN']).toBe('行业代码');
    const sensitive = Object.values(fields)
      .filter((field) => field.sensitive)
      .map((field) => [field.key, field.type, field.validation]);
    expect(sensitive).toEqual([
      ['corporate_banking_legal_rep_id_number', 'text', { checkDigit: 'national-id' }],
      [
        'corporate_banking_basic_account_number',
        'text',
        expect.objectContaining({ pattern: '^[0-9]{8,32}$' }),
      ],
    ]);
    const industryCode = new RegExp(fields.corporate_banking_industry_code?.validation?.pattern ?? '$^');
    expect(['C3311', 'F51', 'J6510'].every((code) => industryCode.test(code))).toBe(true);
    expect(['c3311', 'Z99', 'C1'].some((code) => industryCode.test(code))).toBe(false);
    for (const key of [DEPOSITS_FIELD, LOANS_FIELD, SETTLEMENT_FIELD])
      expect(fields[key]?.type).toBe('money');
  });

  it('declares monthly and quarterly call-backs and a half-yearly satisfaction survey', () => {
    const resolved = resolvePlugin(corporateBanking);
    expect(
      resolved.cadences.map((cadence) => [cadence.tier, cadence.interval.every, cadence.interval.unit]),
    ).toEqual([
      ['corporate_banking_important', 1, 'month'],
      ['corporate_banking_general', 3, 'month'],
    ]);
    expect(resolved.surveys.map((survey) => [survey.key, survey.kind, survey.schedule])).toEqual([
      ['corporate_banking_satisfaction', 'csat', { every: 'half_year' }],
      ['corporate_banking_ticket_csat', 'csat', { after: 'ticket_closed', delayDays: 0 }],
    ]);
  });

  it('migrates stored overrides idempotently', () => {
    const once = migrateCorporateBankingSettings(1, { cadences: { generalMonths: 2 }, unknown: { a: 1 } });
    expect(once.cadences).toEqual({ importantMonths: 1, generalMonths: 2 });
    expect(once).not.toHaveProperty('unknown');
    expect(migrateCorporateBankingSettings(1, once)).toEqual(once);
  });
});
