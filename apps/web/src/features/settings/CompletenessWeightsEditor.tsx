import { Col, Flex, InputNumber, Progress, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  BASIC_COMPLETENESS_KEYS,
  type BuiltInCompletenessKey,
  type CustomField,
  labelIn,
  NEEDS_COMPLETENESS_KEYS,
} from './types';

export type CompletenessWeights = Record<string, number | null>;

const CUSTOM_PREFIX = 'custom:';
const BUILT_IN = new Set<string>([...BASIC_COMPLETENESS_KEYS, ...NEEDS_COMPLETENESS_KEYS]);

function isBuiltIn(key: string): key is BuiltInCompletenessKey {
  return BUILT_IN.has(key);
}

/** The sum of the weights that count. */
export function totalWeight(weights: CompletenessWeights | undefined): number {
  return Object.values(weights ?? {}).reduce<number>((sum, weight) => sum + (weight ?? 0), 0);
}

type Props = {
  /** The keys the tenant may weigh (settings.customerRules.completenessKeys). */
  keys: readonly string[];
  /** The tenant's custom fields, for the names of `custom:<key>` keys. */
  customFields: readonly CustomField[];
  value?: CompletenessWeights;
  onChange?: (value: CompletenessWeights) => void;
  disabled?: boolean;
};

/**
 * The completeness key fields and their weights 0–10, grouped (basic information, needs,
 * custom fields), each with its share of the total. A Form.Item control: value / onChange.
 */
export function CompletenessWeightsEditor({ keys, customFields, value, onChange, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const total = totalWeight(value);

  const labelOf = (key: string): string => {
    if (isBuiltIn(key)) return t(`customerSettings.customerRules.completeness.keys.${key}`);
    const fieldKey = key.slice(CUSTOM_PREFIX.length);
    const field = customFields.find((candidate) => candidate.key === fieldKey);
    return field ? labelIn(i18n.language, field) : fieldKey;
  };
  const hintOf = (key: string): string | null =>
    key === 'anniversary' || key === 'contacts'
      ? t(`customerSettings.customerRules.completeness.keyHints.${key}`)
      : null;

  const groups = [
    {
      id: 'basic',
      title: t('customerSettings.customerRules.completeness.groups.basic'),
      keys: BASIC_COMPLETENESS_KEYS.filter((key) => keys.includes(key)),
    },
    {
      id: 'needs',
      title: t('customerSettings.customerRules.completeness.groups.needs'),
      keys: NEEDS_COMPLETENESS_KEYS.filter((key) => keys.includes(key)),
    },
    {
      id: 'custom',
      title: t('customerSettings.customerRules.completeness.groups.custom'),
      keys: keys.filter((key) => key.startsWith(CUSTOM_PREFIX)),
    },
  ].filter((group) => group.keys.length > 0);

  const setWeight = (key: string, weight: number | null) => onChange?.({ ...value, [key]: weight ?? 0 });

  return (
    <Flex vertical gap={16} data-testid="completeness-weights">
      <Typography.Text type="secondary">
        {t('customerSettings.customerRules.completeness.total', { total })}
      </Typography.Text>
      {groups.map((group) => (
        <div key={group.id}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {group.title}
          </Typography.Title>
          <Row gutter={[16, 12]}>
            {group.keys.map((key) => {
              const weight = value?.[key] ?? 0;
              const label = labelOf(key);
              const hint = hintOf(key);
              const share = total > 0 ? Math.round((weight * 100) / total) : 0;
              const inputId = `completeness-weight-input-${key.replace(/[^a-z0-9_-]/gi, '-')}`;
              return (
                <Col key={key} xs={24} md={12} xl={8}>
                  <Flex
                    align="center"
                    gap={12}
                    style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: '8px 12px' }}
                  >
                    <Flex vertical style={{ flex: 1, minWidth: 0 }}>
                      <Flex align="center" gap={6} wrap>
                        <label htmlFor={inputId}>
                          <Typography.Text strong={weight > 0}>{label}</Typography.Text>
                        </label>
                        {group.id === 'custom' ? (
                          <Tag style={{ marginInlineEnd: 0 }}>
                            {t('customerSettings.customerRules.completeness.customTag')}
                          </Tag>
                        ) : null}
                      </Flex>
                      {hint ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {hint}
                        </Typography.Text>
                      ) : null}
                      {weight > 0 ? (
                        <Progress
                          percent={share}
                          size="small"
                          format={(percent) => `${percent}%`}
                          aria-label={t('customerSettings.customerRules.completeness.share')}
                        />
                      ) : (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('customerSettings.customerRules.completeness.notCounted')}
                        </Typography.Text>
                      )}
                    </Flex>
                    <InputNumber<number>
                      id={inputId}
                      data-testid={`completeness-weight-${key}`}
                      aria-label={t('customerSettings.customerRules.completeness.weightLabel', {
                        field: label,
                      })}
                      min={0}
                      max={10}
                      precision={0}
                      style={{ width: 72 }}
                      value={weight}
                      disabled={disabled}
                      onChange={(next) => setWeight(key, next)}
                    />
                  </Flex>
                </Col>
              );
            })}
          </Row>
        </div>
      ))}
    </Flex>
  );
}
