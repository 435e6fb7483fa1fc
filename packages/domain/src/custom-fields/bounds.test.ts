import { describe, expect, it } from 'vitest';
import { boundsProblem, type CustomFieldRules, checkCustomFieldValue, describeBounds } from './index';

const employees: CustomFieldRules = {
  type: 'number',
  labelZh: '员工人数',
  labelEn: 'Employees',
  validation: { integer: true, min: 0, max: 10_000_000 },
};
const willingness: CustomFieldRules = {
  type: 'number',
  labelZh: '合作意愿',
  labelEn: 'Willingness to cooperate',
  validation: { rating: true },
};
const budget: CustomFieldRules = {
  type: 'money',
  labelZh: '年度预算',
  labelEn: 'Annual budget',
  validation: { max: 1_000_000 },
};
const code: CustomFieldRules = {
  type: 'text',
  labelZh: '行业代码',
  labelEn: 'Industry code',
  validation: {
    pattern: '^[A-T][0-9]{2,4}$',
    patternMessage: { 'zh-CN': '须为门类字母加 2–4 位数字', en: 'must be a letter and 2–4 digits' },
  },
};
const legalRep: CustomFieldRules = {
  type: 'text',
  labelZh: '法定代表人',
  labelEn: 'Legal representative',
  validation: { minLength: 2, maxLength: 5 },
};
const level: CustomFieldRules = {
  type: 'enum',
  labelZh: '等级',
  labelEn: 'Level',
  options: [{ value: 'gold' }, { value: 'silver' }],
};

describe('checkCustomFieldValue', () => {
  it.each([
    [employees, -5, 'BELOW_MIN', '员工人数不能小于 0', 'Employees must be at least 0'],
    [employees, '12.5', 'INTEGER', '员工人数须为整数', 'Employees must be a whole number'],
    [
      employees,
      20_000_000,
      'ABOVE_MAX',
      '员工人数不能大于 10,000,000',
      'Employees must be at most 10,000,000',
    ],
    [employees, 'many', 'TYPE', '员工人数须为数字', 'Employees must be a number'],
    [willingness, 99, 'ABOVE_MAX', '合作意愿不能大于 5', 'Willingness to cooperate must be at most 5'],
    [willingness, 0, 'BELOW_MIN', '合作意愿不能小于 1', 'Willingness to cooperate must be at least 1'],
    [
      willingness,
      3.5,
      'INTEGER',
      '合作意愿须为 1–5 的整数评分',
      'Willingness to cooperate must be a whole rating from 1 to 5',
    ],
    [budget, '-1', 'BELOW_MIN', '年度预算不能小于 0', 'Annual budget must be at least 0'],
    [budget, '2000000', 'ABOVE_MAX', '年度预算不能大于 1,000,000', 'Annual budget must be at most 1,000,000'],
    [
      budget,
      '1.234',
      'TYPE',
      '年度预算须为金额，不能为负，最多两位小数',
      'Annual budget must be an amount, not negative, with at most two decimals',
    ],
    [
      code,
      'c3311x',
      'PATTERN',
      '行业代码须为门类字母加 2–4 位数字',
      'Industry code must be a letter and 2–4 digits',
    ],
    [
      legalRep,
      '张',
      'TOO_SHORT',
      '法定代表人至少 2 个字',
      'Legal representative must have at least 2 characters',
    ],
    [
      legalRep,
      '欧阳娜娜娜娜',
      'TOO_LONG',
      '法定代表人最多 5 个字',
      'Legal representative must have at most 5 characters',
    ],
    [level, 'bronze', 'OPTION', '等级须为给定选项之一', 'Level must be one of the listed options'],
  ] as const)('refuses %#: %s', (rules, value, problem, zh, en) => {
    const result = checkCustomFieldValue(rules, value);
    expect(result).toMatchObject({ ok: false, problem, message: { 'zh-CN': zh, en } });
  });

  it.each([
    [employees, 0, '0'],
    [employees, '1200', '1200'],
    [willingness, 5, '5'],
    [budget, '1000000', '1000000'],
    [code, ' C3311 ', 'C3311'],
    [legalRep, '张三', '张三'],
    [level, 'gold', 'gold'],
  ] as const)('keeps %#', (rules, value, stored) => {
    expect(checkCustomFieldValue(rules, value)).toEqual({ ok: true, value: stored });
  });

  it('checks and normalises check-digit codes', () => {
    const credit: CustomFieldRules = {
      type: 'text',
      labelZh: '代码',
      labelEn: 'Code',
      validation: { checkDigit: 'credit-code' },
    };
    expect(checkCustomFieldValue(credit, '91350100m000100y43')).toEqual({
      ok: true,
      value: '91350100M000100Y43',
    });
    expect(checkCustomFieldValue(credit, '91350100M000100Y44')).toMatchObject({
      ok: false,
      problem: 'CHECK_DIGIT',
    });
  });
});

describe('describeBounds', () => {
  it('says the bounds in a few words', () => {
    expect(describeBounds(employees)).toEqual({
      'zh-CN': '0–10,000,000，整数',
      en: '0–10,000,000, whole numbers',
    });
    expect(describeBounds(willingness)).toEqual({ 'zh-CN': '1–5，整数', en: '1–5, whole numbers' });
    expect(describeBounds(budget)).toEqual({ 'zh-CN': '0–1,000,000', en: '0–1,000,000' });
    expect(describeBounds(legalRep)).toEqual({ 'zh-CN': '2–5 个字', en: '2–5 characters' });
    expect(describeBounds(level)).toBeNull();
  });
});

describe('boundsProblem', () => {
  it('refuses bounds that do not fit the type or contradict each other', () => {
    expect(boundsProblem('text', { min: 1 })?.en).toBe(
      'Only number and money fields take a minimum and a maximum',
    );
    expect(boundsProblem('money', { integer: true })?.en).toBe(
      'Only number fields can be whole numbers or ratings',
    );
    expect(boundsProblem('number', { min: 5, max: 1 })?.en).toBe('The minimum cannot be above the maximum');
    expect(boundsProblem('number', { rating: true, max: 100 })?.['zh-CN']).toContain('评分');
    expect(boundsProblem('text', { pattern: '([' })?.en).toBe(
      'The pattern is not a valid regular expression',
    );
    expect(boundsProblem('number', { integer: true, min: 0 })).toBeNull();
  });
});
