import { DesktopOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { App, Button, Card, Popconfirm, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import type { RouterOutputs } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

type SignedInSession = RouterOutputs['auth']['listSessions'][number];

export const Route = createFileRoute('/_app/settings/sessions')({
  component: SessionsPage,
});

function SessionsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const sessions = useQuery(trpc.auth.listSessions.queryOptions());
  const revoke = useMutation(
    trpc.auth.revokeSession.mutationOptions({
      onSuccess: async () => {
        void message.success(t('sessions.revoked'));
        await sessions.refetch();
      },
      onError: (error) => showError(error),
    }),
  );

  const columns: ColumnsType<SignedInSession> = [
    {
      key: 'device',
      title: t('sessions.columns.session'),
      render: (_: unknown, session) => (
        <span>
          <DesktopOutlined style={{ marginInlineEnd: 8, color: '#1f5eff' }} />
          {t('sessions.signedInAt', { date: formatDateTime(session.createdAt) })}
          {session.current ? (
            <Tag color="blue" style={{ marginInlineStart: 8 }}>
              {t('sessions.current')}
            </Tag>
          ) : null}
        </span>
      ),
    },
    {
      key: 'lastActiveAt',
      dataIndex: 'lastActiveAt',
      title: t('sessions.columns.lastActiveAt'),
      width: 200,
      render: (value: string) => formatDateTime(value),
    },
    {
      key: 'expiresAt',
      dataIndex: 'expiresAt',
      title: t('sessions.columns.expiresAt'),
      width: 200,
      render: (value: string) => formatDateTime(value),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 120,
      render: (_: unknown, session) =>
        session.current ? null : (
          <Popconfirm
            title={t('sessions.revokeConfirm')}
            okText={t('sessions.revoke')}
            cancelText={t('common.cancel')}
            onConfirm={() => revoke.mutateAsync({ id: session.id }).catch(() => undefined)}
          >
            <Button type="link" danger size="small" data-testid="session-revoke">
              {t('sessions.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('sessions.title')} subtitle={t('sessions.subtitle')} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<SignedInSession>
          data-testid="sessions-table"
          rowKey="id"
          loading={sessions.isLoading}
          columns={columns}
          dataSource={sessions.data ?? []}
          pagination={false}
        />
      </Card>
    </>
  );
}
