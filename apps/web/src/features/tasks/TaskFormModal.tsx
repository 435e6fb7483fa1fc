import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Col, DatePicker, Form, Input, Modal, Row, Select, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  TASK_PRIORITIES,
  TASK_TYPES,
  type Task,
  type TaskPriority,
  type TaskType,
} from '../../lib/api-types';
import { instantAt, inTimeZone } from '../../lib/format';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useShell, useTenantTimeZone } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { TASK_TYPE_ICONS } from './task-meta';
import { useAssignableMembers } from './use-assignable-members';
import { useTaskRefresh } from './use-task-refresh';

type Values = {
  title: string;
  type: TaskType;
  customerId?: string | null;
  contactId?: string | null;
  dueOn: Dayjs;
  dueAt?: Dayjs | null;
  priority: TaskPriority;
  ownerUserId?: string | null;
  notes?: string;
};
const FIELDS = [
  'title',
  'type',
  'customerId',
  'contactId',
  'dueOn',
  'dueAt',
  'priority',
  'ownerUserId',
  'notes',
];

type Props = {
  open: boolean;
  onClose: () => void;
  /** Editing this task; a new one otherwise. */
  task?: Task | null;
  /** A new task about this customer (from its 360 page): the customer is fixed. */
  customer?: { id: string; name: string } | null;
};

/** 新建任务 / 编辑任务: title, type, customer and contact, due day (and time), priority, owner. */
export function TaskFormModal({ open, onClose, task = null, customer = null }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTaskRefresh();
  const [form] = Form.useForm<Values>();
  const owners = useAssignableMembers(open);
  const { me } = useShell();
  const timeZone = useTenantTimeZone();
  const [search, setSearch] = useState('');
  const customerId = Form.useWatch('customerId', form) ?? task?.customerId ?? customer?.id ?? null;
  const customers = useQuery({
    ...trpc.customers.list.queryOptions({ search: search || undefined, limit: 20 }),
    enabled: open && !task && !customer,
  });
  const contacts = useQuery({
    ...trpc.contacts.list.queryOptions({ customerId: customerId ?? '' }),
    enabled: open && customerId !== null,
  });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setSearch('');
    if (task) {
      form.setFieldsValue({
        title: task.title,
        type: task.type,
        customerId: task.customerId,
        contactId: task.contactId,
        dueOn: dayjs(task.dueOn),
        dueAt: task.dueAt ? inTimeZone(task.dueAt, timeZone) : null,
        priority: task.priority,
        ownerUserId: task.ownerUserId,
        notes: task.notes ?? undefined,
      });
    } else {
      form.setFieldsValue({
        type: 'follow_up',
        priority: 'normal',
        dueOn: dayjs(),
        customerId: customer?.id ?? null,
        // One's own task unless given to someone else.
        ownerUserId: me.user.id,
      });
    }
  }, [open, task, customer, form, me.user.id]);

  const onSaved = async (saved: Task) => {
    void message.success(task ? t('tasks.saved') : t('tasks.created'));
    onClose();
    await refresh(saved.customerId);
  };
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: onSaved,
      onError: (error) => showError(error, { form, fields: FIELDS }),
    }),
  );
  const update = useMutation(
    trpc.tasks.update.mutationOptions({
      onSuccess: onSaved,
      onError: (error) => showError(error, { form, fields: FIELDS }),
    }),
  );

  /** The deadline: the due day at the chosen time, when a time is chosen. */
  const deadline = (values: Values) =>
    values.dueAt
      ? instantAt(values.dueOn.format('YYYY-MM-DD'), values.dueAt.hour(), values.dueAt.minute(), timeZone)
      : null;

  const submit = (values: Values) => {
    const notes = values.notes?.trim() || null;
    if (task) {
      update.mutate({
        id: task.id,
        title: values.title.trim(),
        type: values.type,
        notes,
        dueOn: values.dueOn.format('YYYY-MM-DD'),
        dueAt: deadline(values),
        priority: values.priority,
        contactId: values.contactId ?? null,
        ...(values.ownerUserId && values.ownerUserId !== task.ownerUserId
          ? { ownerUserId: values.ownerUserId }
          : {}),
      });
      return;
    }
    create.mutate({
      title: values.title.trim(),
      type: values.type,
      notes,
      customerId: values.customerId ?? null,
      contactId: values.contactId ?? null,
      dueOn: values.dueOn.format('YYYY-MM-DD'),
      dueAt: deadline(values),
      priority: values.priority,
      ...(values.ownerUserId ? { ownerUserId: values.ownerUserId } : {}),
    });
  };

  const customerOptions = task
    ? task.customerId
      ? [{ value: task.customerId, label: task.customerName ?? '' }]
      : []
    : customer
      ? [{ value: customer.id, label: customer.name }]
      : (customers.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }));

  return (
    <Modal
      open={open}
      title={task ? t('tasks.edit') : t('tasks.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: create.isPending || update.isPending, 'data-testid': 'task-form-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={620}
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="title"
          label={t('tasks.form.title')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            data-testid="task-form-title"
            maxLength={200}
            placeholder={t('tasks.form.titlePlaceholder')}
            autoFocus
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="type" label={t('tasks.form.type')}>
              <Select
                data-testid="task-form-type"
                options={TASK_TYPES.map((type) => ({
                  value: type,
                  label: (
                    <span>
                      {TASK_TYPE_ICONS[type]} {t(`tasks.type.${type}`)}
                    </span>
                  ),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="priority" label={t('tasks.form.priority')}>
              <Select
                options={TASK_PRIORITIES.map((priority) => ({
                  value: priority,
                  label: t(`tasks.priority.${priority}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="customerId" label={t('tasks.form.customer')}>
              <Select
                data-testid="task-form-customer"
                showSearch={{ filterOption: false, onSearch: setSearch }}
                allowClear={!task && !customer}
                disabled={Boolean(task) || Boolean(customer)}
                loading={customers.isFetching}
                placeholder={t('tasks.form.customerPlaceholder')}
                options={customerOptions}
                onChange={() => form.setFieldValue('contactId', null)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="contactId" label={t('tasks.form.contact')}>
              <Select
                allowClear
                disabled={customerId === null}
                placeholder={t('tasks.form.contactPlaceholder')}
                options={(contacts.data ?? []).map((contact) => ({
                  value: contact.id,
                  label: contact.title ? `${contact.name} · ${contact.title}` : contact.name,
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={owners.length > 0 ? 8 : 12}>
            <Form.Item
              name="dueOn"
              label={t('tasks.form.dueOn')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <DatePicker data-testid="task-form-due" style={{ width: '100%' }} allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={owners.length > 0 ? 8 : 12}>
            <Form.Item name="dueAt" label={t('tasks.form.dueAt')}>
              <TimePicker format="HH:mm" minuteStep={15} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {owners.length > 0 ? (
            <Col xs={24} sm={8}>
              <Form.Item name="ownerUserId" label={t('tasks.form.owner')}>
                <Select
                  data-testid="task-form-owner"
                  showSearch={{ optionFilterProp: 'label' }}
                  options={owners}
                />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Form.Item name="notes" label={t('tasks.form.notes')}>
          <Input.TextArea
            maxLength={4000}
            autoSize={{ minRows: 2, maxRows: 6 }}
            placeholder={t('tasks.form.notesPlaceholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
