import { LockOutlined } from '@ant-design/icons';
import { parseBankCard, parseNationalId } from '@crm/domain';
import { Checkbox, Col, Divider, Form, Input, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer, CustomerKind, CustomFieldDefinition } from '../../lib/api-types';
import { useCustomFieldRules, VALIDATE_AS_YOU_TYPE } from './CustomFieldInputs';
import { useFieldLabel } from './profile-meta';

/** The form values of the sensitive inputs (custom ones live under `customFields.<key>`). */
export type SensitiveFormValues = {
  nationalId?: string;
  bankCard?: string;
  /** Fields on file the user chose to clear: `national_id`, `bank_card`, `custom:<key>`. */
  clearSecrets?: Record<string, boolean>;
};

/**
 * What an update or create sends for the sensitive fields: a new value when one was typed,
 * null when the user cleared the one on file, nothing otherwise (the value on file stays).
 */
export function sensitiveChanges(
  values: SensitiveFormValues,
  fields: readonly CustomFieldDefinition[],
  kind: CustomerKind = 'person',
) {
  const changes: { nationalId?: string | null; bankCard?: string | null } = {};
  const cleared = values.clearSecrets ?? {};
  // 身份证号 and 银行卡号 are individuals' fields: a company sends none (and clears any on file).
  if (kind === 'company') {
    const clearedCustom = fields
      .filter((field) => field.sensitive && cleared[`custom:${field.key}`])
      .map((field) => field.key);
    return { changes, clearedCustom };
  }
  const nationalId = values.nationalId?.trim();
  if (nationalId) changes.nationalId = nationalId;
  else if (cleared.national_id) changes.nationalId = null;
  const bankCard = values.bankCard?.trim();
  if (bankCard) changes.bankCard = bankCard;
  else if (cleared.bank_card) changes.bankCard = null;
  const clearedCustom = fields
    .filter((field) => field.sensitive && cleared[`custom:${field.key}`])
    .map((field) => field.key);
  return { changes, clearedCustom };
}

/**
 * 身份证号, 银行卡号 and the tenant's sensitive custom fields. Values on file are never sent
 * to the browser: the inputs start empty with the masked value as a hint, and an empty input
 * keeps what is on file.
 */
export function SensitiveInputs({
  customer,
  fields,
  kind = 'person',
}: {
  customer?: Customer;
  fields: readonly CustomFieldDefinition[];
  /** A company has no 身份证号 or 银行卡号 (individuals' fields): they are not shown. */
  kind?: CustomerKind;
}) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const customRules = useCustomFieldRules();
  const sensitiveFields = fields.filter((field) => field.sensitive);
  const personal = kind !== 'company';
  if (!personal && sensitiveFields.length === 0) return null;
  const onFile = (field: string) => customer?.sensitive[field];
  const placeholder = (field: string, fallback: string) => {
    const masked = onFile(field);
    return masked ? t('sensitive.form.keepPlaceholder', { masked }) : fallback;
  };
  const clearBox = (field: string) =>
    onFile(field) ? (
      <Form.Item name={['clearSecrets', field]} valuePropName="checked" style={{ marginTop: -16 }}>
        <Checkbox data-testid={`clear-${field}`}>{t('sensitive.form.clear')}</Checkbox>
      </Form.Item>
    ) : null;

  return (
    <>
      <Divider titlePlacement="start" plain style={{ marginTop: 4 }}>
        <LockOutlined /> {t('sensitive.form.section')}
      </Divider>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('sensitive.form.encryptedNote')}
      </Typography.Paragraph>
      <Row gutter={12}>
        {personal ? (
          <>
            <Col xs={24} sm={12}>
              <Form.Item
                name="nationalId"
                label={t('sensitive.nationalId')}
                validateTrigger={VALIDATE_AS_YOU_TYPE}
                rules={[
                  {
                    validator: async (_, value: string | undefined) => {
                      if (value?.trim() && !parseNationalId(value).ok) {
                        throw new Error(t('sensitive.form.invalidNationalId'));
                      }
                    },
                  },
                ]}
              >
                <Input
                  data-testid="customer-national-id"
                  maxLength={40}
                  autoComplete="off"
                  placeholder={placeholder('national_id', t('sensitive.form.nationalIdPlaceholder'))}
                />
              </Form.Item>
              {clearBox('national_id')}
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="bankCard"
                label={t('sensitive.bankCard')}
                validateTrigger={VALIDATE_AS_YOU_TYPE}
                rules={[
                  {
                    validator: async (_, value: string | undefined) => {
                      if (value?.trim() && !parseBankCard(value).ok) {
                        throw new Error(t('sensitive.form.invalidBankCard'));
                      }
                    },
                  },
                ]}
              >
                <Input
                  data-testid="customer-bank-card"
                  maxLength={40}
                  autoComplete="off"
                  inputMode="numeric"
                  placeholder={placeholder('bank_card', t('sensitive.form.bankCardPlaceholder'))}
                />
              </Form.Item>
              {clearBox('bank_card')}
            </Col>
          </>
        ) : null}
        {sensitiveFields.map((field) => (
          <Col xs={24} sm={12} key={field.key}>
            <Form.Item
              name={['customFields', field.key]}
              label={fieldLabel(field)}
              rules={customRules(field, { required: field.required && !onFile(`custom:${field.key}`) })}
              validateTrigger={VALIDATE_AS_YOU_TYPE}
            >
              <Input
                data-testid={`custom-field-${field.key}`}
                maxLength={1000}
                autoComplete="off"
                placeholder={placeholder(`custom:${field.key}`, '')}
              />
            </Form.Item>
            {clearBox(`custom:${field.key}`)}
          </Col>
        ))}
      </Row>
    </>
  );
}
