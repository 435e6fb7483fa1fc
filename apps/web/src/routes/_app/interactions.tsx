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
import type { InteractionKind, RouterOutputs, Sentiment } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { isoDay, listOf, oneOf, searchOf, uuid } from '../../lib/search-params';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';

type InteractionRow = RouterOutputs['interactions']['listAll']['items'][number];

const KINDS = [
  'call',
  'visit',
  'message',
  'email',
  'meeting',
  'event',
] as const satisfies readonly InteractionKind[];
const SENTIMENTS = ['praise', 'neutral', 'complaint'] as const satisfies readonly Sentiment[];
const SENTIMENT_COLORS: Record<Sentiment, string> = {
  praise: 'success',
  neutral: 'default',
  complaint: 'error',
};

/** The filters live in the URL, so a filtered list survives a reload and can be shared. */
const searchSchema = searchOf({
  from: isoDay,
  to: isoDay,
  kinds: listOf(oneOf(KINDS)),
  sentiments: listOf(oneOf(SENTIMENTS)),
  user: uuid,
});
type InteractionsSearch = ReturnType<typeof searchSchema.parse>;

export const Route = createFileRoute('/_app/interactions')({
  validateSearch: (search): InteractionsSearch => searchSchema.parse(search),
  component: InteractionsPage,
});

const PAGE_SIZE = 50;

function InteractionsPage() {
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
      kinds: search.kinds?.length ? search.kinds : undefined,
      sentiments: search.sentiments?.length ? search.sentiments : undefined,
      userIds: search.user ? [search.user] : undefined,
    }),
    [search],
  );
  const setSearch = (patch: Partial<InteractionsSearch>) =>
    navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true });

  const filterKey = JSON.stringify(filters);
  const pages = useKeysetPages(filterKey);
  const cursor = pages.cursor;
  const list = useQuery({
    ...trpc.interactions.listAll.queryOptions({ ...filters, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  // Beside the page, in a request of its own (lib/trpc.ts): the count never holds the rows back.
  const count = useQuery(trpc.interactions.count.queryOptions(filters));
  const nextCursor = list.data?.nextCursor ?? null;
  const none = <Typography.Text type="secondary">—</Typography.Text>;

  const columns = [
    {
      key: 'occurredAt',
      title: t('interactionsPage.dateRange'),
      width: 150,
      render: (_: unknown, row: InteractionRow) => formatDateTime(row.occurredAt),
    },
    {
      key: 'customer',
      title: t('interactionsPage.customer'),
      width: 200,
      render: (_: unknown, row: InteractionRow) => (
        <Link to="/customers/$customerId" params={{ customerId: row.customerId }}>
          {row.customerName}
        </Link>
      ),
    },
    {
      key: 'kind',
      title: t('interactionsPage.kinds'),
      width: 100,
      render: (_: unknown, row: InteractionRow) => t(`interactions.kind.${row.kind}`),
    },
    {
      key: 'summary',
      title: t('interactions.form.summary'),
      render: (_: unknown, row: InteractionRow) => (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
          {row.summary}
        </Typography.Paragraph>
      ),
    },
    {
      key: 'sentiment',
      title: t('interactionsPage.sentiments'),
      width: 100,
      render: (_: unknown, row: InteractionRow) => (
        <Tag color={SENTIMENT_COLORS[row.sentiment]}>{t(`interactions.sentiment.${row.sentiment}`)}</Tag>
      ),
    },
    {
      key: 'user',
      title: t('interactionsPage.user'),
      width: 120,
      render: (_: unknown, row: InteractionRow) => row.userName ?? none,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('interactionsPage.title')}
        subtitle={t('interactionsPage.subtitle')}
        extra={<ExportButton request={() => ({ entity: 'interactions', filters, columns: [] })} />}
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            aria-label={t('interactionsPage.dateRange')}
            value={[search.from ? dayjs(search.from) : null, search.to ? dayjs(search.to) : null]}
            onChange={(range) =>
              void setSearch({
                from: range?.[0]?.format('YYYY-MM-DD'),
                to: range?.[1]?.format('YYYY-MM-DD'),
              })
            }
          />
          <Select
            data-testid="interactions-kind-filter"
            mode="multiple"
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t('interactionsPage.kinds')}
            value={search.kinds ?? []}
            onChange={(value) => void setSearch({ kinds: value.length ? value : undefined })}
            options={KINDS.map((kind) => ({ value: kind, label: t(`interactions.kind.${kind}`) }))}
          />
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 180 }}
            placeholder={t('interactionsPage.sentiments')}
            value={search.sentiments ?? []}
            onChange={(value) => void setSearch({ sentiments: value.length ? value : undefined })}
            options={SENTIMENTS.map((sentiment) => ({
              value: sentiment,
              label: t(`interactions.sentiment.${sentiment}`),
            }))}
          />
          {canReadMembers ? (
            <Select
              allowClear
              style={{ minWidth: 160 }}
              placeholder={t('interactionsPage.allUsers')}
              value={search.user}
              onChange={(value) => void setSearch({ user: value })}
              options={(members.data ?? []).map((member) => ({ value: member.userId, label: member.name }))}
            />
          ) : null}
        </Flex>
        <Table<InteractionRow>
          data-testid="interactions-table"
          rowKey="id"
          size="middle"
          loading={list.isFetching && !list.isPending}
          dataSource={list.data?.items ?? []}
          columns={columns}
          pagination={false}
          locale={{
            emptyText: emptyOrSkeleton(
              list.isPending,
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('interactionsPage.empty')} />,
            ),
          }}
        />
        <KeysetPager pages={pages} nextCursor={nextCursor}>
          {count.isError ? null : <ListCount noun="interactions" count={count.data} />}
        </KeysetPager>
      </Card>
    </>
  );
}
