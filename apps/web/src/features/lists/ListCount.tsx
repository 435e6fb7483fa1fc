import { Skeleton, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** What a list counts, for the English noun ("12 customers"); Chinese says 共 N 条 for all. */
export type CountNoun =
  | 'records'
  | 'customers'
  | 'orders'
  | 'interactions'
  | 'pairs'
  | 'members'
  | 'tags'
  | 'fields'
  | 'runs'
  | 'jobs';

/** A count as the server's `*.count` procedures answer it, or a list's own length (exact). */
export type ListTotal = { total: number; exact: boolean };

type Props = {
  noun: CountNoun;
  /** The count; undefined while it is being fetched (a small skeleton holds its place). */
  count: ListTotal | undefined;
};

/**
 * 共 N 条 / "N customers" under a list; beyond the server's cap "约 N 条" / "About N customers"
 * with a tooltip saying it is an estimate.
 */
export function ListCount({ noun, count }: Props) {
  const { t } = useTranslation();
  if (!count) {
    return (
      <span data-testid="list-count" role="status" aria-busy="true" aria-label={t('counts.loading')}>
        <Skeleton.Input active size="small" style={{ width: 72, minWidth: 72, height: 16 }} />
      </span>
    );
  }
  const text = count.exact
    ? t(`counts.exact.${noun}`, { count: count.total })
    : t(`counts.estimate.${noun}`, { count: count.total });
  const label = (
    <Typography.Text type="secondary" data-testid="list-count">
      {text}
    </Typography.Text>
  );
  return count.exact ? label : <Tooltip title={t('counts.estimateHint')}>{label}</Tooltip>;
}

/** A list's own length as a count, for lists that arrive whole. */
export function lengthCount(items: readonly unknown[] | undefined): ListTotal | undefined {
  return items ? { total: items.length, exact: true } : undefined;
}
