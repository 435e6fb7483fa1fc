import { Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { usePick, usePipeline } from './pipeline-labels';

type Props = {
  open: boolean;
  pending: boolean;
  onCancel: () => void;
  onConfirm: (reason: string, note: string | null) => void;
};

/** 输单原因: a reason from the tenant's list (required) and a note. */
export function LostReasonDialog({ open, pending, onCancel, onConfirm }: Props) {
  const { t } = useTranslation();
  const pick = usePick();
  const { pipeline } = usePipeline();
  const [form] = Form.useForm<{ reason: string; note?: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal
      open={open}
      title={t('opportunities.lost.title')}
      okText={t('opportunities.lost.confirm')}
      okButtonProps={{ danger: true, loading: pending }}
      onCancel={onCancel}
      onOk={() => {
        void form.validateFields().then((values) => onConfirm(values.reason, values.note?.trim() || null));
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('opportunities.lost.reason')}
          rules={[{ required: true, message: t('opportunities.lost.required') }]}
        >
          <Select
            data-testid="lost-reason"
            options={(pipeline?.lostReasons ?? []).map((reason) => ({
              value: reason.key,
              label: pick(reason.labels),
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('opportunities.lost.note')}>
          <Input.TextArea maxLength={500} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
