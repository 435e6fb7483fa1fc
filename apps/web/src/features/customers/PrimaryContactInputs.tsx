import { normalizePhone } from '@crm/domain';
import { Col, Divider, Form, Input, Row, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { VALIDATE_AS_YOU_TYPE } from './CustomFieldInputs';

/** What the form holds for a new company's primary contact. */
export type PrimaryContactValues = { name?: string; title?: string; phone?: string; email?: string };

/** The primary contact as customers.create takes it, or undefined when nothing was entered. */
export function primaryContactOf(values: PrimaryContactValues | undefined) {
  const name = values?.name?.trim();
  if (!name) return undefined;
  const text = (value: string | undefined) => value?.trim() || null;
  return { name, title: text(values?.title), phone: text(values?.phone), email: text(values?.email) };
}

/**
 * A phone number checked while it is typed, by the same rule the server stores phones with
 * (`normalizePhone` in @crm/domain: libphonenumber-js and the Chinese mobile / landline rule).
 */
export function usePhoneRule(): Rule {
  const { t } = useTranslation();
  return {
    validator: async (_, value: string | undefined) => {
      if (value?.trim() && !normalizePhone(value)) throw new Error(t('guards.phoneInvalid'));
    },
  };
}

/** A phone field checked while it is typed (the customer's own, or its primary contact's). */
export function PhoneItem({
  name,
  label,
  testId,
}: {
  name: string | string[];
  label: React.ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  const phoneRule = usePhoneRule();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[phoneRule]}
      validateTrigger={VALIDATE_AS_YOU_TYPE}
      validateDebounce={300}
    >
      <Input
        data-testid={testId}
        type="tel"
        maxLength={40}
        placeholder={t('customers.form.phonePlaceholder')}
      />
    </Form.Item>
  );
}

/** An email field checked while it is typed. */
export function EmailItem({
  name,
  label,
  testId,
}: {
  name: string | string[];
  label: React.ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[{ type: 'email', message: t('common.invalidEmail') }]}
      validateTrigger={VALIDATE_AS_YOU_TYPE}
      validateDebounce={300}
    >
      <Input
        data-testid={testId}
        type="email"
        maxLength={254}
        placeholder={t('customers.form.emailPlaceholder')}
      />
    </Form.Item>
  );
}

/** 首要联系人 of a new company: name, title, phone and email, created with it in one go. */
export function PrimaryContactInputs() {
  const { t } = useTranslation();
  const field = (name: keyof PrimaryContactValues) => ['primaryContact', name];
  return (
    <div data-testid="primary-contact">
      <Divider titlePlacement="start" plain style={{ marginTop: 4 }}>
        {t('guards.primaryContact.section')}
      </Divider>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -8 }}>
        {t('guards.primaryContact.hint')}
      </Typography.Paragraph>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item
            name={field('name')}
            label={t('guards.primaryContact.name')}
            dependencies={[field('title'), field('phone'), field('email')]}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, value: string | undefined) => {
                  const others = (['title', 'phone', 'email'] as const).some((key) =>
                    String(getFieldValue(field(key)) ?? '').trim(),
                  );
                  if (others && !value?.trim()) throw new Error(t('guards.primaryContact.nameRequired'));
                },
              }),
            ]}
          >
            <Input
              data-testid="primary-contact-name"
              maxLength={100}
              placeholder={t('guards.primaryContact.namePlaceholder')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name={field('title')} label={t('guards.primaryContact.title')}>
            <Input
              data-testid="primary-contact-title"
              maxLength={100}
              placeholder={t('guards.primaryContact.titlePlaceholder')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <PhoneItem
            name={field('phone')}
            label={t('guards.primaryContact.phone')}
            testId="primary-contact-phone"
          />
        </Col>
        <Col xs={24} sm={12}>
          <EmailItem
            name={field('email')}
            label={t('guards.primaryContact.email')}
            testId="primary-contact-email"
          />
        </Col>
      </Row>
    </div>
  );
}
