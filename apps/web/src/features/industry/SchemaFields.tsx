import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import {
  boundsOf,
  emptyValue,
  enumLabel,
  enumValues,
  helpOf,
  type JsonSchema,
  kindOf,
  type Language,
  labelOf,
  languageOf,
  unitOf,
  unwrap,
} from './json-schema';

type NamePath = (string | number)[];

/**
 * Every field of a settings schema as antd form fields: numbers with their unit and bounds,
 * enums as selects, nested objects as groups, arrays (of thresholds, bands …) as editable
 * rows. The form's values have the schema's shape, so a server error at `a.b.0.c` lands on
 * the field named ['a', 'b', 0, 'c'].
 */
export function SchemaFields({ schema, disabled }: { schema: JsonSchema; disabled?: boolean }) {
  const { i18n } = useTranslation();
  const language = languageOf(i18n.language);
  const root = unwrap(schema);
  return (
    <Flex vertical gap={16}>
      {Object.entries(root.properties ?? {}).map(([key, child]) => (
        <SchemaField
          key={key}
          fieldKey={key}
          name={[key]}
          schema={child}
          required={root.required?.includes(key) ?? false}
          language={language}
          disabled={disabled}
          depth={0}
        />
      ))}
    </Flex>
  );
}

type FieldProps = {
  fieldKey: string;
  /** The form path of this field (relative to an enclosing Form.List row when inside one). */
  name: NamePath;
  schema: JsonSchema;
  required: boolean;
  language: Language;
  disabled?: boolean | undefined;
  depth: number;
  /** Inside an array row: labels above the inputs stay short. */
  compact?: boolean;
};

function SchemaField(props: FieldProps) {
  const schema = unwrap(props.schema);
  const kind = kindOf(schema);
  if (kind === 'object') return <ObjectGroup {...props} schema={schema} />;
  if (kind === 'array') return <ArrayField {...props} schema={schema} />;
  return <ScalarField {...props} schema={schema} />;
}

function ObjectGroup({ fieldKey, name, schema, language, disabled, depth, compact }: FieldProps) {
  const label = labelOf(schema, fieldKey, language);
  const help = helpOf(schema, language);
  const children = Object.entries(schema.properties ?? {}).map(([key, child]) => (
    <SchemaField
      key={key}
      fieldKey={key}
      name={[...name, key]}
      schema={child}
      required={schema.required?.includes(key) ?? false}
      language={language}
      disabled={disabled}
      depth={depth + 1}
      compact={compact}
    />
  ));
  if (compact) {
    return (
      <Flex gap={8} wrap>
        {children}
      </Flex>
    );
  }
  return (
    <Card
      size="small"
      title={label}
      data-testid={`settings-group-${name.join('.')}`}
      styles={{ body: { paddingBottom: 0 } }}
      type={depth > 0 ? 'inner' : undefined}
    >
      {help ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          {help}
        </Typography.Paragraph>
      ) : null}
      <Flex gap={16} wrap>
        {children}
      </Flex>
    </Card>
  );
}

