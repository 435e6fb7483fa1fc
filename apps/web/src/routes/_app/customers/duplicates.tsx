import { ScanOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link } from '@tanstack/react-router';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Flex,
  Popconfirm,
  Result,
  Segmented,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { MergeDialog } from '../../../features/duplicates/MergeDialog';
import { ReasonTags } from '../../../features/duplicates/ReasonTags';
import { ListCount } from '../../../features/lists/ListCount';
import { emptyOrSkeleton } from '../../../features/lists/ListSkeleton';
import type { RouterInputs, RouterOutputs } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/format';
import { usePhoneFormat } from '../../../lib/phone';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

type Pair = RouterOutputs['duplicates']['list']['items'][number];
type ListInput = Extract<RouterInputs['duplicates']['list'], object>;
type Status = NonNullable<ListInput['status']>;
type Reason = NonNullable<ListInput['reason']>;
const STATUSES: Status[] = ['pending', 'merged', 'dismissed'];
const REASONS: Reason[] = ['phone', 'email', 'credit_code', 'name', 'branch'];
const PAGE_SIZE = 30;

export const Route = createFileRoute('/_app/customers/duplicates')({ component: DuplicatesPage });

/** 客户查重: the queue of likely duplicate pairs, merge or dismiss each, scan on demand. */
function DuplicatesPage() {
  const { t } = useTranslation();
  const showPhone = usePhoneFormat();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canMerge = useCan('customers.merge');
  const [status, setStatus] = useState<Status>('pending');
  const [reason, setReason] = useState<Reason | undefined>();
  const [minConfidence, setMinConfidence] = useState<number | undefined>();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [merging, setMerging] = useState<Pair | null>(null);
  const cursor = cursors.at(-1) ?? null;

  const input: ListInput = {
    status,
    limit: PAGE_SIZE,
    ...(reason ? { reason } : {}),
    ...(minConfidence !== undefined ? { minConfidence } : {}),
    ...(cursor ? { cursor } : {}),
  };
  const list = useQuery({
    ...trpc.duplicates.list.queryOptions(input),
    enabled: canMerge,
    placeholderData: keepPreviousData,
  });
  // Beside the page, in a request of its own (lib/trpc.ts): the count never holds the rows back.
  const count = useQuery({
    ...trpc.duplicates.count.queryOptions({
      status,
      ...(reason ? { reason } : {}),
      ...(minConfidence !== undefined ? { minConfidence } : {}),
    }),
    enabled: canMerge,
  });
  const lastScan = useQuery({
    ...trpc.duplicates.lastScan.queryOptions(),
    enabled: canMerge,
    refetchInterval: (query) =>
      query.state.data && (query.state.data.status === 'queued' || query.state.data.status === 'running')
        ? 2000
        : false,
  });
  const scanStatus = lastScan.data?.status;
  // The queue refreshes when a scan finishes.
  const [seenScan, setSeenScan] = useState<string | null>(null);
  useEffect(() => {
    const scan = lastScan.data;
    if (scan?.status !== 'done' || scan.id === seenScan) return;
    setSeenScan(scan.id);
    void queryClient.invalidateQueries(trpc.duplicates.list.pathFilter());
  }, [lastScan.data, seenScan, queryClient, trpc]);

  const scan = useMutation(
    trpc.duplicates.scan.mutationOptions({
      onSuccess: async () => {
        void message.info(t('duplicates.scanQueued'));
        await queryClient.invalidateQueries(trpc.duplicates.lastScan.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );
  const dismiss = useMutation(
    trpc.duplicates.dismiss.mutationOptions({
      onSuccess: async () => {
        void message.success(t('duplicates.dismissed'));
        await queryClient.invalidateQueries(trpc.duplicates.list.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );

  const resetPaging = () => setCursors([null]);

  if (!canMerge) {
    return <Result status="403" title={t('errors.forbiddenTitle')} />;
  }

  const customerCell = (customer: Pair['a']) => (
    <Flex vertical>
      <Link to="/customers/$customerId" params={{ customerId: customer.id }}>
        {customer.name}
      </Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[
          customer.phone ? showPhone(customer.phone) : null,
          customer.email,
          customer.creditCode,
          t('duplicates.orders', { count: customer.orderCount }),
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Text>
    </Flex>
  );

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/customers">{t('customers.title')}</Link> },
          { title: t('duplicates.title') },
        ]}
      />
      <PageHeader
        title={t('duplicates.title')}
        subtitle={t('duplicates.subtitle')}
        extra={
          <Button
            data-testid="duplicates-scan"
            icon={<ScanOutlined />}
            loading={scan.isPending || scanStatus === 'queued' || scanStatus === 'running'}
            onClick={() => scan.mutate()}
          >
            {t('duplicates.scan')}
          </Button>
        }
      />
      <Flex vertical gap={12}>
        <Typography.Text type="secondary" data-testid="duplicates-last-scan">
          {!lastScan.data
            ? t('duplicates.neverScanned')
            : scanStatus === 'done'
              ? t('duplicates.lastScan', {
                  time: formatDateTime(lastScan.data.finishedAt),
                  pairs: lastScan.data.pairs ?? 0,
                  count: lastScan.data.pairs ?? 0,
                  newPairs: lastScan.data.newPairs ?? 0,
                })
              : scanStatus === 'failed'
                ? t('duplicates.scanFailed')
                : t('duplicates.scanRunning')}
        </Typography.Text>
        {lastScan.data && lastScan.data.cappedKeys.length > 0 ? (
          <Alert
            type="info"
            showIcon
            title={t('duplicates.capped')}
            description={lastScan.data.cappedKeys
              .map((key) => t('duplicates.cappedItem', { value: key.value, count: key.customers }))
              .join('；')}
          />
        ) : null}
        <Card>
          <Flex gap={12} wrap style={{ marginBottom: 12 }}>
            <Segmented<Status>
              data-testid="duplicates-status"
              aria-label={t('duplicates.status.label')}
              value={status}
              onChange={(value) => {
                setStatus(value);
                resetPaging();
              }}
              options={STATUSES.map((value) => ({ value, label: t(`duplicates.status.${value}`) }))}
            />
            <Select<Reason | undefined>
              data-testid="duplicates-reason"
              style={{ width: 180 }}
              allowClear
              placeholder={t('duplicates.reason.all')}
              value={reason}
              onChange={(value) => {
                setReason(value);
                resetPaging();
              }}
              options={REASONS.map((value) => ({ value, label: t(`duplicates.reason.${value}`) }))}
            />
            <Select<number | undefined>
              style={{ width: 200 }}
              allowClear
              placeholder={`${t('duplicates.minConfidence')}…`}
              value={minConfidence}
              onChange={(value) => {
                setMinConfidence(value);
                resetPaging();
              }}
              options={[0.9, 0.8, 0.7, 0.5].map((value) => ({
                value,
                label: `${t('duplicates.minConfidence')} ${Math.round(value * 100)}%`,
              }))}
            />
          </Flex>
          <Table<Pair>
            data-testid="duplicates-table"
            rowKey="id"
            loading={list.isFetching && !list.isPending}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: emptyOrSkeleton(list.isPending, t('duplicates.empty')) }}
            columns={[
              {
                key: 'pair',
                title: t('duplicates.pair'),
                render: (_, pair) => (
                  <Flex gap={24} wrap data-testid="duplicate-pair">
                    {customerCell(pair.a)}
                    {customerCell(pair.b)}
                  </Flex>
                ),
              },
              {
                key: 'reasons',
                title: t('duplicates.reason.label'),
                render: (_, pair) => (
                  <>
                    {/* The identity rule of the create check and the import: the same customer. */}
                    {pair.sameBy ? (
                      <Tag color="red" data-testid="duplicate-exact">
                        {t('duplicates.warning.exact')}
                      </Tag>
                    ) : null}
                    <ReasonTags reasons={pair.reasons} names={[pair.a.name, pair.b.name]} />
                  </>
                ),
              },
              {
                key: 'confidence',
                title: t('duplicates.confidence'),
                width: 100,
                render: (_, pair) => (
                  <Tag color={pair.confidence >= 0.9 ? 'red' : pair.confidence >= 0.7 ? 'orange' : 'default'}>
                    {Math.round(pair.confidence * 100)}%
                  </Tag>
                ),
              },
              {
                key: 'detectedAt',
                title: t('duplicates.detectedAt'),
                width: 170,
                render: (_, pair) => (
                  <Flex vertical>
                    <span>{formatDateTime(pair.detectedAt)}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`duplicates.source.${pair.source as 'scan'}`, { defaultValue: pair.source })}
                    </Typography.Text>
                  </Flex>
                ),
              },
              ...(status === 'pending'
                ? [
                    {
                      key: 'actions',
                      title: t('duplicates.actions'),
                      width: 200,
                      render: (_: unknown, pair: Pair) => (
                        <Flex gap={8}>
                          <Button
                            data-testid="duplicate-merge"
                            type="primary"
                            size="small"
                            onClick={() => setMerging(pair)}
                          >
                            {t('duplicates.merge')}
                          </Button>
                          <Popconfirm
                            title={t('duplicates.dismiss')}
                            onConfirm={() => dismiss.mutate({ id: pair.id })}
                          >
                            <Button data-testid="duplicate-dismiss" size="small">
                              {t('duplicates.dismiss')}
                            </Button>
                          </Popconfirm>
                        </Flex>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Flex justify="flex-end" align="center" gap={8} style={{ marginTop: 12 }}>
            {count.isError ? null : <ListCount noun="pairs" count={count.data} />}
            <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              {t('common.previousPage')}
            </Button>
            <Button
              disabled={!list.data?.nextCursor}
              onClick={() => list.data?.nextCursor && setCursors((c) => [...c, list.data.nextCursor])}
            >
              {t('common.nextPage')}
            </Button>
          </Flex>
        </Card>
      </Flex>
      {merging ? (
        <MergeDialog
          open
          onClose={() => setMerging(null)}
          customerIds={[merging.a.id, merging.b.id]}
          candidateId={merging.id}
        />
      ) : null}
    </>
  );
}
