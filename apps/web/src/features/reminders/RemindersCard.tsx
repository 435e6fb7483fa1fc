import { ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, InputNumber, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { languageOf } from '../industry/json-schema';

type Upcoming = RouterOutputs['reminders']['upcoming'];
type Reminder = Upcoming['reminders'][number];

/**
 * 设置 → 行业配置 → 提醒: every reminder of the tenant (its plugin's and the product's), when
 * it falls, for whom, how many tasks the coming days will make, on or off and its offset;
 * the first upcoming tasks; and running today's reminders now.
 */
export function RemindersCard() {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const language = languageOf(i18n.language);
  const upcoming = useQuery(trpc.reminders.upcoming.queryOptions());
  const [editing, setEditing] = useState<string | null>(null);

  const configure = useMutation(
    trpc.reminders.configure.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.reminders.upcoming.queryKey(), data);
        setEditing(null);
        void message.success(t('reminders.saved'));
      },
      onError: (error) => showError(error),
    }),
  );
  const run = useMutation(
    trpc.reminders.run.mutationOptions({
      onSuccess: async (result) => {
        void message.success(
          result.created === 0 ? t('reminders.ranNone') : t('reminders.ran', { count: result.created }),
        );
        await Promise.all([
          queryClient.invalidateQueries(trpc.reminders.pathFilter()),
          queryClient.invalidateQueries(trpc.tasks.pathFilter()),
        ]);
      },
      onError: (error) => showError(error),
    }),
  );

  const data = upcoming.data;
  const days = data?.days ?? 30;
  const offsetText = (offset: number) =>
    offset < 0
      ? t('reminders.offset.before', { count: -offset })
      : offset > 0
        ? t('reminders.offset.after', { count: offset })
        : t('reminders.offset.same');
  const triggerText = (reminder: Reminder) =>
    reminder.trigger === 'holiday' && reminder.holiday
      ? t('reminders.trigger.holiday', { holiday: t(`reminders.holidays.${reminder.holiday}`) })
      : reminder.trigger === 'date_field'
        ? t('reminders.trigger.date_field', {
            field: reminder.fieldLabels?.[language] ?? reminder.field ?? '',
          })
        : t(`reminders.trigger.${reminder.trigger}`);
  const save = (reminder: Reminder, changes: { enabled?: boolean; offsetDays?: number }) =>
    configure.mutate({
      key: reminder.key,
      enabled: changes.enabled ?? reminder.enabled,
      offsetDays: changes.offsetDays ?? reminder.offsetDays,
    });
  const names = new Map((data?.reminders ?? []).map((reminder) => [reminder.key, reminder.labels[language]]));

  return (
    <Card
      title={t('reminders.title')}
      data-testid="reminders-card"
      extra={
        <Button
          icon={<ThunderboltOutlined />}
          loading={run.isPending}
          onClick={() => run.mutate()}
          data-testid="reminders-run"
        >
          {t('reminders.runNow')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('reminders.intro', { count: days })}</Typography.Paragraph>
      {!data ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : (
        <Flex vertical gap={16}>
          <Table<Reminder>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={data.reminders}
            data-testid="reminders-table"
            columns={[
              {
                key: 'name',
                title: t('reminders.columns.name'),
                render: (_, reminder) => (
                  <Space size={4} wrap>
                    <span>{reminder.labels[language]}</span>
                    <Tag color={reminder.origin === 'plugin' ? 'blue' : 'default'}>
                      {t(`reminders.origin.${reminder.origin}`)}
                    </Tag>
                  </Space>
                ),
              },
              {
                key: 'when',
                title: t('reminders.columns.when'),
                render: (_, reminder) =>
                  editing === reminder.key ? (
                    <Space size={4}>
                      <InputNumber
                        autoFocus
                        size="small"
                        min={-365}
                        max={365}
                        precision={0}
                        defaultValue={reminder.offsetDays}
                        aria-label={t('reminders.offsetDays')}
                        title={t('reminders.offsetHelp')}
                        data-testid={`reminder-offset-${reminder.key}`}
                        onPressEnter={(event) => {
                          const value = Number((event.target as HTMLInputElement).value);
                          if (Number.isInteger(value)) save(reminder, { offsetDays: value });
                        }}
                        onBlur={(event) => {
                          const value = Number(event.target.value);
                          if (Number.isInteger(value) && value !== reminder.offsetDays)
                            save(reminder, { offsetDays: value });
                          else setEditing(null);
                        }}
                      />
                    </Space>
                  ) : (
                    <Typography.Link onClick={() => setEditing(reminder.key)}>
                      {triggerText(reminder)} · {offsetText(reminder.offsetDays)}
                      {reminder.offsetDays !== reminder.defaultOffsetDays ? (
                        <Typography.Text type="secondary">
                          {' '}
                          ({t('reminders.defaultOffset', { value: offsetText(reminder.defaultOffsetDays) })})
                        </Typography.Text>
                      ) : null}
                    </Typography.Link>
                  ),
              },
              {
                key: 'audience',
                title: t('reminders.columns.audience'),
                render: (_, reminder) =>
                  reminder.tiers ? (
                    <Space size={[4, 4]} wrap>
                      {reminder.tiers.map((tier) => (
                        <Tag key={tier.key}>{tier.labels?.[language] ?? tier.key}</Tag>
                      ))}
                    </Space>
                  ) : (
                    t('reminders.everyone')
                  ),
              },
              {
                key: 'upcoming',
                title: t('reminders.columns.upcoming', { count: days }),
                width: 200,
                render: (_, reminder) =>
                  reminder.enabled ? (
                    <Space
                      size={4}
                      style={{ whiteSpace: 'nowrap' }}
                      data-testid={`reminder-upcoming-${reminder.key}`}
                    >
                      <Typography.Text strong>{reminder.upcoming}</Typography.Text>
                      {reminder.nextDueOn ? (
                        <Typography.Text type="secondary">
                          {t('reminders.nextDue', { date: formatDate(reminder.nextDueOn) })}
                        </Typography.Text>
                      ) : null}
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">—</Typography.Text>
                  ),
              },
              {
                key: 'enabled',
                title: t('reminders.columns.enabled'),
                width: 72,
                render: (_, reminder) => (
                  <Switch
                    size="small"
                    checked={reminder.enabled}
                    loading={configure.isPending && configure.variables?.key === reminder.key}
                    onChange={(enabled) => save(reminder, { enabled })}
                    aria-label={reminder.labels[language]}
                    data-testid={`reminder-enabled-${reminder.key}`}
                  />
                ),
              },
            ]}
          />
          <div>
            <Typography.Title level={5}>{t('reminders.upcomingTitle')}</Typography.Title>
            <Table
              rowKey={(item) => `${item.reminderKey}:${item.contactId ?? item.customerId}:${item.occasionOn}`}
              size="small"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={data.items}
              data-testid="reminders-upcoming"
              locale={{ emptyText: t('reminders.upcomingEmpty', { count: days }) }}
              columns={[
                { key: 'due', title: t('reminders.item.due'), render: (_, item) => formatDate(item.dueOn) },
                {
                  key: 'reminder',
                  title: t('reminders.item.reminder'),
                  render: (_, item) => names.get(item.reminderKey) ?? item.reminderKey,
                },
                {
                  key: 'customer',
                  title: t('reminders.item.customer'),
                  render: (_, item) =>
                    item.contactName ? `${item.customerName} · ${item.contactName}` : item.customerName,
                },
                {
                  key: 'occasion',
                  title: t('reminders.item.occasion'),
                  render: (_, item) => formatDate(item.occasionOn),
                },
                {
                  key: 'owner',
                  title: t('reminders.item.owner'),
                  render: (_, item) => item.ownerName ?? '—',
                },
              ]}
            />
          </div>
        </Flex>
      )}
    </Card>
  );
}
