import { useTranslation } from 'react-i18next';
import type { CustomFieldDefinition } from '../../lib/api-types';
import { formatMoney } from '../../lib/format';

const KNOWN_METRICS = [
  'amount_12m',
  'amount_lifetime',
  'profit_12m',
  'order_count_12m',
  'order_count',
  'recency_days',
  'months_without_order',
  'rfm_r',
  'rfm_f',
  'rfm_m',
] as const;
type KnownMetric = (typeof KNOWN_METRICS)[number];

const MONEY_METRICS = new Set(['amount_12m', 'amount_lifetime', 'profit_12m']);

type Op = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

const round = (value: number) => Number(value.toFixed(2));

/**
 * A tier metric (amount_12m, custom_number:b2b_employees, custom_enum:b2b_industry_growth …)
 * in words: its label — a custom field's own label, never its key — and its values as a user
 * reads them: money as money ("1 万元" / "¥10,000"), days and months with their unit, an
 * option by its label.
 */
export function useTierMetrics(fields: readonly CustomFieldDefinition[]) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';

  const fieldOf = (metric: string) => {
    const colon = metric.indexOf(':');
    if (colon < 0) return undefined;
    const key = metric.slice(colon + 1);
    return fields.find((field) => field.key === key);
  };

  const metricLabel = (metric: string): string => {
    if ((KNOWN_METRICS as readonly string[]).includes(metric))
      return t(`tiers.metrics.${metric as KnownMetric}`);
    const field = fieldOf(metric);
    if (field) return english ? field.labelEn : field.labelZh;
    return t('tiers.metrics.customField');
  };

  const isMoney = (metric: string) => MONEY_METRICS.has(metric) || fieldOf(metric)?.type === 'money';

  /** A value in the explanation's table: ¥86,500.00, 12 天, 高. */
  const formatValue = (metric: string, value: number | string | null): string => {
    if (value === null || value === '') return '—';
    if (typeof value === 'string') {
      const option = fieldOf(metric)?.options.find((candidate) => candidate.value === value);
      return option ? (english ? option.labelEn : option.labelZh) : t('tiers.metrics.otherOption');
    }
    if (isMoney(metric)) return formatMoney(round(value).toFixed(2));
    if (metric === 'recency_days') return t('tiers.units.days', { count: round(value) });
    if (metric === 'months_without_order') return t('tiers.units.months', { count: round(value) });
    return round(value).toLocaleString(english ? 'en' : 'zh-CN');
  };

  /** A threshold in a rule: money compact in Chinese (1 万元, 1.5 亿元), whole in English (¥10,000). */
  const formatThreshold = (metric: string, value: number): string => {
    if (!isMoney(metric)) return formatValue(metric, value);
    if (english) return formatMoney(round(value).toFixed(2)).replace(/\.00$/, '');
    if (Math.abs(value) < 10_000)
      return t('tiers.units.yuan', { value: round(value).toLocaleString('zh-CN') });
    const compact = new Intl.NumberFormat('zh-CN', { notation: 'compact', maximumFractionDigits: 2 }).format(
      value,
    );
    // 1万 → 1 万元: the figure and its unit apart, as the rest of the product writes them.
    return t('tiers.units.yuan', { value: compact.replace(/(\d)([^\d.,]+)$/, '$1 $2') });
  };

  /** 近 12 个月交易额 > 1 万元 */
  const formatCondition = (condition: { metric: string; op: Op; value: number }) =>
    `${metricLabel(condition.metric)} ${t(`tiers.ops.${condition.op}`)} ${formatThreshold(condition.metric, condition.value)}`;

  return { metricLabel, formatValue, formatCondition };
}
