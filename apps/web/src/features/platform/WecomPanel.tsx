import { WECOM_EVENTS } from '@crm/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Flex, Form, Input, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Settings = RouterOutputs['wecom']['settings'];
type Binding = RouterOutputs['wecom']['bindings'][number];
type Message = RouterOutputs['wecom']['messages'][number];
type FormValues = { robotUrl?: string; enabled: boolean; events: Settings['events'] };

const MESSAGE_COLOR = { pending: 'processing', sent: 'success', failed: 'error' } as const;

/** 开放平台 → 企业微信: the group robot, its per-event switches, members' WeCom ids, recent posts. */
export function WecomPanel() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const settings = useQuery(trpc.wecom.settings.queryOptions());
  const bindings = useQuery(trpc.wecom.bindings.queryOptions());
  const messages = useQuery(trpc.wecom.messages.queryOptions());
  const [replacing, setReplacing] = useState(false);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.wecom.pathKey() });

  const save = useMutation(
    trpc.wecom.saveSettings.mutationOptions({
      onSuccess: () => {
        void message.success(t('platform.wecom.saved'));
        setReplacing(false);
        form.setFieldValue('robotUrl', undefined);
        void invalidate();
      },
      onError: (error) => showError(error, { form, fields: ['robotUrl', 'events'] }),
    }),
  );
  const test = useMutation(
    trpc.wecom.sendTest.mutationOptions({
      onSuccess: () => {
        void message.success(t('platform.wecom.testSent'));
        void invalidate();
      },
      onError: (error) => showError(error),
    }),
  );
  const bind = useMutation(
    trpc.wecom.saveBinding.mutationOptions({
      onSuccess: () => {
        void message.success(t('platform.wecom.bindingSaved'));
        void invalidate();
      },
      onError: (error) => showError(error),
    }),
  );

  if (!settings.data) return null;
  const connected = settings.data.connected;
  const showUrl = !connected || replacing;

  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary">{t('platform.wecom.intro')}</Typography.Text>
      <Card>
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={{ enabled: settings.data.enabled, events: settings.data.events }}
          onFinish={(values) =>
            save.mutate({
              ...(values.robotUrl ? { robotUrl: values.robotUrl } : {}),
              enabled: values.enabled,
              events: values.events ?? [],
            })
          }
        >
          <Form.Item label={t('platform.wecom.robotUrl')}>
            <Flex gap={8} align="center" wrap>
              {connected ? (
                <Tag color="success">
                  {t('platform.wecom.connected', { hint: settings.data.robotUrlHint ?? '' })}
                </Tag>
              ) : (
                <Tag>{t('platform.wecom.notConnected')}</Tag>
              )}
              {connected && !replacing ? (
                <>
                  <Button size="small" onClick={() => setReplacing(true)}>
                    {t('platform.wecom.replaceUrl')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      save.mutate({
                        robotUrl: null,
                        enabled: false,
                        events: form.getFieldValue('events') ?? [],
                      })
                    }
                  >
                    {t('platform.wecom.disconnect')}
                  </Button>
                </>
              ) : null}
            </Flex>
          </Form.Item>
          {showUrl ? (
            <Form.Item name="robotUrl" rules={connected ? [] : [{ required: true }]}>
              <Input placeholder={t('platform.wecom.robotUrlPlaceholder')} />
            </Form.Item>
          ) : null}
          <Form.Item name="enabled" label={t('platform.wecom.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="events" label={t('platform.wecom.events')}>
            <Checkbox.Group
              style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 6 }}
              options={WECOM_EVENTS.map((event) => ({
                value: event,
                label: t(`platform.wecom.eventNames.${event}`),
              }))}
            />
          </Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('platform.wecom.save')}
            </Button>
            <Button disabled={!connected} onClick={() => test.mutate()} loading={test.isPending}>
              {t('platform.wecom.test')}
            </Button>
          </Flex>
        </Form>
      </Card>
      <Card title={t('platform.wecom.bindings')}>
        <Typography.Paragraph type="secondary">{t('platform.wecom.bindingsIntro')}</Typography.Paragraph>
        <Table<Binding>
          rowKey="userId"
          size="small"
          pagination={false}
          loading={bindings.isLoading}
          dataSource={bindings.data ?? []}
          columns={[
            {
              title: t('platform.wecom.member'),
              key: 'member',
              render: (_, row) => (
                <span>
                  {row.name} <Typography.Text type="secondary">{row.email}</Typography.Text>
                </span>
              ),
            },
            {
              title: t('platform.wecom.wecomUserId'),
              key: 'wecom',
              width: 260,
              render: (_, row) => (
                <Input
                  size="small"
                  defaultValue={row.wecomUserId ?? ''}
                  placeholder="ZhangWei"
                  onBlur={(event) => {
                    const value = event.target.value.trim();
                    if (value === (row.wecomUserId ?? '')) return;
                    bind.mutate({ userId: row.userId, wecomUserId: value || null });
                  }}
                />
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('platform.wecom.messages')}>
        <Table<Message>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={messages.data ?? []}
          locale={{ emptyText: t('platform.wecom.noMessages') }}
          columns={[
            {
              title: t('platform.webhooks.createdAt'),
              dataIndex: 'createdAt',
              width: 150,
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('platform.webhooks.status'),
              dataIndex: 'status',
              width: 100,
              render: (status: Message['status']) => (
                <Tag color={MESSAGE_COLOR[status]}>{t(`platform.wecom.messageStatuses.${status}`)}</Tag>
              ),
            },
            {
              title: t('platform.wecom.events'),
              key: 'text',
              render: (_, row) => (
                <Flex vertical>
                  <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>
                    {row.markdown.replaceAll('**', '').replace(/^> /gm, '')}
                  </Typography.Text>
                  {row.lastError ? <Typography.Text type="danger">{row.lastError}</Typography.Text> : null}
                </Flex>
              ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
