import { createFileRoute, Link } from '@tanstack/react-router';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { ImportWizard } from '../../features/imports/ImportWizard';
import { useCan } from '../../lib/shell-context';

export const Route = createFileRoute('/_app/leads_/import')({
  component: LeadImportPage,
});

/** 导入线索: the import wizard for leads only, from the lead list. */
function LeadImportPage() {
  const { t } = useTranslation();
  const canImportFiles = useCan('customers.import');
  const canCreate = useCan('leads.create');
  const canImport = canImportFiles && canCreate;
  return (
    <>
      <PageHeader
        title={t('leads.import.title')}
        subtitle={t('leads.import.subtitle')}
        top={<Link to="/leads">{t('leads.import.back')}</Link>}
      />
      {canImport ? (
        <ImportWizard entities={['leads']} listPath="/leads" />
      ) : (
        <Result
          status="403"
          title={t('errors.forbiddenTitle')}
          extra={
            <Link to="/leads">
              <Button>{t('leads.import.back')}</Button>
            </Link>
          }
        />
      )}
    </>
  );
}
