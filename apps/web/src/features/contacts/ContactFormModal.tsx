import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { BirthdayCalendar } from '@crm/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Col, DatePicker, Flex, Form, Input, Modal, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../lib/api-types';
import { changedFields } from '../../lib/changed-fields';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { usePhoneFormat } from '../../lib/phone';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { BirthdayField } from '../reminders/BirthdayField';

type Values = {
  name: string;
  title?: string;
  phones?: string[];
  emails?: string[];
  birthday?: Dayjs | null;
  birthdayCalendar?: BirthdayCalendar;
  anniversaryOn?: Dayjs | null;
  isPrimary?: boolean;
  note?: string;
};
const FIELDS = [
  'name',
  'title',
  'phones',
  'emails',
  'birthday',
  'birthdayCalendar',
  'anniversaryOn',
  'isPrimary',
  'note',
] as const;

type Fields = {
  name: string;
  title: string | null;
  phones: string[];
  emails: string[];
  birthday: string | null;
  birthdayCalendar: BirthdayCalendar;
  anniversaryOn: string | null;
  isPrimary: boolean;
  note: string | null;
};

/** The non-blank values of a list field, with the form row each one came from. */
function filled(list: readonly (string | undefined)[] | undefined): { values: string[]; rows: number[] } {
  const values: string[] = [];
  const rows: number[] = [];
  (list ?? []).forEach((item, row) => {
    const value = item?.trim();
    if (value) {
      values.push(value);
      rows.push(row);
    }
  });
  return { values, rows };
}

type Props = {
  open: boolean;
  onClose: () => void;
  customerId: string;
  /** Edit this contact; without it the form adds one. */
  contact?: Contact;
  /** The first contact of a customer starts as its primary one. */
  firstContact?: boolean;
};

