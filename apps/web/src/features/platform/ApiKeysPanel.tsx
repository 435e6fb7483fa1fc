import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type ApiKey = RouterOutputs['apiKeys']['list'][number];
export type ApiScope = ApiKey['scopes'][number];

/** Every scope, in the order the form lists them (labels in platform.keys.scopeNames). */
export const API_SCOPE_LIST = [
  'customers:read',
  'customers:write',
  'orders:read',
  'orders:write',
  'interactions:read',
  'interactions:write',
  'tasks:read',
  'tasks:write',
  'tickets:read',
  'tickets:write',
  'leads:read',
  'leads:write',
  'opportunities:read',
  'opportunities:write',
  'surveys:read',
] as const satisfies readonly ApiScope[];

/** i18next reads `:` as its namespace separator: a scope's label key spells it `_`. */
type ScopeKey<S extends string> = S extends `${infer Resource}:${infer Access}`
  ? `${Resource}_${Access}`
  : never;
function scopeKey(scope: ApiScope) {
  return scope.replace(':', '_') as ScopeKey<ApiScope>;
}

const STATUS_COLOR = { active: 'success', expired: 'default', revoked: 'error' } as const;

type FormValues = {
  name: string;
  scopes: ApiScope[];
  ipAllowlist?: string;
  rateLimitPerMinute: number;
  expiresAt?: Dayjs | null;
};

