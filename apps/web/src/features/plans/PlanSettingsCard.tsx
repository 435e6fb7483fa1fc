import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, InputNumber, Switch, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useTiers } from '../industry/tiers';
import { usePlanLabels } from './plan-labels';

type Values = { requireApproval: boolean; horizonDays: number };

/** The tenant's plan settings (approval for every plan, how far ahead tasks are scheduled) and its cadences. */
export function PlanSettingsCard() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canManage = useCan('plans.manage');
  const { tierLabel, language } = useTiers();
  const { everyLabel } = usePlanLabels();
  const settings = useQuery(trpc.plans.settings.queryOptions());
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const save = useMutation(
    trpc.plans.saveSettings.mutationOptions({
      onSuccess: async () => {
        void message.success(t('plans.settings.saved'));
        await queryClient.invalidateQueries(trpc.plans.pathFilter());
      },
      onError: (error) => showError(error, { form }),
    }),
  );
  return (
    <Card title={t('plans.settings.title')} loading={settings.isPending} data-testid="plan-settings">
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={!canManage}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          name="requireApproval"
          label={t('plans.settings.requireApproval')}
          extra={t('plans.settings.requireApprovalHelp')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="horizonDays"
          label={t('plans.settings.horizonDays')}
          extra={t('plans.settings.horizonHelp')}
        >
          <InputNumber min={7} max={366} suffix={t('plans.settings.days')} style={{ width: 160 }} />
        </Form.Item>
        {canManage ? (
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        ) : null}
      </Form>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('plans.settings.cadences')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={settings.data?.cadences ?? []}
        columns={[
          { key: 'tier', title: t('plans.approvals.tier'), render: (_, cadence) => tierLabel(cadence.tier) },
          {
            key: 'cadence',
            title: t('plans.approvals.cadence'),
            render: (_, cadence) => (
              <Flex gap={8} wrap>
                <span>{cadence.labels[language]}</span>
                <Typography.Text type="secondary">
                  {everyLabel(cadence)} · {t(`plans.taskType.${cadence.taskType}`)}
                </Typography.Text>
                {cadence.requiresApproval ? (
                  <Tag color="gold">{t('plans.settings.needsApproval')}</Tag>
                ) : null}
              </Flex>
            ),
          },
          {
            key: 'goals',
            title: t('plans.approvals.goals'),
            render: (_, cadence) =>
              cadence.goals.map((goal) => (
                <Tag key={goal.en} color="blue">
                  {goal[language]}
                </Tag>
              )),
          },
        ]}
      />
    </Card>
  );
}
