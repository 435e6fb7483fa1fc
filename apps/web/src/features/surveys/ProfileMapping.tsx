import { ArrowRightOutlined } from '@ant-design/icons';
import { NEED_TYPE_VALUES, SURVEY_CUSTOM_FIELD_TYPES, surveyProfileFieldsFor } from '@crm/plugin-sdk';
import { Flex, Form, type FormInstance, Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomFieldDefinition } from '../../lib/api-types';
import { useCustomFields, useFieldLabel } from '../customers/profile-meta';

type QuestionType = keyof typeof SURVEY_CUSTOM_FIELD_TYPES;
type Mapping = { field: string; values?: Record<string, string> } | null | undefined;

const FIXED_KEYS = {
  explicit_needs: 'needs.explicitNeeds',
  implicit_needs: 'needs.implicitNeeds',
  need_type: 'systemTags.needType',
} as const;

/** The custom fields an answer of this type may write: of a fitting type, not encrypted, not retired. */
function customTargets(fields: CustomFieldDefinition[], type: QuestionType): CustomFieldDefinition[] {
  return fields.filter(
    (field) => !field.archived && !field.sensitive && SURVEY_CUSTOM_FIELD_TYPES[type].includes(field.type),
  );
}

/** What a mapping's target reads like: 显性需求, 需求类型, or a custom field's label. */
export function useProfileTargetLabel() {
  const { t } = useTranslation();
  const { all } = useCustomFields();
  const fieldLabel = useFieldLabel();
  return (field: string): string => {
    if (field in FIXED_KEYS) return t(FIXED_KEYS[field as keyof typeof FIXED_KEYS]);
    const key = field.startsWith('custom:') ? field.slice('custom:'.length) : field;
    const custom = all.find((candidate) => candidate.key === key);
    return custom ? fieldLabel(custom) : key;
  };
}

/** A question's mapping as the survey list shows it: → 需求类型 (设备与备件 → 产品需求 …). */
export function ProfileMappingTag({
  mapping,
  optionLabel,
}: {
  mapping: Mapping;
  optionLabel: (value: string) => string;
}) {
  const { t } = useTranslation();
  const targetLabel = useProfileTargetLabel();
  const { all } = useCustomFields();
  const fieldLabel = useFieldLabel();
  if (!mapping) return null;
  const custom = mapping.field.startsWith('custom:')
    ? all.find((field) => field.key === mapping.field.slice('custom:'.length))
    : undefined;
  const valueLabel = (value: string) => {
    if (mapping.field === 'need_type') return t(`systemTags.need.${value as 'product'}`);
    const option = custom?.options.find((candidate) => candidate.value === value);
    return option ? fieldLabel(option) : value;
  };
  const pairs = Object.entries(mapping.values ?? {});
  return (
    <Tag color="geekblue" data-testid="survey-profile-mapping">
      {t('surveys.profile.writesTo', { field: targetLabel(mapping.field) })}
      {pairs.length > 0
        ? t('surveys.profile.valuesList', {
            values: pairs
              .map(([from, to]) => `${optionLabel(from)} → ${valueLabel(to)}`)
              .join(t('common.listSeparator')),
          })
        : null}
    </Tag>
  );
}

/**
 * 写入客户资料: where a question's answer goes on the customer's profile when the response
 * arrives — the needs texts, the need type, or a custom field of a fitting type — and, for a
 * need type or a field with options, which option writes which value. Only the targets the
 * question's type can write are offered; the SDK's check runs before saving (SurveyDesigner).
 */
export function ProfileMappingField({ form, name }: { form: FormInstance; name: number }) {
  const { t } = useTranslation();
  const { all } = useCustomFields();
  const fieldLabel = useFieldLabel();
  return (
    <Form.Item noStyle shouldUpdate>
      {() => {
        const type = form.getFieldValue(['questions', name, 'type']) as QuestionType;
        const field = form.getFieldValue(['questions', name, 'profile', 'field']) as string | undefined;
        const options = (
          (form.getFieldValue(['questions', name, 'options']) ?? []) as {
            value?: string;
            labelZh?: string;
          }[]
        ).filter((option) => option.value);
        const fixed = surveyProfileFieldsFor(type);
        const customs = customTargets(all, type);
        const custom = field?.startsWith('custom:')
          ? all.find((candidate) => candidate.key === field.slice('custom:'.length))
          : undefined;
        const targets =
          field === 'need_type'
            ? NEED_TYPE_VALUES.map((value) => ({ value, label: t(`systemTags.need.${value}`) }))
            : custom && (custom.type === 'enum' || custom.type === 'multi_enum')
              ? custom.options.map((option) => ({ value: option.value, label: fieldLabel(option) }))
              : null;
        const choice = type === 'single_choice' || type === 'multi_choice';
        return (
          <>
            <Form.Item
              name={[name, 'profile', 'field']}
              label={t('surveys.profile.label')}
              extra={
                fixed.length === 0 && customs.length === 0
                  ? t('surveys.profile.nothingFits', { type: t(`surveys.types.${type}`) })
                  : t('surveys.profile.help')
              }
              style={{ marginBottom: targets && choice ? 8 : undefined }}
            >
              <Select
                allowClear
                placeholder={t('surveys.profile.none')}
                aria-label={t('surveys.profile.label')}
                data-testid={`survey-profile-${name}`}
                onChange={() => form.setFieldValue(['questions', name, 'profile', 'values'], undefined)}
                options={[
                  ...(fixed.length > 0
                    ? [
                        {
                          label: t('surveys.profile.needs'),
                          options: fixed.map((value) => ({ value, label: t(FIXED_KEYS[value]) })),
                        },
                      ]
                    : []),
                  ...(customs.length > 0
                    ? [
                        {
                          label: t('surveys.profile.customFields'),
                          options: customs.map((candidate) => ({
                            value: `custom:${candidate.key}`,
                            label: fieldLabel(candidate),
                          })),
                        },
                      ]
                    : []),
                ]}
              />
            </Form.Item>
            {targets && choice ? (
              <Flex
                vertical
                gap={4}
                style={{ marginBottom: 16 }}
                data-testid={`survey-profile-values-${name}`}
              >
                <Typography.Text type="secondary">{t('surveys.profile.valuesHelp')}</Typography.Text>
                {options.length === 0 ? (
                  <Typography.Text type="warning">{t('surveys.profile.addOptionsFirst')}</Typography.Text>
                ) : null}
                {options.map((option) => (
                  <Flex key={option.value} gap={8} align="center">
                    <Typography.Text style={{ width: 200 }} ellipsis>
                      {option.labelZh || option.value}
                    </Typography.Text>
                    <ArrowRightOutlined aria-hidden />
                    <Form.Item
                      name={[name, 'profile', 'values', option.value as string]}
                      style={{ marginBottom: 0, flex: 1 }}
                    >
                      <Select
                        allowClear
                        placeholder={
                          field === 'need_type'
                            ? t('surveys.profile.skipOption')
                            : t('surveys.profile.sameValue')
                        }
                        aria-label={t('surveys.profile.valueFor', { option: option.labelZh || option.value })}
                        options={targets}
                      />
                    </Form.Item>
                  </Flex>
                ))}
              </Flex>
            ) : null}
          </>
        );
      }}
    </Form.Item>
  );
}
