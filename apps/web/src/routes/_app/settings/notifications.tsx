import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { App, Card, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import type { RouterOutputs } from '../../../lib/api-types';
import { useShell } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

type Preference = RouterOutputs['notifications']['preferences'][number];

export const Route = createFileRoute('/_app/settings/notifications')({
  component: NotificationSettingsPage,
});

/** 通知设置: the member's own choice per kind, 站内 and 邮件; each switch saves at once. */
function NotificationSettingsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const { me } = useShell();
  const preferences = useQuery(trpc.notifications.preferences.queryOptions());
  const save = useMutation(
    trpc.notifications.updatePreferences.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.notifications.preferences.queryKey(), saved);
        void message.success(t('notifications.settings.saved'));
      },
      onError: (error) => showError(error),
    }),
  );

  const change = (row: Preference, next: Partial<Pick<Preference, 'inApp' | 'email'>>) =>
    save.mutate({ preferences: [{ kind: row.kind, inApp: row.inApp, email: row.email, ...next }] });

  const columns: ColumnsType<Preference> = [
    {
      key: 'kind',
      title: t('notifications.settings.kind'),
      render: (_: unknown, row) => (
        <div>
          <Typography.Text strong>{t(`notifications.kinds.${row.kind}`)}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }}>
            {t(`notifications.kindHelp.${row.kind}`)}
          </Typography.Paragraph>
        </div>
      ),
    },
    {
      key: 'inApp',
      title: t('notifications.settings.inApp'),
      width: 120,
      align: 'center',
      render: (_: unknown, row) =>
        row.emailOnly ? (
          <Tag>{t('notifications.settings.emailOnly')}</Tag>
        ) : (
          <Switch
            data-testid={`pref-${row.kind}-inApp`}
            checked={row.inApp}
            aria-label={`${t(`notifications.kinds.${row.kind}`)} ${t('notifications.settings.inApp')}`}
            onChange={(checked) => change(row, { inApp: checked })}
          />
        ),
    },
    {
      key: 'email',
      title: t('notifications.settings.email'),
      width: 120,
      align: 'center',
      render: (_: unknown, row) => (
        <Switch
          data-testid={`pref-${row.kind}-email`}
          checked={row.email}
          aria-label={`${t(`notifications.kinds.${row.kind}`)} ${t('notifications.settings.email')}`}
          onChange={(checked) => change(row, { email: checked })}
        />
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('notifications.settings.title')} subtitle={t('notifications.settings.subtitle')} />
      <Card>
        <Typography.Paragraph type="secondary">
          {t('notifications.settings.emailTo', { email: me.user.email })}
        </Typography.Paragraph>
        <Table<Preference>
          rowKey="kind"
          columns={columns}
          dataSource={preferences.data ?? []}
          loading={preferences.isPending || save.isPending}
          pagination={false}
        />
      </Card>
    </>
  );
}
