import { type CustomFieldRules, checkCustomFieldValue, describeBounds, numberBounds } from '@crm/domain';
import { Col, DatePicker, Form, Input, InputNumber, Rate, Row, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CustomFieldDefinition, CustomFieldValue } from '../../lib/api-types';
import { useFieldLabel } from './profile-meta';

/** What the form holds for a custom field (dates as Dayjs, yes/no as a choice, ratings as numbers). */
export type CustomFieldFormValue = string | number | boolean | string[] | Dayjs | null | undefined;

/** Check on every change and when the input loses focus, not only on submit. */
export const VALIDATE_AS_YOU_TYPE = ['onChange', 'onBlur'];

/** What the one value rule of custom fields (`checkCustomFieldValue`, @crm/domain) needs of a field. */
export function rulesOf(field: CustomFieldDefinition): CustomFieldRules {
  return {
    type: field.type,
    labelZh: field.labelZh,
    labelEn: field.labelEn,
    options: field.options,
    validation: field.validation,
  };
}

function isRating(field: CustomFieldDefinition): boolean {
  return field.type === 'number' && field.validation.rating === true;
}

/** A stored value → the form's. */
export function toFormValue(
  field: CustomFieldDefinition,
  value: CustomFieldValue | undefined,
): CustomFieldFormValue {
  if (value === null || value === undefined) return undefined;
  if (field.type === 'date' && typeof value === 'string') return dayjs(value);
  if (isRating(field)) return Number(value);
  return value;
}

/** The form's value → what the API takes (null clears the field). */
export function fromFormValue(field: CustomFieldDefinition, value: CustomFieldFormValue): CustomFieldValue {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length > 0 ? value : null;
  if (dayjs.isDayjs(value)) return value.format('YYYY-MM-DD');
  if (field.type === 'text') return String(value).trim() || null;
  if (isRating(field) && value === 0) return null;
  if (typeof value === 'number') return String(value);
  return value;
}

/**
 * The form rules of a custom field: required when defined so, and the server's own value
 * rule (bounds, whole numbers, ratings, length, pattern, check digits), run as the user
 * types — the message is the server's, in the interface's language.
 */
export function useCustomFieldRules() {
  const { t, i18n } = useTranslation();
  return (field: CustomFieldDefinition, options: { required?: boolean } = {}): Rule[] => [
    ...((options.required ?? field.required) ? [{ required: true, message: t('common.required') }] : []),
    {
      validator: async (_rule, value: CustomFieldFormValue) => {
        const api = fromFormValue(field, value);
        if (api === null) return;
        const result = checkCustomFieldValue(rulesOf(field), api);
        if (!result.ok) throw new Error(i18n.language === 'en' ? result.message.en : result.message['zh-CN']);
      },
    },
  ];
}

/** The field's bounds in words for its placeholder and help ("0–10,000,000，整数"), or undefined. */
export function useBoundsText() {
  const { i18n } = useTranslation();
  return (field: CustomFieldDefinition): string | undefined => {
    const words = describeBounds(rulesOf(field));
    if (!words) return undefined;
    return i18n.language === 'en' ? words.en : words['zh-CN'];
  };
}

/** One input per active custom field, under `customFields.<key>` of the surrounding form. */
export function CustomFieldInputs({ fields }: { fields: CustomFieldDefinition[] }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const rules = useCustomFieldRules();
  const boundsText = useBoundsText();
  return (
    <Row gutter={12}>
      {fields.map((field) => {
        const options = field.options.map((option) => ({ value: option.value, label: label(option) }));
        const name = label(field);
        const bounds = boundsText(field);
        let input: React.ReactNode;
        switch (field.type) {
          case 'number':
            if (isRating(field)) {
              const { max } = numberBounds(rulesOf(field));
              input = <Rate count={max ?? 5} allowClear aria-label={name} />;
            } else {
              input = (
                <InputNumber stringMode style={{ width: '100%' }} aria-label={name} placeholder={bounds} />
              );
            }
            break;
          case 'money':
            input = (
              <InputNumber
                stringMode
                precision={2}
                style={{ width: '100%' }}
                aria-label={name}
                placeholder={bounds}
              />
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
            input = (
              <Input
                maxLength={Math.min(field.validation.maxLength ?? 1000, 1000)}
                aria-label={name}
                placeholder={bounds}
              />
            );
        }
        const rating = isRating(field);
        return (
          <Col xs={24} sm={field.type === 'text' || field.type === 'multi_enum' ? 24 : 12} key={field.key}>
            <Form.Item
              name={['customFields', field.key]}
              label={name}
              data-testid={`custom-field-${field.key}`}
              rules={rules(field)}
              validateTrigger={VALIDATE_AS_YOU_TYPE}
              extra={
                rating
                  ? t('guards.ratingHint', {
                      min: numberBounds(rulesOf(field)).min ?? 1,
                      max: numberBounds(rulesOf(field)).max ?? 5,
                    })
                  : bounds
                    ? t('guards.range', { bounds })
                    : undefined
              }
            >
              {input}
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}
