import { DownOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INTERACTION_KINDS, type InteractionKind, type Sentiment } from '../../lib/api-types';
import { fieldErrorsOf } from '../../lib/errors';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { InteractionDetailFields } from './InteractionDetailFields';
import { INTERACTION_ICONS } from './InteractionTags';

type Values = {
  kind: InteractionKind;
  summary: string;
  contactId?: string | null;
  outcome?: string;
  nextStep?: string;
  nextStepDue?: Dayjs | null;
  sentiment: Sentiment;
};
const FIELDS = ['kind', 'summary', 'contactId', 'outcome', 'nextStep', 'nextStepDue', 'sentiment'] as const;
const MORE_FIELDS = new Set(['contactId', 'outcome', 'nextStep', 'nextStepDue', 'sentiment']);

type Props = { open: boolean; onClose: () => void; customerId: string };

/**
 * interactions.log in two clicks: the kind (a call by default) and what was said; the contact,
 * outcome, next step and the customer's sentiment are one more click away.
 */
export function LogInteractionModal({ open, onClose, customerId }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const [more, setMore] = useState(false);
  const contacts = useQuery({ ...trpc.contacts.list.queryOptions({ customerId }), enabled: open });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setMore(false);
  }, [open, form]);

  const idempotencyKey = useIdempotencyKey(open);
  const log = useMutation(
    trpc.interactions.log.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async () => {
        void message.success(t('interactions.logged'));
        onClose();
        await Promise.all([
          queryClient.invalidateQueries(trpc.interactions.list.queryFilter({ customerId })),
          queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: customerId })),
          // Contacts move completeness; interactions move the activity level.
          queryClient.invalidateQueries(trpc.customers.get.queryFilter({ id: customerId })),
        ]);
      },
      onError: (error) => {
        // A problem with one of the folded fields unfolds them, so the message shows in place.
        if (fieldErrorsOf(error).some((fieldError) => MORE_FIELDS.has(fieldError.path.split('.')[0] ?? ''))) {
          setMore(true);
        }
        showError(error, { form, fields: FIELDS });
      },
    }),
  );

  const submit = (values: Values) => {
    const outcome = values.outcome?.trim();
    const nextStep = values.nextStep?.trim();
    log.mutate({
      customerId,
      kind: values.kind,
      summary: values.summary.trim(),
      sentiment: values.sentiment,
      ...(values.contactId ? { contactId: values.contactId } : {}),
      ...(outcome ? { outcome } : {}),
      ...(nextStep ? { nextStep } : {}),
      ...(values.nextStepDue ? { nextStepDue: values.nextStepDue.format('YYYY-MM-DD') } : {}),
    });
  };

  return (
    <Modal
      open={open}
      title={t('interactions.title')}
      onCancel={onClose}
      destroyOnHidden
      width={600}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            data-testid="interaction-submit"
            type="primary"
            loading={log.isPending}
            onClick={() => form.submit()}
          >
            {t('interactions.form.submit')}
          </Button>
        </Flex>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ kind: 'call', sentiment: 'neutral' }}
        onFinish={submit}
      >
        <Form.Item name="kind" label={t('interactions.form.kind')}>
          <Radio.Group buttonStyle="solid">
            {INTERACTION_KINDS.map((kind) => (
              <Radio.Button key={kind} value={kind} data-testid={`interaction-kind-${kind}`}>
                <Flex gap={6} align="center">
                  {INTERACTION_ICONS[kind]}
                  {t(`interactions.kind.${kind}`)}
                </Flex>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('interactions.form.summary')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea
            data-testid="interaction-summary"
            maxLength={4000}
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder={t('interactions.form.summaryPlaceholder')}
            autoFocus
            onKeyDown={(event) => {
              // Ctrl/⌘ + Enter saves without reaching for the mouse.
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.submit();
            }}
          />
        </Form.Item>
        <Button
          type="link"
          size="small"
          data-testid="interaction-more"
          icon={more ? <DownOutlined /> : <RightOutlined />}
          onClick={() => setMore((shown) => !shown)}
          style={{ paddingInline: 0, marginBottom: more ? 12 : 0 }}
        >
          {t('interactions.form.more')}
        </Button>
        {/* Folded, not unmounted: the fields keep their values and can show server errors. */}
        <div style={{ display: more ? 'block' : 'none' }}>
          <InteractionDetailFields
            contacts={contacts.data}
            contactsLoading={contacts.isPending}
            testIds="interaction"
          />
        </div>
      </Form>
    </Modal>
  );
}
