import { LeftOutlined, PlusOutlined, ReloadOutlined, RightOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { Badge, Button, Card, Empty, Flex, Input, Segmented, Select, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { PageHeader } from '../../../components/PageHeader';
import { CustomerFormDrawer } from '../../../features/customers/CustomerFormDrawer';
import { KindTag } from '../../../features/customers/KindTag';
import { LIFECYCLE_COLORS, LifecycleTag } from '../../../features/customers/LifecycleTag';
import {
  CUSTOMER_KINDS,
  CUSTOMER_SORTS,
  type CustomerListItem,
  type CustomerSort,
  LIFECYCLE_STAGES,
  type LifecycleStage,
} from '../../../lib/api-types';
import { appCodeOf, errorMessage } from '../../../lib/errors';
import { formatDate, formatDateTime, formatMoney } from '../../../lib/format';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';

const PAGE_SIZES = [20, 50, 100] as const;
type PageSize = (typeof PAGE_SIZES)[number];

/** The list's state lives in the URL, so it survives reloads and can be shared. */
const searchSchema = z.object({
  search: z.string().trim().max(100).optional().catch(undefined),
  kind: z.enum(CUSTOMER_KINDS).optional().catch(undefined),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional().catch(undefined),
  archived: z.boolean().optional().catch(undefined),
  sort: z.enum(CUSTOMER_SORTS).optional().catch(undefined),
  direction: z.enum(['asc', 'desc']).optional().catch(undefined),
  pageSize: z
    .union([z.literal(20), z.literal(50), z.literal(100)])
    .optional()
    .catch(undefined),
});
type CustomerSearch = z.infer<typeof searchSchema>;

export const Route = createFileRoute('/_app/customers/')({
  validateSearch: (search): CustomerSearch => searchSchema.parse(search),
  component: CustomersPage,
});

const SEARCH_DEBOUNCE_MS = 300;

/** A tag's preset colour as a dot in the stage filter ('default' has no dot colour of its own). */
const LIFECYCLE_BADGE: Readonly<Record<LifecycleStage, string>> = {
  ...LIFECYCLE_COLORS,
  potential: '#bfbfbf',
};

function CustomersPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const canCreate = useCan('customers.create');
  const [creating, setCreating] = useState(false);

  const sort: CustomerSort = search.sort ?? 'createdAt';
  const direction = search.direction ?? 'desc';
  const archived = search.archived ?? false;
  const pageSize: PageSize = search.pageSize ?? 50;

  const setSearch = (patch: Partial<CustomerSearch>, replace = false) =>
    navigate({ search: (previous) => ({ ...previous, ...patch }), replace });

  // The search box updates the URL after the user pauses typing.
  const [searchText, setSearchText] = useState(search.search ?? '');
  // The URL changed from elsewhere (back button, "clear filters"): show its search, but keep a
  // trailing space the user is still typing.
  useEffect(() => {
    const fromUrl = search.search ?? '';
    setSearchText((typed) => (typed.trim() === fromUrl ? typed : fromUrl));
  }, [search.search]);
  useEffect(() => {
    const next = searchText.trim() || undefined;
    if (next === search.search) return;
    const timer = setTimeout(
      () => void navigate({ search: (previous) => ({ ...previous, search: next }), replace: true }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [searchText, search.search, navigate]);

  // Keyset pagination: a stack of the cursors that led to each page; any filter change starts over.
  const filterKey = JSON.stringify([
    search.search,
    search.kind,
    search.lifecycleStage,
    archived,
    sort,
    direction,
    pageSize,
  ]);
  const [pages, setPages] = useState<{ key: string; cursors: (string | null)[] }>({
    key: filterKey,
    cursors: [null],
  });
  const cursors = pages.key === filterKey ? pages.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;

  const list = useQuery({
    ...trpc.customers.list.queryOptions({
      search: search.search,
      kind: search.kind,
      lifecycleStage: search.lifecycleStage,
      archived,
      sort,
      direction,
      cursor,
      limit: pageSize,
    }),
    placeholderData: keepPreviousData,
  });

  // A cursor can go stale (e.g. its row was archived meanwhile): start from the first page.
  useEffect(() => {
    if (appCodeOf(list.error) === 'INVALID_CURSOR') setPages({ key: filterKey, cursors: [null] });
  }, [list.error, filterKey]);

  const nextCursor = list.data?.nextCursor ?? null;
  const pageNumber = cursors.length;
  const filtered = Boolean(search.search || search.kind || search.lifecycleStage);

  const sortOrder = (column: CustomerSort) =>
    sort === column ? (direction === 'asc' ? 'ascend' : 'descend') : null;

  const columns: ColumnsType<CustomerListItem> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('customers.columns.name'),
      width: 240,
      fixed: 'left',
      sorter: true,
      sortOrder: sortOrder('name'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      ellipsis: true,
      render: (name: string, customer) => (
        <Link
          to="/customers/$customerId"
          params={{ customerId: customer.id }}
          onClick={(event) => event.stopPropagation()}
          style={{ fontWeight: 500 }}
        >
          {name}
        </Link>
      ),
    },
    {
      key: 'kind',
      dataIndex: 'kind',
      title: t('customers.columns.kind'),
      width: 100,
      render: (kind: CustomerListItem['kind']) => <KindTag kind={kind} />,
    },
    {
      key: 'lifecycleStage',
      dataIndex: 'lifecycleStage',
      title: t('customers.columns.lifecycleStage'),
      width: 110,
      render: (stage: LifecycleStage) => <LifecycleTag stage={stage} />,
    },
    {
      key: 'amount12m',
      dataIndex: 'amount12m',
      title: t('customers.columns.amount12m'),
      width: 170,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('amount12m'),
      sortDirections: ['descend', 'ascend', 'descend'],
      // The list has no currency of its own: amounts are in the tenant's (CNY unless configured).
      render: (amount: string) => (
        <Typography.Text type={/[1-9]/.test(amount) ? undefined : 'secondary'}>
          {formatMoney(amount)}
        </Typography.Text>
      ),
    },
    {
      key: 'orderCount',
      dataIndex: 'orderCount',
      title: t('customers.columns.orderCount'),
      width: 90,
      align: 'right',
    },
    {
      key: 'lastDealAt',
      dataIndex: 'lastDealAt',
      title: t('customers.columns.lastDealAt'),
      width: 120,
      render: (value: string | null) =>
        value ? formatDate(value) : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
    },
    {
      key: 'phone',
      dataIndex: 'phone',
      title: t('customers.columns.phone'),
      width: 160,
      render: (phone: string | null) =>
        phone || <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
    },
    {
      key: 'email',
      dataIndex: 'email',
      title: t('customers.columns.email'),
      width: 220,
      ellipsis: true,
      render: (email: string | null) =>
        email || <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
    },
    {
      key: 'owner',
      dataIndex: 'ownerName',
      title: t('customers.columns.owner'),
      width: 130,
      ellipsis: true,
      render: (owner: string | null) =>
        owner || <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
    },
    {
      key: 'createdAt',
      dataIndex: 'createdAt',
      title: t('customers.columns.createdAt'),
      width: 170,
      sorter: true,
      sortOrder: sortOrder('createdAt'),
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (value: string) => formatDateTime(value),
    },
    {
      key: 'updatedAt',
      dataIndex: 'updatedAt',
      title: t('customers.columns.updatedAt'),
      width: 170,
      sorter: true,
      sortOrder: sortOrder('updatedAt'),
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (value: string) => formatDateTime(value),
    },
  ];

  const onSort = (sorter: SorterResult<CustomerListItem> | SorterResult<CustomerListItem>[]) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const column = single?.columnKey;
    const order = single?.order;
    if (!order || !CUSTOMER_SORTS.includes(column as CustomerSort)) {
      void setSearch({ sort: undefined, direction: undefined });
      return;
    }
    const nextSort = column as CustomerSort;
    const nextDirection = order === 'ascend' ? 'asc' : 'desc';
    // The default order is kept out of the URL.
    const isDefault = nextSort === 'createdAt' && nextDirection === 'desc';
    void setSearch({
      sort: isDefault ? undefined : nextSort,
      direction: isDefault ? undefined : nextDirection,
    });
  };

  const emptyText = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        filtered
          ? t('customers.emptyFiltered')
          : archived
            ? t('customers.emptyArchived')
            : t('customers.empty')
      }
    >
      {filtered ? (
        <Button
          onClick={() => void setSearch({ search: undefined, kind: undefined, lifecycleStage: undefined })}
        >
          {t('customers.clearFilters')}
        </Button>
      ) : !archived && canCreate ? (
        <Typography.Text type="secondary">{t('customers.emptyHint')}</Typography.Text>
      ) : null}
    </Empty>
  );

  return (
    <>
      <PageHeader
        title={t('customers.title')}
        subtitle={t('customers.subtitle')}
        extra={
          canCreate ? (
            <Button
              data-testid="customers-new"
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
            >
              {t('customers.new')}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={12} wrap align="center" justify="space-between" style={{ padding: 16 }}>
          <Flex gap={12} wrap align="center">
            <Input
              data-testid="customers-search"
              aria-label={t('customers.searchPlaceholder')}
              placeholder={t('customers.searchPlaceholder')}
              prefix={<SearchOutlined style={{ color: '#8c8c8c' }} />}
              allowClear
              maxLength={100}
              value={searchText}
              onChange={(event) => setSearchText(event.target.value)}
              style={{ width: 280 }}
            />
            <Select
              data-testid="customers-kind-filter"
              aria-label={t('customers.kindFilter')}
              style={{ width: 140 }}
              value={search.kind ?? 'all'}
              onChange={(value: CustomerListItem['kind'] | 'all') =>
                void setSearch({ kind: value === 'all' ? undefined : value })
              }
              options={[
                { value: 'all', label: t('customers.allKinds') },
                ...CUSTOMER_KINDS.map((kind) => ({ value: kind, label: t(`customers.kind.${kind}`) })),
              ]}
            />
            <Select<LifecycleStage | 'all'>
              data-testid="customers-stage-filter"
              aria-label={t('customers.stageFilter')}
              style={{ width: 150 }}
              value={search.lifecycleStage ?? 'all'}
              onChange={(value) => void setSearch({ lifecycleStage: value === 'all' ? undefined : value })}
              options={[
                { value: 'all', label: t('customers.allStages') },
                ...LIFECYCLE_STAGES.map((stage) => ({
                  value: stage,
                  label: (
                    <span>
                      <Badge color={LIFECYCLE_BADGE[stage]} style={{ marginInlineEnd: 8 }} />
                      {t(`lifecycle.${stage}`)}
                    </span>
                  ),
                })),
              ]}
            />
            <Segmented<'active' | 'archived'>
              data-testid="customers-archived"
              value={archived ? 'archived' : 'active'}
              onChange={(value) => void setSearch({ archived: value === 'archived' ? true : undefined })}
              options={[
                { value: 'active', label: t('customers.status.active') },
                { value: 'archived', label: t('customers.status.archived') },
              ]}
            />
          </Flex>
          <Tooltip title={t('common.refresh')}>
            <Button
              aria-label={t('common.refresh')}
              icon={<ReloadOutlined spin={list.isFetching && !list.isPending} />}
              onClick={() => void list.refetch()}
            />
          </Tooltip>
        </Flex>
        {list.isError && appCodeOf(list.error) !== 'INVALID_CURSOR' ? (
          <Flex justify="center" style={{ padding: '0 16px 16px' }}>
            <Typography.Text type="danger">
              {errorMessage(list.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
            </Typography.Text>
          </Flex>
        ) : null}
        <div data-testid="customers-table">
          <Table<CustomerListItem>
            rowKey="id"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
            pagination={false}
            scroll={{ x: 1750 }}
            showSorterTooltip={false}
            locale={{ emptyText }}
            rowClassName={() => 'crm-clickable-row'}
            onRow={(customer) => ({
              onClick: () =>
                void navigate({ to: '/customers/$customerId', params: { customerId: customer.id } }),
            })}
            onChange={(_pagination, _filters, sorter, extra) => {
              if (extra.action === 'sort') onSort(sorter);
            }}
          />
        </div>
        <Flex justify="flex-end" align="center" gap={12} wrap style={{ padding: 16 }}>
          <Typography.Text type="secondary">
            {t('common.pageIndicator', { page: pageNumber })}
          </Typography.Text>
          <Button
            data-testid="customers-prev"
            icon={<LeftOutlined />}
            disabled={cursors.length <= 1 || list.isFetching}
            onClick={() => setPages({ key: filterKey, cursors: cursors.slice(0, -1) })}
          >
            {t('common.previousPage')}
          </Button>
          <Button
            data-testid="customers-next"
            disabled={!nextCursor || list.isFetching}
            onClick={() => setPages({ key: filterKey, cursors: [...cursors, nextCursor] })}
          >
            {t('common.nextPage')} <RightOutlined />
          </Button>
          <Select<PageSize>
            aria-label={t('common.pageSize', { size: pageSize })}
            style={{ width: 120 }}
            value={pageSize}
            onChange={(value) => void setSearch({ pageSize: value === 50 ? undefined : value })}
            options={PAGE_SIZES.map((size) => ({ value: size, label: t('common.pageSize', { size }) }))}
          />
        </Flex>
      </Card>
      {canCreate ? <CustomerFormDrawer open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
