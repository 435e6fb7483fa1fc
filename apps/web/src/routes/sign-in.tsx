import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link, redirect, useRouter } from '@tanstack/react-router';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../components/AuthLayout';
import { errorMessage, fieldErrorsOf } from '../lib/errors';
import { safeRedirect } from '../lib/redirect';
import { searchOf, text } from '../lib/search-params';
import { useTRPC } from '../lib/trpc';

const searchSchema = searchOf({
  /** Where to go after signing in, e.g. back to an invitation. */
  redirect: text(2000),
});

export const Route = createFileRoute('/sign-in')({
  validateSearch: (search) => searchSchema.parse(search),
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.fetchQuery(context.trpc.auth.me.queryOptions());
    if (me) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: SignInPage,
});

type Values = { email: string; password: string };

function SignInPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const search = Route.useSearch();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);

  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: (me) => {
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), me);
        router.history.push(safeRedirect(search.redirect));
      },
      onError: (error) => {
        setFormError(errorMessage(error, { network: t('errors.network'), unknown: t('errors.unknown') }));
        form.setFields(
          fieldErrorsOf(error)
            .filter((fieldError) => fieldError.path === 'email' || fieldError.path === 'password')
            .map((fieldError) => ({ name: fieldError.path as keyof Values, errors: [fieldError.message] })),
        );
      },
    }),
  );

  return (
    <AuthLayout title={t('auth.signIn.title')} subtitle={t('auth.signIn.subtitle')}>
      {formError ? <Alert type="error" showIcon title={formError} style={{ marginBottom: 20 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        size="large"
        onValuesChange={() => setFormError(null)}
        onFinish={(values) => signIn.mutate(values)}
      >
        <Form.Item
          name="email"
          label={t('auth.email')}
          rules={[
            { required: true, message: t('common.required') },
            { type: 'email', message: t('common.invalidEmail') },
          ]}
        >
          <Input
            data-testid="signin-email"
            type="email"
            autoComplete="username"
            placeholder={t('auth.emailPlaceholder')}
            autoFocus
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password
            data-testid="signin-password"
            autoComplete="current-password"
            placeholder={t('auth.passwordPlaceholder')}
          />
        </Form.Item>
        <Button
          data-testid="signin-submit"
          type="primary"
          htmlType="submit"
          block
          loading={signIn.isPending}
          style={{ marginTop: 8 }}
        >
          {t('auth.signIn.submit')}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 24, marginBottom: 0, textAlign: 'center' }}>
        {t('auth.signIn.noAccount')} <Link to="/sign-up">{t('auth.signIn.toSignUp')}</Link>
      </Typography.Paragraph>
    </AuthLayout>
  );
}
