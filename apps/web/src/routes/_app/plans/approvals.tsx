import { createFileRoute } from '@tanstack/react-router';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { ApprovalsTable } from '../../../features/plans/ApprovalsTable';
import { PlanSettingsCard } from '../../../features/plans/PlanSettingsCard';

export const Route = createFileRoute('/_app/plans/approvals')({
  component: ApprovalsPage,
});

/** 审批: maintenance plans waiting for a manager's decision, and the tenant's plan settings. */
function ApprovalsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('plans.approvals.title')} subtitle={t('plans.approvals.subtitle')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={16}>
          <ApprovalsTable />
        </Col>
        <Col xs={24} xxl={8}>
          <PlanSettingsCard />
        </Col>
      </Row>
    </>
  );
}
