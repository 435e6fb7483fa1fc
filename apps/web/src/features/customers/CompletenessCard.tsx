import { ClockCircleOutlined } from '@ant-design/icons';
import { Card, Flex, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../lib/api-types';
import { useCustomFields, useFieldLabel } from './profile-meta';

const GOAL = 90;

/** A key field's name: a built-in key translated, or a custom field's label. */
export function useCompletenessKeyLabel() {
  const { t } = useTranslation();
  const { all } = useCustomFields();
  const label = useFieldLabel();
  return (key: string) => {
    if (key.startsWith('custom:')) {
      const field = all.find((candidate) => candidate.key === key.slice('custom:'.length));
      return field ? label(field) : key.slice('custom:'.length);
    }
    return t(`completeness.keys.${key}` as 'completeness.keys.phone', { defaultValue: key });
  };
}

/** 资料完整度: the score against the 90 % goal, what is missing (heaviest first), and staleness. */
export function CompletenessCard({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const keyLabel = useCompletenessKeyLabel();
  const reached = customer.completeness >= GOAL;
  return (
    <Card
      size="small"
      title={t('completeness.title')}
      extra={<Typography.Text type="secondary">{t('completeness.goal')}</Typography.Text>}
    >
      <Flex gap={16} align="center">
        <Progress
          type="circle"
          size={72}
          percent={customer.completeness}
          status={reached ? 'success' : 'normal'}
          strokeColor={reached ? undefined : customer.completeness >= 60 ? '#1f5eff' : '#fa8c16'}
          format={(percent) => <span data-testid="customer-completeness">{percent}%</span>}
        />
        <Flex vertical gap={6} style={{ minWidth: 0 }}>
          {customer.completenessMissing.length === 0 ? (
            <Typography.Text type="success">{t('completeness.complete')}</Typography.Text>
          ) : (
            <Typography.Text data-testid="customer-completeness-missing">
              {t('completeness.missing')}
              {customer.completenessMissing.map((key) => (
                <Tag key={key} style={{ marginBlock: 2 }}>
                  {keyLabel(key)}
                </Tag>
              ))}
            </Typography.Text>
          )}
          {customer.stale ? (
            <Typography.Text type="warning" data-testid="customer-stale">
              <ClockCircleOutlined style={{ marginInlineEnd: 6 }} />
              {t('completeness.stale')}
            </Typography.Text>
          ) : null}
        </Flex>
      </Flex>
    </Card>
  );
}
