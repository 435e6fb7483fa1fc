import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { HoverTooltip } from '../../components/HoverTooltip';
import type { LifecycleStage } from '../../lib/api-types';
import { formatDate } from '../../lib/format';

export const LIFECYCLE_COLORS: Readonly<Record<LifecycleStage, string>> = {
  potential: 'default',
  new: 'blue',
  returning: 'purple',
  loyal: 'green',
  at_risk: 'orange',
  dormant: 'red',
};

type Props = {
  stage: LifecycleStage;
  /** When the customer entered the stage, shown in the tooltip. */
  since?: string | null;
  'data-testid'?: string;
};

/** 潜在 / 新客 / 回头客 / 忠诚 / 流失预警 / 沉睡, coloured, with what the stage means on hover. */
export function LifecycleTag({ stage, since, 'data-testid': testId }: Props) {
  const { t } = useTranslation();
  const hint = t(`lifecycle.hint.${stage}`);
  return (
    <HoverTooltip
      title={
        since ? (
          <>
            {hint}
            <br />
            {t('customers.detail.stageSince', { date: formatDate(since) })}
          </>
        ) : (
          hint
        )
      }
    >
      <Tag
        color={LIFECYCLE_COLORS[stage]}
        data-testid={testId}
        data-stage={stage}
        style={{ marginInlineEnd: 0 }}
      >
        {t(`lifecycle.${stage}`)}
      </Tag>
    </HoverTooltip>
  );
}
