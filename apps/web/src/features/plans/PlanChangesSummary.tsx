import { Col, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';

type PlanChanges = RouterOutputs['industry']['preview']['plans'];

/**
 * In the 行业配置 preview: what the save does to maintenance plans and their tasks — counted by
 * the save's own re-tier and re-plan, run and rolled back.
 */
export function PlanChangesSummary({ plans }: { plans: PlanChanges }) {
  const { t } = useTranslation();
  return (
    <div data-testid="plan-changes">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('plans.preview.title')}
      </Typography.Title>
      {plans === null ? (
        <Typography.Text type="secondary">{t('plans.preview.tooLarge')}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('plans.preview.intro')}</Typography.Paragraph>
          <Row gutter={[16, 16]}>
            <Col span={8}>
              <Statistic
                title={t('plans.preview.added')}
                value={plans.tasksAdded}
                data-testid="plan-changes-added"
              />
            </Col>
            <Col span={8}>
              <Statistic
                title={t('plans.preview.moved')}
                value={plans.tasksMoved}
                data-testid="plan-changes-moved"
              />
            </Col>
            <Col span={8}>
              <Statistic
                title={t('plans.preview.cancelled')}
                value={plans.tasksCancelled}
                data-testid="plan-changes-cancelled"
              />
            </Col>
            <Col span={8}>
              <Statistic
                title={t('plans.preview.plansCreated')}
                value={plans.plansCreated}
                suffix={
                  plans.plansPending > 0 ? (
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                      {t('plans.preview.plansPending', { count: plans.plansPending })}
                    </Typography.Text>
                  ) : null
                }
              />
            </Col>
            <Col span={8}>
              <Statistic title={t('plans.preview.plansEnded')} value={plans.plansEnded} />
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
