import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { HoverTooltip } from '../../components/HoverTooltip';
import { formatDateTime } from '../../lib/format';

type Props = {
  tier: string | null;
  /** The tier's name in the UI language. */
  label: string;
  /** When the tier was last computed. */
  computedAt: string | null;
  /** Set while the tier waits for the next full run (待重算). */
  pendingSince: string | null;
  /** That run's time. */
  nextRunAt: string | null;
};

/** "3 分钟前计算（2026-12-07 08:15）" / "computed 3 minutes ago (…)". */
export function useComputedAgo() {
  const { t } = useTranslation();
  return (computedAt: string | null) =>
    computedAt
      ? t('tiers.computedAgoAt', { ago: dayjs(computedAt).fromNow(), time: formatDateTime(computedAt) })
      : undefined;
}

/**
 * A customer's tier in lists: its name, with when it was computed in the tooltip; a tier
 * waiting for the next full run says 待重算 and when that run is.
 */
export function TierTag({ tier, label, computedAt, pendingSince, nextRunAt }: Props) {
  const { t } = useTranslation();
  const computedAgo = useComputedAgo();
  if (pendingSince) {
    return (
      <HoverTooltip title={t('tiers.pendingTooltip', { time: formatDateTime(nextRunAt) })}>
        <span data-testid="tier-pending">
          {tier ? <Tag color="default">{label}</Tag> : null}
          <Tag color="orange">{t('tiers.pending')}</Tag>
        </span>
      </HoverTooltip>
    );
  }
  if (!tier) return null;
  return (
    <HoverTooltip title={computedAgo(computedAt)}>
      <Tag color="blue" data-testid="tier-tag">
        {label}
      </Tag>
    </HoverTooltip>
  );
}
