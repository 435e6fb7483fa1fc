import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from '@tanstack/react-router';
import { Button, Empty, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TemplateDownload } from '../../imports/TemplateDownload';

/** The customer list of a tenant without customers: import them (with the template) or add the first. */
export function EmptyCustomerList({
  canImport,
  canCreate,
  onCreate,
}: {
  canImport: boolean;
  canCreate: boolean;
  onCreate: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Empty
      data-testid="customers-empty-first"
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <Flex vertical gap={4}>
          <Typography.Text strong>{t('importTargets.emptyList.title')}</Typography.Text>
          <Typography.Text type="secondary">{t('importTargets.emptyList.description')}</Typography.Text>
        </Flex>
      }
      style={{ padding: '24px 0' }}
    >
      <Flex gap={8} justify="center" wrap>
        {canImport ? (
          <>
            <Link to="/customers/import">
              <Button data-testid="customers-empty-import" type="primary" icon={<UploadOutlined />}>
                {t('importTargets.emptyList.import')}
              </Button>
            </Link>
            <TemplateDownload kind="customers" />
          </>
        ) : null}
        {canCreate ? (
          <Button
            data-testid="customers-empty-new"
            type={canImport ? 'default' : 'primary'}
            icon={<PlusOutlined />}
            onClick={onCreate}
          >
            {t('customers.new')}
          </Button>
        ) : null}
      </Flex>
    </Empty>
  );
}
