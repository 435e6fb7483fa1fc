import {
  DeleteOutlined,
  EditOutlined,
  MailOutlined,
  PhoneOutlined,
  PlusOutlined,
  StarFilled,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Empty, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, Customer } from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { usePhoneFormat } from '../../lib/phone';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { TabPanel } from '../customers/TabPanel';
import { LunarBirthday } from '../reminders/BirthdayField';
import { ContactFormModal } from './ContactFormModal';

type Props = { customer: Customer; editable: boolean };

/** The customer's contact people (a company has many): contacts.list / create / update / delete. */
export function ContactsTab({ customer, editable }: Props) {
  const { t } = useTranslation();
  const formatPhoneShown = usePhoneFormat();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const contacts = useQuery(trpc.contacts.list.queryOptions({ customerId: customer.id }));
  // The contact stays set while the modal closes, so its title does not flip mid-animation.
  const [modal, setModal] = useState<{ open: boolean; contact?: Contact }>({ open: false });

  const remove = useMutation(
    trpc.contacts.delete.mutationOptions({
      onSuccess: async ({ id }) => {
        const name = contacts.data?.find((contact) => contact.id === id)?.name ?? '';
        void message.success(t('contacts.deleted', { name }));
        await Promise.all([
          queryClient.invalidateQueries(trpc.contacts.list.queryFilter({ customerId: customer.id })),
          queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: customer.id })),
          // Contacts move completeness; interactions move the activity level.
          queryClient.invalidateQueries(trpc.customers.get.queryFilter({ id: customer.id })),
          queryClient.invalidateQueries(trpc.interactions.list.queryFilter({ customerId: customer.id })),
        ]);
      },
      onError: (error) => showError(error),
    }),
  );

  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const columns: ColumnsType<Contact> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('contacts.name'),
      width: 220,
      render: (name: string, contact) => (
        <Flex align="center" gap={10}>
          <Avatar size={32} style={{ background: '#e6edff', color: '#1f5eff', flex: 'none' }}>
            {name.trim().slice(0, 1).toUpperCase()}
          </Avatar>
          <Flex vertical>
            <Flex align="center" gap={6} wrap>
              <Typography.Text strong>{name}</Typography.Text>
              {contact.isPrimary ? (
                <Tag color="gold" icon={<StarFilled />} style={{ marginInlineEnd: 0 }}>
                  {t('contacts.primary')}
                </Tag>
              ) : null}
            </Flex>
            {contact.title ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {contact.title}
              </Typography.Text>
            ) : null}
          </Flex>
        </Flex>
      ),
    },
    {
      key: 'phones',
      dataIndex: 'phones',
      title: t('contacts.phones'),
      width: 180,
      render: (phones: string[]) =>
        phones.length > 0 ? (
          <Flex vertical>
            {phones.map((phone) => (
              <Typography.Text key={phone} copyable={{ text: phone }}>
                <PhoneOutlined style={{ color: '#8c8c8c', marginInlineEnd: 6 }} />
                {formatPhoneShown(phone)}
              </Typography.Text>
            ))}
          </Flex>
        ) : (
          none
        ),
    },
    {
      key: 'emails',
      dataIndex: 'emails',
      title: t('contacts.emails'),
      ellipsis: true,
      render: (emails: string[]) =>
        emails.length > 0 ? (
          <Flex vertical>
            {emails.map((email) => (
              <Typography.Link key={email} href={`mailto:${email}`} ellipsis>
                <MailOutlined style={{ marginInlineEnd: 6 }} />
                {email}
              </Typography.Link>
            ))}
          </Flex>
        ) : (
          none
        ),
    },
    {
      key: 'birthday',
      dataIndex: 'birthday',
      title: t('contacts.birthday'),
      width: 140,
      render: (birthday: string | null, contact) =>
        birthday ? (
          <Flex vertical>
            <span>{formatDate(birthday)}</span>
            {contact.birthdayCalendar === 'lunar' ? (
              <Typography.Text type="secondary">
                <LunarBirthday day={birthday} />
              </Typography.Text>
            ) : null}
          </Flex>
        ) : (
          none
        ),
    },
    {
      key: 'anniversaryOn',
      dataIndex: 'anniversaryOn',
      title: t('importTargets.fields.anniversaryOn'),
      width: 120,
      render: (anniversaryOn: string | null) => (anniversaryOn ? formatDate(anniversaryOn) : none),
    },
    {
      key: 'note',
      dataIndex: 'note',
      title: t('contacts.note'),
      ellipsis: true,
      render: (note: string | null) => note || none,
    },
    ...(editable
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 150,
            render: (_: unknown, contact: Contact) => (
              <Flex gap={4}>
                <Button
                  type="link"
                  size="small"
                  icon={<EditOutlined />}
                  data-testid="contact-edit"
                  onClick={() => setModal({ open: true, contact })}
                >
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('contacts.deleteConfirmTitle', { name: contact.name })}
                  description={<div style={{ maxWidth: 260 }}>{t('contacts.deleteConfirmContent')}</div>}
                  okText={t('common.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutateAsync({ id: contact.id }).catch(() => undefined)}
                >
                  <Button
                    type="link"
                    danger
                    size="small"
                    icon={<DeleteOutlined />}
                    data-testid="contact-delete"
                  >
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <TabPanel
      extra={
        editable ? (
          <Button
            data-testid="contact-new"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setModal({ open: true })}
          >
            {t('contacts.new')}
          </Button>
        ) : null
      }
    >
      <div data-testid="contacts-table">
        <Table<Contact>
          rowKey="id"
          columns={columns}
          dataSource={contacts.data ?? []}
          loading={contacts.isPending}
          pagination={false}
          scroll={{ x: 1020 }}
          locale={{
            emptyText: contacts.isError ? (
              <Typography.Text type="danger">
                {errorMessage(contacts.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
              </Typography.Text>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.empty')}>
                {editable ? (
                  <Typography.Text type="secondary">{t('contacts.emptyHint')}</Typography.Text>
                ) : null}
              </Empty>
            ),
          }}
        />
      </div>
      {editable ? (
        <ContactFormModal
          open={modal.open}
          onClose={() => setModal((current) => ({ ...current, open: false }))}
          customerId={customer.id}
          contact={modal.contact}
          firstContact={(contacts.data?.length ?? 0) === 0}
        />
      ) : null}
    </TabPanel>
  );
}
