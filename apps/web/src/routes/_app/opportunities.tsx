import { AppstoreOutlined, BarChartOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { Button, Card, Checkbox, Flex, Input, Segmented, Select, Skeleton, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeysetPager, useKeysetPages } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { presetPeriod } from '../../features/dashboards/periods';
import { ListViews } from '../../features/lists/ListViews';
import { OpportunitiesTable } from '../../features/opportunities/OpportunitiesTable';
import { OpportunityDrawer } from '../../features/opportunities/OpportunityDrawer';
import { OpportunityFormModal } from '../../features/opportunities/OpportunityFormModal';
import { PipelineBoard } from '../../features/opportunities/PipelineBoard';
import { usePick, usePipeline } from '../../features/opportunities/pipeline-labels';
import { useMoveOpportunity } from '../../features/opportunities/use-move';
import { SalesMetrics } from '../../features/sales/SalesMetrics';
import { flag, isoDay, oneOf, searchOf, text, uuid } from '../../lib/search-params';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';

const SORTS = ['created', 'in_stage', 'close', 'amount'] as const;

/** The view, filters and the open deal live in the URL, so a board or a list survives a reload and can be shared. */
const searchSchema = searchOf({
  view: oneOf(['board', 'table', 'metrics']),
  q: text(100),
  mine: flag,
  stage: text(40),
  sort: oneOf(SORTS),
  open: uuid,
  /** The sales metrics' period: from a day (inclusive) to a day (exclusive). */
  from: isoDay,
  to: isoDay,
});
type Search = ReturnType<typeof searchSchema.parse>;
type View = NonNullable<Search['view']>;

export const Route = createFileRoute('/_app/opportunities')({
  validateSearch: (search): Search => searchSchema.parse(search),
  component: OpportunitiesPage,
});

const PAGE_SIZE = 50;

function OpportunitiesPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const pick = usePick();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const canWrite = useCan('opportunities.write');
  const { pipeline } = usePipeline();
  const mover = useMoveOpportunity();
  const [creating, setCreating] = useState(false);
  const [typed, setTyped] = useState(search.q ?? '');
  const view = search.view ?? 'board';
  const setSearch = (patch: Partial<Search>) =>
    navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true });

  useEffect(() => {
    const timer = setTimeout(() => {
      if ((search.q ?? '') !== typed) void setSearch({ q: typed || undefined });
    }, 300);
    return () => clearTimeout(timer);
  });

  const filters = useMemo(
    () => ({ q: search.q || undefined, owner: search.mine ? ('me' as const) : undefined }),
    [search.q, search.mine],
  );
  const board = useQuery({
    ...trpc.opportunities.board.queryOptions({ filters, perStage: 20 }),
    enabled: view === 'board',
    placeholderData: keepPreviousData,
  });
  const metricsPeriod =
    search.from && search.to && search.from < search.to
      ? { from: search.from, to: search.to }
      : presetPeriod('thisQuarter');
  const listFilters = { ...filters, stage: search.stage || undefined };
  const filterKey = JSON.stringify([listFilters, search.sort]);
  const pages = useKeysetPages(filterKey);
  const cursor = pages.cursor;
  const list = useQuery({
    ...trpc.opportunities.list.queryOptions({
      filters: listFilters,
      sort: search.sort ?? 'created',
      cursor,
      limit: PAGE_SIZE,
    }),
    enabled: view === 'table',
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title={t('opportunities.title')}
        subtitle={t('opportunities.subtitle')}
        extra={
          canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="opportunity-new"
            >
              {t('opportunities.new')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Segmented
            value={view}
            onChange={(value) => void setSearch({ view: value as View })}
            aria-label={t('opportunities.viewLabel')}
            options={[
              { value: 'board', label: t('opportunities.board'), icon: <AppstoreOutlined /> },
              { value: 'table', label: t('opportunities.table'), icon: <UnorderedListOutlined /> },
              { value: 'metrics', label: t('sales.view'), icon: <BarChartOutlined /> },
            ]}
          />
          {view === 'metrics' ? null : (
            <>
              <ListViews
                list="opportunities"
                current={{ view, q: search.q, mine: search.mine, stage: search.stage, sort: search.sort }}
                onApply={(saved) => {
                  const next = searchSchema.parse(saved);
                  setTyped(next.q ?? '');
                  void navigate({ search: { ...next, view: next.view ?? 'board' }, replace: true });
                }}
              />
              <Input.Search
                allowClear
                style={{ width: 260 }}
                placeholder={t('opportunities.searchPlaceholder')}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
              <Checkbox
                checked={search.mine ?? false}
                onChange={(event) => void setSearch({ mine: event.target.checked || undefined })}
              >
                {t('opportunities.mine')}
              </Checkbox>
            </>
          )}
          {view === 'table' ? (
            <Space>
              <Select
                style={{ width: 160 }}
                value={search.stage ?? ''}
                onChange={(stage) => void setSearch({ stage: stage || undefined })}
                options={[
                  { value: '', label: t('opportunities.allStages') },
                  ...(pipeline?.stages ?? []).map((stage) => ({
                    value: stage.key,
                    label: pick(stage.labels),
                  })),
                ]}
              />
              <Select
                style={{ width: 160 }}
                value={search.sort ?? 'created'}
                onChange={(sort) => void setSearch({ sort })}
                options={[
                  { value: 'created', label: t('opportunities.sortCreated') },
                  { value: 'in_stage', label: t('opportunities.inStage') },
                  { value: 'close', label: t('opportunities.expectedCloseOn') },
                  { value: 'amount', label: t('opportunities.amount') },
                ]}
              />
            </Space>
          ) : null}
        </Flex>
        {view === 'metrics' ? (
          <SalesMetrics period={metricsPeriod} onPeriod={(period) => void setSearch(period)} />
        ) : view === 'board' ? (
          pipeline && board.data ? (
            <PipelineBoard
              pipeline={pipeline}
              board={board.data}
              onOpen={(id) => void setSearch({ open: id })}
              onMove={(id, stage) => mover.request(id, stage)}
            />
          ) : (
            <Skeleton active />
          )
        ) : (
          <>
            <OpportunitiesTable
              items={list.data?.items ?? []}
              loading={list.isFetching}
              onOpen={(id) => void setSearch({ open: id })}
            />
            {/* Page by page (a page replaces the one before it), with the way back. */}
            {pages.hasPrevious || list.data?.nextCursor ? (
              <KeysetPager pages={pages} nextCursor={list.data?.nextCursor ?? null} busy={list.isFetching} />
            ) : null}
          </>
        )}
      </Card>
      {mover.dialog}
      <OpportunityDrawer id={search.open ?? null} onClose={() => void setSearch({ open: undefined })} />
      <OpportunityFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => void setSearch({ open: id })}
      />
    </>
  );
}
