import type { KpiKey } from '@crm/domain';
import { kpiDefinition } from '@crm/domain';
import { Alert, Button } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useTiers } from '../industry/tiers';
import { kpiText, segmentLabel } from './kpi-format';

type Props = {
  filter: { key: KpiKey; from: string; to: string; segment?: string };
  onClear: () => void;
};

/** Above the customer list opened from a chart: which figure (and which bar) it lists. */
export function KpiFilterBanner({ filter, onClear }: Props) {
  const { t } = useTranslation();
  const { tierLabel, language } = useTiers();
  const { label } = kpiText(filter.key, language);
  const lastDay = dayjs(filter.to).subtract(1, 'day').format('YYYY-MM-DD');
  const segment =
    filter.segment === undefined
      ? null
      : segmentLabel(
          t,
          kpiDefinition(filter.key).breakdown,
          filter.segment === '' ? null : filter.segment,
          null,
          tierLabel,
        );
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="kpi-filter-banner"
      title={`${t('dashboards.kpiFilter.banner', { kpi: label, from: filter.from, to: lastDay })}${
        segment ? ` · ${t('dashboards.kpiFilter.segment', { segment })}` : ''
      }`}
      action={
        <Button size="small" onClick={onClear}>
          {t('dashboards.kpiFilter.clear')}
        </Button>
      }
    />
  );
}
