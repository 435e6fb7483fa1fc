import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { Badge, Button, Card, Flex, Input, Select, Space, Tabs } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeysetPager, useKeysetPages } from '../../../components/KeysetPager';
import { PageHeader } from '../../../components/PageHeader';
import { useLabelOf, useTicketSettings } from '../../../features/tickets/TicketCategoryLabel';
import { TicketFormModal } from '../../../features/tickets/TicketFormModal';
import { TicketKpisCard } from '../../../features/tickets/TicketKpisCard';
import { TicketsTable } from '../../../features/tickets/TicketsTable';
import {
  TICKET_PRIORITIES,
  TICKET_SLA_STATES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketView,
} from '../../../lib/api-types';
import { listOf, oneOf, searchOf, text, uuid } from '../../../lib/search-params';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';

export const TICKET_VIEWS = [
  'open',
  'mine',
  'unassigned',
  'breached',
  'done',
  'all',
] as const satisfies readonly TicketView[];

/** The filters live in the URL, so a filtered list survives a reload and can be shared. */
const searchSchema = searchOf({
  view: oneOf(TICKET_VIEWS),
  q: text(100),
  statuses: listOf(oneOf(TICKET_STATUSES)),
  types: listOf(oneOf(TICKET_TYPES)),
  priorities: listOf(oneOf(TICKET_PRIORITIES)),
  slaStates: listOf(oneOf(TICKET_SLA_STATES)),
  category: text(64),
  assignee: uuid,
});
type TicketsSearch = ReturnType<typeof searchSchema.parse>;

export const Route = createFileRoute('/_app/tickets/')({
  validateSearch: (search): TicketsSearch => searchSchema.parse(search),
  component: TicketsPage,
});

const PAGE_SIZE = 50;

function TicketsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const canCreate = useCan('tickets.create');
  const canConfigure = useCan('tickets.configure');
  const canReadMembers = useCan('members.read');
  const labelOf = useLabelOf();
  const settings = useTicketSettings();
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: canReadMembers });
  const [creating, setCreating] = useState(false);
  const [typed, setTyped] = useState(search.q ?? '');
  const view = search.view ?? 'open';
  const setSearch = (patch: Partial<TicketsSearch>) =>
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
      view,
      search: search.q || undefined,
      statuses: search.statuses?.length ? search.statuses : undefined,
      types: search.types?.length ? search.types : undefined,
      priorities: search.priorities?.length ? search.priorities : undefined,
      slaStates: search.slaStates?.length ? search.slaStates : undefined,
      category: search.category || undefined,
      assigneeUserId: search.assignee || undefined,
    }),
    [view, search],
  );
  const filterKey = JSON.stringify(filters);
  const pages = useKeysetPages(filterKey);
  const list = useQuery({
    ...trpc.tickets.list.queryOptions({ ...filters, cursor: pages.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery(trpc.tickets.counts.queryOptions());
  const nextCursor = list.data?.nextCursor ?? null;

  const countOf = (key: TicketView): number | null => {
    if (!counts.data) return null;
    if (key === 'mine') return counts.data.mine;
    if (key === 'unassigned') return counts.data.unassigned;
    if (key === 'breached') return counts.data.breached;
    return null;
  };

  return (
    <>
      <PageHeader
        title={t('tickets.title')}
        subtitle={t('tickets.subtitle')}
        extra={
          <Space>
            {canConfigure ? (
              <Link to="/settings/tickets">
                <Button icon={<SettingOutlined />}>{t('tickets.settings.title')}</Button>
              </Link>
            ) : null}
            {canCreate ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="ticket-new"
              >
                {t('tickets.new')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={view}
          aria-label={t('tickets.views.label')}
          onChange={(key) => void setSearch({ view: key === 'open' ? undefined : (key as TicketView) })}
          items={TICKET_VIEWS.map((key) => {
            const count = countOf(key);
            return {
              key,
              label: (
                <span data-testid={`ticket-view-${key}`}>
                  {t(`tickets.views.${key}`)}
                  {count !== null ? (
                    <Badge
                      count={count}
                      showZero
                      overflowCount={999}
                      color={key === 'breached' && count > 0 ? 'red' : '#bfbfbf'}
                      style={{ marginInlineStart: 6 }}
                    />
                  ) : null}
                </span>
              ),
            };
          })}
        />
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            placeholder={t('tickets.searchPlaceholder')}
            style={{ width: 240 }}
            data-testid="ticket-search"
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('tickets.filters.statuses')}
            style={{ minWidth: 150 }}
            value={search.statuses ?? []}
            onChange={(statuses) => void setSearch({ statuses: statuses.length ? statuses : undefined })}
            options={TICKET_STATUSES.map((status) => ({
              value: status,
              label: t(`tickets.statuses.${status}`),
            }))}
            data-testid="ticket-filter-status"
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('tickets.filters.priorities')}
            style={{ minWidth: 130 }}
            value={search.priorities ?? []}
            onChange={(priorities) =>
              void setSearch({ priorities: priorities.length ? priorities : undefined })
            }
            options={TICKET_PRIORITIES.map((priority) => ({
              value: priority,
              label: t(`tickets.priorities.${priority}`),
            }))}
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('tickets.filters.types')}
            style={{ minWidth: 130 }}
            value={search.types ?? []}
            onChange={(types) => void setSearch({ types: types.length ? types : undefined })}
            options={TICKET_TYPES.map((type) => ({ value: type, label: t(`tickets.types.${type}`) }))}
          />
          <Select
            allowClear
            placeholder={t('tickets.category')}
            style={{ minWidth: 130 }}
            value={search.category}
            onChange={(category) => void setSearch({ category: category || undefined })}
            options={(settings.data?.categories ?? []).map((category) => ({
              value: category.key,
              label: labelOf(category),
            }))}
          />
          {canReadMembers ? (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('tickets.assignee')}
              style={{ minWidth: 130 }}
              value={search.assignee}
              onChange={(assignee) => void setSearch({ assignee: assignee || undefined })}
              options={(members.data ?? []).map((member) => ({ value: member.userId, label: member.name }))}
            />
          ) : null}
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('tickets.filters.slaStates')}
            style={{ minWidth: 140 }}
            value={search.slaStates ?? []}
            onChange={(slaStates) => void setSearch({ slaStates: slaStates.length ? slaStates : undefined })}
            options={TICKET_SLA_STATES.map((state) => ({
              value: state,
              label: t(`tickets.slaStates.${state}`),
            }))}
            data-testid="ticket-filter-sla"
          />
        </Flex>
        <TicketsTable
          tickets={list.data?.items ?? []}
          pending={list.isPending}
          loading={list.isFetching && !list.isPending}
          emptyText={t('tickets.empty')}
        />
        {pages.hasPrevious || nextCursor ? (
          <KeysetPager pages={pages} nextCursor={nextCursor} style={{ marginTop: 12 }} />
        ) : null}
      </Card>
      <div style={{ marginTop: 16 }}>
        <TicketKpisCard atRisk={counts.data?.atRisk ?? null} breached={counts.data?.breached ?? null} />
      </div>
      {canCreate ? <TicketFormModal open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
