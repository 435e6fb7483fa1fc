import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../lib/api-types';
import { formatDate, formatMoney } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Props = { open: boolean; order?: Order; onClose: () => void };

/** orders.void with its required reason: the order stays on record but leaves every figure. */
export function VoidOrderModal({ open, order, onClose }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const voidOrder = useMutation(
    trpc.orders.void.mutationOptions({
      onSuccess: async (saved) => {
        void message.success(t('orders.voided'));
        onClose();
        await Promise.all([
          queryClient.invalidateQueries(trpc.orders.list.pathFilter()),
          queryClient.invalidateQueries(trpc.customers.get.queryFilter({ id: saved.customerId })),
          queryClient.invalidateQueries(trpc.customers.list.pathFilter()),
          queryClient.invalidateQueries(
            trpc.customers.timeline.infiniteQueryFilter({ id: saved.customerId }),
          ),
          queryClient.invalidateQueries(
            trpc.industry.customerTier.queryFilter({ customerId: saved.customerId }),
          ),
        ]);
      },
      onError: (error) => showError(error, { form, fields: ['reason'] }),
    }),
  );

  return (
    <Modal
      open={open}
      title={
        order
          ? `${t('orders.voidTitle')} · ${order.orderNumber ?? formatDate(order.orderedAt)} · ${formatMoney(order.amount, order.currency)}`
          : t('orders.voidTitle')
      }
      onCancel={onClose}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            data-testid="order-void-submit"
            danger
            type="primary"
            loading={voidOrder.isPending}
            onClick={() => form.submit()}
          >
            {t('orders.voidSubmit')}
          </Button>
        </Flex>
      }
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('orders.voidHint')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={({ reason }: { reason: string }) => {
          if (order) voidOrder.mutate({ id: order.id, reason: reason.trim() });
        }}
      >
        <Form.Item
          name="reason"
          label={t('orders.voidReason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          style={{ marginBottom: 0 }}
        >
          <Input.TextArea
            data-testid="order-void-reason"
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('orders.voidReasonPlaceholder')}
            autoFocus
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
