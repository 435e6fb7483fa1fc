import { DeleteOutlined, PlusOutlined, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { type BirthdayCalendar, formatPhone, normalizeCreditCode } from '@crm/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Tooltip,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import {
  type Customer,
  type CustomerAddress,
  type CustomerCreateInput,
  type CustomerKind,
  type CustomerUpdateInput,
  type CustomFieldValue,
  NEED_TYPES,
  type NeedType,
} from '../../lib/api-types';
import { changedFields } from '../../lib/changed-fields';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { DuplicateWarning } from '../duplicates/DuplicateWarning';
import {
  type ExactDuplicate,
  ExactDuplicateDialog,
  exactDuplicateOf,
} from '../duplicates/ExactDuplicateDialog';
import { BirthdayField } from '../reminders/BirthdayField';
import {
  type CustomFieldFormValue,
  CustomFieldInputs,
  fromFormValue,
  toFormValue,
  VALIDATE_AS_YOU_TYPE,
} from './CustomFieldInputs';
import {
  EmailItem,
  PhoneItem,
  PrimaryContactInputs,
  type PrimaryContactValues,
  primaryContactOf,
} from './PrimaryContactInputs';
import { useCustomFields, useTagsById } from './profile-meta';
import { type SensitiveFormValues, SensitiveInputs, sensitiveChanges } from './SensitiveInputs';

type AddressValues = { [Key in keyof CustomerAddress]?: string };
type Values = SensitiveFormValues & {
  name: string;
  kind: CustomerKind;
  phone?: string;
  email?: string;
  creditCode?: string;
  ownerUserId?: string;
  customerNumber?: string;
  industry?: string;
  birthday?: Dayjs | null;
  birthdayCalendar?: BirthdayCalendar;
  foundedOn?: Dayjs | null;
  firstCooperationOn?: Dayjs | null;
  anniversaryOn?: Dayjs | null;
  addresses?: AddressValues[];
  needType?: NeedType | null;
  tagIds?: string[];
  customFields?: Record<string, CustomFieldFormValue>;
  /** A new company's primary contact (首要联系人), created with it. */
  primaryContact?: PrimaryContactValues;
};
const FIELDS = [
  'needType',
  'tagIds',
  'customFields',
  'name',
  'kind',
  'phone',
  'email',
  'creditCode',
  'ownerUserId',
  'customerNumber',
  'industry',
  'birthday',
  'birthdayCalendar',
  'foundedOn',
  'firstCooperationOn',
  'anniversaryOn',
  'addresses',
  'nationalId',
  'bankCard',
  'primaryContact',
] as const;
const CODE_FIELDS = {
  INVALID_PHONE: 'phone',
  OWNER_NOT_MEMBER: 'ownerUserId',
  CUSTOMER_NUMBER_TAKEN: 'customerNumber',
  INVALID_NATIONAL_ID: 'nationalId',
  INVALID_BANK_CARD: 'bankCard',
  INVALID_CREDIT_CODE: 'creditCode',
} as const;
const ADDRESS_PARTS = ['label', 'province', 'city', 'district', 'street', 'postcode'] as const;

/** The profile fields as the API takes them (trimmed, blanks as null) — from the form or from a customer. */
type Profile = {
  name: string;
  kind: CustomerKind;
  phone: string | null;
  email: string | null;
  creditCode: string | null;
  customerNumber: string | null;
  industry: string | null;
  birthday: string | null;
  birthdayCalendar: BirthdayCalendar;
  foundedOn: string | null;
  firstCooperationOn: string | null;
  anniversaryOn: string | null;
  addresses: CustomerAddress[];
  needType: NeedType | null;
  tagIds: string[];
};

function cleanAddresses(addresses: readonly AddressValues[] | undefined): CustomerAddress[] {
  return (addresses ?? [])
    .map((address) => {
      const clean: CustomerAddress = {};
      for (const part of ADDRESS_PARTS) {
        const value = address?.[part]?.trim();
        if (value) clean[part] = value;
      }
      return clean;
    })
    .filter((address) => Object.keys(address).length > 0);
}

const text = (value: string | null | undefined) => value?.trim() || null;

