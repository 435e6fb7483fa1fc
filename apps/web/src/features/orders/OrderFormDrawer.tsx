import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Tooltip,
  Typography,
} from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Order,
  PAYMENT_METHODS,
  type PaymentMethod,
  SETTABLE_ORDER_STATUSES,
  type SettableOrderStatus,
} from '../../lib/api-types';
import { changedFields } from '../../lib/changed-fields';
import { canonicalDecimal, lineAmount, linesTotal } from '../../lib/decimal';
import { currencySymbol, formatMoney } from '../../lib/format';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { OrderStatusTag } from './OrderStatusTag';

type LineValues = { product?: string; quantity?: string; unitPrice?: string };
type Values = {
  orderNumber?: string;
  orderedAt: Dayjs;
  mode: 'lines' | 'amount';
  lines?: LineValues[];
  amount?: string;
  paymentMethod?: PaymentMethod | null;
  status: SettableOrderStatus;
  note?: string;
};
const FIELDS = ['orderNumber', 'orderedAt', 'amount', 'lines', 'paymentMethod', 'status', 'note'] as const;

const MONEY = /^\d{1,14}(\.\d{1,2})?$/;
const QUANTITY = /^\d{1,11}(\.\d{1,3})?$/;

const cleanLines = (lines: readonly LineValues[] | undefined) =>
  (lines ?? []).map((line) => ({
    product: line.product?.trim() ?? '',
    quantity: canonicalDecimal(line.quantity ?? ''),
    unitPrice: canonicalDecimal(line.unitPrice ?? ''),
  }));

/**
 * The order's time from the picked day: now for today (so it sorts after what happened earlier
 * today), noon for another day (the day survives any time-zone shift).
 */
function orderedAtOf(day: Dayjs): string {
  const today = dayjs();
  return day.isSame(today, 'day') ? today.format() : day.hour(12).minute(0).second(0).millisecond(0).format();
}

type Props = {
  open: boolean;
  onClose: () => void;
  customerId: string;
  currency: string;
  /** Edit this order; without it the form records a new one. */
  order?: Order;
};

