import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link, redirect, useNavigate } from '@tanstack/react-router';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../components/AuthLayout';
import { IndustryPicker } from '../components/IndustryPicker';
import type { Industry, Me } from '../lib/api-types';
import { appCodeOf, errorMessage, fieldErrorsOf } from '../lib/errors';
import { useTRPC } from '../lib/trpc';

export const Route = createFileRoute('/sign-up')({
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.fetchQuery(context.trpc.auth.me.queryOptions());
    if (me) throw redirect({ to: '/customers' });
  },
  component: SignUpPage,
});

type Values = { tenantName: string; industry: Industry; name: string; email: string; password: string };
const FIELDS = ['tenantName', 'industry', 'name', 'email', 'password'] as const;

function SignUpPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);

  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: ({ user, activeTenantId }) => {
        const me: Me = { user, activeTenantId };
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), me);
        void navigate({ to: '/customers' });
      },
      onError: (error) => {
        const text = errorMessage(error, { network: t('errors.network'), unknown: t('errors.unknown') });
        if (appCodeOf(error)?.startsWith('PASSWORD_')) {
          form.setFields([{ name: 'password', errors: [text] }]);
          return;
        }
        setFormError(text);
        form.setFields(
          fieldErrorsOf(error)
            .filter((fieldError) => (FIELDS as readonly string[]).includes(fieldError.path))
            .map((fieldError) => ({ name: fieldError.path as keyof Values, errors: [fieldError.message] })),
        );
      },
    }),
  );

  return (
    <AuthLayout title={t('auth.signUp.title')} subtitle={t('auth.signUp.subtitle')}>
      {formError ? <Alert type="error" showIcon title={formError} style={{ marginBottom: 20 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ industry: 'b2b' }}
        onValuesChange={() => setFormError(null)}
        onFinish={(values) => signUp.mutate(values)}
      >
        <Form.Item
          name="tenantName"
          label={t('auth.signUp.tenantName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            data-testid="signup-tenant-name"
            maxLength={200}
            placeholder={t('auth.signUp.tenantNamePlaceholder')}
            autoFocus
          />
        </Form.Item>
        <Form.Item
          name="industry"
          label={t('industry.label')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <IndustryPicker testIdPrefix="signup-industry" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('auth.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            data-testid="signup-name"
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
            data-testid="signup-email"
            type="email"
            autoComplete="email"
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
          <Input.Password data-testid="signup-password" autoComplete="new-password" />
        </Form.Item>
        <Button
          data-testid="signup-submit"
          type="primary"
          size="large"
          htmlType="submit"
          block
          loading={signUp.isPending}
          style={{ marginTop: 8 }}
        >
          {t('auth.signUp.submit')}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 24, marginBottom: 0, textAlign: 'center' }}>
        {t('auth.signUp.hasAccount')} <Link to="/sign-in">{t('auth.signUp.toSignIn')}</Link>
      </Typography.Paragraph>
    </AuthLayout>
  );
}
