import { EditOutlined, InboxOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link } from '@tanstack/react-router';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Result,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FullPageSpin } from '../../../components/FullPageSpin';
import { PageHeader } from '../../../components/PageHeader';
import { CustomerFormDrawer } from '../../../features/customers/CustomerFormDrawer';
import { KindTag } from '../../../features/customers/KindTag';
import type { Customer } from '../../../lib/api-types';
import { appCodeOf, errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/customers/$customerId')({
  component: CustomerPage,
  pendingComponent: () => <FullPageSpin />,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function CustomerPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { customerId } = Route.useParams();
  const validId = UUID.test(customerId);
  const customer = useQuery({ ...trpc.customers.get.queryOptions({ id: customerId }), enabled: validId });

  const backLink = (
    <Link to="/customers">
      <Button type="primary">{t('customers.detail.breadcrumb')}</Button>
    </Link>
  );

  if (
    !validId ||
    appCodeOf(customer.error) === 'CUSTOMER_NOT_FOUND' ||
    appCodeOf(customer.error) === 'INVALID_INPUT'
  ) {
    return (
      <Result
        status="404"
        title={t('errors.notFoundTitle')}
        subTitle={t('errors.notFoundDescription')}
        extra={backLink}
      />
    );
  }
  if (customer.isError) {
    return (
      <Result
        status="error"
        title={t('errors.loadFailed')}
        subTitle={errorMessage(customer.error, {
          network: t('errors.network'),
          unknown: t('errors.unknown'),
        })}
        extra={
          <Button type="primary" onClick={() => void customer.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (customer.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }
  return <CustomerDetails customer={customer.data} />;
}

function CustomerDetails({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const canUpdate = useCan('customers.update');
  const canArchive = useCan('customers.archive');
  const [editing, setEditing] = useState(false);
  const archived = customer.archivedAt !== null;

  const onChanged = async (saved: Customer) => {
    queryClient.setQueryData(trpc.customers.get.queryKey({ id: saved.id }), saved);
    await queryClient.invalidateQueries(trpc.customers.list.pathFilter());
  };
  const archive = useMutation(
    trpc.customers.archive.mutationOptions({
      onSuccess: async (saved) => {
        void message.success(t('customers.detail.archived'));
        await onChanged(saved);
      },
      onError: (error) => showError(error),
    }),
  );
  const restore = useMutation(
    trpc.customers.restore.mutationOptions({
      onSuccess: async (saved) => {
        void message.success(t('customers.detail.restored'));
        await onChanged(saved);
      },
      onError: (error) => showError(error),
    }),
  );

  const confirmArchive = () =>
    modal.confirm({
      title: t('customers.detail.archiveConfirmTitle', { name: customer.name }),
      content: t('customers.detail.archiveConfirmContent'),
      okText: t('customers.detail.archive'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => archive.mutateAsync({ id: customer.id }).catch(() => undefined),
    });
  const confirmRestore = () =>
    modal.confirm({
      title: t('customers.detail.restoreConfirmTitle', { name: customer.name }),
      content: t('customers.detail.restoreConfirmContent'),
      okText: t('customers.detail.restore'),
      cancelText: t('common.cancel'),
      onOk: () => restore.mutateAsync({ id: customer.id }).catch(() => undefined),
    });

  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;

  return (
    <>
      <PageHeader
        top={
          <Breadcrumb
            items={[
              { title: <Link to="/customers">{t('customers.detail.breadcrumb')}</Link> },
              { title: customer.name },
            ]}
          />
        }
        title={<span data-testid="customer-title">{customer.name}</span>}
        tags={
          <>
            <KindTag kind={customer.kind} />
            {archived ? <Tag color="default">{t('customers.status.archived')}</Tag> : null}
          </>
        }
        extra={
          <>
            {canUpdate && !archived ? (
              <Button
                data-testid="customer-edit"
                type="primary"
                icon={<EditOutlined />}
                onClick={() => setEditing(true)}
              >
                {t('common.edit')}
              </Button>
            ) : null}
            {canArchive && !archived ? (
              <Button
                data-testid="customer-archive"
                danger
                icon={<InboxOutlined />}
                loading={archive.isPending}
                onClick={confirmArchive}
              >
                {t('customers.detail.archive')}
              </Button>
            ) : null}
            {canArchive && archived ? (
              <Button
                data-testid="customer-restore"
                icon={<RollbackOutlined />}
                loading={restore.isPending}
                onClick={confirmRestore}
              >
                {t('customers.detail.restore')}
              </Button>
            ) : null}
          </>
        }
      />
      {archived ? (
        <Alert
          data-testid="customer-archived-banner"
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('customers.detail.archivedBanner', { date: formatDateTime(customer.archivedAt) })}
          description={t('customers.detail.archivedHint')}
        />
      ) : null}
      <Flex vertical gap={16}>
        <Card title={t('customers.detail.basicInfo')}>
          <Descriptions
            column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
            items={[
              { key: 'name', label: t('customers.columns.name'), children: customer.name },
              { key: 'kind', label: t('customers.columns.kind'), children: <KindTag kind={customer.kind} /> },
              { key: 'phone', label: t('customers.columns.phone'), children: customer.phone || none },
              { key: 'email', label: t('customers.columns.email'), children: customer.email || none },
              { key: 'owner', label: t('customers.columns.owner'), children: customer.ownerName || none },
              {
                key: 'createdAt',
                label: t('customers.columns.createdAt'),
                children: formatDateTime(customer.createdAt),
              },
              {
                key: 'updatedAt',
                label: t('customers.columns.updatedAt'),
                children: formatDateTime(customer.updatedAt),
              },
              ...(archived
                ? [
                    {
                      key: 'archivedAt',
                      label: t('customers.detail.archivedAt'),
                      children: formatDateTime(customer.archivedAt),
                    },
                  ]
                : []),
              {
                key: 'id',
                label: t('customers.detail.id'),
                children: (
                  <Typography.Text
                    copyable={{ text: customer.id }}
                    style={{ fontFamily: 'monospace', fontSize: 12 }}
                  >
                    {customer.id.slice(0, 8)}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </Card>
        <Card title={t('customers.detail.comingSoonTitle')}>
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('customers.detail.comingSoonDescription')}
          />
        </Card>
      </Flex>
      {canUpdate && !archived ? (
        <CustomerFormDrawer open={editing} onClose={() => setEditing(false)} customer={customer} />
      ) : null}
    </>
  );
}
