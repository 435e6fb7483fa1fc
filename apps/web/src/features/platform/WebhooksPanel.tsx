import { PlusOutlined } from '@ant-design/icons';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS, type WebhookEventType } from '@crm/domain';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Endpoint = RouterOutputs['webhooks']['list'][number];
type Delivery = RouterOutputs['webhooks']['deliveries']['items'][number];
type FormValues = { url: string; description?: string; events: string[] };

const DELIVERY_COLOR = { pending: 'processing', succeeded: 'success', failed: 'error' } as const;

/**
 * An event type's name and when it is sent, in the page's language (the one catalogue,
 * `WEBHOOK_EVENTS` of @crm/domain, which the API document and docs/api.md also follow).
 */
function useEventInfo() {
  const { i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (type: string) => {
    const info = WEBHOOK_EVENTS[type as WebhookEventType] as
      | (typeof WEBHOOK_EVENTS)[WebhookEventType]
      | undefined;
    return info
      ? { label: info.label[language], description: info.description[language] }
      : // A type this page does not know yet (a newer server): its code is all there is to show.
        { label: type, description: '' };
  };
}

/** 开放平台 → Webhook: endpoints, their secrets (shown once), test, rotate, enable, the delivery log. */
export function WebhooksPanel() {
  const { t } = useTranslation();
  const eventInfo = useEventInfo();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Endpoint | null>(null);
  const [form] = Form.useForm<FormValues>();
  const endpoints = useQuery(trpc.webhooks.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
  const onError = (error: unknown) => showError(error);

  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (created) => {
        setCreating(false);
        form.resetFields();
        setSecret(created.secret);
        void refresh();
      },
      onError: (error) => showError(error, { form, fields: ['url', 'description', 'events'] }),
    }),
  );
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({ onSuccess: () => void refresh(), onError }),
  );
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: (rotated) => {
        setSecret(rotated.secret);
        void refresh();
      },
      onError,
    }),
  );
  const test = useMutation(
    trpc.webhooks.sendTest.mutationOptions({
      onSuccess: () => void message.success(t('platform.webhooks.testSent')),
      onError,
    }),
  );
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: () => {
        void message.success(t('platform.webhooks.deleted'));
        void refresh();
      },
      onError,
    }),
  );

  const columns: ColumnsType<Endpoint> = [
    {
      title: t('platform.webhooks.url'),
      dataIndex: 'url',
      render: (url: string, endpoint) => (
        <Space direction="vertical" size={0}>
          <Typography.Text code style={{ wordBreak: 'break-all' }}>
            {url}
          </Typography.Text>
          {endpoint.description ? (
            <Typography.Text type="secondary">{endpoint.description}</Typography.Text>
          ) : null}
          {endpoint.previousSecretExpiresAt ? (
            <Typography.Text type="secondary">
              {t('platform.webhooks.rotationUntil', {
                date: formatDateTime(endpoint.previousSecretExpiresAt),
              })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('platform.webhooks.events'),
      dataIndex: 'events',
      render: (events: string[]) => (
        <Flex wrap gap={4}>
          {events.map((event) => {
            const info = eventInfo(event);
            return (
              <Tooltip key={event} title={info.description}>
                <Tag>{info.label}</Tag>
              </Tooltip>
            );
          })}
        </Flex>
      ),
    },
    {
      title: t('platform.webhooks.status'),
      key: 'status',
      render: (_, endpoint) => (
        <Space direction="vertical" size={2}>
          <Tag color={endpoint.status === 'active' ? 'success' : 'error'}>
            {t(`platform.webhooks.statuses.${endpoint.status}`)}
          </Tag>
          {endpoint.disabledReason ? (
            <Typography.Text type="secondary">
              {t(`platform.webhooks.disabledReasons.${endpoint.disabledReason}`)}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('platform.webhooks.last24h'),
      key: 'stats',
      render: (_, endpoint) => t('platform.webhooks.stats', endpoint.stats),
    },
    {
      key: 'actions',
      width: 260,
      render: (_, endpoint) => (
        <Flex wrap gap={4}>
          <Button size="small" onClick={() => setLogOf(endpoint)} data-testid="webhook-deliveries">
            {t('platform.webhooks.deliveries')}
          </Button>
          <Button
            size="small"
            disabled={endpoint.status !== 'active'}
            onClick={() => test.mutate({ id: endpoint.id })}
            data-testid="webhook-test"
          >
            {t('platform.webhooks.test')}
          </Button>
          <Button
            size="small"
            onClick={() => update.mutate({ id: endpoint.id, enabled: endpoint.status !== 'active' })}
          >
            {endpoint.status === 'active' ? t('platform.webhooks.disable') : t('platform.webhooks.enable')}
          </Button>
          <Popconfirm
            title={t('platform.webhooks.rotateConfirm')}
            onConfirm={() => rotate.mutate({ id: endpoint.id })}
          >
            <Button size="small">{t('platform.webhooks.rotate')}</Button>
          </Popconfirm>
          <Popconfirm
            title={t('platform.webhooks.deleteConfirm')}
            onConfirm={() => remove.mutate({ id: endpoint.id })}
          >
            <Button size="small" danger>
              {t('platform.webhooks.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Typography.Text type="secondary">{t('platform.webhooks.intro')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="webhook-create"
        >
          {t('platform.webhooks.create')}
        </Button>
      </Flex>
      <Table
        rowKey="id"
        columns={columns}
        dataSource={endpoints.data ?? []}
        loading={endpoints.isLoading}
        pagination={false}
        locale={{ emptyText: t('platform.webhooks.empty') }}
        scroll={{ x: 900 }}
      />
      <Modal
        open={creating}
        title={t('platform.webhooks.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'webhook-submit' } as never}
        confirmLoading={create.isPending}
        destroyOnHidden
        width={640}
      >
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={{ events: ['customer.created'] }}
          onFinish={(values) =>
            create.mutate({
              url: values.url,
              description: values.description || null,
              events: values.events as (typeof WEBHOOK_EVENT_TYPES)[number][],
            })
          }
        >
          <Form.Item name="url" label={t('platform.webhooks.url')} rules={[{ required: true }]}>
            <Input placeholder={t('platform.webhooks.urlPlaceholder')} data-testid="webhook-url" />
          </Form.Item>
          <Form.Item name="description" label={t('platform.webhooks.description')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="events" label={t('platform.webhooks.events')} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              data-testid="webhook-events"
              listHeight={360}
              optionFilterProp="search"
              optionRender={(option) => (
                <Flex vertical>
                  <Typography.Text>{option.label}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'normal' }}>
                    {eventInfo(String(option.value)).description}
                  </Typography.Text>
                </Flex>
              )}
              options={WEBHOOK_EVENT_TYPES.map((event) => {
                const info = eventInfo(event);
                return { value: event, label: info.label, search: `${info.label} ${event}` };
              })}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={secret !== null}
        // Removed from the page once closed: the secret must not stay in the DOM, hidden.
        destroyOnHidden
        title={t('platform.webhooks.secretTitle')}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setSecret(null)} data-testid="webhook-secret-done">
            {t('platform.keys.done')}
          </Button>
        }
      >
        <Alert
          type="warning"
          showIcon
          message={t('platform.webhooks.secretNotice')}
          style={{ marginBottom: 12 }}
        />
        <Typography.Paragraph
          code
          copyable={{ text: secret ?? '' }}
          style={{ wordBreak: 'break-all' }}
          data-testid="webhook-secret"
        >
          {secret}
        </Typography.Paragraph>
      </Modal>
      <Drawer
        open={logOf !== null}
        onClose={() => setLogOf(null)}
        width={760}
        title={`${t('platform.webhooks.deliveries')} · ${logOf?.url ?? ''}`}
        destroyOnHidden
      >
        {logOf ? <DeliveryLog endpointId={logOf.id} /> : null}
      </Drawer>
    </Flex>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const eventInfo = useEventInfo();
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const deliveries = useInfiniteQuery({
    queryKey: [...trpc.webhooks.deliveries.queryKey(), endpointId],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      queryClient.fetchQuery(
        trpc.webhooks.deliveries.queryOptions({
          endpointId,
          limit: 20,
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
      ),
    getNextPageParam: (page) => page.nextCursor,
  });
  const redeliver = useMutation(
    trpc.webhooks.redeliver.mutationOptions({
      onSuccess: () => {
        void message.success(t('platform.webhooks.redelivered'));
        void queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey() });
      },
      onError: (error) => showError(error),
    }),
  );
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  if (!deliveries.isLoading && items.length === 0)
    return <Empty description={t('platform.webhooks.noDeliveries')} />;
  return (
    <Flex vertical gap={12}>
      {items.map((delivery: Delivery) => (
        <Card
          key={delivery.id}
          size="small"
          title={
            <Space>
              <Tag color={DELIVERY_COLOR[delivery.status]}>
                {t(`platform.webhooks.deliveryStatuses.${delivery.status}`)}
              </Tag>
              <Tooltip title={eventInfo(delivery.eventType).description}>
                <Typography.Text>{eventInfo(delivery.eventType).label}</Typography.Text>
              </Tooltip>
              <Typography.Text type="secondary">{formatDateTime(delivery.createdAt)}</Typography.Text>
            </Space>
          }
          extra={
            <Button size="small" onClick={() => redeliver.mutate({ id: delivery.id })}>
              {t('platform.webhooks.redeliver')}
            </Button>
          }
        >
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'attempts', label: t('platform.webhooks.attempts'), children: delivery.attempts },
              {
                key: 'next',
                label: t('platform.webhooks.nextAttempt'),
                children: delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : '—',
              },
            ]}
          />
          <Table
            size="small"
            rowKey={(row) => `${row.attempt}-${row.attemptedAt}`}
            pagination={false}
            dataSource={delivery.log}
            columns={[
              {
                title: t('platform.webhooks.createdAt'),
                dataIndex: 'attemptedAt',
                render: (v: string) => formatDateTime(v),
              },
              {
                title: t('platform.webhooks.lastStatus'),
                key: 'status',
                render: (_, row) =>
                  row.statusCode ? (
                    <Tag>{row.statusCode}</Tag>
                  ) : (
                    <Typography.Text type="danger">{row.error}</Typography.Text>
                  ),
              },
              {
                title: t('platform.webhooks.latency'),
                dataIndex: 'latencyMs',
                render: (v: number) => t('platform.webhooks.latencyValue', { ms: v }),
              },
              {
                title: t('platform.webhooks.response'),
                dataIndex: 'responseExcerpt',
                render: (v: string | null) => (
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>
                    {v}
                  </Typography.Text>
                ),
              },
            ]}
          />
          <details style={{ marginTop: 8 }}>
            <summary>{t('platform.webhooks.payload')}</summary>
            {/* What the receiver got: the webhook-id header (the same on every retry) and the body. */}
            <Typography.Paragraph style={{ margin: '8px 0 0', fontSize: 12 }}>
              <code lang="en" translate="no">
                webhook-id: {delivery.eventId}
              </code>
            </Typography.Paragraph>
            <pre style={{ fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {JSON.stringify(delivery.payload, null, 2)}
            </pre>
          </details>
        </Card>
      ))}
      {deliveries.hasNextPage ? (
        <Button onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
          {t('platform.webhooks.loadMore')}
        </Button>
      ) : null}
    </Flex>
  );
}
