import { ExportOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

const REASONS = ['unreachable', 'no_need', 'no_budget', 'not_decision_maker', 'duplicate', 'other'] as const;
type Reason = (typeof REASONS)[number];

/**
 * 释放到公海: on a lead's or customer's page, for its owner (and a manager, for the team's):
 * asks for the reason and a note, then the record leaves the owner for the pool.
 */
export function ReleaseButton(props: {
  entity: 'lead' | 'customer';
  id: string;
  ownerUserId: string | null;
  onReleased?: () => void | Promise<void>;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const { me } = useShell();
  const canClaim = useCan('pool.claim');
  const canAssign = useCan('pool.assign');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: Reason; note?: string }>();
  const key = useIdempotencyKey(open);
  const release = useMutation(
    trpc.pool.release.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async () => {
        void message.success(t('pool.released'));
        setOpen(false);
        await queryClient.invalidateQueries(trpc.pool.pathFilter());
        await props.onReleased?.();
      },
      onError: (error) => showError(error),
    }),
  );
  const mine = props.ownerUserId !== null && props.ownerUserId === me.user.id;
  if (props.ownerUserId === null || (!(canClaim && mine) && !canAssign)) return null;
  return (
    <>
      <Button data-testid="pool-release" icon={<ExportOutlined />} onClick={() => setOpen(true)}>
        {t('pool.release')}
      </Button>
      <Modal
        open={open}
        title={t('pool.releaseTitle')}
        okButtonProps={{ loading: release.isPending, id: 'pool-release-confirm' }}
        onOk={() =>
          void form
            .validateFields()
            .then((values) =>
              release.mutate({
                entity: props.entity,
                id: props.id,
                reason: values.reason,
                note: values.note?.trim() || undefined,
              }),
            )
            .catch(() => undefined)
        }
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('pool.releaseHelp')}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('pool.releaseReason')} rules={[{ required: true }]}>
            <Radio.Group
              options={REASONS.map((reason) => ({ value: reason, label: t(`pool.reasons.${reason}`) }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('pool.releaseNote')}>
            <Input.TextArea maxLength={500} rows={3} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
