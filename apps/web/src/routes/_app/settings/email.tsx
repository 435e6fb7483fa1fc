import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { Alert, App, Button, Card, Flex, Result, Segmented, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import type { RouterOutputs } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

type OutboxEmail = RouterOutputs['email']['list']['items'][number];
type Status = OutboxEmail['status'];

const STATUSES: Status[] = ['queued', 'sending', 'sent', 'failed'];
const STATUS_COLOR: Record<Status, string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'success',
  failed: 'error',
};

export const Route = createFileRoute('/_app/settings/email')({
  component: EmailPage,
});

/** 设置 → 邮件: the outbox; on the embedded default without SMTP, the dev mailbox. */
function EmailPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const allowed = useCan('jobs.read');
  const [status, setStatus] = useState<Status | 'all'>('all');

  const list = useInfiniteQuery({
    queryKey: [...trpc.email.list.queryKey(), { status }],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      queryClient.fetchQuery(
        trpc.email.list.queryOptions({
          limit: 30,
          ...(status === 'all' ? {} : { status }),
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
      ),
    getNextPageParam: (page) => page.nextCursor,
    enabled: allowed,
  });
  const retry = useMutation(
    trpc.email.retry.mutationOptions({
      onSuccess: () => {
        void message.success(t('email.retried'));
        void queryClient.invalidateQueries({ queryKey: trpc.email.list.queryKey() });
      },
      onError: (error) => showError(error),
    }),
  );

  if (!allowed) return <Result status="403" subTitle={t('email.noPermission')} />;

  const transport = list.data?.pages[0]?.transport;
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: ColumnsType<OutboxEmail> = [
    {
      key: 'createdAt',
      dataIndex: 'createdAt',
      title: t('email.columns.createdAt'),
      width: 170,
      render: (value: string) => formatDateTime(value),
    },
    { key: 'to', dataIndex: 'to', title: t('email.columns.to'), width: 220, ellipsis: true },
    { key: 'subject', dataIndex: 'subject', title: t('email.columns.subject'), width: 320, ellipsis: true },
    {
      key: 'kind',
      dataIndex: 'kind',
      title: t('email.columns.kind'),
      width: 140,
      render: (kind: string) => t(`notifications.kinds.${kind}`, { defaultValue: kind }),
    },
    {
      key: 'status',
      title: t('email.columns.status'),
      width: 190,
      render: (_: unknown, email) => (
        <Flex vertical gap={2}>
          <span>
            <Tag color={STATUS_COLOR[email.status]} data-testid={`email-status-${email.status}`}>
              {t(`email.statuses.${email.status}`)}
            </Tag>
          </span>
          {email.status === 'sent' && email.transport === 'dev_mailbox' ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('email.deliveredToDevMailbox')}
            </Typography.Text>
          ) : null}
          {email.status === 'queued' && email.attempts > 0 ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('email.nextAttempt', { time: formatDateTime(email.nextAttemptAt) })}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'attempts',
      dataIndex: 'attempts',
      title: t('email.columns.attempts'),
      width: 100,
      align: 'right',
    },
    {
      key: 'sentAt',
      dataIndex: 'sentAt',
      title: t('email.columns.sentAt'),
      width: 170,
      render: (value: string | null) => (value ? formatDateTime(value) : '—'),
    },
    {
      key: 'actions',
      width: 110,
      render: (_: unknown, email) =>
        email.status === 'failed' ? (
          <Button size="small" loading={retry.isPending} onClick={() => retry.mutate({ id: email.id })}>
            {t('email.retry')}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader title={t('email.title')} subtitle={t('email.subtitle')} />
      {transport ? (
        <Alert
          type={transport === 'dev_mailbox' ? 'info' : 'success'}
          showIcon
          data-testid={`email-transport-${transport}`}
          message={transport === 'dev_mailbox' ? t('email.devMailbox') : t('email.smtp')}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Card>
        <Segmented
          style={{ marginBottom: 16 }}
          aria-label={t('email.statusLabel')}
          value={status}
          onChange={(value) => setStatus(value as Status | 'all')}
          options={[
            { value: 'all', label: t('email.allStatuses') },
            ...STATUSES.map((value) => ({ value, label: t(`email.statuses.${value}`) })),
          ]}
        />
        <Table<OutboxEmail>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: 1400 }}
          locale={{ emptyText: t('email.empty') }}
          expandable={{
            expandedRowRender: (email) => (
              <Flex vertical gap={8} data-testid="email-body">
                {email.lastError ? (
                  <Alert type="error" showIcon message={`${t('email.error')}: ${email.lastError}`} />
                ) : null}
                <Typography.Text type="secondary">{t('email.body')}</Typography.Text>
                <pre
                  style={{
                    whiteSpace: 'pre-wrap',
                    fontFamily: 'inherit',
                    margin: 0,
                    padding: 12,
                    background: '#fafafa',
                    borderRadius: 6,
                  }}
                >
                  {email.text}
                </pre>
              </Flex>
            ),
          }}
        />
        {list.hasNextPage ? (
          <Flex justify="center" style={{ marginTop: 16 }}>
            <Tooltip>
              <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {t('email.loadMore')}
              </Button>
            </Tooltip>
          </Flex>
        ) : null}
      </Card>
    </>
  );
}
