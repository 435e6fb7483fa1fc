import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Col,
  DatePicker,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_KINDS, type CustomFieldDefinition, LEVELS, NEED_TYPES } from '../../../lib/api-types';
import { useTiers } from '../../industry/tiers';
import { useFieldLabel } from '../profile-meta';
import { type CustomerFilters, type CustomFilter, type CustomFilterOp, compactFilters } from './filters';

type Range<T> = [T | null, T | null] | null;
type CustomRow = { key?: string; op?: CustomFilterOp; value?: string | string[] | boolean | Dayjs | null };
type Values = {
  kind?: CustomerFilters['kind'];
  tiers?: CustomerFilters['tiers'];
  valueLevels?: CustomerFilters['valueLevels'];
  activityLevels?: CustomerFilters['activityLevels'];
  needTypes?: CustomerFilters['needTypes'];
  industry?: string;
  completenessMin?: number | null;
  completenessMax?: number | null;
  stale?: 'any' | 'stale' | 'fresh';
  amount12mMin?: string | null;
  amount12mMax?: string | null;
  amountLifetimeMin?: string | null;
  amountLifetimeMax?: string | null;
  orderCountMin?: number | null;
  orderCountMax?: number | null;
  lastDeal?: Range<Dayjs>;
  created?: Range<Dayjs>;
  custom?: CustomRow[];
};

/** Which conditions fit a field's type. */
export function opsFor(field: CustomFieldDefinition | undefined): CustomFilterOp[] {
  switch (field?.type) {
    case 'text':
      return ['contains', 'eq', 'empty', 'notEmpty'];
    case 'number':
    case 'money':
    case 'date':
      return ['gte', 'lte', 'eq', 'empty', 'notEmpty'];
    case 'enum':
      return ['in', 'empty', 'notEmpty'];
    case 'multi_enum':
      return ['hasAll', 'empty', 'notEmpty'];
    case 'boolean':
      return ['eq', 'empty', 'notEmpty'];
    default:
      return ['empty', 'notEmpty'];
  }
}

const day = (value: string | undefined) => (value ? dayjs(value) : null);
const text = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : undefined);
const decimal = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? undefined : String(value);
const integer = (value: number | null | undefined) =>
  value === null || value === undefined ? undefined : value;

function toValues(filters: CustomerFilters, fields: CustomFieldDefinition[]): Values {
  return {
    kind: filters.kind,
    tiers: filters.tiers,
    valueLevels: filters.valueLevels,
    activityLevels: filters.activityLevels,
    needTypes: filters.needTypes,
    industry: filters.industry,
    completenessMin: filters.completenessMin,
    completenessMax: filters.completenessMax,
    stale: filters.stale === undefined ? 'any' : filters.stale ? 'stale' : 'fresh',
    amount12mMin: filters.amount12mMin,
    amount12mMax: filters.amount12mMax,
    amountLifetimeMin: filters.amountLifetimeMin,
    amountLifetimeMax: filters.amountLifetimeMax,
    orderCountMin: filters.orderCountMin,
    orderCountMax: filters.orderCountMax,
    lastDeal:
      filters.lastDealFrom || filters.lastDealTo
        ? [day(filters.lastDealFrom), day(filters.lastDealTo)]
        : null,
    created:
      filters.createdFrom || filters.createdTo ? [day(filters.createdFrom), day(filters.createdTo)] : null,
    custom: (filters.custom ?? []).map((filter) => {
      const field = fields.find((candidate) => candidate.key === filter.key);
      const value =
        field?.type === 'date' && typeof filter.value === 'string' ? dayjs(filter.value) : filter.value;
      return { key: filter.key, op: filter.op, value };
    }),
  };
}

