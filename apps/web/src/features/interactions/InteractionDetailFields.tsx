import { Col, DatePicker, Form, Input, Radio, Row, Select } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SENTIMENTS } from '../../lib/api-types';

type ContactOption = { id: string; name: string; title?: string | null };

/**
 * The details of an interaction after its summary — contact, sentiment, outcome, 下一步 and
 * its due day — as form items of the surrounding form (names `contactId`, `sentiment`,
 * `outcome`, `nextStep`, `nextStepDue`). Used where an interaction is logged: the log form
 * and completing a task. `testIds` prefixes the fields' test ids (`interaction`, `task-complete`).
 */
export function InteractionDetailFields({
  contacts,
  contactsLoading,
  testIds,
  nextStepHint,
}: {
  contacts: readonly ContactOption[] | undefined;
  contactsLoading: boolean;
  testIds: string;
  nextStepHint?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="contactId" label={t('interactions.form.contact')}>
            <Select
              data-testid={`${testIds}-contact`}
              allowClear
              loading={contactsLoading}
              placeholder={t('interactions.form.contactPlaceholder')}
              options={(contacts ?? []).map((contact) => ({
                value: contact.id,
                label: contact.title ? `${contact.name} · ${contact.title}` : contact.name,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="sentiment" label={t('interactions.form.sentiment')}>
            <Radio.Group>
              {SENTIMENTS.map((sentiment) => (
                <Radio key={sentiment} value={sentiment} data-testid={`${testIds}-sentiment-${sentiment}`}>
                  {t(`interactions.sentiment.${sentiment}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="outcome" label={t('interactions.form.outcome')}>
        <Input
          data-testid={`${testIds}-outcome`}
          maxLength={2000}
          placeholder={t('interactions.form.outcomePlaceholder')}
        />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={16}>
          <Form.Item
            name="nextStep"
            label={t('interactions.form.nextStep')}
            extra={nextStepHint}
            style={{ marginBottom: 0 }}
          >
            <Input
              data-testid={`${testIds}-next-step`}
              maxLength={1000}
              placeholder={t('interactions.form.nextStepPlaceholder')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item
            name="nextStepDue"
            label={t('interactions.form.nextStepDue')}
            style={{ marginBottom: 0 }}
          >
            <DatePicker
              data-testid={`${testIds}-next-step-due`}
              style={{ width: '100%' }}
              disabledDate={(day) => day.isBefore(dayjs(), 'day')}
            />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
