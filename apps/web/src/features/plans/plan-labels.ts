import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { languageOf } from '../industry/json-schema';

export type Plan = RouterOutputs['plans']['forCustomer']['plans'][number];
export type PlanStatus = Plan['status'];

/** Tag colours of plan statuses. */
export const STATUS_COLORS: Record<PlanStatus, string> = {
  draft: 'default',
  pending: 'gold',
  active: 'green',
  rejected: 'red',
  ended: 'default',
};

/** A plan's cadence and goals in the UI language: "季度回访 · 每 3 个月 · 电话". */
export function usePlanLabels() {
  const { t, i18n } = useTranslation();
  const language = languageOf(i18n.language);
  const cadenceLabel = (plan: Plan) => plan.cadence?.labels[language] ?? plan.cadenceKey;
  const intervalLabel = (plan: Plan) => (plan.cadence ? everyLabel(plan.cadence) : '');
  /** 每月 / 每 3 个月 · Every month / Every 3 months. */
  const everyLabel = (interval: { every: number; unit: 'day' | 'week' | 'month' }) =>
    interval.every === 1
      ? t('plans.card.everyOne', { unit: t(`plans.unitOne.${interval.unit}`) })
      : t('plans.card.every', { count: interval.every, unit: t(`plans.unit.${interval.unit}`) });
  const typeLabel = (plan: Plan) => (plan.cadence ? t(`plans.taskType.${plan.cadence.taskType}`) : '');
  /** The cadence's goals (from the industry profile) and the plan's own. */
  const goals = (plan: Plan) => [...(plan.cadence?.goals ?? []).map((goal) => goal[language]), ...plan.goals];
  const tierLabel = (plan: Plan) => plan.tierLabels?.[language] ?? plan.tier;
  return { cadenceLabel, intervalLabel, everyLabel, typeLabel, goals, tierLabel, language };
}
