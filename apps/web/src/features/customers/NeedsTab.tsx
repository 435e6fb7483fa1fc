import {
  AimOutlined,
  BulbOutlined,
  EditOutlined,
  ShoppingCartOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Flex, Form, Input, Row, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../lib/api-types';
import { changedFields } from '../../lib/changed-fields';
import { canonicalDecimal } from '../../lib/decimal';
import { currencySymbol, formatDate, formatMoney } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { TabPanel } from './TabPanel';

type Values = {
  explicitNeeds?: string;
  implicitNeeds?: string;
  painPoints?: string;
  purchasePlan?: string;
  purchasePlanAmount?: string;
  purchasePlanExpectedOn?: Dayjs | null;
};
const FIELDS = [
  'explicitNeeds',
  'implicitNeeds',
  'painPoints',
  'purchasePlan',
  'purchasePlanAmount',
  'purchasePlanExpectedOn',
] as const;
const MONEY = /^\d{1,14}(\.\d{1,2})?$/;

/** '12800.50' and '12800.5' are the same amount. */
const canonicalMoney = (value: string | null) => (value === null ? null : canonicalDecimal(value));

type Props = { customer: Customer; editable: boolean };

/** 显性需求, 隐性需求, 痛点 and the purchase plan for the next 3–6 months, edited in place. */
export function NeedsTab({ customer, editable }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const [editing, setEditing] = useState(false);

  const update = useMutation(
    trpc.customers.update.mutationOptions({
      onSuccess: async (saved) => {
        void message.success(t('needs.saved'));
        setEditing(false);
        queryClient.setQueryData(trpc.customers.get.queryKey({ id: saved.id }), saved);
        await Promise.all([
          queryClient.invalidateQueries(trpc.customers.list.pathFilter()),
          queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: saved.id })),
        ]);
      },
      onError: (error) => showError(error, { form, fields: FIELDS }),
    }),
  );

  const startEditing = () => {
    form.setFieldsValue({
      explicitNeeds: customer.explicitNeeds ?? '',
      implicitNeeds: customer.implicitNeeds ?? '',
      painPoints: customer.painPoints ?? '',
      purchasePlan: customer.purchasePlan ?? '',
      purchasePlanAmount: customer.purchasePlanAmount ?? '',
      purchasePlanExpectedOn: customer.purchasePlanExpectedOn ? dayjs(customer.purchasePlanExpectedOn) : null,
    });
    setEditing(true);
  };

  const submit = (values: Values) => {
    const text = (value: string | undefined) => value?.trim() || null;
    const amount = text(values.purchasePlanAmount);
    const next = {
      explicitNeeds: text(values.explicitNeeds),
      implicitNeeds: text(values.implicitNeeds),
      painPoints: text(values.painPoints),
      purchasePlan: text(values.purchasePlan),
      purchasePlanAmount: canonicalMoney(amount),
      purchasePlanExpectedOn: values.purchasePlanExpectedOn
        ? values.purchasePlanExpectedOn.format('YYYY-MM-DD')
        : null,
    };
    const changes = changedFields(next, {
      explicitNeeds: customer.explicitNeeds,
      implicitNeeds: customer.implicitNeeds,
      painPoints: customer.painPoints,
      purchasePlan: customer.purchasePlan,
      purchasePlanAmount: canonicalMoney(customer.purchasePlanAmount),
      purchasePlanExpectedOn: customer.purchasePlanExpectedOn,
    });
    if (Object.keys(changes).length === 0) {
      void message.info(t('common.noChanges'));
      setEditing(false);
      return;
    }
    // The amount goes as typed (a decimal string), not in its compared form.
    if ('purchasePlanAmount' in changes) changes.purchasePlanAmount = amount;
    update.mutate({ id: customer.id, ...changes });
  };

  const blocks: {
    key: 'explicitNeeds' | 'implicitNeeds' | 'painPoints' | 'purchasePlan';
    testId: string;
    icon: ReactNode;
    color: string;
  }[] = [
    { key: 'explicitNeeds', testId: 'needs-explicit', icon: <AimOutlined />, color: '#1677ff' },
    { key: 'implicitNeeds', testId: 'needs-implicit', icon: <BulbOutlined />, color: '#722ed1' },
    { key: 'painPoints', testId: 'needs-pain-points', icon: <WarningOutlined />, color: '#fa541c' },
    { key: 'purchasePlan', testId: 'needs-purchase-plan', icon: <ShoppingCartOutlined />, color: '#13a8a8' },
  ];
  const notFilled = <Typography.Text type="secondary">{t('needs.notFilled')}</Typography.Text>;

  return (
    <TabPanel
      extra={
        editable && !editing ? (
          <Button data-testid="needs-edit" icon={<EditOutlined />} onClick={startEditing}>
            {t('needs.edit')}
          </Button>
        ) : editing ? (
          <Flex gap={8}>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
            <Button
              data-testid="needs-save"
              type="primary"
              loading={update.isPending}
              onClick={() => form.submit()}
            >
              {t('common.save')}
            </Button>
          </Flex>
        ) : null
      }
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit}>
        <Row gutter={[16, 16]}>
          {blocks.map((block) => (
            <Col key={block.key} xs={24} lg={12}>
              <Card
                size="small"
                style={{ height: '100%', borderTop: `3px solid ${block.color}` }}
                title={
                  <Flex gap={8} align="center">
                    <span style={{ color: block.color }}>{block.icon}</span>
                    {t(`needs.${block.key}`)}
                  </Flex>
                }
              >
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                  {t(`needs.${block.key}Hint`)}
                </Typography.Paragraph>
                {editing ? (
                  <Form.Item name={block.key} style={{ marginBottom: block.key === 'purchasePlan' ? 12 : 0 }}>
                    <Input.TextArea
                      data-testid={block.testId}
                      maxLength={4000}
                      autoSize={{ minRows: 3, maxRows: 10 }}
                    />
                  </Form.Item>
                ) : (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                    {customer[block.key] || notFilled}
                  </Typography.Paragraph>
                )}
                {block.key === 'purchasePlan' ? (
                  editing ? (
                    <Row gutter={12}>
                      <Col span={12}>
                        <Form.Item
                          name="purchasePlanAmount"
                          label={t('needs.purchasePlanAmount')}
                          rules={[{ pattern: MONEY, message: t('orders.form.moneyInvalid') }]}
                          style={{ marginBottom: 0 }}
                        >
                          <Input
                            data-testid="needs-plan-amount"
                            inputMode="decimal"
                            prefix={currencySymbol(customer.currency)}
                            maxLength={17}
                          />
                        </Form.Item>
                      </Col>
                      <Col span={12}>
                        <Form.Item
                          name="purchasePlanExpectedOn"
                          label={t('needs.purchasePlanExpectedOn')}
                          style={{ marginBottom: 0 }}
                        >
                          <DatePicker data-testid="needs-plan-date" style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                    </Row>
                  ) : (
                    <Flex gap={24} wrap style={{ marginTop: 12 }}>
                      <span>
                        <Typography.Text type="secondary">
                          {t('needs.purchasePlanAmount')}
                          {t('common.colon')}
                        </Typography.Text>
                        {customer.purchasePlanAmount
                          ? formatMoney(customer.purchasePlanAmount, customer.currency)
                          : t('common.none')}
                      </span>
                      <span>
                        <Typography.Text type="secondary">
                          {t('needs.purchasePlanExpectedOn')}
                          {t('common.colon')}
                        </Typography.Text>
                        {customer.purchasePlanExpectedOn
                          ? formatDate(customer.purchasePlanExpectedOn)
                          : t('common.none')}
                      </span>
                    </Flex>
                  )
                ) : null}
              </Card>
            </Col>
          ))}
        </Row>
      </Form>
    </TabPanel>
  );
}
