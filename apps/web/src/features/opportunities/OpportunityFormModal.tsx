import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Values = { name: string; customerId?: string; amount?: number; needs?: string[] };

/** 新建商机: a name, the customer (searched), an amount and the first needs; it starts in the first open stage. */
export function OpportunityFormModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const [search, setSearch] = useState('');
  const key = useIdempotencyKey(open);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const customers = useQuery({
    ...trpc.customers.list.queryOptions({ search: search || undefined, limit: 20 }),
    enabled: open,
  });
  const items = (customers.data?.items ?? []).map((customer) => ({
    value: customer.id,
    label: customer.name,
  }));
  const create = useMutation(
    trpc.opportunities.create.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async (detail) => {
        void message.success(t('opportunities.createdToast'));
        onClose();
        await queryClient.invalidateQueries({ queryKey: trpc.opportunities.pathKey() });
        onCreated(detail.id);
      },
      onError: (error) => showError(error, { form, fields: ['name', 'customerId', 'amount', 'needs'] }),
    }),
  );
  return (
    <Modal
      open={open}
      title={t('opportunities.new')}
      onCancel={onClose}
      okButtonProps={{ loading: create.isPending }}
      onOk={() => {
        void form.validateFields().then((values) =>
          create.mutate({
            name: values.name,
            customerId: values.customerId ?? null,
            amount: values.amount === undefined || values.amount === null ? null : String(values.amount),
            needs: (values.needs ?? []).map((need) => need.trim()).filter(Boolean),
          }),
        );
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('opportunities.name')} rules={[{ required: true }]}>
          <Input maxLength={200} data-testid="opportunity-name" />
        </Form.Item>
        <Form.Item name="customerId" label={t('opportunities.customer')}>
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            allowClear
            options={items}
            loading={customers.isFetching}
          />
        </Form.Item>
        <Form.Item name="amount" label={t('opportunities.amount')}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="needs" label={t('opportunities.needs')}>
          <Select mode="tags" open={false} placeholder={t('opportunities.addNeed')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
