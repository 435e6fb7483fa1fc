import { MailOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { Alert, App, Button, Flex, Form, Input, Result, Spin, Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../components/AuthLayout';
import type { Me, RouterOutputs } from '../lib/api-types';
import { errorMessage } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import { useShowError } from '../lib/use-show-error';

export const Route = createFileRoute('/invite/$token')({
  component: InvitePage,
});

type Preview = RouterOutputs['members']['invitations']['preview'];

function InvitePage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { token } = Route.useParams();
  const me = useQuery(trpc.auth.me.queryOptions());
  const preview = useQuery({ ...trpc.members.invitations.preview.queryOptions({ token }), retry: false });

  let body: ReactNode;
  if (preview.isPending || me.isPending) {
    body = (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  } else if (preview.isError) {
    body = (
      <Result
        status="warning"
        title={t('invite.invalidTitle')}
        subTitle={errorMessage(preview.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
        extra={
          <Link to={me.data ? '/workbench' : '/sign-in'}>
            <Button type="primary">{me.data ? t('errors.backHome') : t('auth.signIn.title')}</Button>
          </Link>
        }
        style={{ padding: '16px 0' }}
      />
    );
  } else {
    body = (
      <>
        <InvitationSummary preview={preview.data} />
        {me.data ? (
          <AcceptAsMember me={me.data} preview={preview.data} token={token} />
        ) : (
          <AcceptAsGuest preview={preview.data} token={token} />
        )}
      </>
    );
  }

  return <AuthLayout title={t('invite.title')}>{body}</AuthLayout>;
}

function InvitationSummary({ preview }: { preview: Preview }) {
  const { t } = useTranslation();
  const params = {
    tenant: preview.tenantName,
    role: t(`roles.${preview.role}`),
    inviter: preview.inviterName ?? '',
  };
  return (
    <Flex
      gap={14}
      align="flex-start"
      style={{
        padding: 16,
        marginBottom: 20,
        borderRadius: 10,
        background: '#f0f5ff',
        border: '1px solid #d6e4ff',
      }}
    >
      <TeamOutlined style={{ fontSize: 28, color: '#1f5eff', marginTop: 2 }} />
      <div>
        <Typography.Text data-testid="invite-message" strong style={{ fontSize: 15 }}>
          {preview.inviterName ? t('invite.message', params) : t('invite.messageNoInviter', params)}
        </Typography.Text>
        {preview.email ? (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
            <MailOutlined /> {t('invite.emailRestricted', { email: preview.email })}
          </Typography.Text>
        ) : null}
      </div>
    </Flex>
  );
}

/** Signed in: accept with the current account (members.invitations.accept). */
function AcceptAsMember({ me, preview, token }: { me: Me; preview: Preview; token: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const mismatch = Boolean(preview.email && preview.email.toLowerCase() !== me.user.email.toLowerCase());

  const accept = useMutation(
    trpc.members.invitations.accept.mutationOptions({
      onSuccess: async () => {
        void message.success(t('invite.accepted', { tenant: preview.tenantName }));
        await queryClient.resetQueries();
        await navigate({ to: '/workbench' });
      },
      onError: (error) => showError(error),
    }),
  );
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      // Back to this page, signed out: the invitation stays open for another account.
      onSettled: () => queryClient.resetQueries(),
    }),
  );

  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary">{t('auth.signedInAs', { email: me.user.email })}</Typography.Text>
      {mismatch ? (
        <Alert
          type="warning"
          showIcon
          title={t('invite.emailMismatch', { current: me.user.email, invited: preview.email ?? '' })}
        />
      ) : null}
      {mismatch ? null : (
        <Button
          data-testid="invite-accept"
          type="primary"
          size="large"
          block
          loading={accept.isPending}
          onClick={() => accept.mutate({ token })}
        >
          {t('invite.accept')}
        </Button>
      )}
      <Button block loading={signOut.isPending} onClick={() => signOut.mutate()}>
        {t('invite.signOutAndSwitch')}
      </Button>
    </Flex>
  );
}

type NewUserValues = { name: string; email: string; password: string };

/** Not signed in: sign in and come back, or create an account and join in one step. */
function AcceptAsGuest({ preview, token }: { preview: Preview; token: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<NewUserValues>();

  const acceptAsNewUser = useMutation(
    trpc.members.invitations.acceptAsNewUser.mutationOptions({
      onSuccess: async (me) => {
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), me);
        void message.success(t('invite.accepted', { tenant: preview.tenantName }));
        await navigate({ to: '/workbench' });
      },
      onError: (error) =>
        showError(error, {
          form,
          fields: ['name', 'email', 'password'],
          codeFields: {
            PASSWORD_TOO_SHORT: 'password',
            PASSWORD_TOO_LONG: 'password',
            PASSWORD_TOO_COMMON: 'password',
          },
        }),
    }),
  );

  return (
    <Tabs
      items={[
        {
          key: 'new',
          label: t('invite.newAccount'),
          children: (
            <Form<NewUserValues>
              form={form}
              layout="vertical"
              requiredMark={false}
              initialValues={{ email: preview.email ?? '' }}
              onFinish={(values) =>
                acceptAsNewUser.mutate({ token, ...values, email: preview.email ?? values.email })
              }
            >
              <Form.Item
                name="name"
                label={t('auth.name')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
              >
                <Input
                  data-testid="invite-name"
                  maxLength={100}
                  autoComplete="name"
                  placeholder={t('auth.namePlaceholder')}
                />
              </Form.Item>
              <Form.Item
                name="email"
                label={t('auth.email')}
                rules={[
                  { required: true, message: t('common.required') },
                  { type: 'email', message: t('common.invalidEmail') },
                ]}
              >
                <Input
                  data-testid="invite-email"
                  type="email"
                  autoComplete="email"
                  disabled={Boolean(preview.email)}
                  placeholder={t('auth.emailPlaceholder')}
                />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('auth.password')}
                extra={t('auth.passwordHint')}
                rules={[
                  { required: true, message: t('common.required') },
                  { min: 8, message: t('auth.passwordTooShort') },
                ]}
              >
                <Input.Password data-testid="invite-password" autoComplete="new-password" />
              </Form.Item>
              <Button
                data-testid="invite-create-account"
                type="primary"
                size="large"
                htmlType="submit"
                block
                loading={acceptAsNewUser.isPending}
              >
                {t('invite.createAndJoin')}
              </Button>
            </Form>
          ),
        },
        {
          key: 'existing',
          label: t('invite.haveAccount'),
          children: (
            <Flex vertical gap={12} style={{ paddingTop: 8 }}>
              <Typography.Text type="secondary">{t('invite.haveAccountHint')}</Typography.Text>
              <Link to="/sign-in" search={{ redirect: `/invite/${token}` }}>
                <Button data-testid="invite-sign-in" type="primary" size="large" block>
                  {t('invite.signInToAccept')}
                </Button>
              </Link>
            </Flex>
          ),
        },
      ]}
    />
  );
}
