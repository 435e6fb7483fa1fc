import { createFileRoute, Link } from '@tanstack/react-router';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { ImportWizard } from '../../../features/imports/ImportWizard';
import { useCan } from '../../../lib/shell-context';

export const Route = createFileRoute('/_app/customers/import')({
  component: ImportPage,
});

function ImportPage() {
  const { t } = useTranslation();
  const canImport = useCan('customers.import');
  return (
    <>
      <PageHeader
        title={t('imports.title')}
        subtitle={t('imports.subtitle')}
        top={<Link to="/customers">{t('imports.backToList')}</Link>}
      />
      {canImport ? (
        <ImportWizard />
      ) : (
        <Result
          status="403"
          title={t('errors.forbiddenTitle')}
          extra={
            <Link to="/customers">
              <Button>{t('imports.backToList')}</Button>
            </Link>
          }
        />
      )}
    </>
  );
}
