import { useMutation } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Values = { currentPassword: string; newPassword: string; confirmPassword: string };

/** auth.changePassword; the server signs out every other session of the user. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { notification } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        notification.success({ title: t('password.title'), description: t('password.changed') });
        form.resetFields();
        onClose();
      },
      onError: (error) =>
        showError(error, {
          form,
          fields: ['currentPassword', 'newPassword'],
          codeFields: {
            CURRENT_PASSWORD_WRONG: 'currentPassword',
            PASSWORD_TOO_SHORT: 'newPassword',
            PASSWORD_TOO_LONG: 'newPassword',
            PASSWORD_TOO_COMMON: 'newPassword',
          },
        }),
    }),
  );
  return (
    <Modal
      open={open}
      title={t('password.title')}
      okText={t('password.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={change.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={({ currentPassword, newPassword }) => change.mutate({ currentPassword, newPassword })}
      >
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('auth.passwordHint')}
          rules={[
            { required: true, message: t('common.required') },
            { min: 8, message: t('auth.passwordTooShort') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
