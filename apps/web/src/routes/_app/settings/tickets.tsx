import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import { useLabelOf, useTicketSettings } from '../../../features/tickets/TicketCategoryLabel';
import { formatTarget } from '../../../features/tickets/ticket-meta';
import { TICKET_PRIORITIES, type TicketSettings, type TicketSlaPolicy } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/tickets')({
  component: TicketSettingsPage,
});

const ANY = '__any__';

/** 工单设置: the categories (the plugin's, switchable; the tenant's own) and the SLA policies per priority and tier. */
function TicketSettingsPage() {
  const { t } = useTranslation();
  const settings = useTicketSettings();
  const canConfigure = useCan('tickets.configure');
  return (
    <>
      <SettingsPageHeader title={t('tickets.settings.title')} subtitle={t('tickets.settings.description')} />
      {settings.data ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10}>
            <Categories settings={settings.data} editable={canConfigure} />
          </Col>
          <Col xs={24} xl={14}>
            <Policies settings={settings.data} editable={canConfigure} />
          </Col>
          {canConfigure ? (
            <Col xs={24}>
              <InboundEmail />
            </Col>
          ) : null}
        </Row>
      ) : (
        <Skeleton active />
      )}
    </>
  );
}

function useSaved() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { t } = useTranslation();
  return (next: TicketSettings, text = t('tickets.settings.saved')) => {
    queryClient.setQueryData(trpc.tickets.settings.queryKey(), next);
    void message.success(text);
  };
}

