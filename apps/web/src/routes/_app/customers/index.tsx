import {
  FilterOutlined,
  MergeCellsOutlined,
  PlusOutlined,
  ReloadOutlined,
  SearchOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { CUSTOM_KEY_PATTERN } from '@crm/plugin-sdk/keys';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { Badge, Button, Card, Empty, Flex, Input, Segmented, Select, Table, Tooltip, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { lazy, Suspense, startTransition, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeysetPager, useKeysetPages } from '../../../components/KeysetPager';
import { PageHeader } from '../../../components/PageHeader';
import { IdentitySearch, looksLikeIdentityNumber } from '../../../features/customers/IdentitySearch';
import { LIFECYCLE_COLORS } from '../../../features/customers/LifecycleTag';
import { ColumnChooser } from '../../../features/customers/list/ColumnChooser';
import { buildColumns, defaultColumns, sortOfColumn } from '../../../features/customers/list/columns';
import { EmptyCustomerList } from '../../../features/customers/list/EmptyCustomerList';
import {
  type CustomerFilters,
  compactFilters,
  countMoreFilters,
  filtersFromUrl,
} from '../../../features/customers/list/filters';
import { SavedViews } from '../../../features/customers/list/SavedViews';
import {
  useCustomFields,
  useFieldLabel,
  useFormatCustomValue,
  useTagsById,
} from '../../../features/customers/profile-meta';
import { ExportButton } from '../../../features/exports/ExportButton';
import { useTiers } from '../../../features/industry/tiers';
import { ListCount } from '../../../features/lists/ListCount';
import { emptyOrSkeleton } from '../../../features/lists/ListSkeleton';
import {
  CUSTOMER_SORTS,
  type CustomerListItem,
  type CustomerQuery,
  type CustomerSort,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  type SavedView,
} from '../../../lib/api-types';
import { appCodeOf, errorMessage } from '../../../lib/errors';
import { either, flag, oneOf, oneOfNumbers, searchOf, uuid } from '../../../lib/search-params';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';

const PAGE_SIZES = [20, 50, 100] as const;
type PageSize = (typeof PAGE_SIZES)[number];

const customSort = (value: unknown) =>
  typeof value === 'string' && CUSTOM_KEY_PATTERN.test(value) ? (value as `custom:${string}`) : undefined;

/** The list's state lives in the URL, so it survives reloads and can be shared. */
const searchSchema = searchOf({
  // A link's ?search=13812345678 arrives as a number (the router reads search values as JSON).
  search: (value: unknown) => {
    const raw = typeof value === 'number' ? String(value) : value;
    return typeof raw === 'string' && raw.trim().length <= 100 ? raw.trim() : undefined;
  },
  archived: flag,
  sort: either(oneOf(CUSTOMER_SORTS), customSort),
  direction: oneOf(['asc', 'desc']),
  pageSize: oneOfNumbers(PAGE_SIZES),
  view: uuid,
  f: (value: unknown) => (value === undefined ? undefined : filtersFromUrl.parse(value)),
});
type CustomerSearch = ReturnType<typeof searchSchema.parse>;

/** The list's filters as the URL holds them, as `customers.list` and `customers.count` take them. */
function listQueryOf(search: CustomerSearch): CustomerQuery {
  return {
    ...compactFilters(search.f ?? {}),
    search: search.search,
    archived: search.archived ?? false,
    sort: search.sort ?? 'createdAt',
    direction: search.direction ?? 'desc',
  };
}

export const Route = createFileRoute('/_app/customers/')({
  validateSearch: (search): CustomerSearch => searchSchema.parse(search),
  loaderDeps: ({ search }) => ({ search }),
  /**
   * The first page, its count and what the page shows around it are asked for as soon as the
   * route matches, in parallel with the shell's tenant (not after it renders); the page does
   * not wait for them: it shows the skeleton until the rows arrive.
   */
  loader: ({ context, deps }) => {
    const { queryClient, trpc } = context;
    const { sort, direction, ...filters } = listQueryOf(deps.search);
    void queryClient.prefetchQuery(
      trpc.customers.list.queryOptions({
        ...filters,
        sort,
        direction,
        cursor: null,
        limit: deps.search.pageSize ?? 50,
      }),
    );
    void queryClient.prefetchQuery(trpc.customers.count.queryOptions(filters));
    void queryClient.prefetchQuery(trpc.customers.completenessSummary.queryOptions());
    void queryClient.prefetchQuery({ ...trpc.tags.list.queryOptions(), staleTime: 60_000 });
    void queryClient.prefetchQuery({ ...trpc.customFields.list.queryOptions(), staleTime: 60_000 });
    void queryClient.prefetchQuery({ ...trpc.industry.current.queryOptions(), staleTime: 5 * 60_000 });
    void queryClient.prefetchQuery(trpc.views.list.queryOptions());
  },
  component: CustomersPage,
});

/**
 * What the list shows only once used — the create form (with the birthday's lunar calendar),
 * the more-filters drawer (date pickers, number inputs) and the bulk actions — loads then, not
 * with the list's first rows: together about half the page's code.
 */
const CustomerFormDrawer = lazy(() =>
  import('../../../features/customers/CustomerFormDrawer').then((module) => ({
    default: module.CustomerFormDrawer,
  })),
);
const MoreFiltersDrawer = lazy(() =>
  import('../../../features/customers/list/MoreFiltersDrawer').then((module) => ({
    default: module.MoreFiltersDrawer,
  })),
);
// Shown only for a list opened from a dashboard's figure (it brings the KPI catalogue's words).
const KpiFilterBanner = lazy(() =>
  import('../../../features/dashboards/KpiFilterBanner').then((module) => ({
    default: module.KpiFilterBanner,
  })),
);
const BulkActions = lazy(() =>
  import('../../../features/customers/list/BulkActions').then((module) => ({ default: module.BulkActions })),
);

const SEARCH_DEBOUNCE_MS = 300;
const NO_ROWS: readonly CustomerListItem[] = [];
const COLUMNS_KEY = 'crm.customers.columns';

/** A tag's preset colour as a dot in the stage filter ('default' has no dot colour of its own). */
const LIFECYCLE_BADGE: Readonly<Record<LifecycleStage, string>> = {
  ...LIFECYCLE_COLORS,
  potential: '#bfbfbf',
};

/** Rows a page renders before the rest: a full screen's worth on most displays. */
const FIRST_ROWS = 15;

/**
 * A page's rows, the first FIRST_ROWS of them first: the rest follow once those are on
 * screen, in a transition (React renders them in slices, between which the browser paints
 * and handles input). Rendering 50 rows of the table before any shows took seconds on a
 * busy machine; a screen shows about fifteen.
 */
function useFirstRowsFirst<T>(items: readonly T[]): readonly T[] {
  const [rendered, setRendered] = useState<readonly T[] | null>(null);
  const complete = rendered === items || items.length <= FIRST_ROWS;
  useEffect(() => {
    if (complete) return;
    // After the browser has painted the first rows (a frame, then a task).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setRendered(items)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [items, complete]);
  return complete ? items : items.slice(0, FIRST_ROWS);
}

/** The member's chosen columns, or null: the tenant's default columns (defaultColumns). */
function storedColumns(): string[] | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null');
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    // falls through to the default
  }
  return null;
}

function CustomersPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const canCreate = useCan('customers.create');
  const canImport = useCan('customers.import');
  const canMerge = useCan('customers.merge');
  const canReadMembers = useCan('members.read');
  const canBulk = useCan('customers.tag') || useCan('customers.reassign') || useCan('customers.archive');
  const [creating, setCreating] = useState(false);
  // The create drawer is built when first opened, then stays mounted (it animates closed).
  const [createMounted, setCreateMounted] = useState(false);
  const openCreate = () => {
    setCreateMounted(true);
    setCreating(true);
  };
  const [moreOpen, setMoreOpen] = useState(false);
  // The more-filters drawer (a form of a dozen fields) is built when first opened, not with the
  // list's first rows; it then stays mounted, keeping its form between openings.
  const [moreMounted, setMoreMounted] = useState(false);
  const [chosenColumns, setColumnKeys] = useState<string[] | null>(storedColumns);
  const [selected, setSelected] = useState<string[]>([]);
  const { active: customFields } = useCustomFields();
  const fieldLabel = useFieldLabel();
  const { tierLabel, tiers } = useTiers();
  const tenantColumns = useMemo(() => defaultColumns(tiers.length > 0), [tiers.length]);
  const columnKeys = chosenColumns ?? tenantColumns;
  const formatCustom = useFormatCustomValue();
  const tags = useTagsById();
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: canReadMembers });
  const summary = useQuery(trpc.customers.completenessSummary.queryOptions());

  const sort: CustomerSort = search.sort ?? 'createdAt';
  const direction = search.direction ?? 'desc';
  const archived = search.archived ?? false;
  const pageSize: PageSize = search.pageSize ?? 50;
  const filters: CustomerFilters = useMemo(() => compactFilters(search.f ?? {}), [search.f]);

  const setSearch = (patch: Partial<CustomerSearch>, replace = false) =>
    navigate({ search: (previous) => ({ ...previous, ...patch }), replace });
  const setFilters = (next: CustomerFilters) => {
    const compact = compactFilters(next);
    void setSearch({ f: Object.keys(compact).length > 0 ? compact : undefined });
  };
  const changeColumns = (next: string[]) => {
    setColumnKeys(next);
    try {
      localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
    } catch {
      // private mode: the choice lasts for this page only
    }
  };

  // The search box updates the URL after the user pauses typing.
  const [searchText, setSearchText] = useState(search.search ?? '');
  // A whole national ID or card number: looked up by POST, kept out of the URL.
  const [identityQuery, setIdentityQuery] = useState<string | null>(null);
  useEffect(() => {
    const fromUrl = search.search ?? '';
    setSearchText((typed) => (typed.trim() === fromUrl ? typed : fromUrl));
  }, [search.search]);
  useEffect(() => {
    const next = searchText.trim() || undefined;
    if (next && looksLikeIdentityNumber(next)) {
      const timer = setTimeout(() => setIdentityQuery(next), SEARCH_DEBOUNCE_MS);
      return () => clearTimeout(timer);
    }
    if (next === search.search) return;
    const timer = setTimeout(
      () => void navigate({ search: (previous) => ({ ...previous, search: next }), replace: true }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [searchText, search.search, navigate]);

  const query: CustomerQuery = { ...filters, search: search.search, archived, sort, direction };
  // Beside the page, in a request of its own (lib/trpc.ts): the count never holds the rows back.
  const count = useQuery(trpc.customers.count.queryOptions({ ...filters, search: search.search, archived }));

  // Keyset pagination: a stack of the cursors that led to each page; any filter change starts over.
  const filterKey = JSON.stringify([query, pageSize]);
  const pages = useKeysetPages(filterKey);
  // A selection belongs to the rows it was made on.
  useEffect(() => setSelected([]), [filterKey]);

  const list = useQuery({
    ...trpc.customers.list.queryOptions({ ...query, cursor: pages.cursor, limit: pageSize }),
    placeholderData: keepPreviousData,
  });
  const invalidCursor = appCodeOf(list.error) === 'INVALID_CURSOR';
  const resetPages = pages.reset;
  useEffect(() => {
    if (invalidCursor) resetPages();
  }, [invalidCursor, resetPages]);

  const rows = useFirstRowsFirst(list.data?.items ?? NO_ROWS);
  const nextCursor = list.data?.nextCursor ?? null;
  const moreCount = countMoreFilters(filters);
  const filtered = Boolean(search.search) || Object.keys(filters).length > 0;

  const sortOrder = (column: CustomerSort) =>
    sort === column ? (direction === 'asc' ? 'ascend' : 'descend') : null;
  const columns = buildColumns(columnKeys, {
    t,
    sortOrder,
    fieldLabel,
    formatCustom,
    customFields,
    tierLabel,
  });

  const onSort = (sorter: SorterResult<CustomerListItem> | SorterResult<CustomerListItem>[]) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const nextSort = sortOfColumn(String(single?.columnKey ?? ''));
    if (!single?.order || !nextSort) {
      void setSearch({ sort: undefined, direction: undefined });
      return;
    }
    const nextDirection = single.order === 'ascend' ? 'asc' : 'desc';
    const isDefault = nextSort === 'createdAt' && nextDirection === 'desc';
    void setSearch({
      sort: isDefault ? undefined : nextSort,
      direction: isDefault ? undefined : nextDirection,
    });
  };

  const selectView = (view: SavedView | null) => {
    if (!view) {
      void setSearch({
        view: undefined,
        f: undefined,
        search: undefined,
        sort: undefined,
        direction: undefined,
        archived: undefined,
      });
      return;
    }
    const {
      search: viewSearch,
      sort: viewSort,
      direction: viewDirection,
      archived: viewArchived,
      ...viewFilters
    } = view.query;
    const compact = compactFilters(viewFilters);
    if (view.columns.length > 0) changeColumns(view.columns);
    void setSearch({
      view: view.id,
      f: Object.keys(compact).length > 0 ? compact : undefined,
      search: viewSearch,
      sort: viewSort === 'createdAt' && viewDirection === 'desc' ? undefined : viewSort,
      direction: viewSort === 'createdAt' && viewDirection === 'desc' ? undefined : viewDirection,
      archived: viewArchived ? true : undefined,
    });
  };

  const clearFilters = () => void setSearch({ search: undefined, f: undefined });
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
        <Button onClick={clearFilters}>{t('customers.clearFilters')}</Button>
      ) : !archived && canCreate ? (
        <Typography.Text type="secondary">{t('customers.emptyHint')}</Typography.Text>
      ) : null}
    </Empty>
  );
  // A tenant without any customer yet: the ways in, not a bare empty table.
  const firstCustomers =
    !filtered && !archived && summary.data?.customers === 0 && (canImport || canCreate) ? (
      <EmptyCustomerList canImport={canImport} canCreate={canCreate} onCreate={openCreate} />
    ) : null;

  const ownerValue = filters.unowned ? '__unowned__' : filters.ownerUserIds?.[0];

  return (
    <>
      <PageHeader
        title={t('customers.title')}
        subtitle={
          summary.data && summary.data.customers > 0 ? (
            <span data-testid="completeness-summary">
              {t('completeness.summary', {
                average: summary.data.average,
                share: summary.data.completeShare,
                stale: summary.data.stale,
              })}
            </span>
          ) : (
            t('customers.subtitle')
          )
        }
        extra={
          <Flex gap={8}>
            <ExportButton
              request={() => ({
                entity: 'customers',
                filters: { ...filters, search: search.search, archived },
                columns: columnKeys,
                sort: { sort, direction },
              })}
            />
            {canMerge ? (
              <Link to="/customers/duplicates">
                <Button data-testid="customers-duplicates" icon={<MergeCellsOutlined />}>
                  {t('duplicates.openQueue')}
                </Button>
              </Link>
            ) : null}
            {canImport ? (
              <Link to="/customers/import">
                <Button data-testid="customers-import" icon={<UploadOutlined />}>
                  {t('imports.open')}
                </Button>
              </Link>
            ) : null}
            {canCreate ? (
              <Button data-testid="customers-new" type="primary" icon={<PlusOutlined />} onClick={openCreate}>
                {t('customers.new')}
              </Button>
            ) : null}
          </Flex>
        }
      />
      {filters.kpi ? (
        <Suspense fallback={null}>
          <KpiFilterBanner filter={filters.kpi} onClear={() => setFilters({ ...filters, kpi: undefined })} />
        </Suspense>
      ) : null}
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={12} wrap align="center" justify="space-between" style={{ padding: '16px 16px 8px' }}>
          <SavedViews activeId={search.view} current={{ query, columns: columnKeys }} onSelect={selectView} />
          <Flex gap={8} align="center">
            <ColumnChooser
              value={columnKeys}
              onChange={changeColumns}
              customFields={customFields}
              defaults={tenantColumns}
            />
            <Tooltip title={t('common.refresh')}>
              <Button
                aria-label={t('common.refresh')}
                icon={<ReloadOutlined spin={list.isFetching && !list.isPending} />}
                onClick={() => void list.refetch()}
              />
            </Tooltip>
          </Flex>
        </Flex>
        <Flex gap={12} wrap align="center" style={{ padding: '8px 16px 16px' }}>
          <Input
            data-testid="customers-search"
            aria-label={t('lists.searchPlaceholder')}
            placeholder={t('lists.searchPlaceholder')}
            prefix={<SearchOutlined style={{ color: '#8c8c8c' }} />}
            allowClear
            maxLength={100}
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            style={{ width: 260 }}
          />
          <Select<LifecycleStage[]>
            data-testid="customers-stage-filter"
            aria-label={t('lists.filters.stage')}
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            style={{ width: 200 }}
            placeholder={t('lists.filters.stage')}
            value={filters.lifecycleStages ?? []}
            onChange={(value) => setFilters({ ...filters, lifecycleStages: value })}
            options={LIFECYCLE_STAGES.map((stage) => ({
              value: stage,
              label: (
                <span>
                  <Badge color={LIFECYCLE_BADGE[stage]} style={{ marginInlineEnd: 8 }} />
                  {t(`lifecycle.${stage}`)}
                </span>
              ),
            }))}
          />
          <Select<string[]>
            data-testid="customers-tag-filter"
            aria-label={t('lists.filters.tags')}
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            style={{ width: 200 }}
            placeholder={t('lists.filters.tags')}
            value={filters.tagIds ?? []}
            onChange={(value) => setFilters({ ...filters, tagIds: value })}
            showSearch={{ optionFilterProp: 'label' }}
            options={[...tags.values()].map((tag) => ({ value: tag.id, label: tag.name }))}
          />
          {canReadMembers ? (
            <Select<string>
              data-testid="customers-owner-filter"
              aria-label={t('lists.filters.owner')}
              allowClear
              style={{ width: 170 }}
              placeholder={t('lists.filters.owner')}
              value={ownerValue}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={(value) =>
                setFilters({
                  ...filters,
                  ownerUserIds: value && value !== '__unowned__' ? [value] : undefined,
                  unowned: value === '__unowned__' ? true : undefined,
                })
              }
              options={[
                { value: '__unowned__', label: t('lists.filters.unowned') },
                ...(members.data ?? []).map((member) => ({ value: member.userId, label: member.name })),
              ]}
            />
          ) : null}
          <Badge count={moreCount} size="small">
            <Button
              icon={<FilterOutlined />}
              data-testid="customers-more-filters"
              onClick={() => {
                setMoreMounted(true);
                setMoreOpen(true);
              }}
            >
              {t('lists.filters.more')}
            </Button>
          </Badge>
          <Segmented<'active' | 'archived'>
            data-testid="customers-archived"
            aria-label={t('customers.status.label')}
            value={archived ? 'archived' : 'active'}
            onChange={(value) => void setSearch({ archived: value === 'archived' ? true : undefined })}
            options={[
              { value: 'active', label: t('customers.status.active') },
              { value: 'archived', label: t('customers.status.archived') },
            ]}
          />
          {filtered ? (
            <Button type="link" onClick={clearFilters}>
              {t('customers.clearFilters')}
            </Button>
          ) : null}
        </Flex>
        {selected.length > 0 ? (
          <Suspense fallback={null}>
            <BulkActions ids={selected} archived={archived} onDone={() => setSelected([])} />
          </Suspense>
        ) : null}
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
            dataSource={rows as CustomerListItem[]}
            loading={list.isFetching && list.isPlaceholderData}
            pagination={false}
            scroll={{ x: 'max-content' }}
            showSorterTooltip={false}
            locale={{ emptyText: emptyOrSkeleton(list.isPending, firstCustomers ?? emptyText) }}
            rowSelection={
              canBulk
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys.map(String)),
                    columnWidth: 40,
                    // antd's own labels are English ("Select row 1"): each checkbox says whom it selects.
                    getTitleCheckboxProps: () => ({ 'aria-label': t('lists.bulk.selectPage') }),
                    getCheckboxProps: (customer) => ({
                      'aria-label': t('lists.bulk.selectRow', { name: customer.name }),
                    }),
                  }
                : undefined
            }
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
        <KeysetPager
          pages={pages}
          nextCursor={nextCursor}
          busy={list.isFetching}
          testId="customers"
          style={{ marginTop: 0, padding: 16, gap: 12 }}
          after={
            <Select<PageSize>
              aria-label={t('common.pageSize', { size: pageSize })}
              style={{ width: 120 }}
              value={pageSize}
              onChange={(value) => void setSearch({ pageSize: value === 50 ? undefined : value })}
              options={PAGE_SIZES.map((size) => ({ value: size, label: t('common.pageSize', { size }) }))}
            />
          }
        >
          {count.isError ? null : <ListCount noun="customers" count={count.data} />}
          <Typography.Text type="secondary">
            {t('common.pageIndicator', { page: pages.pageNumber })}
          </Typography.Text>
        </KeysetPager>
      </Card>
      {moreMounted ? (
        <Suspense fallback={null}>
          <MoreFiltersDrawer
            open={moreOpen}
            onClose={() => setMoreOpen(false)}
            filters={filters}
            fields={customFields}
            onApply={(more) => {
              setFilters({
                lifecycleStages: filters.lifecycleStages,
                tagIds: filters.tagIds,
                ownerUserIds: filters.ownerUserIds,
                unowned: filters.unowned,
                ...more,
              });
              setMoreOpen(false);
            }}
          />
        </Suspense>
      ) : null}
      {canCreate && createMounted ? (
        <Suspense fallback={null}>
          <CustomerFormDrawer open={creating} onClose={() => setCreating(false)} />
        </Suspense>
      ) : null}
      <IdentitySearch
        value={identityQuery}
        onClose={() => {
          setIdentityQuery(null);
          setSearchText('');
        }}
      />
    </>
  );
}
