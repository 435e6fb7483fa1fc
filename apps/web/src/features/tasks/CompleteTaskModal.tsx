import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Radio, Switch, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import {
  INTERACTION_KINDS,
  type InteractionKind,
  type Sentiment,
  type Task,
  type TaskType,
} from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { InteractionDetailFields } from '../interactions/InteractionDetailFields';
import { INTERACTION_ICONS } from '../interactions/InteractionTags';
import { TaskTypeTag } from './task-meta';
import { useTaskRefresh } from './use-task-refresh';

type Values = {
  log: boolean;
  kind: InteractionKind;
  summary?: string;
  contactId?: string | null;
  outcome?: string;
  nextStep?: string;
  nextStepDue?: Dayjs | null;
  sentiment: Sentiment;
};

/** The touch a task of this type usually is, to start the form from. */
const KIND_OF_TYPE: Partial<Record<TaskType, InteractionKind>> = {
  visit: 'visit',
  call: 'call',
  callback: 'call',
  care: 'call',
  video_call: 'meeting',
  online: 'meeting',
  needs_review: 'meeting',
  wechat: 'message',
  content_push: 'message',
  email: 'email',
};

type Props = { task: Task | null; onClose: () => void };

/**
 * 完成: completes the task and, in the same step (one transaction on the server), logs the
 * interaction — kind, what was said, the outcome and the next step; a next step with a due
 * date becomes the follow-up task.
 */
export function CompleteTaskModal({ task, onClose }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTaskRefresh();
  const [form] = Form.useForm<Values>();
  const open = task !== null;
  const customerId = task?.customerId ?? null;
  const contacts = useQuery({
    ...trpc.contacts.list.queryOptions({ customerId: customerId ?? '' }),
    enabled: open && customerId !== null,
  });
  const logging = Form.useWatch('log', form) ?? customerId !== null;

  useEffect(() => {
    if (!task) return;
    form.resetFields();
    form.setFieldsValue({
      log: task.customerId !== null,
      kind: KIND_OF_TYPE[task.type] ?? 'call',
      sentiment: 'neutral',
      contactId: task.contactId,
    });
  }, [task, form]);

  const idempotencyKey = useIdempotencyKey(task?.id ?? null);
  const complete = useMutation(
    trpc.tasks.complete.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async (result) => {
        void message.success(
          result.interactionId ? t('tasks.complete.doneAndLogged') : t('tasks.complete.done'),
        );
        onClose();
        await refresh(result.task.customerId);
      },
      onError: (error) =>
        showError(error, {
          form,
          fields: ['summary', 'contactId', 'outcome', 'nextStep', 'nextStepDue', 'kind', 'sentiment'],
          mapPath: (path) => path.replace(/^interaction\./, ''),
        }),
    }),
  );

  const submit = (values: Values) => {
    if (!task) return;
    const outcome = values.outcome?.trim();
    const nextStep = values.nextStep?.trim();
    complete.mutate({
      id: task.id,
      ...(values.log && task.customerId
        ? {
            interaction: {
              kind: values.kind,
              summary: (values.summary ?? '').trim(),
              sentiment: values.sentiment,
              ...(values.contactId ? { contactId: values.contactId } : {}),
              ...(outcome ? { outcome } : {}),
              ...(nextStep ? { nextStep } : {}),
              ...(values.nextStepDue ? { nextStepDue: values.nextStepDue.format('YYYY-MM-DD') } : {}),
            },
          }
        : {}),
    });
  };

  return (
    <Modal
      open={open}
      title={t('tasks.complete.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('tasks.complete.submit')}
      okButtonProps={{ loading: complete.isPending, 'data-testid': 'task-complete-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={620}
    >
      {task ? (
        <Typography.Paragraph>
          <TaskTypeTag type={task.type} /> <Typography.Text strong>{task.title}</Typography.Text>
          {task.customerName ? (
            <Typography.Text type="secondary"> · {task.customerName}</Typography.Text>
          ) : null}
        </Typography.Paragraph>
      ) : null}
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        {customerId ? (
          <Form.Item name="log" valuePropName="checked" label={t('tasks.complete.logInteraction')}>
            <Switch data-testid="task-complete-log" />
          </Form.Item>
        ) : (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('tasks.complete.noCustomer')} />
        )}
        {customerId && logging ? (
          <>
            <Form.Item name="kind" label={t('interactions.form.kind')}>
              <Radio.Group buttonStyle="solid">
                {INTERACTION_KINDS.map((kind) => (
                  <Radio.Button key={kind} value={kind}>
                    {INTERACTION_ICONS[kind]} {t(`interactions.kind.${kind}`)}
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
                data-testid="task-complete-summary"
                maxLength={4000}
                autoSize={{ minRows: 3, maxRows: 8 }}
                placeholder={t('interactions.form.summaryPlaceholder')}
                autoFocus
              />
            </Form.Item>
            <InteractionDetailFields
              contacts={contacts.data}
              contactsLoading={contacts.isPending}
              testIds="task-complete"
              nextStepHint={t('tasks.complete.followUpHint')}
            />
          </>
        ) : null}
      </Form>
    </Modal>
  );
}