function Categories({ settings, editable }: { settings: TicketSettings; editable: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const showError = useShowError();
  const saved = useSaved();
  const [form] = Form.useForm<{ key: string; labelZh: string; labelEn: string }>();
  const [adding, setAdding] = useState(false);
  const hide = useMutation(
    trpc.tickets.hideCategory.mutationOptions({
      onSuccess: (next) => saved(next),
      onError: (e) => showError(e),
    }),
  );
  const save = useMutation(
    trpc.tickets.saveCategory.mutationOptions({
      onSuccess: (next) => {
        saved(next);
        setAdding(false);
      },
      onError: (error) => showError(error, { form, fields: ['key', 'labelZh', 'labelEn'] }),
    }),
  );
  return (
    <Card
      title={t('tickets.settings.categories')}
      data-testid="ticket-categories"
      extra={
        editable ? (
          <Button
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              setAdding(true);
            }}
            data-testid="ticket-category-add"
          >
            {t('tickets.settings.addCategory')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('tickets.settings.categoriesHint')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={settings.categories}
        columns={[
          {
            key: 'label',
            title: t('tickets.category'),
            render: (_, category) => (
              <Space size={4}>
                <Typography.Text delete={category.hidden}>{category.labelZh}</Typography.Text>
                <Typography.Text type="secondary">{category.labelEn}</Typography.Text>
              </Space>
            ),
          },
          {
            key: 'origin',
            title: '',
            render: (_, category) => (
              <Tag color={category.origin === 'plugin' ? 'blue' : 'green'}>
                {t(`tickets.settings.origin.${category.origin}`)}
              </Tag>
            ),
          },
          {
            key: 'on',
            title: '',
            align: 'right',
            render: (_, category) => (
              <Switch
                size="small"
                checked={!category.hidden}
                disabled={!editable}
                loading={hide.isPending && hide.variables?.key === category.key}
                checkedChildren={t('tickets.settings.enable')}
                unCheckedChildren={t('tickets.settings.disable')}
                onChange={(on) => hide.mutate({ key: category.key, hidden: !on })}
                aria-label={category.labelZh}
              />
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('tickets.settings.addCategory')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'ticket-category-save' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(values) => save.mutate(values)}>
          <Form.Item
            name="key"
            label={t('tickets.settings.categoryKey')}
            extra={t('tickets.settings.categoryKeyHelp')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^[a-z][a-z0-9_]{0,62}$/, message: t('tickets.settings.categoryKeyHelp') },
            ]}
          >
            <Input maxLength={63} data-testid="ticket-category-key" />
          </Form.Item>
          <Form.Item
            name="labelZh"
            label={t('tickets.settings.labelZh')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={60} data-testid="ticket-category-zh" />
          </Form.Item>
          <Form.Item
            name="labelEn"
            label={t('tickets.settings.labelEn')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={60} data-testid="ticket-category-en" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

type PolicyValues = {
  tier: string;
  priority: string;
  firstResponseHours: number;
  resolutionHours: number;
  mode: string;
};

function Policies({ settings, editable }: { settings: TicketSettings; editable: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const showError = useShowError();
  const saved = useSaved();
  const labelOf = useLabelOf();
  const [form] = Form.useForm<PolicyValues>();
  const [editing, setEditing] = useState<TicketSlaPolicy | 'new' | null>(null);
  const tierLabel = (key: string | null) => {
    if (key === null) return t('tickets.settings.anyTier');
    const tier = settings.tiers.find((item) => item.key === key);
    return tier ? labelOf(tier) : key;
  };
  useEffect(() => {
    if (editing === null) return;
    form.resetFields();
    if (editing === 'new') {
      form.setFieldsValue({
        tier: ANY,
        priority: ANY,
        firstResponseHours: 24,
        resolutionHours: 72,
        mode: ANY,
      });
    } else {
      form.setFieldsValue({
        tier: editing.tier ?? ANY,
        priority: editing.priority ?? ANY,
        firstResponseHours: editing.firstResponseMinutes / 60,
        resolutionHours: editing.resolutionMinutes / 60,
        mode: editing.mode ?? ANY,
      });
    }
  }, [editing, form]);
  const save = useMutation(
    trpc.tickets.saveSlaPolicy.mutationOptions({
      onSuccess: (next) => {
        saved(next);
        setEditing(null);
      },
      onError: (error) =>
        showError(error, {
          form,
          fields: ['tier', 'priority', 'firstResponseHours', 'resolutionHours', 'mode'],
          mapPath: (path) =>
            path === 'firstResponseMinutes'
              ? 'firstResponseHours'
              : path === 'resolutionMinutes'
                ? 'resolutionHours'
                : path,
        }),
    }),
  );
  const remove = useMutation(
    trpc.tickets.deleteSlaPolicy.mutationOptions({
      onSuccess: (next) => saved(next, t('tickets.settings.deleted')),
      onError: (error) => showError(error),
    }),
  );
  const submit = (values: PolicyValues) =>
    save.mutate({
      ...(editing !== 'new' && editing?.id ? { id: editing.id } : {}),
      tier: values.tier === ANY ? null : values.tier,
      priority: values.priority === ANY ? null : (values.priority as TicketSlaPolicy['priority']),
      firstResponseMinutes: Math.round(values.firstResponseHours * 60),
      resolutionMinutes: Math.round(values.resolutionHours * 60),
      mode: values.mode === ANY ? null : (values.mode as 'business' | 'calendar'),
    });
  const modeLabel = (mode: string) => t(`tickets.detail.mode.${mode as 'business'}`);
  return (
    <Card
      title={t('tickets.settings.policies')}
      data-testid="ticket-policies"
      extra={
        editable ? (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="ticket-policy-add">
            {t('tickets.settings.addPolicy')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('tickets.settings.policiesHint')}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('tickets.settings.escalation', {
          warn: settings.warnAtPercent,
          escalate: settings.escalateAtPercent,
        })}
      </Typography.Paragraph>
      <Table<TicketSlaPolicy>
        size="small"
        rowKey={(policy) => policy.id ?? `${policy.origin}:${policy.tier}:${policy.priority}`}
        pagination={false}
        dataSource={settings.policies}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'tier', title: t('tickets.settings.tier'), render: (_, policy) => tierLabel(policy.tier) },
          {
            key: 'priority',
            title: t('tickets.priority'),
            render: (_, policy) =>
              policy.priority
                ? t(`tickets.priorities.${policy.priority}`)
                : t('tickets.settings.anyPriority'),
          },
          {
            key: 'first',
            title: t('tickets.slaClock.first_response'),
            render: (_, policy) => formatTarget(t, policy.firstResponseMinutes),
          },
          {
            key: 'resolution',
            title: t('tickets.slaClock.resolution'),
            render: (_, policy) => formatTarget(t, policy.resolutionMinutes),
          },
          {
            key: 'mode',
            title: t('tickets.settings.mode'),
            render: (_, policy) => modeLabel(policy.mode ?? settings.defaultMode),
          },
          {
            key: 'origin',
            title: '',
            render: (_, policy) => (
              <Tag
                color={policy.origin === 'tenant' ? 'green' : policy.origin === 'plugin' ? 'blue' : 'default'}
              >
                {t(`tickets.settings.origin.${policy.origin}`)}
              </Tag>
            ),
          },
          {
            key: 'actions',
            title: '',
            align: 'right',
            render: (_, policy) =>
              editable && policy.id ? (
                <Flex gap={4} justify="flex-end">
                  <Button
                    size="small"
                    type="text"
                    icon={<EditOutlined />}
                    aria-label={t('tickets.settings.editPolicy')}
                    onClick={() => setEditing(policy)}
                  />
                  <Popconfirm
                    title={t('tickets.settings.deleteConfirm')}
                    okText={t('tickets.settings.delete')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => policy.id && remove.mutate({ id: policy.id })}
                  >
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('tickets.settings.delete')}
                    />
                  </Popconfirm>
                </Flex>
              ) : null,
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('tickets.settings.addPolicy') : t('tickets.settings.editPolicy')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'ticket-policy-save' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="tier" label={t('tickets.settings.tier')}>
                <Select
                  data-testid="ticket-policy-tier"
                  options={[
                    { value: ANY, label: t('tickets.settings.anyTier') },
                    ...settings.tiers.map((tier) => ({ value: tier.key, label: labelOf(tier) })),
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="priority" label={t('tickets.priority')}>
                <Select
                  data-testid="ticket-policy-priority"
                  options={[
                    { value: ANY, label: t('tickets.settings.anyPriority') },
                    ...TICKET_PRIORITIES.map((priority) => ({
                      value: priority,
                      label: t(`tickets.priorities.${priority}`),
                    })),
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="firstResponseHours"
                label={t('tickets.settings.firstResponse')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <InputNumber
                  min={0.25}
                  max={8760}
                  step={0.5}
                  style={{ width: '100%' }}
                  data-testid="ticket-policy-first"
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="resolutionHours"
                label={t('tickets.settings.resolution')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <InputNumber
                  min={0.25}
                  max={8760}
                  step={1}
                  style={{ width: '100%' }}
                  data-testid="ticket-policy-resolution"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="mode" label={t('tickets.settings.mode')}>
            <Select
              options={[
                {
                  value: ANY,
                  label: t('tickets.settings.defaultMode', { mode: modeLabel(settings.defaultMode) }),
                },
                { value: 'business', label: modeLabel('business') },
                { value: 'calendar', label: modeLabel('calendar') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/**
 * 邮件转工单: the tenant's inbound address (the URL a mail gateway posts each email to) and its
 * signing secret — made or replaced here, the secret shown once — and what arrived lately.
 */
function InboundEmail() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const inbound = useQuery(trpc.tickets.inboundEmail.queryOptions());
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.tickets.rotateInboundEmail.mutationOptions({
      onSuccess: ({ secret: next, ...settings }) => {
        queryClient.setQueryData(trpc.tickets.inboundEmail.queryKey(), settings);
        setSecret(next);
      },
      onError: (e) => showError(e),
    }),
  );
  const data = inbound.data;
  return (
    <Card
      title={t('tickets.inbound.title')}
      data-testid="ticket-inbound-email"
      extra={
        data ? (
          <Popconfirm
            title={data.enabled ? t('tickets.inbound.rotateConfirm') : t('tickets.inbound.createConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => rotate.mutate()}
          >
            <Button loading={rotate.isPending} data-testid="ticket-inbound-rotate">
              {data.enabled ? t('tickets.inbound.rotate') : t('tickets.inbound.create')}
            </Button>
          </Popconfirm>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('tickets.inbound.hint')}</Typography.Paragraph>
      {!data ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          {data.address ? (
            <div>
              <Typography.Text strong>{t('tickets.inbound.address')}</Typography.Text>
              <Typography.Paragraph
                copyable
                data-testid="ticket-inbound-address"
                style={{ fontFamily: 'monospace', wordBreak: 'break-all', marginBottom: 4 }}
              >
                {data.address}
              </Typography.Paragraph>
              <Typography.Text type="secondary">
                {t('tickets.inbound.rotatedAt', {
                  at: formatDateTime(data.rotatedAt),
                  name: data.rotatedByName ?? t('tickets.events.system'),
                })}
              </Typography.Text>
            </div>
          ) : (
            <Typography.Text data-testid="ticket-inbound-off">{t('tickets.inbound.off')}</Typography.Text>
          )}
          {secret ? (
            <div data-testid="ticket-inbound-secret">
              <Typography.Text strong>{t('tickets.inbound.secret')}</Typography.Text>
              <Typography.Paragraph
                copyable
                style={{ fontFamily: 'monospace', wordBreak: 'break-all', marginBottom: 4 }}
              >
                {secret}
              </Typography.Paragraph>
              <Typography.Text type="warning">{t('tickets.inbound.secretOnce')}</Typography.Text>
            </div>
          ) : null}
          <Typography.Text type="secondary">{t('tickets.inbound.signing')}</Typography.Text>
          <Table
            size="small"
            rowKey="messageId"
            pagination={false}
            data-testid="ticket-inbound-messages"
            dataSource={data.messages}
            locale={{ emptyText: t('tickets.inbound.noMessages') }}
            columns={[
              {
                key: 'at',
                title: t('tickets.inbound.receivedAt'),
                render: (_, message) => formatDateTime(message.receivedAt),
              },
              { key: 'from', title: t('tickets.inbound.from'), dataIndex: 'fromAddress' },
              { key: 'subject', title: t('tickets.inbound.subject'), dataIndex: 'subject', ellipsis: true },
              {
                key: 'outcome',
                title: t('tickets.inbound.outcome'),
                render: (_, message) =>
                  message.ticketId && message.ticketNumber !== null ? (
                    <Link to="/tickets/$ticketId" params={{ ticketId: message.ticketId }}>
                      {t(
                        `tickets.inbound.outcomes.${message.outcome === 'threaded' ? 'threaded' : 'created'}`,
                        {
                          number: message.ticketNumber,
                        },
                      )}
                    </Link>
                  ) : (
                    <Tag color="orange">{t('tickets.inbound.outcomes.unmatched')}</Tag>
                  ),
              },
            ]}
          />
        </Flex>
      )}
    </Card>
  );
}
