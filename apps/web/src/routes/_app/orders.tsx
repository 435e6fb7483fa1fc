import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { Card, DatePicker, Empty, Flex, Select, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { KeysetPager, useKeysetPages } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { ExportButton } from '../../features/exports/ExportButton';
import { ListCount } from '../../features/lists/ListCount';
import { emptyOrSkeleton } from '../../features/lists/ListSkeleton';
import type { OrderStatus, PaymentMethod, RouterOutputs } from '../../lib/api-types';
import { formatDateTime, formatMoney } from '../../lib/format';
import { isoDay, listOf, oneOf, searchOf, uuid } from '../../lib/search-params';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';

type OrderRow = RouterOutputs['orders']['listAll']['items'][number];

const ORDER_STATUSES = ['completed', 'pending', 'refunded', 'void'] as const satisfies readonly OrderStatus[];
const PAYMENT_METHODS = [
  'bank_transfer',
  'alipay',
  'wechat_pay',
  'card',
  'cash',
  'credit',
  'other',
] as const satisfies readonly PaymentMethod[];
const STATUS_COLORS: Record<OrderStatus, string> = {
  completed: 'success',
  pending: 'processing',
  refunded: 'warning',
  void: 'default',
};

/** The filters live in the URL, so a filtered list survives a reload and can be shared. */
const searchSchema = searchOf({
  from: isoDay,
  to: isoDay,
  owner: uuid,
  statuses: listOf(oneOf(ORDER_STATUSES)),
  methods: listOf(oneOf(PAYMENT_METHODS)),
});
type OrdersSearch = ReturnType<typeof searchSchema.parse>;

export const Route = createFileRoute('/_app/orders')({
  validateSearch: (search): OrdersSearch => searchSchema.parse(search),
  component: OrdersPage,
});

const PAGE_SIZE = 50;

function OrdersPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const canReadMembers = useCan('members.read');
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: canReadMembers });
  const filters = useMemo(
    () => ({
      from: search.from,
      to: search.to,
      ownerUserIds: search.owner ? [search.owner] : undefined,
      statuses: search.statuses?.length ? search.statuses : undefined,
      paymentMethods: search.methods?.length ? search.methods : undefined,
    }),
    [search],
  );
  const setSearch = (patch: Partial<OrdersSearch>) =>
    navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true });

  const filterKey = JSON.stringify(filters);
  const pages = useKeysetPages(filterKey);
  const cursor = pages.cursor;
  const list = useQuery({
    ...trpc.orders.listAll.queryOptions({ ...filters, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  // Beside the page, in a request of its own (lib/trpc.ts): the count never holds the rows back.
  const count = useQuery(trpc.orders.count.queryOptions(filters));
  const nextCursor = list.data?.nextCursor ?? null;

  const columns = [
    {
      key: 'orderedAt',
      title: t('orders.columns.orderedAt'),
      width: 150,
      render: (_: unknown, row: OrderRow) => formatDateTime(row.orderedAt),
    },
    {
      key: 'orderNumber',
      title: t('orders.columns.orderNumber'),
      width: 150,
      render: (_: unknown, row: OrderRow) =>
        row.orderNumber ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      key: 'customer',
      title: t('ordersPage.customer'),
      render: (_: unknown, row: OrderRow) => (
        <Link to="/customers/$customerId" params={{ customerId: row.customerId }}>
          {row.customerName}
        </Link>
      ),
    },
    {
      key: 'owner',
      title: t('ordersPage.owner'),
      width: 120,
      render: (_: unknown, row: OrderRow) => row.ownerName,
    },
    {
      key: 'amount',
      title: t('orders.columns.amount'),
      width: 150,
      align: 'right' as const,
      render: (_: unknown, row: OrderRow) => formatMoney(row.amount, row.currency),
    },
    {
      key: 'paymentMethod',
      title: t('orders.columns.paymentMethod'),
      width: 110,
      render: (_: unknown, row: OrderRow) =>
        row.paymentMethod ? t(`orders.paymentMethod.${row.paymentMethod}`) : '',
    },
    {
      key: 'status',
      title: t('orders.columns.status'),
      width: 100,
      render: (_: unknown, row: OrderRow) => (
        <Tag color={STATUS_COLORS[row.status]}>{t(`orders.status.${row.status}`)}</Tag>
      ),
    },
    {
      key: 'lines',
      title: t('ordersPage.lines'),
      width: 90,
      render: (_: unknown, row: OrderRow) =>
        row.lineCount > 0 ? t('orders.lineCount', { count: row.lineCount }) : '',
    },
  ];

  return (
    <>
      <PageHeader
        title={t('ordersPage.title')}
        subtitle={t('ordersPage.subtitle')}
        extra={<ExportButton request={() => ({ entity: 'orders', filters, columns: [] })} />}
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            data-testid="orders-date-range"
            aria-label={t('ordersPage.dateRange')}
            value={[search.from ? dayjs(search.from) : null, search.to ? dayjs(search.to) : null]}
            onChange={(range) =>
              void setSearch({
                from: range?.[0]?.format('YYYY-MM-DD'),
                to: range?.[1]?.format('YYYY-MM-DD'),
              })
            }
          />
          <Select
            data-testid="orders-status-filter"
            mode="multiple"
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t('ordersPage.statuses')}
            value={search.statuses ?? []}
            onChange={(value) => void setSearch({ statuses: value.length ? value : undefined })}
            options={ORDER_STATUSES.map((status) => ({ value: status, label: t(`orders.status.${status}`) }))}
          />
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t('ordersPage.paymentMethods')}
            value={search.methods ?? []}
            onChange={(value) => void setSearch({ methods: value.length ? value : undefined })}
            options={PAYMENT_METHODS.map((method) => ({
              value: method,
              label: t(`orders.paymentMethod.${method}`),
            }))}
          />
          {canReadMembers ? (
            <Select
              allowClear
              style={{ minWidth: 160 }}
              placeholder={t('ordersPage.allOwners')}
              value={search.owner}
              onChange={(value) => void setSearch({ owner: value })}
              options={(members.data ?? []).map((member) => ({ value: member.userId, label: member.name }))}
            />
          ) : null}
        </Flex>
        <Table<OrderRow>
          data-testid="orders-table"
          rowKey="id"
          size="middle"
          loading={list.isFetching && !list.isPending}
          dataSource={list.data?.items ?? []}
          columns={columns}
          pagination={false}
          locale={{
            emptyText: emptyOrSkeleton(
              list.isPending,
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ordersPage.empty')} />,
            ),
          }}
        />
        <KeysetPager pages={pages} nextCursor={nextCursor}>
          {count.isError ? null : <ListCount noun="orders" count={count.data} />}
        </KeysetPager>
      </Card>
    </>
  );
}
