import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { App, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type Ticket,
  type TicketDetail,
} from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useLabelOf, useTicketSettings } from './TicketCategoryLabel';
import { useTicketRefresh } from './ticket-meta';

type Values = {
  customerId?: string | null;
  contactId?: string | null;
  type: Ticket['type'];
  category?: string | null;
  subject: string;
  description?: string;
  priority: Ticket['priority'];
  channel: Ticket['channel'];
  assignee: string;
};
const FIELDS = [
  'customerId',
  'contactId',
  'type',
  'category',
  'subject',
  'description',
  'priority',
  'channel',
  'assignee',
];
const QUEUE = '__queue__';

type Props = {
  open: boolean;
  onClose: () => void;
  /** A ticket about this customer (from its 360 page): the customer is fixed. */
  customer?: { id: string; name: string } | null;
};

/** 新建工单: customer and contact, type and category, subject and description, priority, channel, who works it. */
export function TicketFormModal({ open, onClose, customer = null }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTicketRefresh();
  const { me } = useShell();
  const canManage = useCan('tickets.manage');
  const canReadMembers = useCan('members.read');
  const canWork = useCan('tickets.work');
  const labelOf = useLabelOf();
  const [form] = Form.useForm<Values>();
  const [search, setSearch] = useState('');
  const customerId = Form.useWatch('customerId', form) ?? customer?.id ?? null;
  const customers = useQuery({
    ...trpc.customers.list.queryOptions({ search: search || undefined, limit: 20 }),
    enabled: open && !customer,
  });
  const contacts = useQuery({
    ...trpc.contacts.list.queryOptions({ customerId: customerId ?? '' }),
    enabled: open && customerId !== null,
  });
  const members = useQuery({
    ...trpc.members.list.queryOptions(),
    enabled: open && canManage && canReadMembers,
  });
  const settings = useTicketSettings(open);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setSearch('');
    form.setFieldsValue({
      type: 'service_request',
      priority: 'normal',
      channel: 'phone',
      customerId: customer?.id ?? null,
      assignee: canWork ? me.user.id : QUEUE,
    });
  }, [open, customer, form, me.user.id, canWork]);

  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.tickets.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async (detail: TicketDetail) => {
        void message.success(t('tickets.form.created', { number: detail.ticket.number }));
        onClose();
        await refresh(detail.ticket.customerId);
        void navigate({ to: '/tickets/$ticketId', params: { ticketId: detail.ticket.id } });
      },
      onError: (error) => showError(error, { form, fields: FIELDS, mapPath: mapAssignee }),
    }),
  );

  const submit = (values: Values) => {
    const description = values.description?.trim() || null;
    create.mutate({
      customerId: (values.customerId ?? customer?.id) as string,
      contactId: values.contactId ?? null,
      type: values.type,
      category: values.category ?? null,
      subject: values.subject.trim(),
      description,
      priority: values.priority,
      channel: values.channel,
      assigneeUserId: values.assignee === QUEUE ? null : values.assignee,
    });
  };

  const customerOptions = customer
    ? [{ value: customer.id, label: customer.name }]
    : (customers.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }));
  const assigneeOptions = [
    ...(canWork ? [{ value: me.user.id, label: t('tickets.form.assignToMe') }] : []),
    { value: QUEUE, label: t('tickets.form.queue') },
    ...(members.data ?? [])
      .filter((member) => member.userId !== me.user.id)
      .map((member) => ({ value: member.userId, label: member.name })),
  ];
  const categories = (settings.data?.categories ?? []).filter((category) => !category.hidden);

  return (
    <Modal
      open={open}
      title={t('tickets.form.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'ticket-form-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={640}
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="customerId"
              label={t('tickets.customer')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select
                data-testid="ticket-form-customer"
                showSearch={{ filterOption: false, onSearch: setSearch }}
                disabled={Boolean(customer)}
                loading={customers.isFetching}
                placeholder={t('tickets.form.customerPlaceholder')}
                options={customerOptions}
                onChange={() => form.setFieldValue('contactId', null)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="contactId" label={t('tickets.contact')}>
              <Select
                allowClear
                disabled={customerId === null}
                options={(contacts.data ?? []).map((contact) => ({
                  value: contact.id,
                  label: contact.title ? `${contact.name} · ${contact.title}` : contact.name,
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="subject"
          label={t('tickets.subject')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            data-testid="ticket-form-subject"
            maxLength={200}
            placeholder={t('tickets.form.subjectPlaceholder')}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="type" label={t('tickets.type')}>
              <Select
                data-testid="ticket-form-type"
                options={TICKET_TYPES.map((type) => ({ value: type, label: t(`tickets.types.${type}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="category" label={t('tickets.category')}>
              <Select
                allowClear
                placeholder={t('tickets.noCategory')}
                options={categories.map((category) => ({ value: category.key, label: labelOf(category) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="priority" label={t('tickets.priority')}>
              <Select
                data-testid="ticket-form-priority"
                options={TICKET_PRIORITIES.map((priority) => ({
                  value: priority,
                  label: t(`tickets.priorities.${priority}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="channel" label={t('tickets.channel')}>
              <Select
                options={TICKET_CHANNELS.map((channel) => ({
                  value: channel,
                  label: t(`tickets.channels.${channel}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="assignee" label={t('tickets.assignee')}>
              <Select
                data-testid="ticket-form-assignee"
                showSearch={{ optionFilterProp: 'label' }}
                options={assigneeOptions}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('tickets.form.description')}>
          <Input.TextArea maxLength={10000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function mapAssignee(path: string) {
  return path === 'assigneeUserId' ? 'assignee' : path;
}