function profileOfValues(values: Values): Profile {
  return {
    name: values.name.trim(),
    kind: values.kind,
    phone: text(values.phone),
    email: text(values.email),
    creditCode: values.kind === 'company' ? text(values.creditCode) : null,
    customerNumber: text(values.customerNumber),
    industry: text(values.industry),
    birthday: values.birthday ? values.birthday.format('YYYY-MM-DD') : null,
    birthdayCalendar: values.birthdayCalendar ?? 'solar',
    foundedOn: values.foundedOn ? values.foundedOn.format('YYYY-MM-DD') : null,
    firstCooperationOn: values.firstCooperationOn ? values.firstCooperationOn.format('YYYY-MM-DD') : null,
    anniversaryOn: values.anniversaryOn ? values.anniversaryOn.format('YYYY-MM-DD') : null,
    addresses: cleanAddresses(values.addresses),
    needType: values.needType ?? null,
    tagIds: [...(values.tagIds ?? [])].sort(),
  };
}

function profileOfCustomer(customer: Customer): Profile {
  return {
    name: customer.name,
    kind: customer.kind,
    // Shown and compared as people write it (0571-8755 8212); the server stores E.164 again.
    phone: customer.phone ? formatPhone(customer.phone, currentLanguage()) : null,
    email: customer.email,
    creditCode: customer.creditCode,
    customerNumber: customer.customerNumber,
    industry: customer.industry,
    birthday: customer.birthday,
    birthdayCalendar: customer.birthdayCalendar,
    foundedOn: customer.foundedOn,
    firstCooperationOn: customer.firstCooperationOn,
    anniversaryOn: customer.anniversaryOn,
    addresses: cleanAddresses(customer.addresses),
    needType: customer.needType,
    tagIds: [...customer.tagIds].sort(),
  };
}

type Props = {
  open: boolean;
  onClose: () => void;
  /** Edit this customer; without it the form creates one. */
  customer?: Customer;
  onCreated?: (customer: Customer) => void;
};

