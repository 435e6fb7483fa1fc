import { AimOutlined, CalendarOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Flex, List, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { type Plan, STATUS_COLORS, usePlanLabels } from './plan-labels';

/**
 * 维护计划 on the customer page: each plan of the customer's tier — its cadence, status, goals,
 * next occurrences and the manager's comment — and the plans that ended (why).
 */
export function PlanCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const plans = useQuery(trpc.plans.forCustomer.queryOptions({ customerId }));

  if (plans.isPending) {
    return (
      <Card size="small" title={t('plans.card.title')}>
        <Skeleton active paragraph={{ rows: 2 }} />
      </Card>
    );
  }
  if (plans.isError) return null;
  const open = plans.data.plans.filter((plan) => plan.status !== 'ended');
  const ended = plans.data.plans.filter((plan) => plan.status === 'ended');
  return (
    <Card size="small" title={t('plans.card.title')} data-testid="plan-card">
      {open.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plans.card.empty')} />
      ) : (
        <Flex vertical gap={16}>
          {open.map((plan) => (
            <OpenPlan key={plan.id} plan={plan} />
          ))}
        </Flex>
      )}
      {ended.length > 0 ? (
        <div style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{t('plans.card.ended')}</Typography.Text>
          <List
            size="small"
            dataSource={ended}
            renderItem={(plan) => <EndedPlan plan={plan} />}
            data-testid="plan-card-ended"
          />
        </div>
      ) : null}
    </Card>
  );
}

function OpenPlan({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const { cadenceLabel, intervalLabel, typeLabel, goals } = usePlanLabels();
  const lastDecision = [...plan.decisions].reverse().find((decision) => decision.action !== 'submit');
  const planGoals = goals(plan);
  return (
    <div data-testid="plan-card-plan">
      <Flex align="center" gap={8} wrap>
        <Typography.Text strong>{cadenceLabel(plan)}</Typography.Text>
        <Tag color={STATUS_COLORS[plan.status]}>{t(`plans.status.${plan.status}`)}</Tag>
        <Typography.Text type="secondary">
          {intervalLabel(plan)} · {typeLabel(plan)}
        </Typography.Text>
      </Flex>
      {plan.status === 'pending' ? (
        <Alert type="info" showIcon title={t('plans.card.waiting')} style={{ marginTop: 8 }} />
      ) : null}
      {plan.status === 'rejected' ? (
        <Alert type="warning" showIcon title={t('plans.card.rejectedHint')} style={{ marginTop: 8 }} />
      ) : null}
      {planGoals.length > 0 ? (
        <Flex align="center" gap={6} wrap style={{ marginTop: 8 }}>
          <AimOutlined />
          <Typography.Text type="secondary">{t('plans.card.goals')}</Typography.Text>
          {planGoals.map((goal) => (
            <Tag key={goal} color="blue">
              {goal}
            </Tag>
          ))}
        </Flex>
      ) : null}
      {plan.status === 'active' ? (
        <Flex align="center" gap={6} wrap style={{ marginTop: 8 }}>
          <CalendarOutlined />
          <Typography.Text type="secondary">{t('plans.card.next')}</Typography.Text>
          {plan.next.length === 0 ? (
            <Typography.Text type="secondary">{t('plans.card.noNext')}</Typography.Text>
          ) : (
            plan.next.map((task) => (
              <Tag key={task.taskId} data-testid="plan-next">
                {formatDate(task.dueOn)}
              </Tag>
            ))
          )}
        </Flex>
      ) : null}
      {lastDecision?.comment ? (
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('plans.card.decisionLine', {
            action: t(`plans.decision.${lastDecision.action}`),
            by: lastDecision.by ?? '',
            comment: lastDecision.comment,
          })}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}

function EndedPlan({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const { cadenceLabel } = usePlanLabels();
  return (
    <List.Item>
      <Typography.Text type="secondary">
        {cadenceLabel(plan)} · {formatDate(plan.endedAt)}
        {plan.endReason ? ` · ${t(`plans.endReason.${plan.endReason}`)}` : ''}
      </Typography.Text>
    </List.Item>
  );
}