function fromValues(
  values: Values,
  fields: CustomFieldDefinition[],
): Omit<CustomerFilters, 'lifecycleStages' | 'tagIds' | 'ownerUserIds' | 'unowned'> {
  const custom: CustomFilter[] = [];
  for (const row of values.custom ?? []) {
    const field = fields.find((candidate) => candidate.key === row.key);
    if (!field || !row.op) continue;
    if (row.op === 'empty' || row.op === 'notEmpty') {
      custom.push({ key: field.key, op: row.op });
      continue;
    }
    let value: CustomFilter['value'];
    if (dayjs.isDayjs(row.value)) value = row.value.format('YYYY-MM-DD');
    else if (typeof row.value === 'number') value = String(row.value);
    else value = row.value ?? undefined;
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    custom.push({ key: field.key, op: row.op, value });
  }
  return compactFilters({
    kind: values.kind,
    tiers: values.tiers,
    valueLevels: values.valueLevels,
    activityLevels: values.activityLevels,
    needTypes: values.needTypes,
    industry: values.industry?.trim() || undefined,
    completenessMin: integer(values.completenessMin),
    completenessMax: integer(values.completenessMax),
    stale: values.stale === 'stale' ? true : values.stale === 'fresh' ? false : undefined,
    amount12mMin: decimal(values.amount12mMin),
    amount12mMax: decimal(values.amount12mMax),
    amountLifetimeMin: decimal(values.amountLifetimeMin),
    amountLifetimeMax: decimal(values.amountLifetimeMax),
    orderCountMin: integer(values.orderCountMin),
    orderCountMax: integer(values.orderCountMax),
    lastDealFrom: text(values.lastDeal?.[0]),
    lastDealTo: text(values.lastDeal?.[1]),
    createdFrom: text(values.created?.[0]),
    createdTo: text(values.created?.[1]),
    custom,
  });
}

type Props = {
  open: boolean;
  onClose: () => void;
  filters: CustomerFilters;
  fields: CustomFieldDefinition[];
  /** The drawer's conditions replace the non-inline part of the filters. */
  onApply: (more: ReturnType<typeof fromValues>) => void;
};