/** contacts.create / contacts.update (only what changed). */
export function ContactFormModal({ open, onClose, customerId, contact, firstContact }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const showPhone = usePhoneFormat();
  const [form] = Form.useForm<Values>();
  // Which form row each sent phone / email came from: the server's 'phones.0' is the first one sent.
  const sentRows = useRef<Record<'phones' | 'emails', number[]>>({ phones: [], emails: [] });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      contact
        ? {
            name: contact.name,
            title: contact.title ?? '',
            // Shown as people write them (138 1234 5678); the server stores E.164 again.
            phones: contact.phones.length > 0 ? contact.phones.map((phone) => showPhone(phone)) : [''],
            emails: contact.emails.length > 0 ? contact.emails : [''],
            birthday: contact.birthday ? dayjs(contact.birthday) : null,
            birthdayCalendar: contact.birthdayCalendar,
            anniversaryOn: contact.anniversaryOn ? dayjs(contact.anniversaryOn) : null,
            isPrimary: contact.isPrimary,
            note: contact.note ?? '',
          }
        : { phones: [''], emails: [''], isPrimary: Boolean(firstContact), birthdayCalendar: 'solar' },
    );
  }, [open, contact, firstContact, form, showPhone]);

  const onSaved = async () => {
    onClose();
    await Promise.all([
      queryClient.invalidateQueries(trpc.contacts.list.queryFilter({ customerId })),
      queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: customerId })),
      // Contacts move completeness; interactions move the activity level.
      queryClient.invalidateQueries(trpc.customers.get.queryFilter({ id: customerId })),
    ]);
  };
  const onError = (error: unknown) =>
    showError(error, {
      form,
      fields: FIELDS,
      mapPath: (path) => {
        const [list, index, ...rest] = path.split('.');
        if ((list !== 'phones' && list !== 'emails') || index === undefined) return path;
        const row = sentRows.current[list][Number(index)];
        return row === undefined ? path : [list, row, ...rest].join('.');
      },
    });
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.contacts.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async (_created, input) => {
        void message.success(t('contacts.created', { name: input.name }));
        await onSaved();
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.contacts.update.mutationOptions({
      onSuccess: async () => {
        void message.success(t('contacts.updated'));
        await onSaved();
      },
      onError,
    }),
  );

  const submit = (values: Values) => {
    const { values: phones, rows: phoneRows } = filled(values.phones);
    const { values: emails, rows: emailRows } = filled(values.emails);
    sentRows.current = { phones: phoneRows, emails: emailRows };
    const fields: Fields = {
      name: values.name.trim(),
      title: values.title?.trim() || null,
      phones,
      emails,
      birthday: values.birthday ? values.birthday.format('YYYY-MM-DD') : null,
      birthdayCalendar: values.birthdayCalendar ?? 'solar',
      anniversaryOn: values.anniversaryOn ? values.anniversaryOn.format('YYYY-MM-DD') : null,
      isPrimary: Boolean(values.isPrimary),
      note: values.note?.trim() || null,
    };
    if (contact) {
      const changes = changedFields(fields, {
        name: contact.name,
        title: contact.title,
        phones: contact.phones.map((phone) => showPhone(phone)),
        emails: contact.emails,
        birthday: contact.birthday,
        birthdayCalendar: contact.birthdayCalendar,
        anniversaryOn: contact.anniversaryOn,
        isPrimary: contact.isPrimary,
        note: contact.note,
      });
      if (Object.keys(changes).length === 0) {
        void message.info(t('common.noChanges'));
        onClose();
        return;
      }
      update.mutate({ id: contact.id, ...changes });
    } else {
      create.mutate({
        customerId,
        name: fields.name,
        ...(fields.title ? { title: fields.title } : {}),
        ...(phones.length > 0 ? { phones } : {}),
        ...(emails.length > 0 ? { emails } : {}),
        ...(fields.birthday ? { birthday: fields.birthday, birthdayCalendar: fields.birthdayCalendar } : {}),
        ...(fields.anniversaryOn ? { anniversaryOn: fields.anniversaryOn } : {}),
        ...(fields.isPrimary ? { isPrimary: true } : {}),
        ...(fields.note ? { note: fields.note } : {}),
      });
    }
  };

  const pending = create.isPending || update.isPending;

  return (
    <Modal
      open={open}
      title={contact ? t('contacts.editTitle') : t('contacts.createTitle')}
      onCancel={onClose}
      destroyOnHidden
      width={560}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button data-testid="contact-submit" type="primary" loading={pending} onClick={() => form.submit()}>
            {contact ? t('contacts.submitEdit') : t('contacts.submitCreate')}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('contacts.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input
                data-testid="contact-name"
                maxLength={100}
                placeholder={t('contacts.namePlaceholder')}
                autoFocus
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="title" label={t('contacts.jobTitle')}>
              <Input
                data-testid="contact-title"
                maxLength={100}
                placeholder={t('contacts.jobTitlePlaceholder')}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <ListField
              name="phones"
              label={t('contacts.phones')}
              addLabel={t('contacts.addPhone')}
              removeLabel={t('contacts.remove')}
              render={(index) => (
                <Input
                  data-testid={index === 0 ? 'contact-phone' : `contact-phone-${index}`}
                  type="tel"
                  maxLength={40}
                  placeholder={t('contacts.phonePlaceholder')}
                />
              )}
            />
          </Col>
          <Col xs={24} sm={12}>
            <ListField
              name="emails"
              label={t('contacts.emails')}
              addLabel={t('contacts.addEmail')}
              removeLabel={t('contacts.remove')}
              rules={[{ type: 'email', message: t('common.invalidEmail') }]}
              render={(index) => (
                <Input
                  data-testid={index === 0 ? 'contact-email' : `contact-email-${index}`}
                  type="email"
                  maxLength={254}
                  placeholder="name@example.com"
                />
              )}
            />
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <BirthdayField label={t('contacts.birthday')} testId="contact-birthday" />
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="anniversaryOn" label={t('importTargets.fields.anniversaryOn')}>
              <DatePicker data-testid="contact-anniversary-on" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="isPrimary" valuePropName="checked" tooltip={t('contacts.primaryHint')}>
          <Checkbox data-testid="contact-primary">{t('contacts.primary')}</Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('contacts.note')} style={{ marginBottom: 0 }}>
          <Input.TextArea data-testid="contact-note" maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type ListFieldProps = {
  name: 'phones' | 'emails';
  label: string;
  addLabel: string;
  removeLabel: string;
  rules?: { type: 'email'; message: string }[];
  render: (index: number) => ReactNode;
};

/** Up to ten values of one kind (phones, emails), one input each. */
function ListField({ name, label, addLabel, removeLabel, rules, render }: ListFieldProps) {
  return (
    <Form.Item label={label} style={{ marginBottom: 0 }}>
      <Form.List name={name}>
        {(items, { add, remove }) => (
          <>
            {items.map((item, index) => (
              <Flex key={item.key} gap={4} align="flex-start">
                <Form.Item
                  name={item.name}
                  rules={rules}
                  validateTrigger="onBlur"
                  style={{ flex: 1, marginBottom: 8 }}
                >
                  {render(index)}
                </Form.Item>
                {items.length > 1 ? (
                  <Button
                    type="text"
                    aria-label={removeLabel}
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(item.name)}
                  />
                ) : null}
              </Flex>
            ))}
            {items.length < 10 ? (
              <Form.Item style={{ marginBottom: 16 }}>
                <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add('')}>
                  {addLabel}
                </Button>
              </Form.Item>
            ) : null}
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}
