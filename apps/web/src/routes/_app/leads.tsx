import { BarChartOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeysetPager, useKeysetPages } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { ExportButton } from '../../features/exports/ExportButton';
import { LeadDrawer } from '../../features/leads/LeadDrawer';
import { LeadFormModal } from '../../features/leads/LeadFormModal';
import {
  LeadDue,
  LeadGradeTag,
  LeadSlaTag,
  LeadStatusTag,
  useLeadGrades,
} from '../../features/leads/lead-meta';
import { ListViews } from '../../features/lists/ListViews';
import { LEAD_SOURCES, LEAD_STATUSES, type Lead } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { isoDay, listOf, oneOf, searchOf, text, uuid } from '../../lib/search-params';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';

const SLA_FILTERS = ['overdue', 'due_soon', 'on_track', 'met', 'missed'] as const;
const STATUS_TABS = ['all', ...LEAD_STATUSES] as const;

/** The filters live in the URL, so a filtered list survives a reload and can be shared. */
const searchSchema = searchOf({
  status: oneOf(LEAD_STATUSES),
  q: text(100),
  grades: listOf(text(8)),
  sources: listOf(oneOf(LEAD_SOURCES)),
  sla: listOf(oneOf(SLA_FILTERS)),
  owner: text(40),
  sort: oneOf(['created_desc', 'due_asc']),
  lead: uuid,
  /** Created from and to these days (inclusive): the dashboards' period, when a chart opened the list. */
  createdFrom: isoDay,
  createdTo: isoDay,
});
type LeadsSearch = ReturnType<typeof searchSchema.parse>;

export const Route = createFileRoute('/_app/leads')({
  validateSearch: (search): LeadsSearch => searchSchema.parse(search),
  component: LeadsPage,
});

const PAGE_SIZE = 50;

function LeadsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const canCreate = useCan('leads.create');
  const canImportFiles = useCan('customers.import');
  const canReadMembers = useCan('members.read');
  const grades = useLeadGrades();
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: canReadMembers });
  const [creating, setCreating] = useState(false);
  const [typed, setTyped] = useState(search.q ?? '');
  const setSearch = (patch: Partial<LeadsSearch>) =>
    navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true });

  // Typing searches after a pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((search.q ?? '') !== typed) void setSearch({ q: typed || undefined });
    }, 300);
    return () => clearTimeout(timer);
  });

  const filters = useMemo(
    () => ({
      search: search.q || undefined,
      grades: search.grades?.length ? search.grades : undefined,
      sources: search.sources?.length ? search.sources : undefined,
      slaStates: search.sla?.length ? search.sla : undefined,
      owner: search.owner || undefined,
      createdFrom: search.createdFrom,
      createdTo: search.createdTo,
    }),
    [search],
  );
  const listFilters = { ...filters, statuses: search.status ? [search.status] : undefined };
  const sort = search.sort ?? 'created_desc';
  const filterKey = JSON.stringify([listFilters, sort]);
  const pages = useKeysetPages(filterKey);
  const cursor = pages.cursor;
  const list = useQuery({
    ...trpc.leads.list.queryOptions({ ...listFilters, sort, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery({
    ...trpc.leads.counts.queryOptions({ ...listFilters }),
    placeholderData: keepPreviousData,
  });
  const nextCursor = list.data?.nextCursor ?? null;
  const statusCount = (key: (typeof STATUS_TABS)[number]) => {
    if (!counts.data) return null;
    if (key === 'all') return Object.values(counts.data.byStatus).reduce((sum, n) => sum + n, 0);
    return counts.data.byStatus[key];
  };
  const gradeCount = (grade: string) => counts.data?.byGrade.find((item) => item.grade === grade)?.count ?? 0;

  const columns = [
    {
      title: t('leads.grade'),
      key: 'grade',
      width: 70,
      render: (_: unknown, lead: Lead) => <LeadGradeTag lead={lead} />,
    },
    {
      title: t('leads.name'),
      key: 'name',
      render: (_: unknown, lead: Lead) => (
        <div>
          <Typography.Link onClick={() => void setSearch({ lead: lead.id })} data-testid="lead-row-name">
            {lead.name}
          </Typography.Link>
          {lead.companyName && lead.personName ? (
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{lead.personName}</div>
          ) : null}
        </div>
      ),
    },
    {
      title: t('leads.phone'),
      dataIndex: 'phone',
      key: 'phone',
      render: (value: string | null) => value ?? '—',
    },
    {
      title: t('leads.intent'),
      key: 'intent',
      render: (_: unknown, lead: Lead) => (lead.intent ? t(`marketing.intents.${lead.intent}`) : '—'),
    },
    {
      title: t('leads.source'),
      key: 'source',
      render: (_: unknown, lead: Lead) => (
        <div>
          {t(`marketing.leadSources.${lead.source}`)}
          {lead.campaign ? (
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{lead.campaign}</div>
          ) : null}
        </div>
      ),
    },
    {
      title: t('leads.status'),
      key: 'status',
      render: (_: unknown, lead: Lead) => <LeadStatusTag status={lead.status} />,
    },
    {
      title: t('leads.followUp'),
      key: 'sla',
      render: (_: unknown, lead: Lead) => (
        <Space direction="vertical" size={0}>
          <LeadSlaTag lead={lead} />
          <LeadDue lead={lead} />
        </Space>
      ),
    },
    {
      title: t('leads.owner'),
      key: 'owner',
      render: (_: unknown, lead: Lead) =>
        lead.ownerName ?? <Typography.Text type="secondary">{t('leads.unassigned')}</Typography.Text>,
    },
    {
      title: t('leads.createdAt'),
      key: 'createdAt',
      render: (_: unknown, lead: Lead) => formatDateTime(lead.createdAt),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('leads.title')}
        subtitle={t('leads.subtitle')}
        extra={
          <Space>
            <Link to="/opportunities" search={{ view: 'metrics' }} data-testid="lead-metrics">
              <Button icon={<BarChartOutlined />}>{t('sales.view')}</Button>
            </Link>
            {/* The list as filtered and sorted: every matching lead, not only this page. */}
            <ExportButton
              request={() => ({ entity: 'leads', filters: listFilters, columns: [], sort: { sort } })}
            />
            {canCreate && canImportFiles ? (
              <Link to="/leads/import">
                <Button icon={<UploadOutlined />} data-testid="lead-import">
                  {t('leads.import.button')}
                </Button>
              </Link>
            ) : null}
            {canCreate ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="lead-new"
              >
                {t('leads.new')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {search.createdFrom || search.createdTo ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="leads-created-filter"
          title={t('leads.createdBetween', { from: search.createdFrom ?? '…', to: search.createdTo ?? '…' })}
          action={
            <Button
              size="small"
              onClick={() => void setSearch({ createdFrom: undefined, createdTo: undefined })}
            >
              {t('leads.clearCreated')}
            </Button>
          }
        />
      ) : null}
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={search.status ?? 'all'}
          onChange={(key) => void setSearch({ status: key === 'all' ? undefined : (key as Lead['status']) })}
          items={STATUS_TABS.map((key) => {
            const count = statusCount(key);
            return {
              key,
              label: (
                <span data-testid={`lead-status-${key}`}>
                  {key === 'all' ? t('leads.all') : t(`marketing.leadStatuses.${key}`)}
                  {count !== null ? (
                    <Badge
                      count={count}
                      showZero
                      overflowCount={9999}
                      color="#bfbfbf"
                      style={{ marginInlineStart: 6 }}
                    />
                  ) : null}
                </span>
              ),
            };
          })}
        />
        <Flex gap={8} wrap style={{ marginBottom: 12 }} align="center">
          <ListViews
            list="leads"
            current={{
              status: search.status,
              q: search.q,
              grades: search.grades,
              sources: search.sources,
              sla: search.sla,
              owner: search.owner,
              sort: search.sort,
            }}
            onApply={(view) => {
              const next = searchSchema.parse(view);
              setTyped(next.q ?? '');
              void navigate({ search: { ...next, lead: undefined }, replace: true });
            }}
          />
          <Input.Search
            allowClear
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            placeholder={t('leads.searchPlaceholder')}
            style={{ width: 240 }}
            data-testid="lead-search"
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('leads.filters.grades')}
            style={{ minWidth: 130 }}
            value={search.grades ?? []}
            onChange={(value) => void setSearch({ grades: value.length ? value : undefined })}
            options={(grades.data ?? []).map((grade) => ({
              value: grade.grade,
              label: `${grade.grade}（${gradeCount(grade.grade)}）`,
            }))}
            data-testid="lead-filter-grade"
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('leads.filters.sources')}
            style={{ minWidth: 130 }}
            value={search.sources ?? []}
            onChange={(value) => void setSearch({ sources: value.length ? value : undefined })}
            options={LEAD_SOURCES.map((source) => ({
              value: source,
              label: t(`marketing.leadSources.${source}`),
            }))}
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('leads.filters.slaStates')}
            style={{ minWidth: 140 }}
            value={search.sla ?? []}
            onChange={(value) => void setSearch({ sla: value.length ? value : undefined })}
            options={SLA_FILTERS.map((state) => ({ value: state, label: t(`leads.slaStates.${state}`) }))}
            data-testid="lead-filter-sla"
          />
          {canReadMembers ? (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('leads.filters.owner')}
              style={{ minWidth: 130 }}
              value={search.owner}
              onChange={(owner) => void setSearch({ owner: owner || undefined })}
              options={[
                { value: 'unassigned', label: t('leads.unassigned') },
                ...(members.data ?? []).map((member) => ({ value: member.userId, label: member.name })),
              ]}
            />
          ) : (
            <Checkbox
              checked={search.owner === 'me'}
              onChange={(event) => void setSearch({ owner: event.target.checked ? 'me' : undefined })}
            >
              {t('leads.mine')}
            </Checkbox>
          )}
          <Select
            style={{ minWidth: 140 }}
            value={sort}
            onChange={(value) => void setSearch({ sort: value === 'created_desc' ? undefined : value })}
            options={[
              { value: 'created_desc', label: t('leads.sortCreated') },
              { value: 'due_asc', label: t('leads.sortDue') },
            ]}
          />
          <Space style={{ marginInlineStart: 'auto' }}>
            {counts.data ? (
              <>
                <Typography.Text type="secondary" data-testid="lead-total">
                  {t('leads.total', { n: counts.data.total })}
                </Typography.Text>
                {counts.data.overdue > 0 ? (
                  <Typography.Link type="danger" onClick={() => void setSearch({ sla: ['overdue'] })}>
                    {t('leads.overdueCount', { n: counts.data.overdue })}
                  </Typography.Link>
                ) : null}
                {counts.data.dueSoon > 0 ? (
                  <Typography.Link type="warning" onClick={() => void setSearch({ sla: ['due_soon'] })}>
                    {t('leads.dueSoonCount', { n: counts.data.dueSoon })}
                  </Typography.Link>
                ) : null}
              </>
            ) : null}
          </Space>
        </Flex>
        <Table<Lead>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isPending || (list.isFetching && !list.isPending)}
          pagination={false}
          locale={{ emptyText: t('leads.empty') }}
          scroll={{ x: 960 }}
          data-testid="leads-table"
        />
        {pages.hasPrevious || nextCursor ? (
          <KeysetPager pages={pages} nextCursor={nextCursor} busy={list.isFetching} />
        ) : null}
      </Card>
      <LeadDrawer leadId={search.lead ?? null} onClose={() => void setSearch({ lead: undefined })} />
      {canCreate ? (
        <LeadFormModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(lead) => void setSearch({ lead: lead.id })}
        />
      ) : null}
    </>
  );
}
