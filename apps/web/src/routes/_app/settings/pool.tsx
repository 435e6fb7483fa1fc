import { ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  InputNumber,
  Radio,
  Result,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import type { RouterOutputs } from '../../../lib/api-types';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/pool')({
  component: PoolSettingsPage,
});

type Settings = RouterOutputs['pool']['settings'];
type Rule = Settings['leadRules'][number];
type Entity = 'lead' | 'customer';

/** 设置 → 公海规则: recycle days per lead grade and customer tier, claim limits, warnings. */
function PoolSettingsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const allowed = useCan('pool.configure');
  const settings = useQuery({ ...trpc.pool.settings.queryOptions(), enabled: allowed });
  const { message } = App.useApp();
  const showError = useShowError();
  const recycleNow = useMutation(
    trpc.pool.recycleNow.mutationOptions({
      onSuccess: (result) => void message.success(t('poolSettings.recycled', result)),
      onError: (error) => showError(error),
    }),
  );
  if (!allowed) return <Result status="403" subTitle={t('poolSettings.noPermission')} />;
  return (
    <>
      <SettingsPageHeader
        title={t('poolSettings.title')}
        subtitle={t('poolSettings.subtitle')}
        extra={
          <Button
            icon={<ThunderboltOutlined />}
            loading={recycleNow.isPending}
            onClick={() => recycleNow.mutate()}
          >
            {t('poolSettings.recycleNow')}
          </Button>
        }
      />
      {settings.data ? (
        <Flex vertical gap={16}>
          <LimitsCard settings={settings.data} />
          <RulesCard entity="lead" title={t('poolSettings.rules.leads')} rules={settings.data.leadRules} />
          <RulesCard
            entity="customer"
            title={t('poolSettings.rules.customers')}
            rules={settings.data.customerRules}
          />
        </Flex>
      ) : (
        <Skeleton active />
      )}
    </>
  );
}

type LimitsForm = {
  defaultClaimLimit: number | null;
  warnDaysBefore: number | null;
  unmatched: 'pool' | 'unassigned';
  roles: Record<string, number | null>;
};