/** 更多筛选: every filterable field, custom fields included. */
export function MoreFiltersDrawer({ open, onClose, filters, fields, onApply }: Props) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const { tiers, language } = useTiers();
  const [form] = Form.useForm<Values>();
  const customRows = Form.useWatch('custom', form) ?? [];

  useEffect(() => {
    if (open) form.setFieldsValue({ ...toValues(filters, fields) });
  }, [open, filters, fields, form]);

  const range = (minName: keyof Values, maxName: keyof Values, kind: 'money' | 'count' | 'percent') => (
    <Space.Compact style={{ width: '100%' }}>
      {[minName, maxName].map((name, index) => (
        <Form.Item key={name} name={name} noStyle>
          {kind === 'money' ? (
            <InputNumber
              stringMode
              min="0"
              precision={2}
              placeholder={index === 0 ? t('lists.filters.min') : t('lists.filters.max')}
              style={{ width: '50%' }}
            />
          ) : (
            <InputNumber
              min={0}
              max={kind === 'percent' ? 100 : undefined}
              precision={0}
              placeholder={index === 0 ? t('lists.filters.min') : t('lists.filters.max')}
              style={{ width: '50%' }}
            />
          )}
        </Form.Item>
      ))}
    </Space.Compact>
  );

  const valueInput = (row: CustomRow | undefined) => {
    const field = fields.find((candidate) => candidate.key === row?.key);
    if (!field || !row?.op || row.op === 'empty' || row.op === 'notEmpty') return <Input disabled />;
    const options = field.options.map((option) => ({ value: option.value, label: label(option) }));
    switch (field.type) {
      case 'number':
      case 'money':
        return <InputNumber stringMode style={{ width: '100%' }} />;
      case 'date':
        return <DatePicker style={{ width: '100%' }} />;
      case 'enum':
      case 'multi_enum':
        return <Select mode="multiple" options={options} />;
      case 'boolean':
        return (
          <Select
            options={[
              { value: true, label: t('customFields.yes') },
              { value: false, label: t('customFields.no') },
            ]}
          />
        );
      default:
        return <Input maxLength={200} />;
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={t('lists.filters.moreTitle')}
      forceRender
      footer={
        <Flex justify="space-between">
          <Button
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ stale: 'any', custom: [] });
            }}
          >
            {t('lists.filters.reset')}
          </Button>
          <Flex gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" data-testid="filters-apply" onClick={() => form.submit()}>
              {t('lists.filters.apply')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" onFinish={(values) => onApply(fromValues(values, fields))}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="kind" label={t('lists.filters.kind')}>
              <Select
                allowClear
                options={CUSTOMER_KINDS.map((kind) => ({ value: kind, label: t(`customers.kind.${kind}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="industry" label={t('lists.filters.industry')}>
              <Input maxLength={100} allowClear />
            </Form.Item>
          </Col>
          {tiers.length > 0 ? (
            <Col span={24}>
              <Form.Item name="tiers" label={t('tiers.filter')}>
                <Select
                  mode="multiple"
                  allowClear
                  data-testid="filter-tier"
                  placeholder={t('tiers.filterPlaceholder')}
                  options={tiers.map((tier) => ({ value: tier.key, label: tier.labels[language] }))}
                />
              </Form.Item>
            </Col>
          ) : null}
          <Col span={8}>
            <Form.Item name="valueLevels" label={t('lists.filters.valueLevel')}>
              <Select
                mode="multiple"
                data-testid="filter-value-level"
                options={LEVELS.map((level) => ({ value: level, label: t(`systemTags.value.${level}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="activityLevels" label={t('lists.filters.activityLevel')}>
              <Select
                mode="multiple"
                options={LEVELS.map((level) => ({ value: level, label: t(`systemTags.activity.${level}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="needTypes" label={t('lists.filters.needType')}>
              <Select
                mode="multiple"
                options={NEED_TYPES.map((need) => ({ value: need, label: t(`systemTags.need.${need}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('lists.filters.completeness')}>
              {range('completenessMin', 'completenessMax', 'percent')}
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="stale" label={t('lists.filters.stale')} initialValue="any">
              <Radio.Group
                options={[
                  { value: 'any', label: t('lists.filters.any') },
                  { value: 'stale', label: t('lists.filters.staleOnly') },
                  { value: 'fresh', label: t('lists.filters.freshOnly') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('lists.filters.amount12m')}>
              {range('amount12mMin', 'amount12mMax', 'money')}
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('lists.filters.amountLifetime')}>
              {range('amountLifetimeMin', 'amountLifetimeMax', 'money')}
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('lists.filters.orderCount')}>
              {range('orderCountMin', 'orderCountMax', 'count')}
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="lastDeal" label={t('lists.filters.lastDeal')}>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="created" label={t('lists.filters.created')}>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {fields.length > 0 ? (
          <>
            <Divider titlePlacement="start" plain>
              {t('lists.filters.custom')}
            </Divider>
            <Form.List name="custom">
              {(items, { add, remove }) => (
                <Flex vertical gap={8}>
                  {items.map((item, index) => {
                    const row = customRows[index];
                    const field = fields.find((candidate) => candidate.key === row?.key);
                    return (
                      <Flex key={item.key} gap={8} align="start">
                        <Form.Item name={[item.name, 'key']} style={{ width: 160, marginBottom: 0 }}>
                          <Select
                            placeholder={t('lists.filters.field')}
                            options={fields.map((candidate) => ({
                              value: candidate.key,
                              label: label(candidate),
                            }))}
                            onChange={(key: string) =>
                              form.setFieldValue(['custom', item.name], {
                                key,
                                op: opsFor(fields.find((candidate) => candidate.key === key))[0],
                                value: undefined,
                              })
                            }
                          />
                        </Form.Item>
                        <Form.Item name={[item.name, 'op']} style={{ width: 110, marginBottom: 0 }}>
                          <Select
                            placeholder={t('lists.filters.operator')}
                            options={opsFor(field).map((op) => ({
                              value: op,
                              label: t(`lists.filters.ops.${op}`),
                            }))}
                          />
                        </Form.Item>
                        <Form.Item name={[item.name, 'value']} style={{ flex: 1, marginBottom: 0 }}>
                          {valueInput(row)}
                        </Form.Item>
                        <Button
                          type="text"
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                          onClick={() => remove(item.name)}
                        />
                      </Flex>
                    );
                  })}
                  {items.length < 10 ? (
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                      {t('lists.filters.addCustom')}
                    </Button>
                  ) : null}
                </Flex>
              )}
            </Form.List>
          </>
        ) : null}
      </Form>
    </Drawer>
  );
}
