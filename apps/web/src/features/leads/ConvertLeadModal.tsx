import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { App, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadDetail, RouterInputs } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import {
  type ExactDuplicate,
  ExactDuplicateDialog,
  exactDuplicateOf,
} from '../duplicates/ExactDuplicateDialog';

type ConvertInput = RouterInputs['opportunities']['convertLead'];
type Values = { mode: 'new' | 'existing'; customerId?: string; opportunityName?: string };

/**
 * 转化: the lead becomes a contact and a customer — a new one (the customers' duplicate check:
 * an exact duplicate opens the dialog that links the existing customer or creates anyway with a
 * reason) or an existing one the member sees — and an opportunity in the pipeline's first stage,
 * in one transaction (opportunities.convertLead). Afterwards the opportunity opens.
 */
export function ConvertLeadModal({
  lead,
  open,
  onClose,
}: {
  lead: LeadDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch('mode', form) ?? 'new';
  const [search, setSearch] = useState(lead.companyName ?? lead.personName ?? '');
  const [duplicate, setDuplicate] = useState<ExactDuplicate | null>(null);
  const last = useRef<ConvertInput | null>(null);
  const key = useIdempotencyKey(open);
  useEffect(() => {
    if (open) {
      form.setFieldsValue({ mode: 'new', customerId: undefined, opportunityName: undefined });
      setDuplicate(null);
    }
  }, [open, form]);
  const customers = useQuery({
    ...trpc.customers.list.queryOptions({ search: search || undefined, limit: 20 }),
    enabled: open && mode === 'existing',
  });
  const convert = useMutation(
    trpc.opportunities.convertLead.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async (result) => {
        setDuplicate(null);
        void message.success(t('leads.convert.done'));
        onClose();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.opportunities.pathKey() }),
        ]);
        void navigate({ to: '/opportunities', search: { open: result.opportunityId } });
      },
      onError: (error) => {
        const exact = exactDuplicateOf(error);
        if (exact) setDuplicate(exact);
        else showError(error, { form, fields: ['customerId', 'opportunityName'] });
      },
    }),
  );
  const submit = (values: Values) => {
    const input: ConvertInput = {
      leadId: lead.id,
      customer:
        values.mode === 'existing' && values.customerId
          ? { mode: 'existing', customerId: values.customerId }
          : { mode: 'new' },
      ...(values.opportunityName?.trim() ? { opportunityName: values.opportunityName.trim() } : {}),
    };
    last.current = input;
    convert.mutate(input);
  };
  const name = lead.companyName ?? lead.personName ?? '';
  return (
    <>
      <Modal
        open={open}
        title={t('leads.convert.title', { name })}
        okText={t('leads.convert.submit')}
        onCancel={onClose}
        onOk={() => form.submit()}
        okButtonProps={{
          loading: convert.isPending && duplicate === null,
          'data-testid': 'lead-convert-submit',
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('leads.convert.help')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'new' }}>
          <Form.Item name="mode" label={t('leads.convert.customer')}>
            <Radio.Group
              data-testid="lead-convert-mode"
              options={[
                { value: 'new', label: t('leads.convert.newCustomer', { name }) },
                { value: 'existing', label: t('leads.convert.existingCustomer') },
              ]}
            />
          </Form.Item>
          {mode === 'existing' ? (
            <Form.Item
              name="customerId"
              label={t('leads.convert.pickCustomer')}
              rules={[{ required: true, message: t('leads.convert.pickCustomer') }]}
            >
              <Select
                data-testid="lead-convert-customer"
                showSearch={{ filterOption: false, onSearch: setSearch }}
                placeholder={t('leads.convert.searchCustomer')}
                loading={customers.isFetching}
                options={(customers.data?.items ?? []).map((customer) => ({
                  value: customer.id,
                  label: customer.name,
                }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item
            name="opportunityName"
            label={t('leads.convert.opportunityName')}
            extra={t('leads.convert.opportunityNameHelp')}
          >
            <Input
              maxLength={200}
              placeholder={[name, lead.needs[0]].filter(Boolean).join(' · ')}
              data-testid="lead-convert-name"
            />
          </Form.Item>
        </Form>
      </Modal>
      <ExactDuplicateDialog
        duplicate={duplicate}
        pending={convert.isPending}
        onCancel={() => setDuplicate(null)}
        onCreateAnyway={(reason) => {
          if (last.current) convert.mutate({ ...last.current, customer: { mode: 'new', force: { reason } } });
        }}
      />
    </>
  );
}
