import { CopyOutlined, LinkOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INVITABLE_ROLES, type Role } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Values = { role: Exclude<Role, 'owner'>; email?: string };

/** members.invitations.create, then the full link (shown once) with a copy button. */
export function InviteModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const [created, setCreated] = useState<{ link: string; expiresAt: string } | null>(null);

  const create = useMutation(
    trpc.members.invitations.create.mutationOptions({
      onSuccess: async ({ token, expiresAt }) => {
        setCreated({ link: `${window.location.origin}/invite/${token}`, expiresAt });
        await queryClient.invalidateQueries(trpc.members.invitations.list.pathFilter());
      },
      onError: (error) => showError(error, { form, fields: ['role', 'email'] }),
    }),
  );

  const close = () => {
    setCreated(null);
    form.resetFields();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={created ? t('members.invitations.linkTitle') : t('members.invitations.modalTitle')}
      onCancel={close}
      destroyOnHidden
      footer={
        created ? (
          <Button type="primary" onClick={close}>
            {t('members.invitations.done')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button
              data-testid="invite-submit"
              type="primary"
              loading={create.isPending}
              onClick={() => form.submit()}
            >
              {t('members.invitations.submit')}
            </Button>
          </Space>
        )
      }
    >
      {created ? (
        <InviteLink link={created.link} expiresAt={created.expiresAt} />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ role: 'sales_rep' }}
          onFinish={({ role, email }) =>
            create.mutate({ role, ...(email?.trim() ? { email: email.trim() } : {}) })
          }
        >
          <Form.Item
            name="role"
            label={t('members.invitations.role')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              data-testid="invite-role"
              options={INVITABLE_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="email"
            label={
              <span>
                {t('members.invitations.email')}
                <Typography.Text type="secondary">{t('common.optional')}</Typography.Text>
              </span>
            }
            extra={t('members.invitations.emailHint')}
            rules={[{ type: 'email', message: t('common.invalidEmail') }]}
          >
            <Input data-testid="invite-email" type="email" placeholder={t('auth.emailPlaceholder')} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function InviteLink({ link, expiresAt }: { link: string; expiresAt: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      void message.success(t('common.copied'));
    } catch {
      void message.warning(t('common.copyFailed'));
    }
  };
  return (
    <>
      <Alert
        type="success"
        showIcon
        title={t('members.invitations.linkDescription', { date: formatDateTime(expiresAt) })}
        style={{ marginBottom: 16 }}
      />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          data-testid="invite-link"
          readOnly
          value={link}
          prefix={<LinkOutlined style={{ color: '#8c8c8c' }} />}
          onFocus={(event) => event.target.select()}
        />
        <Button data-testid="invite-copy" type="primary" icon={<CopyOutlined />} onClick={() => void copy()}>
          {t('common.copy')}
        </Button>
      </Space.Compact>
    </>
  );
}