function LimitsCard({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<LimitsForm>();
  useEffect(() => {
    form.setFieldsValue({
      defaultClaimLimit:
        settings.defaultClaimLimit === settings.pluginClaimLimit ? null : settings.defaultClaimLimit,
      warnDaysBefore:
        settings.warnDaysBefore === settings.pluginWarnDaysBefore ? null : settings.warnDaysBefore,
      unmatched: settings.unmatched,
      roles: Object.fromEntries(
        settings.claimLimits.map((row) => [row.role, row.overridden ? row.limit : null]),
      ),
    });
  }, [settings, form]);
  const save = useMutation(
    trpc.pool.saveSettings.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.pool.settings.queryKey(), saved);
        void queryClient.invalidateQueries(trpc.pool.summary.pathFilter());
        void message.success(t('poolSettings.saved'));
      },
      onError: (error) => showError(error),
    }),
  );
  const submit = (values: LimitsForm) => {
    const claimLimits: Record<string, number> = {};
    for (const [role, limit] of Object.entries(values.roles ?? {})) {
      if (typeof limit === 'number') claimLimits[role] = limit;
    }
    save.mutate({
      claimLimits,
      defaultClaimLimit: values.defaultClaimLimit ?? null,
      warnDaysBefore: values.warnDaysBefore ?? null,
      unmatched: values.unmatched,
    });
  };
  return (
    <Card title={t('poolSettings.claims.title')}>
      <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 960 }}>
        <Typography.Paragraph type="secondary">{t('poolSettings.claims.help')}</Typography.Paragraph>
        <Flex wrap gap={24}>
          <Form.Item
            name="defaultClaimLimit"
            label={t('poolSettings.claims.default')}
            extra={t('poolSettings.claims.pluginDefault', { count: settings.pluginClaimLimit })}
          >
            <InputNumber min={0} max={10000} placeholder={String(settings.pluginClaimLimit)} />
          </Form.Item>
          {settings.claimLimits.map((row) => (
            <Form.Item key={row.role} name={['roles', row.role]} label={t(`roles.${row.role}`)}>
              <InputNumber
                min={0}
                max={10000}
                placeholder={t('poolSettings.claims.inherit')}
                style={{ width: 140 }}
              />
            </Form.Item>
          ))}
        </Flex>
        <Form.Item
          name="warnDaysBefore"
          label={t('poolSettings.warn.title')}
          extra={`${t('poolSettings.warn.help')} · ${t('poolSettings.warn.pluginDefault', { count: settings.pluginWarnDaysBefore })}`}
        >
          <InputNumber min={0} max={60} placeholder={String(settings.pluginWarnDaysBefore)} />
        </Form.Item>
        <Form.Item name="unmatched" label={t('poolSettings.unmatched.title')}>
          <Radio.Group
            options={[
              { value: 'pool', label: t('poolSettings.unmatched.pool') },
              { value: 'unassigned', label: t('poolSettings.unmatched.unassigned') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="pool-settings-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

function RulesCard({ entity, title, rules }: { entity: Entity; title: string; rules: Rule[] }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const save = useMutation(
    trpc.pool.saveRecycleRule.mutationOptions({
      onSuccess: (saved) => queryClient.setQueryData(trpc.pool.settings.queryKey(), saved),
      onError: (error) => showError(error),
    }),
  );
  const english = i18n.language === 'en';
  const daysText = (days: number | null) =>
    days === null ? t('poolSettings.rules.never') : t('poolSettings.rules.days', { count: days });
  const columns: ColumnsType<Rule> = [
    {
      key: 'key',
      title: t('poolSettings.rules.key'),
      render: (_: unknown, rule) =>
        rule.key === '*' ? t('poolSettings.rules.other') : english ? rule.labelEn : rule.labelZh,
    },
    {
      key: 'plugin',
      title: t('poolSettings.rules.plugin'),
      render: (_: unknown, rule) => (
        <Typography.Text type="secondary">{daysText(rule.pluginDays)}</Typography.Text>
      ),
    },
    {
      key: 'tenant',
      title: t('poolSettings.rules.tenant'),
      width: 400,
      render: (_: unknown, rule) => {
        const mode = rule.overridden ? (rule.tenantDays === null ? 'never' : 'days') : 'inherit';
        return (
          <Space>
            <Select
              value={mode}
              style={{ width: 190 }}
              data-testid={`recycle-mode-${entity}-${rule.key}`}
              disabled={save.isPending}
              onChange={(next: 'inherit' | 'never' | 'days') =>
                save.mutate({
                  entity,
                  key: rule.key,
                  mode: next,
                  ...(next === 'days' ? { days: rule.tenantDays ?? rule.pluginDays ?? 30 } : {}),
                })
              }
              options={[
                { value: 'inherit', label: t('poolSettings.rules.inherit') },
                { value: 'never', label: t('poolSettings.rules.never') },
                { value: 'days', label: t('poolSettings.rules.custom') },
              ]}
            />
            {mode === 'days' ? (
              <InputNumber
                min={1}
                max={3650}
                defaultValue={rule.tenantDays ?? undefined}
                onBlur={(event) => {
                  const days = Number(event.target.value);
                  if (Number.isInteger(days) && days >= 1 && days !== rule.tenantDays)
                    save.mutate({ entity, key: rule.key, mode: 'days', days });
                }}
                style={{ width: 100 }}
              />
            ) : null}
          </Space>
        );
      },
    },
    {
      key: 'inForce',
      title: t('poolSettings.rules.inForce'),
      render: (_: unknown, rule) => (
        <Tag color={rule.days === null ? 'default' : 'blue'}>{daysText(rule.days)}</Tag>
      ),
    },
  ];
  return (
    <Card title={title} styles={{ body: { padding: 0 } }}>
      <Table<Rule> rowKey="key" size="middle" columns={columns} dataSource={rules} pagination={false} />
    </Card>
  );
}
