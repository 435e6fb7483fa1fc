import { LEAD_INTENTS } from '@crm/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Modal, Radio, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

export type LeadForm = RouterOutputs['marketing']['forms']['list'][number];
type Intent = LeadForm['intents'][number];
type Values = {
  name: string;
  title: string;
  intro: string;
  locale: 'zh-CN' | 'en';
  intents: Intent[];
  askCompany: boolean;
  campaignId: string | null;
  active: boolean;
};
const FIELDS = ['name', 'title', 'intro', 'locale', 'intents', 'askCompany', 'campaignId'] as const;

type Props = { open: boolean; leadForm?: LeadForm; onClose: () => void };

/** marketing.forms.create / update: what the hosted page says and asks. */
export function LeadFormModal({ open, leadForm, onClose }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const campaigns = useQuery({ ...trpc.marketing.campaigns.list.queryOptions(), enabled: open });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      leadForm
        ? {
            name: leadForm.name,
            title: leadForm.title,
            intro: leadForm.intro ?? '',
            locale: leadForm.locale,
            intents: leadForm.intents,
            askCompany: leadForm.askCompany,
            campaignId: leadForm.campaignId,
            active: leadForm.active,
          }
        : {
            name: '',
            title: '',
            intro: '',
            locale: 'zh-CN',
            intents: ['price', 'features', 'browsed'],
            askCompany: true,
            campaignId: null,
            active: true,
          },
    );
  }, [open, leadForm, form]);

  const onError = (error: unknown) => showError(error, { form, fields: FIELDS });
  const onSaved = async (text: string) => {
    void message.success(text);
    onClose();
    await queryClient.invalidateQueries(trpc.marketing.forms.pathFilter());
  };
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.marketing.forms.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: (created) => onSaved(t('marketing.forms.created', { name: created.name })),
      onError,
    }),
  );
  const update = useMutation(
    trpc.marketing.forms.update.mutationOptions({
      onSuccess: (updated) => onSaved(t('marketing.forms.updated', { name: updated.name })),
      onError,
    }),
  );

  const submit = (values: Values) => {
    const fields = {
      name: values.name,
      title: values.title,
      intro: values.intro.trim() ? values.intro : null,
      locale: values.locale,
      intents: values.intents,
      askCompany: values.askCompany,
      campaignId: values.campaignId ?? null,
    };
    if (leadForm) update.mutate({ id: leadForm.id, ...fields, active: values.active });
    else create.mutate(fields);
  };

  return (
    <Modal
      open={open}
      width={600}
      title={leadForm ? t('marketing.forms.editTitle') : t('marketing.forms.createTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            data-testid="lead-form-submit"
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
          >
            {leadForm ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="name"
          label={t('marketing.forms.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="lead-form-name" autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('marketing.forms.title')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="lead-form-title" maxLength={100} />
        </Form.Item>
        <Form.Item name="intro" label={t('marketing.forms.intro')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        <Form.Item name="locale" label={t('marketing.forms.locale')}>
          <Radio.Group
            optionType="button"
            options={(['zh-CN', 'en'] as const).map((locale) => ({
              value: locale,
              label: t(`marketing.locales.${locale}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="intents"
          label={t('marketing.forms.intents')}
          extra={t('marketing.forms.intentsHelp')}
          rules={[{ required: true, type: 'array', min: 1, message: t('common.required') }]}
        >
          <Select
            mode="multiple"
            options={LEAD_INTENTS.map((intent) => ({
              value: intent,
              label: t(`marketing.intents.${intent}`),
            }))}
          />
        </Form.Item>
        <Flex gap={24} wrap>
          <Form.Item name="askCompany" label={t('marketing.forms.askCompany')} valuePropName="checked">
            <Switch />
          </Form.Item>
          {leadForm ? (
            <Form.Item name="active" label={t('marketing.forms.columns.active')} valuePropName="checked">
              <Switch
                checkedChildren={t('marketing.forms.active')}
                unCheckedChildren={t('marketing.forms.inactive')}
              />
            </Form.Item>
          ) : null}
        </Flex>
        <Form.Item name="campaignId" label={t('marketing.forms.campaign')}>
          <Select
            allowClear
            placeholder={t('marketing.forms.campaignNone')}
            options={(campaigns.data ?? []).map((campaign) => ({ value: campaign.id, label: campaign.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
