import { LEAD_SOURCES, LEAD_STATUSES } from '@crm/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

export type Campaign = RouterOutputs['marketing']['campaigns']['list'][number];
type Audience = NonNullable<RouterInputs['marketing']['campaigns']['create']['audience']>;
type Values = { name: string; subject: string; body: string } & Required<Audience>;
const FIELDS = ['name', 'subject', 'body', 'audience'] as const;
const GRADES = ['A', 'B', 'C'];

/** Placeholders shown literally in help texts (i18next would fill {{name}}). */
const NAME = { name: '{{name}}', interpolation: { escapeValue: false } };

type Props = { open: boolean; campaign?: Campaign; onClose: () => void };

/** marketing.campaigns.create / update: the email and its audience, with the audience's size as it is chosen. */
export function CampaignFormModal({ open, campaign, onClose }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const grades = Form.useWatch('grades', form) ?? [];
  const statuses = Form.useWatch('statuses', form) ?? [];
  const sources = Form.useWatch('sources', form) ?? [];
  const audience: Audience = {
    ...(grades.length ? { grades } : {}),
    ...(statuses.length ? { statuses } : {}),
    ...(sources.length ? { sources } : {}),
  };
  const count = useQuery({
    ...trpc.marketing.campaigns.audienceCount.queryOptions({ audience }),
    enabled: open,
  });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      campaign
        ? {
            name: campaign.name,
            subject: campaign.subject,
            body: campaign.body,
            grades: campaign.audience.grades ?? [],
            statuses: campaign.audience.statuses ?? [],
            sources: campaign.audience.sources ?? [],
          }
        : { name: '', subject: '', body: '', grades: [], statuses: [], sources: [] },
    );
  }, [open, campaign, form]);

  const onError = (error: unknown) => showError(error, { form, fields: FIELDS });
  const onSaved = async (text: string) => {
    void message.success(text);
    onClose();
    await queryClient.invalidateQueries(trpc.marketing.campaigns.pathFilter());
  };
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.marketing.campaigns.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: (created) => onSaved(t('marketing.campaigns.created', { name: created.name })),
      onError,
    }),
  );
  const update = useMutation(
    trpc.marketing.campaigns.update.mutationOptions({
      onSuccess: (updated) => onSaved(t('marketing.campaigns.updated', { name: updated.name })),
      onError,
    }),
  );

  const submit = (values: Values) => {
    const fields = { name: values.name, subject: values.subject, body: values.body, audience };
    if (campaign) update.mutate({ id: campaign.id, ...fields });
    else create.mutate(fields);
  };

  return (
    <Modal
      open={open}
      width={640}
      title={campaign ? t('marketing.campaigns.editTitle') : t('marketing.campaigns.createTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text type="secondary" data-testid="campaign-audience-count">
            {count.data ? t('marketing.campaigns.audienceCount', { count: count.data.count }) : ''}
          </Typography.Text>
          <Flex gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              data-testid="campaign-submit"
              type="primary"
              loading={create.isPending || update.isPending}
              onClick={() => form.submit()}
            >
              {campaign ? t('common.save') : t('common.create')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="name"
          label={t('marketing.campaigns.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="campaign-name" autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item
          name="subject"
          label={t('marketing.campaigns.subject')}
          extra={t('marketing.campaigns.subjectHelp', NAME)}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="campaign-subject" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('marketing.campaigns.body')}
          extra={t('marketing.campaigns.bodyHelp', NAME)}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea data-testid="campaign-body" rows={7} maxLength={20000} />
        </Form.Item>
        <Typography.Text strong>{t('marketing.campaigns.audience')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('marketing.campaigns.audienceHelp')}
        </Typography.Paragraph>
        <Flex gap={12} wrap>
          <Form.Item name="grades" label={t('marketing.campaigns.grades')} style={{ minWidth: 160, flex: 1 }}>
            <Select
              data-testid="campaign-grades"
              mode="multiple"
              allowClear
              options={GRADES.map((grade) => ({ value: grade, label: grade }))}
            />
          </Form.Item>
          <Form.Item
            name="statuses"
            label={t('marketing.campaigns.statuses')}
            style={{ minWidth: 160, flex: 1 }}
          >
            <Select
              mode="multiple"
              allowClear
              options={LEAD_STATUSES.filter(
                (status) => status !== 'converted' && status !== 'disqualified',
              ).map((status) => ({ value: status, label: t(`marketing.leadStatuses.${status}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="sources"
            label={t('marketing.campaigns.sources')}
            style={{ minWidth: 160, flex: 1 }}
          >
            <Select
              mode="multiple"
              allowClear
              options={LEAD_SOURCES.map((source) => ({
                value: source,
                label: t(`marketing.leadSources.${source}`),
              }))}
            />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