/** 开放平台 → API 密钥: create (the token shown once), list with last use, revoke. */
export function ApiKeysPanel() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const [form] = Form.useForm<FormValues>();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });

  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (created) => {
        setCreating(false);
        form.resetFields();
        setToken(created.token);
        void refresh();
      },
      onError: (error) =>
        showError(error, { form, fields: ['name', 'scopes', 'rateLimitPerMinute', 'expiresAt'] }),
    }),
  );
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        void message.success(t('platform.keys.revoked'));
        void refresh();
      },
      onError: (error) => showError(error),
    }),
  );

  const columns: ColumnsType<ApiKey> = [
    {
      title: t('platform.keys.name'),
      dataIndex: 'name',
      render: (name: string, key) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{name}</Typography.Text>
          <Typography.Text type="secondary" code>
            {key.displayPrefix}
          </Typography.Text>
          {key.ipAllowlist.length > 0 && (
            <Typography.Text type="secondary">
              {t('platform.keys.ipAllowlistShown', { list: key.ipAllowlist.join(', ') })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('platform.keys.scopes'),
      dataIndex: 'scopes',
      render: (scopes: ApiScope[]) => (
        <Flex wrap gap={4}>
          {scopes.map((scope) => (
            <Tag key={scope}>{t(`platform.keys.scopeNames.${scopeKey(scope)}`)}</Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('platform.keys.rateLimit'), dataIndex: 'rateLimitPerMinute', width: 110 },
    {
      title: t('platform.keys.lastUsed'),
      key: 'lastUsed',
      render: (_, key) =>
        key.lastUsedAt ? (
          <Space direction="vertical" size={0}>
            <span>{formatDateTime(key.lastUsedAt)}</span>
            <Typography.Text type="secondary">{key.lastUsedIp}</Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('platform.keys.neverUsed')}</Typography.Text>
        ),
    },
    {
      title: t('platform.keys.expiresAt'),
      dataIndex: 'expiresAt',
      render: (value: string | null) => (value ? formatDateTime(value) : t('platform.keys.never')),
    },
    {
      title: t('platform.keys.createdBy'),
      key: 'createdBy',
      render: (_, key) => (
        <Space direction="vertical" size={0}>
          <span>{key.createdByName}</span>
          <Typography.Text type="secondary">{formatDateTime(key.createdAt)}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('platform.keys.status'),
      dataIndex: 'status',
      render: (status: ApiKey['status']) => (
        <Tag color={STATUS_COLOR[status]}>{t(`platform.keys.statuses.${status}`)}</Tag>
      ),
    },
    {
      key: 'actions',
      width: 90,
      render: (_, key) =>
        key.status === 'revoked' ? null : (
          <Popconfirm
            title={t('platform.keys.revokeConfirm')}
            onConfirm={() => revoke.mutate({ id: key.id })}
          >
            <Button danger type="link" size="small" data-testid="api-key-revoke">
              {t('platform.keys.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Typography.Text type="secondary">{t('platform.keys.intro')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="api-key-create"
        >
          {t('platform.keys.create')}
        </Button>
      </Flex>
      <Table
        rowKey="id"
        columns={columns}
        dataSource={keys.data ?? []}
        loading={keys.isLoading}
        pagination={false}
        locale={{ emptyText: t('platform.keys.empty') }}
        scroll={{ x: 900 }}
      />
      <Modal
        open={creating}
        title={t('platform.keys.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'api-key-submit' } as never}
        confirmLoading={create.isPending}
        destroyOnHidden
        width={640}
      >
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={{ scopes: ['customers:read'], rateLimitPerMinute: 600 }}
          onFinish={(values) =>
            create.mutate({
              name: values.name,
              scopes: values.scopes,
              rateLimitPerMinute: values.rateLimitPerMinute,
              ipAllowlist: (values.ipAllowlist ?? '')
                .split(/[\s,]+/)
                .map((rule) => rule.trim())
                .filter(Boolean),
              expiresAt: values.expiresAt ? values.expiresAt.toISOString() : null,
            })
          }
        >
          <Form.Item name="name" label={t('platform.keys.name')} rules={[{ required: true }]}>
            <Input
              placeholder={t('platform.keys.namePlaceholder')}
              maxLength={100}
              data-testid="api-key-name"
            />
          </Form.Item>
          <Form.Item name="scopes" label={t('platform.keys.scopes')} rules={[{ required: true }]}>
            <Checkbox.Group
              style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6 }}
              options={API_SCOPE_LIST.map((scope) => ({
                value: scope,
                label: (
                  <>
                    {t(`platform.keys.scopeNames.${scopeKey(scope)}`)}{' '}
                    {/* The scope as the API and docs/api.md spell it: an English identifier. */}
                    <code lang="en" translate="no" style={{ fontSize: 12, opacity: 0.65 }}>
                      {scope}
                    </code>
                  </>
                ),
              }))}
            />
          </Form.Item>
          <Form.Item name="ipAllowlist" label={t('platform.keys.ipAllowlist')}>
            <Input.TextArea rows={2} placeholder={t('platform.keys.ipPlaceholder')} />
          </Form.Item>
          <Flex gap={16}>
            <Form.Item name="rateLimitPerMinute" label={t('platform.keys.rateLimit')} style={{ flex: 1 }}>
              <InputNumber min={1} max={100000} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="expiresAt" label={t('platform.keys.expiresAt')} style={{ flex: 1 }}>
              <DatePicker showTime style={{ width: '100%' }} placeholder={t('platform.keys.never')} />
            </Form.Item>
          </Flex>
        </Form>
      </Modal>
      <Modal
        open={token !== null}
        // Removed from the page once closed: the secret must not stay in the DOM, hidden.
        destroyOnHidden
        title={t('platform.keys.createdTitle')}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setToken(null)} data-testid="api-key-done">
            {t('platform.keys.done')}
          </Button>
        }
      >
        <Alert
          type="warning"
          showIcon
          message={t('platform.keys.createdNotice')}
          style={{ marginBottom: 12 }}
        />
        <Typography.Paragraph
          code
          copyable={{ icon: [<CopyOutlined key="copy" />, <CopyOutlined key="copied" />], text: token ?? '' }}
          style={{ wordBreak: 'break-all' }}
          data-testid="api-key-token"
        >
          {token}
        </Typography.Paragraph>
      </Modal>
    </Flex>
  );
}
