import { LockOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Card, Descriptions, Flex, Skeleton, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { NEED_TYPES } from './types';

// The same names and colours as the tags customers wear (features/customers/profile-meta.tsx).
const VALUE_COLORS = { high: 'gold', mid: 'blue', low: 'default' } as const;
const ACTIVITY_COLORS = { high: 'green', mid: 'cyan', low: 'default' } as const;
const NEED_COLOR = 'geekblue';

/**
 * The system tags explained: value and activity levels with the tenant's current thresholds
 * (settings.customerRules), and the need types. They are computed, so this is read-only.
 */
export function SystemTagsCard() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canAdjust = useCan('tenant.update');
  const rules = useQuery(trpc.settings.customerRules.queryOptions());

  let body: ReactNode;
  if (rules.isPending) body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (rules.isError) {
    body = (
      <Typography.Text type="danger">
        {errorMessage(rules.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
      </Typography.Text>
    );
  } else {
    const r = rules.data;
    const money = (amount: string) => formatMoney(amount, r.currency);
    const midMax = r.activityHighTouches - 1;
    body = (
      <Flex vertical gap={20}>
        <Section
          title={t('customerSettings.tags.system.value.title')}
          basis={t('customerSettings.tags.system.value.basis')}
          items={[
            {
              tag: <Tag color={VALUE_COLORS.high}>{t('systemTags.value.high')}</Tag>,
              rule: t('customerSettings.tags.system.value.highRule', { amount: money(r.valueHighAmount) }),
            },
            {
              tag: <Tag color={VALUE_COLORS.mid}>{t('systemTags.value.mid')}</Tag>,
              rule: t('customerSettings.tags.system.value.midRule', {
                min: money(r.valueMidAmount),
                max: money(r.valueHighAmount),
              }),
            },
            {
              tag: <Tag color={VALUE_COLORS.low}>{t('systemTags.value.low')}</Tag>,
              rule: t('customerSettings.tags.system.value.lowRule', { amount: money(r.valueMidAmount) }),
            },
          ]}
        />
        <Section
          title={t('customerSettings.tags.system.activity.title')}
          basis={t('customerSettings.tags.system.activity.basis', {
            days: r.activityWindowDays,
            count: r.activityWindowDays,
          })}
          items={[
            {
              tag: <Tag color={ACTIVITY_COLORS.high}>{t('systemTags.activity.high')}</Tag>,
              rule: t('customerSettings.tags.system.activity.highRule', { count: r.activityHighTouches }),
            },
            {
              tag: <Tag color={ACTIVITY_COLORS.mid}>{t('systemTags.activity.mid')}</Tag>,
              rule:
                midMax > r.activityMidTouches
                  ? t('customerSettings.tags.system.activity.midRule', {
                      min: r.activityMidTouches,
                      max: midMax,
                    })
                  : t('customerSettings.tags.system.activity.midRuleSingle', { count: r.activityMidTouches }),
            },
            {
              tag: <Tag color={ACTIVITY_COLORS.low}>{t('systemTags.activity.low')}</Tag>,
              rule: t('customerSettings.tags.system.activity.lowRule', { count: r.activityMidTouches }),
            },
          ]}
        />
        <Section
          title={t('customerSettings.tags.system.need.title')}
          basis={t('customerSettings.tags.system.need.basis')}
          items={NEED_TYPES.map((need) => ({
            tag: <Tag color={NEED_COLOR}>{t(`systemTags.need.${need}`)}</Tag>,
            rule: t(`customerSettings.tags.system.need.${need}Rule`),
          }))}
        />
      </Flex>
    );
  }

  return (
    <Card
      data-testid="system-tags"
      title={
        <span>
          <LockOutlined style={{ marginInlineEnd: 8, color: '#8c8c8c' }} />
          {t('customerSettings.tags.system.title')}
        </span>
      }
      extra={
        canAdjust ? (
          <Link to="/settings/customer-rules" data-testid="system-tags-adjust">
            {t('customerSettings.tags.system.adjust')} <RightOutlined />
          </Link>
        ) : null
      }
      style={{ height: '100%' }}
    >
      <Typography.Paragraph type="secondary">{t('customerSettings.tags.system.hint')}</Typography.Paragraph>
      {body}
    </Card>
  );
}

function Section(props: { title: string; basis: string; items: { tag: ReactNode; rule: string }[] }) {
  return (
    <div>
      <Typography.Text strong>{props.title}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8, fontSize: 13 }}>
        {props.basis}
      </Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        bordered
        styles={{ label: { width: 190 } }}
        items={props.items.map((item, index) => ({
          key: String(index),
          label: item.tag,
          children: item.rule,
        }))}
      />
    </div>
  );
}
