import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Result,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import type { RouterOutputs } from '../../../lib/api-types';
import { oneOf, searchOf } from '../../../lib/search-params';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

const search = searchOf({ tab: oneOf(['lead', 'customer']) });

export const Route = createFileRoute('/_app/settings/assignment')({
  validateSearch: search,
  component: AssignmentSettingsPage,
});

type Entity = 'lead' | 'customer';
type Rule = RouterOutputs['assignment']['rules'][number];
const METHODS = ['round_robin', 'load', 'member', 'manual'] as const;
type Method = (typeof METHODS)[number];
const SOURCES = ['web_form', 'import', 'manual', 'api', 'event', 'referral'] as const;
type Source = (typeof SOURCES)[number];

/** 设置 → 分配规则: ordered rules per list; the first that matches a record without an owner decides. */
function AssignmentSettingsPage() {
  const { t } = useTranslation();
  const allowed = useCan('pool.configure');
  const { tab } = Route.useSearch();
  const navigate = Route.useNavigate();
  if (!allowed) return <Result status="403" subTitle={t('assignmentSettings.noPermission')} />;
  return (
    <>
      <SettingsPageHeader title={t('assignmentSettings.title')} subtitle={t('assignmentSettings.subtitle')} />
      <Tabs
        activeKey={tab ?? 'lead'}
        onChange={(key) => void navigate({ search: { tab: key as Entity } })}
        items={(['lead', 'customer'] as const).map((entity) => ({
          key: entity,
          label: t(`assignmentSettings.tabs.${entity}`),
          children: (
            <Flex vertical gap={16}>
              <RulesTable entity={entity} />
              <PreviewCard entity={entity} />
            </Flex>
          ),
        }))}
      />
    </>
  );
}

