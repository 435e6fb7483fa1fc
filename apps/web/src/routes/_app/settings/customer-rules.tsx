import { FieldTimeOutlined, FireOutlined, PieChartOutlined, TrophyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Skeleton,
  Typography,
} from 'antd';
import type { Rule } from 'antd/es/form';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CompletenessWeights,
  CompletenessWeightsEditor,
  totalWeight,
} from '../../../features/settings/CompletenessWeightsEditor';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import type { CustomerRules, CustomField } from '../../../features/settings/types';
import { canonicalDecimal } from '../../../lib/decimal';
import { errorMessage } from '../../../lib/errors';
import { currencySymbol } from '../../../lib/format';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/customer-rules')({
  component: CustomerRulesPage,
});

type Values = {
  valueHighAmount: string;
  valueMidAmount: string;
  activityWindowDays: number | null;
  activityHighTouches: number | null;
  activityMidTouches: number | null;
  completenessWeights: CompletenessWeights;
};
const FIELDS = [
  'valueHighAmount',
  'valueMidAmount',
  'activityWindowDays',
  'activityHighTouches',
  'activityMidTouches',
  'completenessWeights',
] as const;

const MONEY = /^\d{1,14}(\.\d{1,2})?$/;

/** A money string as cents, to compare amounts without floats; null when it is not one. */
function toCents(text: string | undefined): bigint | null {
  const trimmed = text?.trim() ?? '';
  if (!MONEY.test(trimmed)) return null;
  const [integer = '0', fraction = ''] = trimmed.split('.');
  return BigInt(`${integer}${fraction.padEnd(2, '0')}`);
}

function valuesOf(rules: CustomerRules): Values {
  return {
    valueHighAmount: canonicalDecimal(rules.valueHighAmount),
    valueMidAmount: canonicalDecimal(rules.valueMidAmount),
    activityWindowDays: rules.activityWindowDays,
    activityHighTouches: rules.activityHighTouches,
    activityMidTouches: rules.activityMidTouches,
    // Every key the tenant may weigh, 0 for those that do not count.
    completenessWeights: Object.fromEntries(
      rules.completenessKeys.map((key) => [key, rules.completenessWeights[key] ?? 0]),
    ),
  };
}

function CustomerRulesPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canEdit = useCan('tenant.update');
  const rules = useQuery(trpc.settings.customerRules.queryOptions());
  const customFields = useQuery(trpc.customFields.list.queryOptions());

  let body: ReactNode;
  if (rules.isPending) body = <Skeleton active paragraph={{ rows: 12 }} />;
  else if (rules.isError) {
    body = (
      <Result
        status="error"
        title={t('errors.loadFailed')}
        subTitle={errorMessage(rules.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
        extra={<Button onClick={() => rules.refetch()}>{t('common.retry')}</Button>}
      />
    );
  } else {
    body = <RulesForm rules={rules.data} customFields={customFields.data ?? []} canEdit={canEdit} />;
  }

  return (
    <>
      <SettingsPageHeader
        title={t('customerSettings.customerRules.title')}
        subtitle={t('customerSettings.customerRules.subtitle')}
      />
      {canEdit ? null : (
        <Alert
          type="info"
          showIcon
          title={t('customerSettings.customerRules.readOnly')}
          style={{ marginBottom: 16 }}
        />
      )}
      {body}
    </>
  );
}

function RulesForm({
  rules,
  customFields,
  canEdit,
}: {
  rules: CustomerRules;
  customFields: readonly CustomField[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);

  // Fresh rules from the server replace the form, unless the user is in the middle of editing.
  useEffect(() => {
    if (!dirty) form.setFieldsValue(valuesOf(rules));
  }, [rules, dirty, form]);

  const save = useMutation(
    trpc.settings.updateCustomerRules.mutationOptions({
      onSuccess: async (saved) => {
        queryClient.setQueryData(trpc.settings.customerRules.queryKey(), saved);
        form.setFieldsValue(valuesOf(saved));
        setDirty(false);
        void message.success(t('customerSettings.customerRules.saved'), 5);
        // Stages, system tags and completeness moved for every customer.
        await queryClient.invalidateQueries(trpc.customers.pathFilter());
      },
      onError: (error) => showError(error, { form, fields: FIELDS }),
    }),
  );

  const submit = (values: Values) => {
    save.mutate({
      valueHighAmount: canonicalDecimal(values.valueHighAmount),
      valueMidAmount: canonicalDecimal(values.valueMidAmount),
      activityWindowDays: values.activityWindowDays ?? rules.activityWindowDays,
      activityHighTouches: values.activityHighTouches ?? rules.activityHighTouches,
      activityMidTouches: values.activityMidTouches ?? rules.activityMidTouches,
      completenessWeights: Object.fromEntries(
        rules.completenessKeys.map((key) => [key, values.completenessWeights?.[key] ?? 0]),
      ),
    });
  };

  const discard = () => {
    form.resetFields();
    form.setFieldsValue(valuesOf(rules));
    setDirty(false);
  };

  const required: Rule = { required: true, message: t('common.required') };
  const money = currencySymbol(rules.currency);
  const moneyRules: Rule[] = [
    { required: true, whitespace: true, message: t('common.required') },
    { pattern: MONEY, message: t('customerSettings.customerRules.value.moneyInvalid') },
  ];
  /** A rule that the field's value is above the other field's (the server says THRESHOLD_ORDER). */
  const above =
    (other: keyof Values, text: string, compare: (mine: unknown, theirs: unknown) => boolean | null): Rule =>
    ({ getFieldValue }) => ({
      validator: async (_rule, mine: unknown) => {
        if (compare(mine, getFieldValue(other)) === false) throw new Error(text);
      },
    });
  const numbers = (mine: unknown, theirs: unknown) =>
    typeof mine === 'number' && typeof theirs === 'number' ? mine > theirs : null;
  const amounts = (mine: unknown, theirs: unknown) => {
    const a = toCents(typeof mine === 'string' ? mine : undefined);
    const b = toCents(typeof theirs === 'string' ? theirs : undefined);
    return a === null || b === null ? null : a > b;
  };
  const days = t('customerSettings.customerRules.days');
  const touches = t('customerSettings.customerRules.times');

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      disabled={!canEdit}
      initialValues={valuesOf(rules)}
      onValuesChange={() => setDirty(true)}
      onFinish={submit}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={8}>
          <RulesCard
            icon={<FieldTimeOutlined />}
            title={t('customerSettings.customerRules.lifecycle.title')}
            description={t('customerSettings.customerRules.lifecycle.description')}
          >
            <LifecycleInForce rules={rules} canEdit={canEdit} />
          </RulesCard>
        </Col>
        <Col xs={24} xl={8}>
          <RulesCard
            icon={<TrophyOutlined />}
            title={t('customerSettings.customerRules.value.title')}
            description={t('customerSettings.customerRules.value.description', { currency: rules.currency })}
          >
            <Form.Item
              name="valueHighAmount"
              label={t('customerSettings.customerRules.value.high')}
              extra={t('customerSettings.customerRules.value.highHint')}
              dependencies={['valueMidAmount']}
              rules={[
                ...moneyRules,
                above('valueMidAmount', t('customerSettings.customerRules.value.highAboveMid'), amounts),
              ]}
            >
              <Input
                data-testid="customer-rules-value-high"
                inputMode="decimal"
                prefix={money}
                maxLength={17}
                style={{ width: 220 }}
              />
            </Form.Item>
            <Form.Item
              name="valueMidAmount"
              label={t('customerSettings.customerRules.value.mid')}
              extra={t('customerSettings.customerRules.value.midHint')}
              rules={moneyRules}
            >
              <Input
                data-testid="customer-rules-value-mid"
                inputMode="decimal"
                prefix={money}
                maxLength={17}
                style={{ width: 220 }}
              />
            </Form.Item>
          </RulesCard>
        </Col>
        <Col xs={24} xl={8}>
          <RulesCard
            icon={<FireOutlined />}
            title={t('customerSettings.customerRules.activity.title')}
            description={t('customerSettings.customerRules.activity.description')}
          >
            <Form.Item
              name="activityWindowDays"
              label={t('customerSettings.customerRules.activity.windowDays')}
              extra={t('customerSettings.customerRules.activity.windowHint')}
              rules={[required]}
            >
              <InputNumber<number>
                data-testid="customer-rules-activity-window"
                min={7}
                max={730}
                precision={0}
                suffix={days}
                style={{ width: 180 }}
              />
            </Form.Item>
            <Form.Item
              name="activityHighTouches"
              label={t('customerSettings.customerRules.activity.high')}
              extra={t('customerSettings.customerRules.activity.highHint')}
              dependencies={['activityMidTouches']}
              rules={[
                required,
                above(
                  'activityMidTouches',
                  t('customerSettings.customerRules.activity.highAboveMid'),
                  numbers,
                ),
              ]}
            >
              <InputNumber<number>
                data-testid="customer-rules-activity-high"
                min={1}
                max={1000}
                precision={0}
                suffix={touches}
                style={{ width: 180 }}
              />
            </Form.Item>
            <Form.Item
              name="activityMidTouches"
              label={t('customerSettings.customerRules.activity.mid')}
              extra={t('customerSettings.customerRules.activity.midHint')}
              rules={[required]}
            >
              <InputNumber<number>
                data-testid="customer-rules-activity-mid"
                min={1}
                max={1000}
                precision={0}
                suffix={touches}
                style={{ width: 180 }}
              />
            </Form.Item>
          </RulesCard>
        </Col>
        <Col span={24}>
          <RulesCard
            icon={<PieChartOutlined />}
            title={t('customerSettings.customerRules.completeness.title')}
            description={t('customerSettings.customerRules.completeness.description')}
          >
            <Form.Item
              name="completenessWeights"
              rules={[
                {
                  validator: async (_rule, weights: CompletenessWeights | undefined) => {
                    if (totalWeight(weights) <= 0) {
                      throw new Error(t('customerSettings.customerRules.completeness.weightsEmpty'));
                    }
                  },
                },
              ]}
              style={{ marginBottom: 0 }}
            >
              <CompletenessWeightsEditor keys={rules.completenessKeys} customFields={customFields} />
            </Form.Item>
          </RulesCard>
        </Col>
      </Row>
      {canEdit ? (
        <Card
          style={{ marginTop: 16, position: 'sticky', bottom: 0, zIndex: 2 }}
          styles={{ body: { padding: 16 } }}
        >
          <Flex justify="space-between" align="center" gap={12} wrap>
            <Typography.Text type={dirty ? 'warning' : 'secondary'}>
              {dirty
                ? t('customerSettings.customerRules.unsaved')
                : t('customerSettings.customerRules.saveHint')}
            </Typography.Text>
            <Flex gap={8}>
              <Button
                data-testid="customer-rules-discard"
                disabled={!dirty || save.isPending}
                onClick={discard}
              >
                {t('customerSettings.customerRules.discard')}
              </Button>
              <Button
                data-testid="customer-rules-save"
                type="primary"
                htmlType="submit"
                loading={save.isPending}
              >
                {t('customerSettings.customerRules.save')}
              </Button>
            </Flex>
          </Flex>
        </Card>
      ) : null}
    </Form>
  );
}

function RulesCard(props: { icon: ReactNode; title: string; description: string; children: ReactNode }) {
  return (
    <Card
      title={
        <span>
          <span style={{ marginInlineEnd: 8, color: '#1f5eff' }}>{props.icon}</span>
          {props.title}
        </span>
      }
      style={{ height: '100%' }}
    >
      <Typography.Paragraph type="secondary">{props.description}</Typography.Paragraph>
      {props.children}
    </Card>
  );
}

/**
 * The lifecycle thresholds in force, read-only: they are settings of the industry profile,
 * changed on 行业配置 only (one place for each rule).
 */
function LifecycleInForce({ rules, canEdit }: { rules: CustomerRules; canEdit: boolean }) {
  const { t } = useTranslation();
  const rows = [
    [
      t('customerSettings.customerRules.lifecycle.atRiskDays'),
      t('customerSettings.customerRules.lifecycle.daysValue', { count: rules.lifecycleAtRiskDays }),
    ],
    [
      t('customerSettings.customerRules.lifecycle.dormantDays'),
      t('customerSettings.customerRules.lifecycle.daysValue', { count: rules.lifecycleDormantDays }),
    ],
    [
      t('customerSettings.customerRules.lifecycle.loyalOrders'),
      t('customerSettings.customerRules.lifecycle.ordersValue', { count: rules.lifecycleLoyalOrders }),
    ],
  ] as const;
  return (
    <div data-testid="customer-rules-lifecycle">
      <div style={{ margin: '0 0 12px' }}>
        {rows.map(([label, value]) => (
          <Flex
            key={label}
            justify="space-between"
            style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}
          >
            <Typography.Text type="secondary">{label}</Typography.Text>
            <Typography.Text strong>{value}</Typography.Text>
          </Flex>
        ))}
      </div>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('customerSettings.customerRules.lifecycle.ownedByIndustry')}
      </Typography.Paragraph>
      <Link to="/settings/industry" data-testid="customer-rules-lifecycle-link">
        {canEdit
          ? t('customerSettings.customerRules.lifecycle.editInIndustry')
          : t('customerSettings.customerRules.lifecycle.viewInIndustry')}
      </Link>
    </div>
  );
}
