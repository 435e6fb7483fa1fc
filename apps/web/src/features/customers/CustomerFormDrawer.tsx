import { ShopOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Form, Input, Radio, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, CustomerKind } from '../../lib/api-types';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Values = { name: string; kind: CustomerKind; phone?: string; email?: string; ownerUserId?: string };
const FIELDS = ['name', 'kind', 'phone', 'email', 'ownerUserId'] as const;
const CODE_FIELDS = { INVALID_PHONE: 'phone', OWNER_NOT_MEMBER: 'ownerUserId' } as const;

type Props = {
  open: boolean;
  onClose: () => void;
  /** Edit this customer; without it the form creates one. */
  customer?: Customer;
  onCreated?: (customer: Customer) => void;
};

/** customers.create / customers.update in a drawer. */
export function CustomerFormDrawer({ open, onClose, customer, onCreated }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const { me } = useShell();
  const canReadMembers = useCan('members.read');
  const [form] = Form.useForm<Values>();
  const editing = Boolean(customer);

  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: open && canReadMembers });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (customer) {
      form.setFieldsValue({
        name: customer.name,
        kind: customer.kind,
        phone: customer.phone ?? '',
        email: customer.email ?? '',
        ownerUserId: customer.ownerUserId ?? undefined,
      });
    }
  }, [open, customer, form]);

  const onSaved = async (saved: Customer) => {
    queryClient.setQueryData(trpc.customers.get.queryKey({ id: saved.id }), saved);
    await queryClient.invalidateQueries(trpc.customers.list.pathFilter());
  };

  const create = useMutation(
    trpc.customers.create.mutationOptions({
      onSuccess: async (created) => {
        void message.success(t('customers.created', { name: created.name }));
        onClose();
        await onSaved(created);
        onCreated?.(created);
      },
      onError: (error) => showError(error, { form, fields: FIELDS, codeFields: CODE_FIELDS }),
    }),
  );
  const update = useMutation(
    trpc.customers.update.mutationOptions({
      onSuccess: async (updated) => {
        void message.success(t('customers.updated'));
        onClose();
        await onSaved(updated);
      },
      onError: (error) => showError(error, { form, fields: FIELDS, codeFields: CODE_FIELDS }),
    }),
  );

  const submit = (values: Values) => {
    const name = values.name.trim();
    const phone = values.phone?.trim() ?? '';
    const email = values.email?.trim() ?? '';
    if (customer) {
      update.mutate({
        id: customer.id,
        name,
        kind: values.kind,
        phone: phone || null,
        email: email || null,
        ...(canReadMembers && values.ownerUserId ? { ownerUserId: values.ownerUserId } : {}),
      });
    } else {
      create.mutate({
        name,
        kind: values.kind,
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
        ...(canReadMembers && values.ownerUserId ? { ownerUserId: values.ownerUserId } : {}),
      });
    }
  };

  const pending = create.isPending || update.isPending;

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={480}
      title={editing ? t('customers.form.editTitle') : t('customers.form.createTitle')}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            data-testid="customer-submit"
            type="primary"
            loading={pending}
            onClick={() => form.submit()}
          >
            {editing ? t('customers.form.submitEdit') : t('customers.form.submitCreate')}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ kind: 'person' }} onFinish={submit}>
        <Form.Item
          name="kind"
          label={t('customers.form.kind')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Radio.Group buttonStyle="solid">
            <Radio.Button value="person" data-testid="customer-kind-person">
              <UserOutlined /> {t('customers.kind.person')}
            </Radio.Button>
            <Radio.Button value="company" data-testid="customer-kind-company">
              <ShopOutlined /> {t('customers.kind.company')}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="name"
          label={t('customers.form.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            data-testid="customer-name"
            maxLength={200}
            placeholder={t('customers.form.namePlaceholder')}
            autoFocus
          />
        </Form.Item>
        <Form.Item name="phone" label={t('customers.form.phone')}>
          <Input
            data-testid="customer-phone"
            type="tel"
            maxLength={40}
            placeholder={t('customers.form.phonePlaceholder')}
          />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('customers.form.email')}
          rules={[{ type: 'email', message: t('common.invalidEmail') }]}
        >
          <Input
            data-testid="customer-email"
            type="email"
            maxLength={254}
            placeholder={t('customers.form.emailPlaceholder')}
          />
        </Form.Item>
        {canReadMembers ? (
          <Form.Item name="ownerUserId" label={t('customers.form.owner')}>
            <Select
              data-testid="customer-owner"
              showSearch={{ optionFilterProp: 'search' }}
              loading={members.isPending}
              placeholder={t('customers.form.ownerPlaceholder')}
              allowClear={!editing}
              options={(members.data ?? []).map((member) => ({
                value: member.userId,
                search: `${member.name} ${member.email}`,
                label:
                  member.userId === me.user.id
                    ? t('customers.form.ownerSelf', { name: member.name })
                    : member.name,
              }))}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Drawer>
  );
}
