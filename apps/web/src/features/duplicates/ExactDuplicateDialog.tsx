import { Link } from '@tanstack/react-router';
import { Alert, Button, Flex, Form, Input, Modal, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { appCodeOf, isApiError } from '../../lib/errors';

/** The server refused a create as an exact duplicate: its message and the existing customer. */
export type ExactDuplicate = { message: string; existingId: string | null };

const EXACT_CODES = ['CUSTOMER_EXACT_DUPLICATE', 'CUSTOMER_EXACT_DUPLICATE_HIDDEN'];

/** The exact-duplicate refusal of customers.create, or null for any other error. */
export function exactDuplicateOf(error: unknown): ExactDuplicate | null {
  if (!isApiError(error) || !EXACT_CODES.includes(appCodeOf(error) ?? '')) return null;
  const params = (error.data as { appParams?: Record<string, unknown> } | undefined)?.appParams ?? {};
  return {
    message: error.message,
    existingId: typeof params.existingId === 'string' ? params.existingId : null,
  };
}

type Props = {
  duplicate: ExactDuplicate | null;
  pending: boolean;
  onCancel: () => void;
  /** 仍然新建 with the member's reason (required; audited on the new customer). */
  onCreateAnyway: (reason: string) => void;
};

/**
 * An exact duplicate is not saved with one click: the dialog opens the existing customer, or
 * creates the new one anyway with a reason.
 */
export function ExactDuplicateDialog({ duplicate, pending, onCancel, onCreateAnyway }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const open = duplicate !== null;
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal
      open={open}
      title={t('duplicates.exact.title')}
      onCancel={onCancel}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onCancel}>{t('duplicates.exact.back')}</Button>
          <Button data-testid="create-anyway" danger loading={pending} onClick={() => form.submit()}>
            {t('duplicates.exact.anyway')}
          </Button>
        </Flex>
      }
    >
      <Flex vertical gap={16}>
        <Alert type="warning" showIcon title={duplicate?.message} data-testid="exact-duplicate" />
        {duplicate?.existingId ? (
          <Link
            to="/customers/$customerId"
            params={{ customerId: duplicate.existingId }}
            data-testid="exact-duplicate-open"
          >
            {t('duplicates.exact.open')}
          </Link>
        ) : null}
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => onCreateAnyway(values.reason.trim())}
        >
          <Form.Item
            name="reason"
            label={t('duplicates.exact.reason')}
            extra={<Typography.Text type="secondary">{t('duplicates.exact.reasonHelp')}</Typography.Text>}
            rules={[{ required: true, whitespace: true, message: t('duplicates.exact.reasonRequired') }]}
          >
            <Input.TextArea
              data-testid="create-anyway-reason"
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              placeholder={t('duplicates.exact.reasonPlaceholder')}
            />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}
