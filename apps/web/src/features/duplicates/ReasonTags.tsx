import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  credit_code: 'red',
  email: 'volcano',
  phone: 'orange',
  name: 'blue',
  branch: 'cyan',
  manual: 'default',
};
const KNOWN = ['phone', 'email', 'credit_code', 'name', 'branch', 'manual'] as const;
type Known = (typeof KNOWN)[number];

/**
 * Why two customers look like duplicates: 电话相同, 邮箱相同 … The reason `name` (the same
 * normalised name) reads 名称相同 when the two names are written alike and 名称相近 when they
 * differ (华辰工业科技有限公司 and 华辰工业科技股份有限公司).
 */
export function ReasonTags({
  reasons,
  names,
}: {
  reasons: readonly string[];
  /** The two customers' names as written, when known. */
  names?: readonly [string | null | undefined, string | null | undefined];
}) {
  const { t } = useTranslation();
  const similar = names !== undefined && (names[0] ?? '').trim() !== (names[1] ?? '').trim();
  return (
    <>
      {reasons.map((reason) => (
        <Tag
          key={reason}
          color={COLORS[reason] ?? 'default'}
          data-testid="duplicate-reason"
          data-reason={reason}
        >
          {reason === 'name' && similar
            ? t('duplicates.reason.similarName')
            : (KNOWN as readonly string[]).includes(reason)
              ? t(`duplicates.reason.${reason as Known}`)
              : reason}
        </Tag>
      ))}
    </>
  );
}
