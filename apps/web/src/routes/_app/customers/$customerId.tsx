import {
  AimOutlined,
  CheckSquareOutlined,
  CustomerServiceOutlined,
  EditOutlined,
  HistoryOutlined,
  IdcardOutlined,
  InboxOutlined,
  MessageOutlined,
  RollbackOutlined,
  ShoppingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { Alert, App, Breadcrumb, Button, Card, Flex, Result, Skeleton, Tabs, Tag } from 'antd';
import { cloneElement, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FullPageSpin } from '../../../components/FullPageSpin';
import { PageHeader } from '../../../components/PageHeader';
import { ContactsTab } from '../../../features/contacts/ContactsTab';
import { BasicInfoTab } from '../../../features/customers/BasicInfoTab';
import { CompletenessCard } from '../../../features/customers/CompletenessCard';
import { CustomerFormDrawer } from '../../../features/customers/CustomerFormDrawer';
import { KeyFigures } from '../../../features/customers/KeyFigures';
import { KindTag } from '../../../features/customers/KindTag';
import { LifecycleTag } from '../../../features/customers/LifecycleTag';
import { NeedsTab } from '../../../features/customers/NeedsTab';
import { CustomerTags } from '../../../features/customers/profile-meta';
import { TimelineTab } from '../../../features/customers/TimelineTab';
import { TombstoneBanner } from '../../../features/duplicates/TombstoneBanner';
import { TierCard } from '../../../features/industry/TierCard';
import { InteractionsTab } from '../../../features/interactions/InteractionsTab';
import { LoyaltyCard } from '../../../features/loyalty/LoyaltyCard';
import { OrdersTab } from '../../../features/orders/OrdersTab';
import { PlanCard } from '../../../features/plans/PlanCard';
import { ReleaseButton } from '../../../features/pool/ReleaseButton';
import { SatisfactionCard } from '../../../features/surveys/SatisfactionCard';
import { CustomerTasksTab } from '../../../features/tasks/CustomerTasksTab';
import { TaskFormModal } from '../../../features/tasks/TaskFormModal';
import { CustomerTicketsTab } from '../../../features/tickets/CustomerTicketsTab';
import type { Customer } from '../../../lib/api-types';
import { appCodeOf, errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { oneOf, searchOf } from '../../../lib/search-params';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

const TABS = [
  'basic',
  'contacts',
  'orders',
  'interactions',
  'tasks',
  'tickets',
  'needs',
  'timeline',
] as const;
type TabKey = (typeof TABS)[number];

/** The open tab lives in the URL, so a reload or a shared link lands on it. */
const searchSchema = searchOf({ tab: oneOf(TABS) });
type CustomerSearch = ReturnType<typeof searchSchema.parse>;

export const Route = createFileRoute('/_app/customers/$customerId')({
  validateSearch: (search): CustomerSearch => searchSchema.parse(search),
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
  const navigate = useNavigate({ from: Route.fullPath });
  const { tab } = Route.useSearch();
  const canUpdate = useCan('customers.update');
  const canArchive = useCan('customers.archive');
  const [editing, setEditing] = useState(false);
  const canWriteTasks = useCan('tasks.write');
  const [creatingTask, setCreatingTask] = useState(false);
  const archived = customer.archivedAt !== null;
  const editable = canUpdate && !archived;
  const activeTab: TabKey = tab ?? 'basic';

  const onChanged = async (saved: Customer) => {
    queryClient.setQueryData(trpc.customers.get.queryKey({ id: saved.id }), saved);
    await Promise.all([
      queryClient.invalidateQueries(trpc.customers.list.pathFilter()),
      queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: saved.id })),
    ]);
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

  const tabContent: Record<TabKey, ReactNode> = {
    basic: <BasicInfoTab customer={customer} />,
    contacts: <ContactsTab customer={customer} editable={editable} />,
    orders: <OrdersTab customer={customer} archived={archived} />,
    interactions: <InteractionsTab customer={customer} archived={archived} />,
    tasks: <CustomerTasksTab customer={customer} archived={archived} />,
    tickets: <CustomerTicketsTab customer={customer} archived={archived} />,
    needs: <NeedsTab customer={customer} editable={editable} />,
    timeline: <TimelineTab customer={customer} />,
  };
  const tabIcons: Record<TabKey, ReactNode> = {
    basic: <IdcardOutlined />,
    contacts: <TeamOutlined />,
    orders: <ShoppingOutlined />,
    interactions: <MessageOutlined />,
    tasks: <CheckSquareOutlined />,
    tickets: <CustomerServiceOutlined />,
    needs: <AimOutlined />,
    timeline: <HistoryOutlined />,
  };
  const subtitle = [customer.customerNumber, customer.industry].filter(Boolean).join(' · ');

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
            <LifecycleTag
              stage={customer.lifecycleStage}
              since={customer.lifecycleChangedAt}
              data-testid="customer-stage"
            />
            {archived ? <Tag color="default">{t('customers.status.archived')}</Tag> : null}
            {customer.stale && !archived ? <Tag color="warning">{t('completeness.staleTag')}</Tag> : null}
            <CustomerTags customer={customer} />
          </>
        }
        subtitle={
          <Flex gap={16} wrap component="span">
            <span data-testid="customer-owner-name">
              <UserOutlined style={{ marginInlineEnd: 6 }} />
              {customer.ownerName
                ? t('customers.detail.owner', { name: customer.ownerName })
                : t('customers.detail.noOwner')}
            </span>
            {subtitle ? <span>{subtitle}</span> : null}
          </Flex>
        }
        extra={
          <>
            {editable ? (
              <Button
                data-testid="customer-edit"
                type="primary"
                icon={<EditOutlined />}
                onClick={() => setEditing(true)}
              >
                {t('common.edit')}
              </Button>
            ) : null}
            {canWriteTasks && !archived ? (
              <Button
                data-testid="customer-task-create"
                icon={<CheckSquareOutlined />}
                onClick={() => setCreatingTask(true)}
              >
                {t('tasks.new')}
              </Button>
            ) : null}
            {!archived ? (
              <ReleaseButton
                entity="customer"
                id={customer.id}
                ownerUserId={customer.ownerUserId}
                onReleased={async () => {
                  // A rep no longer sees it: the pool is where it now is.
                  void navigate({ to: '/pool', search: { tab: 'customers' } });
                  await Promise.all([
                    queryClient.invalidateQueries(trpc.customers.get.queryFilter({ id: customer.id })),
                    queryClient.invalidateQueries(trpc.customers.timeline.pathFilter()),
                    queryClient.invalidateQueries(trpc.customers.list.pathFilter()),
                  ]);
                }}
              />
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
            {canArchive && archived && !customer.mergedInto ? (
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
      {customer.mergedInto ? (
        <TombstoneBanner survivorId={customer.mergedInto} />
      ) : archived ? (
        <Alert
          data-testid="customer-archived-banner"
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('customers.detail.archivedBanner', { date: formatDateTime(customer.archivedAt) })}
          description={t('customers.detail.archivedHint')}
        />
      ) : null}
      <KeyFigures customer={customer} />
      <div style={{ marginBottom: 16 }}>
        <CompletenessCard customer={customer} />
      </div>
      <div style={{ marginBottom: 16 }}>
        <TierCard customerId={customer.id} />
      </div>
      <div style={{ marginBottom: 16 }}>
        <PlanCard customerId={customer.id} />
      </div>
      <div style={{ marginBottom: 16 }}>
        <SatisfactionCard customerId={customer.id} />
        <LoyaltyCard customerId={customer.id} archived={archived} />
      </div>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={activeTab}
          onChange={(key) =>
            void navigate({
              search: (previous) => ({ ...previous, tab: key === 'basic' ? undefined : (key as TabKey) }),
              replace: true,
            })
          }
          destroyOnHidden
          items={TABS.map((key) => ({
            key,
            label: t(`customers.detail.tabs.${key}`),
            icon: tabIcons[key],
            children: tabContent[key],
          }))}
          renderTabBar={(props, DefaultTabBar) => (
            <DefaultTabBar {...props}>
              {/* The test hook goes on each tab's own clickable element. */}
              {(node) => cloneElement(node, { 'data-testid': `customer-tab-${String(node.key)}` } as object)}
            </DefaultTabBar>
          )}
        />
      </Card>
      <TaskFormModal
        open={creatingTask}
        onClose={() => setCreatingTask(false)}
        customer={{ id: customer.id, name: customer.name }}
      />
      {editable ? (
        <CustomerFormDrawer open={editing} onClose={() => setEditing(false)} customer={customer} />
      ) : null}
    </>
  );
}