function RulesTable({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const rules = useQuery(trpc.assignment.rules.queryOptions({ entity }));
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.assignment.rules.pathFilter());
  const move = useMutation(
    trpc.assignment.moveRule.mutationOptions({
      onSuccess: (list) => queryClient.setQueryData(trpc.assignment.rules.queryKey({ entity }), list),
      onError: (error) => showError(error),
    }),
  );
  const remove = useMutation(
    trpc.assignment.deleteRule.mutationOptions({
      onSuccess: () => refresh(),
      onError: (error) => showError(error),
    }),
  );
  const toggle = useMutation(
    trpc.assignment.saveRule.mutationOptions({
      onSuccess: () => refresh(),
      onError: (error) => showError(error),
    }),
  );
  const list = rules.data ?? [];
  const conditions = (rule: Rule) => {
    const parts = [
      ...rule.regions,
      ...rule.industries,
      ...rule.sources.map((source) => t(`assignmentSettings.sources.${source}`)),
    ];
    return parts.length === 0 ? (
      <Typography.Text type="secondary">{t('assignmentSettings.anyCondition')}</Typography.Text>
    ) : (
      <Flex wrap gap={4}>
        {parts.map((part) => (
          <Tag key={part}>{part}</Tag>
        ))}
      </Flex>
    );
  };
  const columns: ColumnsType<Rule> = [
    {
      key: 'order',
      title: t('assignmentSettings.columns.order'),
      width: 110,
      render: (_: unknown, rule, index) => (
        <Space size={2}>
          <Typography.Text>{index + 1}</Typography.Text>
          <Button
            size="small"
            type="text"
            icon={<ArrowUpOutlined />}
            aria-label={t('assignmentSettings.moveUp')}
            disabled={index === 0}
            onClick={() => move.mutate({ id: rule.id, direction: 'up' })}
          />
          <Button
            size="small"
            type="text"
            icon={<ArrowDownOutlined />}
            aria-label={t('assignmentSettings.moveDown')}
            disabled={index === list.length - 1}
            onClick={() => move.mutate({ id: rule.id, direction: 'down' })}
          />
        </Space>
      ),
    },
    { key: 'name', dataIndex: 'name', title: t('assignmentSettings.columns.name'), ellipsis: true },
    {
      key: 'conditions',
      title: t('assignmentSettings.columns.conditions'),
      render: (_: unknown, rule) => conditions(rule),
    },
    {
      key: 'method',
      title: t('assignmentSettings.columns.method'),
      render: (_: unknown, rule) => <Tag color="blue">{t(`assignmentSettings.methods.${rule.method}`)}</Tag>,
    },
    {
      key: 'to',
      title: t('assignmentSettings.columns.to'),
      render: (_: unknown, rule) => (
        <Space direction="vertical" size={0}>
          <Typography.Text>
            {rule.members.length > 0
              ? rule.members.map((member) => member.name).join('、')
              : (rule.teamName ?? t('assignmentSettings.everyRep'))}
          </Typography.Text>
          {rule.method !== 'manual' ? (
            <Typography.Text type="secondary">
              {t('assignmentSettings.candidates', { count: rule.candidateCount })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      key: 'enabled',
      title: t('assignmentSettings.columns.enabled'),
      width: 70,
      render: (_: unknown, rule) => (
        <Switch
          size="small"
          checked={rule.enabled}
          onChange={(enabled) =>
            toggle.mutate({
              id: rule.id,
              entity,
              name: rule.name,
              enabled,
              regions: rule.regions,
              industries: rule.industries,
              sources: rule.sources,
              method: rule.method,
              teamId: rule.teamId,
              memberIds: rule.members.map((member) => member.userId),
            })
          }
        />
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 150,
      render: (_: unknown, rule) => (
        <Flex gap={4}>
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(rule)}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('assignmentSettings.deleteConfirm', { name: rule.name })}
            onConfirm={() => remove.mutate({ id: rule.id })}
          >
            <Button
              size="small"
              type="link"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('common.delete')}
            />
          </Popconfirm>
        </Flex>
      ),
    },
  ];
  return (
    <Card
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="assignment-rule-add"
          onClick={() => setEditing('new')}
        >
          {t('assignmentSettings.add')}
        </Button>
      }
      title={t(`assignmentSettings.tabs.${entity}`)}
      styles={{ body: { padding: 0 } }}
    >
      <Table<Rule>
        rowKey="id"
        size="middle"
        loading={rules.isLoading}
        columns={columns}
        dataSource={list}
        pagination={false}
        locale={{ emptyText: <Empty description={t('assignmentSettings.empty')} /> }}
      />
      {editing ? (
        <RuleModal
          entity={entity}
          rule={editing === 'new' ? null : editing}
          onClose={() => {
            setEditing(null);
            void refresh();
          }}
        />
      ) : null}
    </Card>
  );
}

type RuleForm = {
  name: string;
  enabled: boolean;
  regions: string[];
  industries: string[];
  sources: Source[];
  method: Method;
  teamId: string | null;
  memberIds: string[];
};

function RuleModal(props: { entity: Entity; rule: Rule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const showError = useShowError();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleForm>();
  const teams = useQuery(trpc.teams.list.queryOptions());
  const members = useQuery(trpc.members.list.queryOptions());
  const method = Form.useWatch('method', form) ?? props.rule?.method ?? 'round_robin';
  const save = useMutation(
    trpc.assignment.saveRule.mutationOptions({
      onSuccess: () => {
        void message.success(t('poolSettings.saved'));
        props.onClose();
      },
      onError: (error) => showError(error, { form }),
    }),
  );
  const rule = props.rule;
  return (
    <Modal
      open
      width={640}
      title={rule ? t('assignmentSettings.editTitle') : t('assignmentSettings.createTitle')}
      okButtonProps={{ loading: save.isPending }}
      onOk={() => form.submit()}
      onCancel={props.onClose}
    >
      <Form<RuleForm>
        form={form}
        layout="vertical"
        initialValues={{
          name: rule?.name ?? '',
          enabled: rule?.enabled ?? true,
          regions: rule?.regions ?? [],
          industries: rule?.industries ?? [],
          sources: rule?.sources ?? [],
          method: rule?.method ?? 'round_robin',
          teamId: rule?.teamId ?? null,
          memberIds: rule?.members.map((member) => member.userId) ?? [],
        }}
        onFinish={(values) =>
          save.mutate({
            ...(rule ? { id: rule.id } : {}),
            entity: props.entity,
            name: values.name,
            enabled: values.enabled,
            regions: values.regions,
            industries: values.industries,
            sources: props.entity === 'lead' ? values.sources : [],
            method: values.method,
            teamId: values.teamId ?? null,
            memberIds: values.method === 'manual' ? [] : values.memberIds,
          })
        }
      >
        <Form.Item
          name="name"
          label={t('assignmentSettings.fields.name')}
          rules={[{ required: true, max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Typography.Paragraph type="secondary">
          {t('assignmentSettings.fields.conditionsHelp')}
        </Typography.Paragraph>
        <Flex gap={12} wrap>
          <Form.Item
            name="regions"
            label={t('assignmentSettings.fields.regions')}
            style={{ flex: 1, minWidth: 180 }}
          >
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
          <Form.Item
            name="industries"
            label={t('assignmentSettings.fields.industries')}
            style={{ flex: 1, minWidth: 180 }}
          >
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
        </Flex>
        {props.entity === 'lead' ? (
          <Form.Item name="sources" label={t('assignmentSettings.fields.sources')}>
            <Select
              mode="multiple"
              options={SOURCES.map((source) => ({
                value: source,
                label: t(`assignmentSettings.sources.${source}`),
              }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="method" label={t('assignmentSettings.fields.method')}>
          <Select
            options={METHODS.map((value) => ({ value, label: t(`assignmentSettings.methods.${value}`) }))}
          />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            name="teamId"
            label={t('assignmentSettings.fields.team')}
            style={{ flex: 1, minWidth: 180 }}
            rules={method === 'manual' ? [{ required: true }] : []}
          >
            <Select
              allowClear
              placeholder={t('assignmentSettings.everyRep')}
              options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
            />
          </Form.Item>
          {method !== 'manual' ? (
            <Form.Item
              name="memberIds"
              label={t('assignmentSettings.fields.members')}
              style={{ flex: 1, minWidth: 220 }}
              rules={method === 'member' ? [{ required: true, type: 'array', len: 1 }] : []}
            >
              <Select
                mode="multiple"
                maxCount={method === 'member' ? 1 : undefined}
                optionFilterProp="label"
                options={(members.data ?? []).map((member) => ({
                  value: member.userId,
                  label: member.teamName ? `${member.name} · ${member.teamName}` : member.name,
                }))}
              />
            </Form.Item>
          ) : null}
        </Flex>
        <Form.Item name="enabled" label={t('assignmentSettings.fields.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PreviewCard({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [fields, setFields] = useState<{ region?: string; industry?: string; source?: Source } | null>(null);
  const preview = useQuery({
    ...trpc.assignment.preview.queryOptions({ entity, ...(fields ?? {}) }),
    enabled: fields !== null,
  });
  const [form] = Form.useForm<{ region?: string; industry?: string; source?: Source }>();
  const result = preview.data;
  return (
    <Card title={t('assignmentSettings.preview.title')}>
      <Typography.Paragraph type="secondary">{t('assignmentSettings.preview.help')}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        onFinish={(values) =>
          setFields({
            region: values.region?.trim() || undefined,
            industry: values.industry?.trim() || undefined,
            source: entity === 'lead' ? values.source : undefined,
          })
        }
      >
        <Form.Item name="region">
          <Input placeholder={t('pool.filters.region')} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="industry">
          <Input placeholder={t('pool.filters.industry')} style={{ width: 140 }} />
        </Form.Item>
        {entity === 'lead' ? (
          <Form.Item name="source">
            <Select
              allowClear
              placeholder={t('pool.filters.sources')}
              style={{ width: 140 }}
              options={SOURCES.map((source) => ({
                value: source,
                label: t(`assignmentSettings.sources.${source}`),
              }))}
            />
          </Form.Item>
        ) : null}
        <Button
          type="primary"
          htmlType="submit"
          data-testid="assignment-preview"
          loading={preview.isFetching}
        >
          {t('assignmentSettings.preview.run')}
        </Button>
      </Form>
      {result ? (
        <Alert
          style={{ marginTop: 16 }}
          type={result.ruleId ? 'success' : 'info'}
          data-testid="assignment-preview-result"
          title={
            result.ruleId
              ? t('assignmentSettings.preview.matched', {
                  rule: result.ruleName,
                  method: result.method ? t(`assignmentSettings.methods.${result.method}`) : '',
                })
              : t('assignmentSettings.preview.none', {
                  unmatched: t(`poolSettings.unmatched.${result.unmatched}`),
                })
          }
          description={
            result.ruleId
              ? result.userName
                ? t('assignmentSettings.preview.to', { name: result.userName })
                : result.teamName
                  ? t('assignmentSettings.preview.toTeam', { team: result.teamName })
                  : null
              : null
          }
        />
      ) : null}
    </Card>
  );
}
