import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { jsonEqual, KEY_PATTERN } from '@crm/plugin-sdk';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Switch,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import {
  CUSTOM_FIELD_TYPES,
  type CustomField,
  type CustomFieldOption,
  type CustomFieldType,
  hasOptions,
  labelIn,
  type UpdateCustomFieldInput,
} from './types';

type OptionValues = { value?: string; labelZh?: string; labelEn?: string };
/** 取值范围 as the form holds it (the pattern's message in two inputs). */
type BoundsValues = {
  min?: number | null;
  max?: number | null;
  integer?: boolean;
  rating?: boolean;
  minLength?: number | null;
  maxLength?: number | null;
  pattern?: string;
  patternMessageZh?: string;
  patternMessageEn?: string;
};
type Bounds = CustomField['validation'];

/** The bounds that apply to a type, as customFields.create / update take them (empty ones left out). */
function boundsOf(type: CustomFieldType, values: BoundsValues | undefined): Bounds {
  const v = values ?? {};
  const bounds: Bounds = {};
  const number = (value: number | null | undefined) => (typeof value === 'number' ? value : undefined);
  if (type === 'number' || type === 'money') {
    if (number(v.min) !== undefined) bounds.min = number(v.min);
    if (number(v.max) !== undefined) bounds.max = number(v.max);
  }
  if (type === 'number') {
    if (v.integer) bounds.integer = true;
    if (v.rating) bounds.rating = true;
  }
  if (type === 'text') {
    if (number(v.minLength) !== undefined) bounds.minLength = number(v.minLength);
    if (number(v.maxLength) !== undefined) bounds.maxLength = number(v.maxLength);
    const pattern = v.pattern?.trim();
    if (pattern) {
      bounds.pattern = pattern;
      const zh = v.patternMessageZh?.trim();
      const en = v.patternMessageEn?.trim();
      if (zh && en) bounds.patternMessage = { 'zh-CN': zh, en };
    }
  }
  return bounds;
}

function boundsValues(bounds: Bounds): BoundsValues {
  return {
    min: bounds.min ?? null,
    max: bounds.max ?? null,
    integer: bounds.integer ?? false,
    rating: bounds.rating ?? false,
    minLength: bounds.minLength ?? null,
    maxLength: bounds.maxLength ?? null,
    pattern: bounds.pattern ?? '',
    patternMessageZh: bounds.patternMessage?.['zh-CN'] ?? '',
    patternMessageEn: bounds.patternMessage?.en ?? '',
  };
}
type Values = {
  key: string;
  labelZh: string;
  labelEn: string;
  type: CustomFieldType;
  options?: OptionValues[];
  required: boolean;
  position: number | null;
  sensitive: boolean;
  validation?: BoundsValues;
};
const FIELDS = [
  'key',
  'labelZh',
  'labelEn',
  'type',
  'options',
  'required',
  'position',
  'sensitive',
  'validation',
] as const;
const KEY = KEY_PATTERN;

const cleanOptions = (options: readonly OptionValues[] | undefined): CustomFieldOption[] =>
  (options ?? []).map((option) => ({
    value: option.value?.trim() ?? '',
    labelZh: option.labelZh?.trim() ?? '',
    labelEn: option.labelEn?.trim() ?? '',
  }));

const sameOptions = (a: readonly CustomFieldOption[], b: readonly CustomFieldOption[]) =>
  JSON.stringify(a) === JSON.stringify(b);

type Props = {
  open: boolean;
  onClose: () => void;
  /** Edit this definition; without it the drawer creates one. */
  field?: CustomField;
  /** The position a new field gets by default: after the last one. */
  nextPosition: number;
};

