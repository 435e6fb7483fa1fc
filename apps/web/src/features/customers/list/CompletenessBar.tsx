import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { HoverTooltip } from '../../../components/HoverTooltip';

type Props = {
  percent: number;
  /** Not updated for over 30 days: a red bar, and why on hover. */
  stale: boolean;
  staleHint: string;
};

/**
 * A customer's completeness in a list row: the look of antd's small line `<Progress>`
 * (6 px bar, the figure or a status icon after it; green from 90%, red when stale), drawn
 * with plain elements and the `crm-completeness` styles (styles.css) — one per row of a
 * 50-row table, where antd's Progress and its Tooltip were most of the first render.
 */
export function CompletenessBar({ percent, stale, staleHint }: Props) {
  const status = percent >= 90 ? 'success' : stale ? 'exception' : 'normal';
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <HoverTooltip title={stale ? staleHint : undefined}>
      <span
        className={`crm-completeness crm-completeness-${status}`}
        role="progressbar"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <span className="crm-completeness-rail">
          <span className="crm-completeness-track" style={{ width: `${clamped}%` }} />
        </span>
        <span className="crm-completeness-figure" title={status === 'normal' ? `${percent}%` : undefined}>
          {status === 'success' ? (
            <CheckCircleFilled />
          ) : status === 'exception' ? (
            <CloseCircleFilled />
          ) : (
            `${percent}%`
          )}
        </span>
      </span>
    </HoverTooltip>
  );
}
