import { useMutation } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useTaskRefresh } from './use-task-refresh';

export type CloseKind = 'cancel' | 'skip';
type Props = { task: Task | null; kind: CloseKind; onClose: () => void };

/** 取消任务 (no longer needed) or 跳过 (this occurrence passes): both ask why. */
export function CloseTaskModal({ task, kind, onClose }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTaskRefresh();
  const [form] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    if (task) form.resetFields();
  }, [task, form]);

  const options = {
    onSuccess: async (saved: Task) => {
      void message.success(kind === 'cancel' ? t('tasks.close.cancelled') : t('tasks.close.skipped'));
      onClose();
      await refresh(saved.customerId);
    },
    onError: (error: unknown) => showError(error, { form, fields: ['reason'] }),
  };
  const cancel = useMutation(trpc.tasks.cancel.mutationOptions(options));
  const skip = useMutation(trpc.tasks.skip.mutationOptions(options));
  const mutation = kind === 'cancel' ? cancel : skip;

  return (
    <Modal
      open={task !== null}
      title={kind === 'cancel' ? t('tasks.close.cancelTitle') : t('tasks.close.skipTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.confirm')}
      okButtonProps={{
        loading: mutation.isPending,
        danger: kind === 'cancel',
        'data-testid': 'task-close-submit',
      }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => task && mutation.mutate({ id: task.id, reason: values.reason.trim() })}
      >
        <Form.Item
          name="reason"
          label={t('tasks.close.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea
            data-testid="task-close-reason"
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={
              kind === 'cancel' ? t('tasks.close.cancelPlaceholder') : t('tasks.close.skipPlaceholder')
            }
            autoFocus
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
