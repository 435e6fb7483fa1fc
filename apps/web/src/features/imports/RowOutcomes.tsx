import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Button, Flex, Segmented, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import type { ImportEntity } from './upload';

type Run = RouterOutputs['imports']['get'];
type RowItem = RouterOutputs['imports']['rows']['items'][number];
type Outcome = RowItem['outcome'];

const PAGE_SIZE = 50;
const OUTCOMES: Outcome[] = ['new', 'update', 'skip', 'candidate', 'error'];
const COLORS: Record<Outcome, string> = {
  new: 'green',
  update: 'blue',
  skip: 'default',
  candidate: 'orange',
  error: 'red',
};

/**
 * Every row's outcome of a run — new, update (of which customer, by which key), skip (why),
 * possible duplicate, error (every reason) — filtered by outcome, paged on the server (keyset:
 * a file may have a million rows, the browser only ever holds one page).
 */
export function RowOutcomes({ run }: { run: Run }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [outcome, setOutcome] = useState<Outcome | 'all'>(run.errorRows > 0 ? 'error' : 'all');
  // The cursors of the pages before this one (keyset paging goes forward; back is a stack).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const page = useQuery(
    trpc.imports.rows.queryOptions({
      runId: run.id,
      outcome: outcome === 'all' ? null : outcome,
      cursor,
      limit: PAGE_SIZE,
    }),
  );
  const counts = run.outcomes;
  const total = outcome === 'all' ? OUTCOMES.reduce((sum, key) => sum + counts[key], 0) : counts[outcome];
  const entity = run.entity as ImportEntity;

  const choose = (value: Outcome | 'all') => {
    setOutcome(value);
    setCursors([null]);
  };

  return (
    <Flex vertical gap={8} data-testid="import-rows">
      <Flex align="center" gap={12} wrap>
        <Typography.Text strong>{t('imports.outcomes.title')}</Typography.Text>
        <Segmented
          data-testid="import-rows-filter"
          aria-label={t('imports.outcomes.title')}
          value={outcome}
          onChange={(value) => choose(value as Outcome | 'all')}
          options={[
            {
              value: 'all',
              label: t('imports.outcomes.filterLabel', {
                label: t('imports.outcomes.all'),
                count: OUTCOMES.reduce((sum, key) => sum + counts[key], 0),
              }),
            },
            ...OUTCOMES.filter((key) => key !== 'candidate' || counts.candidate > 0).map((key) => ({
              value: key,
              label: t('imports.outcomes.filterLabel', {
                label: t(`imports.outcomes.${key}`),
                count: counts[key],
              }),
            })),
          ]}
        />
      </Flex>
      <Table<RowItem>
        data-testid="import-rows-table"
        size="small"
        rowKey="rowNumber"
        loading={page.isFetching}
        dataSource={page.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('imports.outcomes.empty') }}
        columns={[
          { title: t('imports.outcomes.row'), dataIndex: 'rowNumber', width: 80 },
          {
            title: t('imports.outcomes.result'),
            dataIndex: 'outcome',
            width: 110,
            render: (value: Outcome) => <Tag color={COLORS[value]}>{t(`imports.outcomes.${value}`)}</Tag>,
          },
          {
            title: t('imports.outcomes.detail'),
            key: 'detail',
            render: (_, row) => <OutcomeDetail row={row} entity={entity} />,
          },
        ]}
      />
      <Flex align="center" gap={12} justify="flex-end" wrap>
        <Typography.Text type="secondary" data-testid="import-rows-page">
          {t('imports.outcomes.page', { page: cursors.length, size: PAGE_SIZE, total })}
        </Typography.Text>
        <Button
          size="small"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((previous) => previous.slice(0, -1))}
        >
          {t('imports.outcomes.previous')}
        </Button>
        <Button
          size="small"
          data-testid="import-rows-next"
          disabled={!page.data?.nextCursor}
          onClick={() => {
            const next = page.data?.nextCursor;
            if (next) setCursors((previous) => [...previous, next]);
          }}
        >
          {t('imports.outcomes.next')}
        </Button>
      </Flex>
    </Flex>
  );
}

