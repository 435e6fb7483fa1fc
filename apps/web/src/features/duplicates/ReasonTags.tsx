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

/** Why two customers look like duplicates: 电话相同, 邮箱相同 … */
export function ReasonTags({ reasons }: { reasons: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <>
      {reasons.map((reason) => (
        <Tag
          key={reason}
          color={COLORS[reason] ?? 'default'}
          data-testid="duplicate-reason"
          data-reason={reason}
        >
          {(KNOWN as readonly string[]).includes(reason) ? t(`duplicates.reason.${reason as Known}`) : reason}
        </Tag>
      ))}
    </>
  );
}