/** customers.create / customers.update (only the fields that changed) in a drawer. */
export function CustomerFormDrawer({ open, onClose, customer, onCreated }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const { me, tenant } = useShell();
  const profiles = useQuery({
    ...trpc.industry.profiles.queryOptions(),
    staleTime: Number.POSITIVE_INFINITY,
    enabled: open && !customer,
  });
  // B2B and banking profiles start a new customer as a company (the plugin's defaultCustomerKind).
  const defaultKind: CustomerKind =
    profiles.data?.find((profile) => profile.id === tenant.industry)?.defaultCustomerKind ?? 'person';
  const canReadMembers = useCan('members.read');
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const watchedName = Form.useWatch('name', form);
  const watchedPhone = Form.useWatch('phone', form);
  const watchedEmail = Form.useWatch('email', form);
  const watchedCreditCode = Form.useWatch('creditCode', form);
  const editing = Boolean(customer);

  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: open && canReadMembers });
  const { active: customFields } = useCustomFields();
  const tagsById = useTagsById();

  // The form is filled once per opening (and per customer): a refetch of the customer or of the
  // custom fields while the drawer is open must not wipe what the user is typing.
  const filledFor = useRef<string | null>(null);
  useEffect(() => {
    if (!open) {
      filledFor.current = null;
      return;
    }
    const key = customer?.id ?? 'new';
    if (filledFor.current === key) return;
    filledFor.current = key;
    form.resetFields();
    if (customer) {
      form.setFieldsValue({
        name: customer.name,
        kind: customer.kind,
        phone: customer.phone ? formatPhone(customer.phone, currentLanguage()) : '',
        email: customer.email ?? '',
        creditCode: customer.creditCode ?? '',
        ownerUserId: customer.ownerUserId ?? undefined,
        customerNumber: customer.customerNumber ?? '',
        industry: customer.industry ?? '',
        birthday: customer.birthday ? dayjs(customer.birthday) : null,
        birthdayCalendar: customer.birthdayCalendar,
        foundedOn: customer.foundedOn ? dayjs(customer.foundedOn) : null,
        firstCooperationOn: customer.firstCooperationOn ? dayjs(customer.firstCooperationOn) : null,
        anniversaryOn: customer.anniversaryOn ? dayjs(customer.anniversaryOn) : null,
        addresses: customer.addresses,
        needType: customer.needType,
        tagIds: customer.tagIds,
        customFields: Object.fromEntries(
          customFields
            .filter((field) => !field.sensitive)
            .map((field) => [field.key, toFormValue(field, customer.customFields[field.key])]),
        ),
      });
    }
  }, [open, customer, form, customFields]);

  // Custom fields that arrive after the drawer opened: their values, where the user has not typed.
  useEffect(() => {
    if (!open || !customer) return;
    const untouched = customFields.filter(
      (field) => !field.sensitive && !form.isFieldTouched(['customFields', field.key]),
    );
    if (untouched.length === 0) return;
    form.setFieldsValue({
      customFields: Object.fromEntries(
        untouched.map((field) => [field.key, toFormValue(field, customer.customFields[field.key])]),
      ),
    });
  }, [open, customer, form, customFields]);

  // A new customer starts as the profile's kind, unless the user already chose one.
  useEffect(() => {
    if (open && !customer && !form.isFieldTouched('kind')) form.setFieldValue('kind', defaultKind);
  }, [open, customer, form, defaultKind]);

  const onSaved = async (saved: Customer) => {
    queryClient.setQueryData(trpc.customers.get.queryKey({ id: saved.id }), saved);
    await Promise.all([
      queryClient.invalidateQueries(trpc.customers.list.pathFilter()),
      queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: saved.id })),
      // Its re-tier is queued: the tier card follows it.
      queryClient.invalidateQueries(trpc.industry.customerTier.queryFilter({ customerId: saved.id })),
    ]);
  };

  const idempotencyKey = useIdempotencyKey(open);
  // An exact duplicate is refused by the server: the dialog opens it or creates anyway with a reason.
  const [exactDuplicate, setExactDuplicate] = useState<ExactDuplicate | null>(null);
  const lastCreate = useRef<CustomerCreateInput | null>(null);
  const create = useMutation(
    trpc.customers.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async (created) => {
        setExactDuplicate(null);
        void message.success(t('customers.created', { name: created.name }));
        onClose();
        await onSaved(created);
        onCreated?.(created);
      },
      onError: (error) => {
        const duplicate = exactDuplicateOf(error);
        if (duplicate) setExactDuplicate(duplicate);
        else showError(error, { form, fields: FIELDS, codeFields: CODE_FIELDS });
      },
    }),
  );
  const createAnyway = (reason: string) => {
    if (lastCreate.current) create.mutate({ ...lastCreate.current, force: { reason } });
  };
  const update = useMutation(
    trpc.customers.update.mutationOptions({
      onSuccess: async (updated) => {
        void message.success(t('customers.updated'));
        onClose();
        await onSaved(updated);
      },
      onError: (error) => showError(error, { form, fields: FIELDS, codeFields: CODE_FIELDS }),
    }),
  );

  const submit = (values: Values) => {
    const profile = profileOfValues(values);
    const customValues: Record<string, CustomFieldValue> = Object.fromEntries(
      customFields.map((field) => [field.key, fromFormValue(field, values.customFields?.[field.key])]),
    );
    // Only the date that fits the customer's kind is part of the form.
    const { birthday, birthdayCalendar, foundedOn, ...common } = profile;
    const dated = {
      ...common,
      ...(profile.kind === 'person' ? { birthday, birthdayCalendar } : { foundedOn }),
    };
    const owner = canReadMembers && values.ownerUserId ? values.ownerUserId : undefined;
    const secrets = sensitiveChanges(values, customFields, profile.kind);
    if (customer) {
      const changes: Omit<CustomerUpdateInput, 'id'> = changedFields(dated, profileOfCustomer(customer));
      if (owner && owner !== customer.ownerUserId) changes.ownerUserId = owner;
      const customChanges: Record<string, CustomFieldValue> = {
        ...(changedFields(customValues, customer.customFields) as Record<string, CustomFieldValue>),
      };
      for (const key of secrets.clearedCustom) {
        if (customChanges[key] === undefined) customChanges[key] = null;
      }
      if (Object.keys(customChanges).length > 0) changes.customFields = customChanges;
      Object.assign(changes, secrets.changes);
      if (Object.keys(changes).length === 0) {
        void message.info(t('common.noChanges'));
        onClose();
        return;
      }
      update.mutate({ id: customer.id, ...changes });
    } else {
      const filled = Object.fromEntries(
        Object.entries(dated).filter(
          ([, value]) => value !== null && !(Array.isArray(value) && value.length === 0),
        ),
      );
      const customFilled = Object.fromEntries(
        Object.entries(customValues).filter(([, value]) => value !== null),
      );
      lastCreate.current = {
        ...filled,
        ...(Object.keys(customFilled).length > 0 ? { customFields: customFilled } : {}),
        name: profile.name,
        kind: profile.kind,
        ...(owner ? { ownerUserId: owner } : {}),
        ...secrets.changes,
        ...(profile.kind === 'company' && primaryContactOf(values.primaryContact)
          ? { primaryContact: primaryContactOf(values.primaryContact) }
          : {}),
      };
      create.mutate(lastCreate.current);
    }
  };

  const pending = create.isPending || update.isPending;
  const optional = (label: string) => (
    <span>
      {label}
      <span style={{ color: '#8c8c8c' }}>{t('common.optional')}</span>
    </span>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={editing ? t('customers.form.editTitle') : t('customers.form.createTitle')}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            data-testid="customer-submit"
            type="primary"
            loading={pending}
            onClick={() => form.submit()}
          >
            {editing ? t('customers.form.submitEdit') : t('customers.form.submitCreate')}
          </Button>
        </Flex>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ kind: defaultKind, addresses: [] }}
        onFinish={submit}
      >
        <Form.Item
          name="kind"
          label={t('customers.form.kind')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Radio.Group buttonStyle="solid">
            <Radio.Button value="person" data-testid="customer-kind-person">
              <UserOutlined /> {t('customers.kind.person')}
            </Radio.Button>
            <Radio.Button value="company" data-testid="customer-kind-company">
              <ShopOutlined /> {t('customers.kind.company')}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="name"
          label={t('customers.form.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            data-testid="customer-name"
            maxLength={200}
            placeholder={t('customers.form.namePlaceholder')}
            autoFocus
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <PhoneItem name="phone" label={optional(t('customers.form.phone'))} testId="customer-phone" />
          </Col>
          <Col xs={24} sm={12}>
            <EmailItem name="email" label={optional(t('customers.form.email'))} testId="customer-email" />
          </Col>
        </Row>
        {kind === 'company' ? (
          <Form.Item
            name="creditCode"
            label={optional(t('duplicates.fields.creditCode'))}
            validateTrigger={VALIDATE_AS_YOU_TYPE}
            validateDebounce={300}
            rules={[
              {
                validator: async (_, value: string | undefined) => {
                  if (value?.trim() && !normalizeCreditCode(value))
                    throw new Error(t('guards.creditCodeInvalid'));
                },
              },
            ]}
          >
            <Input data-testid="customer-credit-code" maxLength={40} placeholder="91110000XXXXXXXXXX" />
          </Form.Item>
        ) : null}
        {open ? (
          <DuplicateWarning
            kind={kind}
            name={watchedName}
            phone={watchedPhone}
            email={watchedEmail}
            creditCode={kind === 'company' ? watchedCreditCode : undefined}
            excludeId={customer?.id}
          />
        ) : null}
        {canReadMembers ? (
          <Form.Item name="ownerUserId" label={t('customers.form.owner')}>
            <Select
              data-testid="customer-owner"
              showSearch={{ optionFilterProp: 'search' }}
              loading={members.isPending}
              placeholder={t('customers.form.ownerPlaceholder')}
              allowClear={!editing}
              options={(members.data ?? []).map((member) => ({
                value: member.userId,
                search: `${member.name} ${member.email}`,
                label:
                  member.userId === me.user.id
                    ? t('customers.form.ownerSelf', { name: member.name })
                    : member.name,
              }))}
            />
          </Form.Item>
        ) : null}

        {kind === 'company' && !editing ? <PrimaryContactInputs /> : null}
        <Divider titlePlacement="start" plain style={{ marginTop: 4 }}>
          {t('customers.form.profileSection')}
        </Divider>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="customerNumber" label={optional(t('customers.form.customerNumber'))}>
              <Input
                data-testid="customer-number"
                maxLength={64}
                placeholder={t('customers.form.customerNumberPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="industry" label={optional(t('customers.form.industry'))}>
              <Input
                data-testid="customer-industry"
                maxLength={100}
                placeholder={t('customers.form.industryPlaceholder')}
              />
            </Form.Item>
          </Col>
        </Row>
        {kind === 'company' ? (
          <Form.Item name="foundedOn" label={optional(t('customers.form.foundedOn'))}>
            <DatePicker
              data-testid="customer-founded-on"
              style={{ width: '100%' }}
              disabledDate={(day) => day.isAfter(dayjs(), 'day')}
            />
          </Form.Item>
        ) : (
          <BirthdayField label={optional(t('customers.form.birthday'))} testId="customer-birthday" />
        )}
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="firstCooperationOn"
              label={optional(t('importTargets.fields.firstCooperationOn'))}
              tooltip={t('importTargets.fields.firstCooperationHint')}
              rules={[
                {
                  validator: (_, value: Dayjs | null | undefined) =>
                    value?.isAfter(dayjs(), 'day')
                      ? Promise.reject(new Error(t('importTargets.fields.firstCooperationFuture')))
                      : Promise.resolve(),
                },
              ]}
            >
              <DatePicker
                data-testid="customer-first-cooperation-on"
                style={{ width: '100%' }}
                disabledDate={(day) => day.isAfter(dayjs(), 'day')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="anniversaryOn" label={optional(t('importTargets.fields.anniversaryOn'))}>
              <DatePicker data-testid="customer-anniversary-on" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={optional(t('customers.form.addresses'))} style={{ marginBottom: 0 }}>
          <Form.List name="addresses">
            {(items, { add, remove }) => (
              <Flex vertical gap={12}>
                {items.map((item) => (
                  <Card
                    key={item.key}
                    size="small"
                    styles={{ body: { paddingBottom: 0 } }}
                    title={
                      <Form.Item name={[item.name, 'label']} noStyle>
                        <Input
                          variant="borderless"
                          maxLength={50}
                          placeholder={t('customers.form.addressLabelPlaceholder')}
                          aria-label={t('customers.form.addressLabel')}
                          style={{ paddingInline: 0 }}
                        />
                      </Form.Item>
                    }
                    extra={
                      <Tooltip title={t('customers.form.removeAddress')}>
                        <Button
                          type="text"
                          size="small"
                          icon={<DeleteOutlined />}
                          aria-label={t('customers.form.removeAddress')}
                          onClick={() => remove(item.name)}
                        />
                      </Tooltip>
                    }
                  >
                    <Row gutter={8}>
                      {(['province', 'city', 'district'] as const).map((part) => (
                        <Col span={8} key={part}>
                          <Form.Item name={[item.name, part]} style={{ marginBottom: 8 }}>
                            <Input
                              maxLength={50}
                              placeholder={t(`customers.form.${part}`)}
                              aria-label={t(`customers.form.${part}`)}
                            />
                          </Form.Item>
                        </Col>
                      ))}
                      <Col span={16}>
                        <Form.Item name={[item.name, 'street']} style={{ marginBottom: 12 }}>
                          <Input
                            maxLength={200}
                            placeholder={t('customers.form.street')}
                            aria-label={t('customers.form.street')}
                          />
                        </Form.Item>
                      </Col>
                      <Col span={8}>
                        <Form.Item name={[item.name, 'postcode']} style={{ marginBottom: 12 }}>
                          <Input
                            maxLength={20}
                            placeholder={t('customers.form.postcode')}
                            aria-label={t('customers.form.postcode')}
                          />
                        </Form.Item>
                      </Col>
                    </Row>
                  </Card>
                ))}
                {items.length < 10 ? (
                  <Button
                    data-testid="customer-add-address"
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({})}
                    block
                  >
                    {t('customers.form.addAddress')}
                  </Button>
                ) : null}
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Row gutter={12} style={{ marginTop: 16 }}>
          <Col xs={24} sm={12}>
            <Form.Item name="needType" label={optional(t('systemTags.needType'))}>
              <Select
                data-testid="customer-need-type"
                allowClear
                placeholder={t('customFields.choose')}
                options={NEED_TYPES.map((need) => ({ value: need, label: t(`systemTags.need.${need}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="tagIds" label={optional(t('systemTags.freeTags'))}>
              <Select
                data-testid="customer-tags-select"
                mode="multiple"
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('customFields.choose')}
                options={[...tagsById.values()].map((tag) => ({ value: tag.id, label: tag.name }))}
              />
            </Form.Item>
          </Col>
        </Row>
        {customFields.some((field) => !field.sensitive) ? (
          <>
            <Divider titlePlacement="start" plain style={{ marginTop: 4 }}>
              {t('customFields.section')}
            </Divider>
            <CustomFieldInputs fields={customFields.filter((field) => !field.sensitive)} />
          </>
        ) : null}
        <SensitiveInputs customer={customer} fields={customFields} kind={kind} />
      </Form>
      <ExactDuplicateDialog
        duplicate={exactDuplicate}
        pending={create.isPending}
        onCancel={() => setExactDuplicate(null)}
        onCreateAnyway={createAnyway}
      />
    </Drawer>
  );
}