function CustomerLink({ id, name }: { id: string | null; name: string | null }) {
  const { t } = useTranslation();
  if (!id) return null;
  if (!name) return <Typography.Text type="secondary">{t('imports.outcomes.notVisible')}</Typography.Text>;
  return (
    <Link to="/customers/$customerId" params={{ customerId: id }}>
      {name}
    </Link>
  );
}

/** An existing lead a row matched (by its phone or email), opened in the lead list's drawer. */
function LeadLink({ id, name }: { id: string | null; name: string | null }) {
  const { t } = useTranslation();
  if (!id) return null;
  if (!name) return <Typography.Text type="secondary">{t('imports.outcomes.notVisible')}</Typography.Text>;
  return (
    <Link to="/leads" search={{ lead: id }}>
      {name}
    </Link>
  );
}

function OutcomeDetail({ row, entity }: { row: RowItem; entity: ImportEntity }) {
  const { t } = useTranslation();
  const key = row.matchKind
    ? t(`imports.outcomes.keys.${row.matchKind}`, { defaultValue: row.matchKind })
    : null;
  const by: ReactNode = key
    ? row.matchValue && row.matchKind !== 'order_number'
      ? t('imports.outcomes.matchedBy', { key, value: row.matchValue })
      : t('imports.outcomes.matchedByKey', { key })
    : null;
  if (row.outcome === 'error')
    return (
      <Flex vertical gap={2}>
        {row.errors.map((error, index) => (
          <Typography.Text key={index}>
            <Typography.Text strong>{error.column || t('imports.errors.wholeRow')}</Typography.Text>
            {t('imports.outcomes.separator')}
            <span>{error.message}</span>
          </Typography.Text>
        ))}
      </Flex>
    );
  if (row.outcome === 'candidate')
    return (
      <span>
        {t('imports.outcomes.candidateOf')}
        <CustomerLink id={row.matchedId} name={row.matchedName} />
        {by}
      </span>
    );
  if (entity === 'leads') {
    if (row.outcome === 'new') return <span>{t('imports.outcomes.newLead')}</span>;
    // Skipped: the lead or the customer it already is (a lead's match names no customer).
    return (
      <span>
        {row.message}
        {row.matchedId ? (
          <>
            {' · '}
            {row.customerId ? t('imports.outcomes.existing') : t('imports.outcomes.existingLead')}
            {row.customerId ? (
              <CustomerLink id={row.matchedId} name={row.matchedName} />
            ) : (
              <LeadLink id={row.matchedId} name={row.matchedName} />
            )}
            {by}
          </>
        ) : null}
      </span>
    );
  }
  if (entity === 'customers') {
    if (row.outcome === 'new')
      return (
        <span>
          {t('imports.outcomes.newCustomer')}
          {row.customerName ? (
            <>
              {' '}
              <CustomerLink id={row.customerId} name={row.customerName} />
            </>
          ) : null}
        </span>
      );
    if (row.outcome === 'update')
      return (
        <span>
          {t('imports.outcomes.updateCustomer')}
          <CustomerLink id={row.matchedId} name={row.matchedName} />
          {by}
        </span>
      );
    return (
      <span>
        {row.message}
        {row.matchedId ? (
          <>
            {' · '}
            {t('imports.outcomes.existing')}
            <CustomerLink id={row.matchedId} name={row.matchedName} />
            {by}
          </>
        ) : null}
      </span>
    );
  }
  // Orders and interactions: the customer each row belongs to.
  const customer = <CustomerLink id={row.customerId} name={row.customerName} />;
  if (row.outcome === 'new')
    return (
      <span>
        {entity === 'orders' ? t('imports.outcomes.newOrder') : t('imports.outcomes.newInteraction')}
        {customer}
      </span>
    );
  if (row.outcome === 'update')
    return (
      <span>
        {t('imports.outcomes.updateOrder')} {row.matchValue}
        {by}
        {' · '}
        {customer}
      </span>
    );
  return (
    <span>
      {row.message}
      {' · '}
      {customer}
    </span>
  );
}
