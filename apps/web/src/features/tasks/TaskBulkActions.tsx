import {
  CalendarOutlined,
  CheckOutlined,
  CloseOutlined,
  StopOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import {
  App,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useAssignableMembers } from './use-assignable-members';
import { useTaskRefresh } from './use-task-refresh';

type Props = { ids: string[]; onDone: () => void };
type Dialog = 'reassign' | 'reschedule' | 'cancel' | null;

/**
 * 批量操作 for managers on the selected open tasks: reassign, reschedule (to a day, or by N
 * days), complete, cancel — each one statement on the server, all or nothing.
 */
export function TaskBulkActions({ ids, onDone }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const refresh = useTaskRefresh();
  const owners = useAssignableMembers();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [ownerForm] = Form.useForm<{ ownerUserId: string }>();
  const [dateForm] = Form.useForm<{ how: 'date' | 'shift'; dueOn?: Dayjs; shiftDays?: number }>();
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const how = Form.useWatch('how', dateForm) ?? 'date';
  const count = ids.length;

  const bulk = useMutation(
    trpc.tasks.bulk.mutationOptions({
      onSuccess: async (result) => {
        void message.success(t('tasks.bulk.changed', { count: result.changed }));
        setDialog(null);
        onDone();
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );
  const target = { ids };

  const confirmComplete = () =>
    modal.confirm({
      title: t('tasks.bulk.completeConfirm', { count }),
      okText: t('tasks.bulk.complete'),
      cancelText: t('common.cancel'),
      onOk: () => bulk.mutateAsync({ action: 'complete', target }).catch(() => undefined),
    });

  if (count === 0) return null;
  return (
    <Flex gap={8} align="center" wrap data-testid="task-bulk-actions">
      <Typography.Text>{t('tasks.bulk.selected', { count })}</Typography.Text>
      <Button
        size="small"
        icon={<SwapOutlined />}
        onClick={() => setDialog('reassign')}
        data-testid="task-bulk-reassign"
      >
        {t('tasks.bulk.reassign')}
      </Button>
      <Button
        size="small"
        icon={<CalendarOutlined />}
        onClick={() => setDialog('reschedule')}
        data-testid="task-bulk-reschedule"
      >
        {t('tasks.bulk.reschedule')}
      </Button>
      <Button
        size="small"
        icon={<CheckOutlined />}
        onClick={confirmComplete}
        data-testid="task-bulk-complete"
      >
        {t('tasks.bulk.complete')}
      </Button>
      <Button size="small" danger icon={<StopOutlined />} onClick={() => setDialog('cancel')}>
        {t('tasks.bulk.cancel')}
      </Button>
      <Button size="small" type="text" icon={<CloseOutlined />} onClick={onDone}>
        {t('tasks.bulk.clear')}
      </Button>

      <Modal
        open={dialog === 'reassign'}
        title={t('tasks.bulk.reassignTitle')}
        onCancel={() => setDialog(null)}
        onOk={() => ownerForm.submit()}
        okButtonProps={{ loading: bulk.isPending }}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form
          form={ownerForm}
          layout="vertical"
          onFinish={(values) => bulk.mutate({ action: 'reassign', target, ownerUserId: values.ownerUserId })}
        >
          <Form.Item
            name="ownerUserId"
            label={t('tasks.form.owner')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={owners}
              data-testid="task-bulk-owner"
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={dialog === 'reschedule'}
        title={t('tasks.bulk.rescheduleTitle')}
        onCancel={() => setDialog(null)}
        onOk={() => dateForm.submit()}
        okButtonProps={{ loading: bulk.isPending }}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form
          form={dateForm}
          layout="vertical"
          initialValues={{ how: 'date', shiftDays: 1 }}
          onFinish={(values) =>
            bulk.mutate(
              values.how === 'date' && values.dueOn
                ? { action: 'reschedule', target, dueOn: values.dueOn.format('YYYY-MM-DD') }
                : { action: 'reschedule', target, shiftDays: values.shiftDays ?? 1 },
            )
          }
        >
          <Form.Item name="how">
            <Radio.Group>
              <Radio value="date">{t('tasks.bulk.toDate')}</Radio>
              <Radio value="shift">{t('tasks.bulk.shift')}</Radio>
            </Radio.Group>
          </Form.Item>
          {how === 'date' ? (
            <Form.Item
              name="dueOn"
              label={t('tasks.form.dueOn')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          ) : (
            <Form.Item name="shiftDays" label={t('tasks.bulk.days')} extra={t('tasks.bulk.shiftHint')}>
              <InputNumber min={-366} max={366} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          )}
        </Form>
      </Modal>

      <Modal
        open={dialog === 'cancel'}
        title={t('tasks.bulk.cancelTitle')}
        onCancel={() => setDialog(null)}
        onOk={() => reasonForm.submit()}
        okButtonProps={{ loading: bulk.isPending, danger: true }}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form
          form={reasonForm}
          layout="vertical"
          onFinish={(values) => bulk.mutate({ action: 'cancel', target, reason: values.reason.trim() })}
        >
          <Form.Item
            name="reason"
            label={t('tasks.close.reason')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input.TextArea
              maxLength={500}
              autoSize={{ minRows: 2 }}
              placeholder={t('tasks.close.cancelPlaceholder')}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
