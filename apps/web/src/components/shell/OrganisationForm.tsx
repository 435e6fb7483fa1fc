import { useMutation } from '@tanstack/react-query';
import { App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Industry } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useAfterTenantChange } from '../../lib/use-tenant-change';
import { IndustryPicker } from '../IndustryPicker';

type Values = { name: string; industry: Industry };

/** tenants.create: a new organisation owned by the signed-in user, which becomes the active one. */
export function OrganisationForm({ onDone, onCancel }: { onDone?: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const afterTenantChange = useAfterTenantChange();
  const [form] = Form.useForm<Values>();
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async (tenant) => {
        void message.success(t('org.created', { name: tenant.name }));
        form.resetFields();
        onDone?.();
        await afterTenantChange();
      },
      onError: (error) => showError(error, { form, fields: ['name', 'industry'] }),
    }),
  );
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={{ industry: 'b2b' }}
      onFinish={(values) => create.mutate(values)}
    >
      <Form.Item
        name="name"
        label={t('org.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input data-testid="org-name" maxLength={200} placeholder={t('org.namePlaceholder')} />
      </Form.Item>
      <Form.Item
        name="industry"
        label={t('industry.label')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <IndustryPicker testIdPrefix="org-industry" />
      </Form.Item>
      <Form.Item style={{ marginBottom: 0, textAlign: 'end' }}>
        {onCancel ? (
          <Button onClick={onCancel} style={{ marginInlineEnd: 8 }}>
            {t('common.cancel')}
          </Button>
        ) : null}
        <Button data-testid="org-submit" type="primary" htmlType="submit" loading={create.isPending}>
          {t('org.submit')}
        </Button>
      </Form.Item>
    </Form>
  );
}