function ScalarField({ fieldKey, name, schema, required, language, disabled, compact }: FieldProps) {
  const { t } = useTranslation();
  const kind = kindOf(schema);
  const label = labelOf(schema, fieldKey, language);
  const help = helpOf(schema, language);
  const unit = unitOf(schema, language);
  const rules: Rule[] = [];
  if (required) rules.push({ required: true, message: t('common.required') });
  let input: React.ReactNode;
  let valuePropName: string | undefined;
  const testId = `setting-${name.join('.')}`;
  switch (kind) {
    case 'number':
    case 'integer': {
      const bounds = boundsOf(schema);
      input = (
        <InputNumber
          {...bounds}
          disabled={disabled}
          style={{ width: compact ? 130 : 180 }}
          suffix={unit}
          data-testid={testId}
          precision={kind === 'integer' ? 0 : undefined}
        />
      );
      if (bounds.min !== undefined || bounds.max !== undefined) {
        rules.push({
          type: 'number',
          ...(bounds.min !== undefined && { min: bounds.min }),
          ...(bounds.max !== undefined && { max: bounds.max }),
          message:
            bounds.min !== undefined && bounds.max !== undefined
              ? t('industryConfig.form.between', { min: bounds.min, max: bounds.max })
              : bounds.min !== undefined
                ? t('industryConfig.form.atLeast', { min: bounds.min })
                : t('industryConfig.form.atMost', { max: bounds.max }),
        });
      }
      break;
    }
    case 'enum': {
      const values = enumValues(schema) ?? [];
      input = (
        <Select
          disabled={disabled}
          style={{ minWidth: compact ? 130 : 180 }}
          data-testid={testId}
          options={values.map((value) => ({
            value: value as string,
            label: enumLabel(schema, value, language),
          }))}
        />
      );
      break;
    }
    case 'boolean':
      valuePropName = 'checked';
      input = <Switch disabled={disabled} data-testid={testId} />;
      break;
    default:
      input = (
        <Input
          disabled={disabled}
          style={{ width: compact ? 160 : 240 }}
          maxLength={schema.maxLength}
          data-testid={testId}
        />
      );
  }
  return (
    <Form.Item
      name={name}
      label={label}
      rules={rules}
      extra={compact ? undefined : help}
      tooltip={compact ? help : undefined}
      {...(valuePropName && { valuePropName })}
      style={{ marginBottom: compact ? 8 : 16 }}
    >
      {input}
    </Form.Item>
  );
}

function ArrayField({ fieldKey, name, schema, language, disabled, depth }: FieldProps) {
  const { t } = useTranslation();
  const label = labelOf(schema, fieldKey, language);
  const help = helpOf(schema, language);
  const itemSchema = unwrap(schema.items ?? {});
  const itemIsObject = kindOf(itemSchema) === 'object';
  return (
    <Card
      size="small"
      type={depth > 0 ? 'inner' : undefined}
      title={label}
      data-testid={`settings-group-${name.join('.')}`}
      style={{ width: '100%' }}
    >
      {help ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          {help}
        </Typography.Paragraph>
      ) : null}
      <Form.List name={name}>
        {(rows, { add, remove }, { errors }) => (
          <Flex vertical gap={4}>
            {rows.map((row) => (
              <Flex
                key={row.key}
                gap={8}
                align="start"
                wrap
                data-testid={`settings-row-${name.join('.')}-${row.name}`}
              >
                {itemIsObject ? (
                  Object.entries(itemSchema.properties ?? {}).map(([key, child]) => (
                    <SchemaField
                      key={key}
                      fieldKey={key}
                      name={[row.name, key]}
                      schema={child}
                      required={itemSchema.required?.includes(key) ?? false}
                      language={language}
                      disabled={disabled}
                      depth={depth + 1}
                      compact
                    />
                  ))
                ) : (
                  <SchemaField
                    fieldKey={fieldKey}
                    name={[row.name]}
                    schema={itemSchema}
                    required
                    language={language}
                    disabled={disabled}
                    depth={depth + 1}
                    compact
                  />
                )}
                {disabled || (schema.minItems !== undefined && rows.length <= schema.minItems) ? null : (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('industryConfig.form.removeRow')}
                    onClick={() => remove(row.name)}
                    style={{ marginTop: 30 }}
                  />
                )}
              </Flex>
            ))}
            <Form.ErrorList errors={errors} />
            {disabled || (schema.maxItems !== undefined && rows.length >= schema.maxItems) ? null : (
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add(emptyValue(itemSchema))}
                style={{ alignSelf: 'flex-start', marginBottom: 12 }}
              >
                {t('industryConfig.form.addRow')}
              </Button>
            )}
          </Flex>
        )}
      </Form.List>
    </Card>
  );
}