/** customFields.create / customFields.update, with an options editor for choice fields. */
export function CustomFieldFormDrawer({ open, onClose, field, nextPosition }: Props) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      field
        ? {
            key: field.key,
            labelZh: field.labelZh,
            labelEn: field.labelEn,
            type: field.type,
            options: field.options.length > 0 ? field.options : [{}],
            required: field.required,
            position: field.position,
            sensitive: field.sensitive,
            validation: boundsValues(field.validation),
          }
        : {
            key: '',
            labelZh: '',
            labelEn: '',
            type: 'text',
            options: [{}],
            required: false,
            position: nextPosition,
            sensitive: false,
            validation: boundsValues({}),
          },
    );
  }, [open, field, nextPosition, form]);

  const onSaved = async (text: string) => {
    void message.success(text);
    onClose();
    await Promise.all([
      queryClient.invalidateQueries(trpc.customFields.list.pathFilter()),
      // The completeness key fields list the active custom fields.
      queryClient.invalidateQueries(trpc.settings.customerRules.pathFilter()),
    ]);
  };
  const onError = (error: unknown) => showError(error, { form, fields: FIELDS });
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.customFields.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: (created) =>
        onSaved(t('customerSettings.customFields.created', { label: labelIn(i18n.language, created) })),
      onError,
    }),
  );
  const update = useMutation(
    trpc.customFields.update.mutationOptions({
      onSuccess: (updated) =>
        onSaved(t('customerSettings.customFields.updated', { label: labelIn(i18n.language, updated) })),
      onError,
    }),
  );

  const submit = (values: Values) => {
    const options = hasOptions(values.type) ? cleanOptions(values.options) : [];
    const fields = {
      labelZh: values.labelZh.trim(),
      labelEn: values.labelEn.trim(),
      type: values.type,
      required: values.required,
      position: values.position ?? 0,
      // Only text fields can be sensitive.
      sensitive: values.type === 'text' && values.sensitive,
    };
    const validation = boundsOf(values.type, values.validation);
    if (!field) {
      create.mutate({ key: values.key.trim(), ...fields, options, validation });
      return;
    }
    const changes: Omit<UpdateCustomFieldInput, 'id'> = {};
    if (fields.labelZh !== field.labelZh) changes.labelZh = fields.labelZh;
    if (fields.labelEn !== field.labelEn) changes.labelEn = fields.labelEn;
    if (fields.type !== field.type) changes.type = fields.type;
    if (fields.required !== field.required) changes.required = fields.required;
    if (fields.position !== field.position) changes.position = fields.position;
    if (fields.sensitive !== field.sensitive) changes.sensitive = fields.sensitive;
    if (hasOptions(values.type) && !sameOptions(options, field.options)) changes.options = options;
    // An industry plugin sets its own fields' bounds.
    if (field.source === 'tenant' && !jsonEqual(validation, field.validation))
      changes.validation = validation;
    if (Object.keys(changes).length === 0) {
      void message.info(t('common.noChanges'));
      onClose();
      return;
    }
    update.mutate({ id: field.id, ...changes });
  };

  const required = { required: true, whitespace: true, message: t('common.required') };
  const pending = create.isPending || update.isPending;

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={
        field ? t('customerSettings.customFields.editTitle') : t('customerSettings.customFields.createTitle')
      }
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            data-testid="custom-field-submit"
            type="primary"
            loading={pending}
            onClick={() => form.submit()}
          >
            {field
              ? t('customerSettings.customFields.form.submitEdit')
              : t('customerSettings.customFields.form.submitCreate')}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="labelZh"
              label={t('customerSettings.customFields.form.labelZh')}
              rules={[required]}
            >
              <Input
                data-testid="custom-field-label-zh"
                autoFocus
                maxLength={50}
                placeholder={t('customerSettings.customFields.form.labelZhPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="labelEn"
              label={t('customerSettings.customFields.form.labelEn')}
              rules={[required]}
            >
              <Input
                data-testid="custom-field-label-en"
                maxLength={50}
                placeholder={t('customerSettings.customFields.form.labelEnPlaceholder')}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="key"
              label={t('customerSettings.customFields.form.key')}
              extra={
                field
                  ? t('customerSettings.customFields.form.keyLocked')
                  : t('customerSettings.customFields.form.keyHint')
              }
              rules={
                field
                  ? []
                  : [required, { pattern: KEY, message: t('customerSettings.customFields.form.keyInvalid') }]
              }
            >
              <Input
                data-testid="custom-field-key"
                disabled={Boolean(field)}
                maxLength={40}
                spellCheck={false}
                autoComplete="off"
                style={{ fontFamily: 'monospace' }}
                placeholder={t('customerSettings.customFields.form.keyPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="type"
              label={t('customerSettings.customFields.form.type')}
              extra={field ? t('customerSettings.customFields.form.typeHint') : undefined}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select<CustomFieldType>
                data-testid="custom-field-type"
                aria-label={t('customerSettings.customFields.form.type')}
                options={CUSTOM_FIELD_TYPES.map((value) => ({
                  value,
                  label: t(`customerSettings.customFields.types.${value}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>

        {hasOptions(type) ? <OptionsEditor /> : null}

        <BoundsEditor type={type} locked={field?.source === 'plugin'} />

        {type === 'text' ? (
          <Form.Item
            name="sensitive"
            label={t('sensitive.settings.sensitive')}
            extra={t('sensitive.settings.sensitiveHelp')}
            valuePropName="checked"
          >
            <Switch data-testid="custom-field-sensitive" aria-label={t('sensitive.settings.sensitive')} />
          </Form.Item>
        ) : null}

        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="required"
              label={t('customerSettings.customFields.form.required')}
              extra={t('customerSettings.customFields.form.requiredHint')}
              valuePropName="checked"
            >
              <Switch
                data-testid="custom-field-required"
                aria-label={t('customerSettings.customFields.form.required')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="position"
              label={t('customerSettings.customFields.form.position')}
              extra={t('customerSettings.customFields.form.positionHint')}
            >
              <InputNumber<number>
                data-testid="custom-field-position"
                min={0}
                max={1000}
                precision={0}
                style={{ width: 160 }}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}

/** The options of a choice field: value + Chinese and English names per row. */
function OptionsEditor() {
  const { t } = useTranslation();
  const required = { required: true, whitespace: true, message: t('common.required') };
  return (
    <Form.Item
      label={t('customerSettings.customFields.form.options')}
      extra={t('customerSettings.customFields.form.optionsHint')}
      required
    >
      <Form.List
        name="options"
        rules={[
          {
            validator: async (_rule, options: OptionValues[] | undefined) => {
              if (!options || options.length === 0) {
                throw new Error(t('customerSettings.customFields.form.optionsRequired'));
              }
            },
          },
        ]}
      >
        {(items, { add, remove }, { errors }) => (
          <div data-testid="custom-field-options">
            <Row gutter={8} style={{ marginBottom: 4 }} wrap={false}>
              <Col flex="1">
                <Typography.Text type="secondary">
                  {t('customerSettings.customFields.form.optionValue')}
                </Typography.Text>
              </Col>
              <Col flex="1">
                <Typography.Text type="secondary">
                  {t('customerSettings.customFields.form.optionLabelZh')}
                </Typography.Text>
              </Col>
              <Col flex="1">
                <Typography.Text type="secondary">
                  {t('customerSettings.customFields.form.optionLabelEn')}
                </Typography.Text>
              </Col>
              <Col flex="32px" />
            </Row>
            {items.map((item, index) => (
              <Row gutter={8} key={item.key} align="top" wrap={false}>
                <Col flex="1">
                  <Form.Item
                    name={[item.name, 'value']}
                    style={{ marginBottom: 8 }}
                    dependencies={items
                      .filter((other) => other.key !== item.key)
                      .map((other) => ['options', other.name, 'value'])}
                    rules={[
                      required,
                      ({ getFieldValue }) => ({
                        validator: async (_rule, value: string | undefined) => {
                          const trimmed = value?.trim();
                          if (!trimmed) return;
                          const all = (getFieldValue('options') as OptionValues[] | undefined) ?? [];
                          const same = all.filter((option) => option?.value?.trim() === trimmed).length;
                          if (same > 1)
                            throw new Error(t('customerSettings.customFields.form.optionDuplicate'));
                        },
                      }),
                    ]}
                  >
                    <Input
                      data-testid={`custom-field-option-value-${index}`}
                      aria-label={`${t('customerSettings.customFields.form.optionValue')} ${index + 1}`}
                      maxLength={50}
                      spellCheck={false}
                      placeholder={t('customerSettings.customFields.form.optionValuePlaceholder')}
                    />
                  </Form.Item>
                </Col>
                <Col flex="1">
                  <Form.Item name={[item.name, 'labelZh']} rules={[required]} style={{ marginBottom: 8 }}>
                    <Input
                      data-testid={`custom-field-option-label-zh-${index}`}
                      aria-label={`${t('customerSettings.customFields.form.optionLabelZh')} ${index + 1}`}
                      maxLength={50}
                      placeholder={t('customerSettings.customFields.form.optionLabelZhPlaceholder')}
                    />
                  </Form.Item>
                </Col>
                <Col flex="1">
                  <Form.Item name={[item.name, 'labelEn']} rules={[required]} style={{ marginBottom: 8 }}>
                    <Input
                      data-testid={`custom-field-option-label-en-${index}`}
                      aria-label={`${t('customerSettings.customFields.form.optionLabelEn')} ${index + 1}`}
                      maxLength={50}
                      placeholder={t('customerSettings.customFields.form.optionLabelEnPlaceholder')}
                    />
                  </Form.Item>
                </Col>
                <Col flex="32px">
                  <Tooltip title={t('customerSettings.customFields.form.removeOption')}>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={`${t('customerSettings.customFields.form.removeOption')} ${index + 1}`}
                      data-testid={`custom-field-option-remove-${index}`}
                      disabled={items.length <= 1}
                      onClick={() => remove(item.name)}
                    />
                  </Tooltip>
                </Col>
              </Row>
            ))}
            {items.length < 100 ? (
              <Button
                data-testid="custom-field-option-add"
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({})}
                block
              >
                {t('customerSettings.customFields.form.addOption')}
              </Button>
            ) : null}
            <Form.ErrorList errors={errors} />
          </div>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** 取值范围: min / max and whole numbers or a rating (numbers), length and a pattern (text). */
function BoundsEditor({ type, locked }: { type: CustomFieldType | undefined; locked: boolean }) {
  const { t } = useTranslation();
  if (type !== 'number' && type !== 'money' && type !== 'text') return null;
  const name = (key: keyof BoundsValues) => ['validation', key];
  return (
    <Form.Item
      label={t('guards.bounds.section')}
      extra={locked ? t('guards.bounds.pluginLocked') : undefined}
      data-testid="custom-field-bounds"
      style={{ marginBottom: 8 }}
    >
      {type === 'text' ? (
        <>
          <Row gutter={12}>
            <Col xs={12} sm={6}>
              <Form.Item name={name('minLength')} label={t('guards.bounds.minLength')}>
                <InputNumber<number>
                  data-testid="custom-field-min-length"
                  min={0}
                  max={1000}
                  precision={0}
                  disabled={locked}
                  placeholder={t('guards.bounds.none')}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={name('maxLength')} label={t('guards.bounds.maxLength')}>
                <InputNumber<number>
                  data-testid="custom-field-max-length"
                  min={1}
                  max={1000}
                  precision={0}
                  disabled={locked}
                  placeholder="1000"
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name={name('pattern')}
                label={t('guards.bounds.pattern')}
                validateTrigger={['onChange', 'onBlur']}
                rules={[
                  {
                    validator: async (_rule, value: string | undefined) => {
                      if (!value?.trim()) return;
                      try {
                        new RegExp(value, 'u');
                      } catch {
                        throw new Error(t('guards.bounds.patternInvalid'));
                      }
                    },
                  },
                ]}
              >
                <Input
                  data-testid="custom-field-pattern"
                  maxLength={200}
                  spellCheck={false}
                  disabled={locked}
                  style={{ fontFamily: 'monospace' }}
                  placeholder={t('guards.bounds.patternPlaceholder')}
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item
                name={name('patternMessageZh')}
                label={t('guards.bounds.patternMessageZh')}
                extra={t('guards.bounds.patternMessageHelp')}
              >
                <Input data-testid="custom-field-pattern-message-zh" maxLength={100} disabled={locked} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name={name('patternMessageEn')} label={t('guards.bounds.patternMessageEn')}>
                <Input data-testid="custom-field-pattern-message-en" maxLength={100} disabled={locked} />
              </Form.Item>
            </Col>
          </Row>
        </>
      ) : (
        <Row gutter={12} align="bottom">
          <Col xs={12} sm={6}>
            <Form.Item name={name('min')} label={t('guards.bounds.min')}>
              <InputNumber<number>
                data-testid="custom-field-min"
                disabled={locked}
                placeholder={t('guards.bounds.none')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item
              name={name('max')}
              label={t('guards.bounds.max')}
              dependencies={[name('min')]}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_rule, value: number | null | undefined) => {
                    const min = getFieldValue(name('min')) as number | null | undefined;
                    if (typeof value === 'number' && typeof min === 'number' && min > value) {
                      throw new Error(t('guards.bounds.minAboveMax'));
                    }
                  },
                }),
              ]}
            >
              <InputNumber<number>
                data-testid="custom-field-max"
                disabled={locked}
                placeholder={t('guards.bounds.none')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          {type === 'number' ? (
            <>
              <Col xs={12} sm={6}>
                <Form.Item name={name('integer')} label={t('guards.bounds.integer')} valuePropName="checked">
                  <Switch
                    data-testid="custom-field-integer"
                    disabled={locked}
                    aria-label={t('guards.bounds.integer')}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name={name('rating')} label={t('guards.bounds.rating')} valuePropName="checked">
                  <Switch
                    data-testid="custom-field-rating"
                    disabled={locked}
                    aria-label={t('guards.bounds.rating')}
                  />
                </Form.Item>
              </Col>
            </>
          ) : null}
        </Row>
      )}
    </Form.Item>
  );
}
