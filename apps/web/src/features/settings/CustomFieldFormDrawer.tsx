import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { KEY_PATTERN } from '@crm/plugin-sdk';
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
type Values = {
  key: string;
  labelZh: string;
  labelEn: string;
  type: CustomFieldType;
  options?: OptionValues[];
  required: boolean;
  position: number | null;
  sensitive: boolean;
};
const FIELDS = ['key', 'labelZh', 'labelEn', 'type', 'options', 'required', 'position', 'sensitive'] as const;
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
    if (!field) {
      create.mutate({ key: values.key.trim(), ...fields, options });
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
