import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CustomFieldDefinition, CustomFieldValue } from '../../lib/api-types';
import { useFieldLabel } from './profile-meta';

/** What the form holds for a custom field (dates as Dayjs, yes/no as a choice). */
export type CustomFieldFormValue = string | number | boolean | string[] | Dayjs | null | undefined;

/** A stored value → the form's. */
export function toFormValue(
  field: CustomFieldDefinition,
  value: CustomFieldValue | undefined,
): CustomFieldFormValue {
  if (value === null || value === undefined) return undefined;
  if (field.type === 'date' && typeof value === 'string') return dayjs(value);
  return value;
}

/** The form's value → what the API takes (null clears the field). */
export function fromFormValue(field: CustomFieldDefinition, value: CustomFieldFormValue): CustomFieldValue {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length > 0 ? value : null;
  if (dayjs.isDayjs(value)) return value.format('YYYY-MM-DD');
  if (field.type === 'text') return String(value).trim() || null;
  if (typeof value === 'number') return String(value);
  return value;
}

/** One input per active custom field, under `customFields.<key>` of the surrounding form. */
export function CustomFieldInputs({ fields }: { fields: CustomFieldDefinition[] }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  return (
    <Row gutter={12}>
      {fields.map((field) => {
        const options = field.options.map((option) => ({ value: option.value, label: label(option) }));
        const name = label(field);
        let input: React.ReactNode;
        switch (field.type) {
          case 'number':
            input = <InputNumber stringMode style={{ width: '100%' }} aria-label={name} />;
            break;
          case 'money':
            input = (
              <InputNumber stringMode min="0" precision={2} style={{ width: '100%' }} aria-label={name} />
            );
            break;
          case 'date':
            input = <DatePicker style={{ width: '100%' }} aria-label={name} />;
            break;
          case 'enum':
            input = (
              <Select allowClear options={options} placeholder={t('customFields.choose')} aria-label={name} />
            );
            break;
          case 'multi_enum':
            input = (
              <Select
                mode="multiple"
                allowClear
                options={options}
                placeholder={t('customFields.choose')}
                aria-label={name}
              />
            );
            break;
          case 'boolean':
            input = (
              <Select
                allowClear
                placeholder={t('customFields.choose')}
                aria-label={name}
                options={[
                  { value: true, label: t('customFields.yes') },
                  { value: false, label: t('customFields.no') },
                ]}
              />
            );
            break;
          default:
            input = <Input maxLength={1000} aria-label={name} />;
        }
        return (
          <Col xs={24} sm={field.type === 'text' || field.type === 'multi_enum' ? 24 : 12} key={field.key}>
            <Form.Item
              name={['customFields', field.key]}
              label={name}
              data-testid={`custom-field-${field.key}`}
              rules={field.required ? [{ required: true, message: t('common.required') }] : []}
            >
              {input}
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}