/** orders.create / orders.update: line items (product × quantity × unit price) or a plain amount. */
export function OrderFormDrawer({ open, onClose, customerId, currency, order }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch('mode', form);
  const lines = Form.useWatch('lines', form);
  const amount = Form.useWatch('amount', form);
  const moneyPrefix = currencySymbol(currency);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (order) {
      form.setFieldsValue({
        orderNumber: order.orderNumber ?? '',
        orderedAt: dayjs(order.orderedAt),
        mode: order.lines.length > 0 ? 'lines' : 'amount',
        lines:
          order.lines.length > 0
            ? order.lines.map((line) => ({
                product: line.product,
                quantity: canonicalDecimal(line.quantity),
                unitPrice: line.unitPrice,
              }))
            : [{}],
        amount: order.amount,
        paymentMethod: order.paymentMethod,
        status: order.status === 'void' ? 'completed' : order.status,
        note: order.note ?? '',
      });
    }
  }, [open, order, form]);

  const onSaved = async () => {
    onClose();
    await Promise.all([
      queryClient.invalidateQueries(trpc.orders.list.pathFilter()),
      queryClient.invalidateQueries(trpc.customers.get.queryFilter({ id: customerId })),
      queryClient.invalidateQueries(trpc.customers.list.pathFilter()),
      queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: customerId })),
      // Its re-tier is queued: the tier card follows it.
      queryClient.invalidateQueries(trpc.industry.customerTier.queryFilter({ customerId })),
    ]);
  };
  const onError = (error: unknown) => showError(error, { form, fields: FIELDS });
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.orders.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async () => {
        void message.success(t('orders.created'));
        await onSaved();
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.orders.update.mutationOptions({
      onSuccess: async () => {
        void message.success(t('orders.updated'));
        await onSaved();
      },
      onError,
    }),
  );

  const submit = (values: Values) => {
    const byLines = values.mode === 'lines';
    const fields = {
      orderNumber: values.orderNumber?.trim() || null,
      paymentMethod: values.paymentMethod ?? null,
      status: values.status,
      note: values.note?.trim() || null,
      // With lines the server sets the amount to their total.
      lines: byLines ? cleanLines(values.lines) : [],
      ...(byLines ? {} : { amount: canonicalDecimal(values.amount ?? '') }),
    };
    if (order) {
      const changes = changedFields(fields, {
        orderNumber: order.orderNumber,
        paymentMethod: order.paymentMethod,
        status: order.status === 'void' ? undefined : order.status,
        note: order.note,
        lines: cleanLines(order.lines),
        amount: canonicalDecimal(order.amount),
      });
      const dayChanged = !values.orderedAt.isSame(dayjs(order.orderedAt), 'day');
      if (!dayChanged && Object.keys(changes).length === 0) {
        void message.info(t('common.noChanges'));
        onClose();
        return;
      }
      update.mutate({
        id: order.id,
        ...changes,
        ...(dayChanged ? { orderedAt: orderedAtOf(values.orderedAt) } : {}),
      });
    } else {
      create.mutate({
        customerId,
        orderedAt: orderedAtOf(values.orderedAt),
        status: fields.status,
        ...(fields.orderNumber ? { orderNumber: fields.orderNumber } : {}),
        ...(fields.paymentMethod ? { paymentMethod: fields.paymentMethod } : {}),
        ...(fields.note ? { note: fields.note } : {}),
        ...(byLines ? { lines: fields.lines } : { amount: fields.amount }),
      });
    }
  };

  const moneyRules: Rule[] = [
    { required: true, whitespace: true, message: t('common.required') },
    { pattern: MONEY, message: t('orders.form.moneyInvalid') },
  ];
  const quantityRules: Rule[] = [
    { required: true, whitespace: true, message: t('common.required') },
    {
      validator: (_rule, value: string | undefined) =>
        !value || (QUANTITY.test(value.trim()) && /[1-9]/.test(value))
          ? Promise.resolve()
          : Promise.reject(new Error(t('orders.form.quantityInvalid'))),
    },
  ];
  const pending = create.isPending || update.isPending;

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={760}
      title={order ? t('orders.editTitle') : t('orders.createTitle')}
      destroyOnHidden
      footer={
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text>
            {t('orders.form.total')}
            {t('common.colon')}
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="order-total">
              {mode === 'amount'
                ? formatMoney(MONEY.test(amount?.trim() ?? '') ? amount?.trim() : '0', currency)
                : formatMoney(linesTotal(lines ?? []), currency)}
            </Typography.Text>
          </Typography.Text>
          <Flex gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button data-testid="order-submit" type="primary" loading={pending} onClick={() => form.submit()}>
              {order ? t('orders.form.submitEdit') : t('orders.form.submitCreate')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ orderedAt: dayjs(), mode: 'lines', lines: [{}], status: 'completed' }}
        onFinish={submit}
      >
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item
              name="orderedAt"
              label={t('orders.form.orderedAt')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <DatePicker
                data-testid="order-date"
                style={{ width: '100%' }}
                allowClear={false}
                disabledDate={(day) => day.isAfter(dayjs(), 'day')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="orderNumber" label={t('orders.form.orderNumber')}>
              <Input
                data-testid="order-number"
                maxLength={64}
                placeholder={t('orders.form.orderNumberPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="paymentMethod" label={t('orders.form.paymentMethod')}>
              <Select<PaymentMethod>
                data-testid="order-payment-method"
                allowClear
                placeholder={t('orders.form.paymentMethodPlaceholder')}
                options={PAYMENT_METHODS.map((method) => ({
                  value: method,
                  label: t(`orders.paymentMethod.${method}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>

        <Form.Item name="mode" label={t('orders.form.amountMode')}>
          <Radio.Group buttonStyle="solid">
            <Radio.Button value="lines" data-testid="order-mode-lines">
              {t('orders.form.modeLines')}
            </Radio.Button>
            <Radio.Button value="amount" data-testid="order-mode-amount">
              {t('orders.form.modeAmount')}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>

        {mode === 'amount' ? (
          <Form.Item
            name="amount"
            label={t('orders.form.amount')}
            rules={moneyRules}
            style={{ maxWidth: 280 }}
          >
            <Input
              data-testid="order-amount"
              inputMode="decimal"
              prefix={moneyPrefix}
              maxLength={17}
              placeholder={t('orders.form.amountPlaceholder')}
            />
          </Form.Item>
        ) : (
          <Form.List name="lines">
            {(items, { add, remove }) => (
              <div style={{ marginBottom: 24 }}>
                <Row gutter={8} style={{ marginBottom: 4 }}>
                  <Col flex="auto">
                    <Typography.Text type="secondary">{t('orders.form.product')}</Typography.Text>
                  </Col>
                  <Col flex="100px">
                    <Typography.Text type="secondary">{t('orders.form.quantity')}</Typography.Text>
                  </Col>
                  <Col flex="140px">
                    <Typography.Text type="secondary">{t('orders.form.unitPrice')}</Typography.Text>
                  </Col>
                  <Col flex="120px" style={{ textAlign: 'right' }}>
                    <Typography.Text type="secondary">{t('orders.form.lineAmount')}</Typography.Text>
                  </Col>
                  <Col flex="32px" />
                </Row>
                {items.map((item, index) => {
                  const subtotal = lineAmount(lines?.[index]?.quantity, lines?.[index]?.unitPrice);
                  return (
                    <Row gutter={8} key={item.key} align="top" wrap={false}>
                      <Col flex="auto">
                        <Form.Item
                          name={[item.name, 'product']}
                          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                          style={{ marginBottom: 8 }}
                        >
                          <Input
                            data-testid={`order-line-product-${index}`}
                            aria-label={t('orders.form.product')}
                            maxLength={200}
                            placeholder={t('orders.form.productPlaceholder')}
                          />
                        </Form.Item>
                      </Col>
                      <Col flex="100px">
                        <Form.Item
                          name={[item.name, 'quantity']}
                          rules={quantityRules}
                          style={{ marginBottom: 8 }}
                        >
                          <Input
                            data-testid={`order-line-quantity-${index}`}
                            aria-label={t('orders.form.quantity')}
                            inputMode="decimal"
                            maxLength={15}
                            placeholder="1"
                          />
                        </Form.Item>
                      </Col>
                      <Col flex="140px">
                        <Form.Item
                          name={[item.name, 'unitPrice']}
                          rules={moneyRules}
                          style={{ marginBottom: 8 }}
                        >
                          <Input
                            data-testid={`order-line-price-${index}`}
                            aria-label={t('orders.form.unitPrice')}
                            inputMode="decimal"
                            prefix={moneyPrefix}
                            maxLength={17}
                            placeholder="0.00"
                          />
                        </Form.Item>
                      </Col>
                      <Col flex="120px" style={{ textAlign: 'right', paddingTop: 5 }}>
                        <Typography.Text>
                          {subtotal ? formatMoney(subtotal, currency) : t('common.none')}
                        </Typography.Text>
                      </Col>
                      <Col flex="32px">
                        <Tooltip title={t('orders.form.removeLine')}>
                          <Button
                            type="text"
                            icon={<DeleteOutlined />}
                            aria-label={t('orders.form.removeLine')}
                            disabled={items.length <= 1}
                            onClick={() => remove(item.name)}
                          />
                        </Tooltip>
                      </Col>
                    </Row>
                  );
                })}
                {items.length < 200 ? (
                  <Button
                    data-testid="order-add-line"
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({})}
                    block
                  >
                    {t('orders.form.addLine')}
                  </Button>
                ) : null}
              </div>
            )}
          </Form.List>
        )}

        <Form.Item name="status" label={t('orders.form.status')} extra={t('orders.form.statusHint')}>
          <Radio.Group>
            {SETTABLE_ORDER_STATUSES.map((status) => (
              <Radio key={status} value={status} data-testid={`order-status-${status}`}>
                <OrderStatusTag status={status} />
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label={t('orders.form.note')} style={{ marginBottom: 0 }}>
          <Input.TextArea data-testid="order-note" maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
