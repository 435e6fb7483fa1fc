import { DownOutlined, KeyOutlined, LogoutOutlined, SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { App, Avatar, Button, Dropdown, Grid, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { ChangePasswordModal } from './ChangePasswordModal';

/** The user's name with: change password, sign out other sessions, sign out. */
export function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const screens = Grid.useBreakpoint();
  const [passwordOpen, setPasswordOpen] = useState(false);

  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: async () => {
        queryClient.clear();
        await navigate({ to: '/sign-in' });
      },
    }),
  );
  const signOutOthers = useMutation(
    trpc.auth.signOutOtherSessions.mutationOptions({
      onSuccess: ({ signedOut }) =>
        void message.success(
          signedOut > 0 ? t('header.signedOutOthers', { n: signedOut }) : t('header.signedOutOthersNone'),
        ),
      onError: (error) => showError(error),
    }),
  );

  return (
    <>
      <Dropdown
        trigger={['click']}
        placement="bottomRight"
        menu={{
          items: [
            {
              key: 'identity',
              type: 'group',
              label: (
                <div style={{ maxWidth: 240 }}>
                  <Typography.Text strong ellipsis style={{ display: 'block' }}>
                    {me.user.name}
                  </Typography.Text>
                  <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
                    {me.user.email}
                  </Typography.Text>
                </div>
              ),
            },
            { type: 'divider' },
            {
              key: 'password',
              icon: <KeyOutlined />,
              label: <span data-testid="change-password">{t('header.changePassword')}</span>,
              onClick: () => setPasswordOpen(true),
            },
            {
              key: 'others',
              icon: <SafetyOutlined />,
              label: <span data-testid="sign-out-others">{t('header.signOutOthers')}</span>,
              onClick: () =>
                modal.confirm({
                  title: t('header.signOutOthersConfirmTitle'),
                  content: t('header.signOutOthersConfirmContent'),
                  okText: t('common.confirm'),
                  cancelText: t('common.cancel'),
                  onOk: () => signOutOthers.mutateAsync().catch(() => undefined),
                }),
            },
            { type: 'divider' },
            {
              key: 'sign-out',
              icon: <LogoutOutlined />,
              danger: true,
              label: <span data-testid="sign-out">{t('header.signOut')}</span>,
              onClick: () => signOut.mutate(),
            },
          ],
        }}
      >
        <Button
          type="text"
          data-testid="user-menu"
          aria-label={t('header.userMenu')}
          style={{ height: 40, paddingInline: 8 }}
        >
          <Avatar size={28} style={{ background: '#1f5eff', flex: 'none' }}>
            {me.user.name.trim().slice(0, 1).toUpperCase()}
          </Avatar>
          {screens.md !== false ? <span className="crm-header-name">{me.user.name}</span> : null}
          <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </>
  );
}
