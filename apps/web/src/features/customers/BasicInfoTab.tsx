import { EnvironmentOutlined } from '@ant-design/icons';
import { Descriptions, Empty, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer, CustomerAddress } from '../../lib/api-types';
import { formatDate, formatDateTime } from '../../lib/format';
import { usePhoneFormat } from '../../lib/phone';
import { LunarBirthday } from '../reminders/BirthdayField';
import { KindTag } from './KindTag';
import { CustomerTags, useCustomFields, useFieldLabel, useFormatCustomValue } from './profile-meta';
import { SensitiveValue } from './SensitiveValue';
import { TabPanel } from './TabPanel';

/** 基本信息: who the customer is, how to reach them, where they are. */
export function BasicInfoTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const phone = usePhoneFormat();
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const archived = customer.archivedAt !== null;
  const { all: fields } = useCustomFields();
  const fieldLabel = useFieldLabel();
  const formatValue = useFormatCustomValue();
  // Retired fields still show where a customer has a value.
  const shownFields = fields.filter(
    (field) =>
      !field.archived ||
      customer.customFields[field.key] !== undefined ||
      customer.sensitive[`custom:${field.key}`] !== undefined,
  );
  const dated =
    customer.kind === 'company'
      ? {
          key: 'foundedOn',
          label: t('customers.form.foundedOn'),
          children: formatDate(customer.foundedOn) || none,
        }
      : {
          key: 'birthday',
          label: t('customers.form.birthday'),
          children: customer.birthday ? (
            <span data-testid="customer-birthday-value">
              {formatDate(customer.birthday)}
              {customer.birthdayCalendar === 'lunar' ? (
                <Typography.Text type="secondary">
                  {' · '}
                  <LunarBirthday day={customer.birthday} />
                </Typography.Text>
              ) : null}
            </span>
          ) : (
            none
          ),
        };

  return (
    <TabPanel>
      <Descriptions
        bordered
        size="middle"
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        items={[
          { key: 'name', label: t('customers.columns.name'), children: customer.name },
          { key: 'kind', label: t('customers.columns.kind'), children: <KindTag kind={customer.kind} /> },
          {
            key: 'customerNumber',
            label: t('customers.form.customerNumber'),
            children: customer.customerNumber ? (
              <Typography.Text copyable>{customer.customerNumber}</Typography.Text>
            ) : (
              none
            ),
          },
          { key: 'industry', label: t('customers.form.industry'), children: customer.industry || none },
          {
            key: 'phone',
            label: t('customers.columns.phone'),
            children: customer.phone ? (
              <Typography.Text copyable={{ text: customer.phone }}>{phone(customer.phone)}</Typography.Text>
            ) : (
              none
            ),
          },
          {
            key: 'email',
            label: t('customers.columns.email'),
            children: customer.email ? (
              <Typography.Link href={`mailto:${customer.email}`}>{customer.email}</Typography.Link>
            ) : (
              none
            ),
          },
          ...(customer.kind === 'company' || customer.creditCode
            ? [
                {
                  key: 'creditCode',
                  label: t('duplicates.fields.creditCode'),
                  children: customer.creditCode ? (
                    <Typography.Text copyable data-testid="customer-credit-code-value">
                      {customer.creditCode}
                    </Typography.Text>
                  ) : (
                    none
                  ),
                },
              ]
            : []),
          dated,
          ...(customer.kind === 'person' || customer.anniversaryOn
            ? [
                {
                  key: 'anniversaryOn',
                  label: t('importTargets.fields.anniversaryOn'),
                  children: formatDate(customer.anniversaryOn) || none,
                },
              ]
            : []),
          {
            key: 'firstCooperationOn',
            label: t('importTargets.fields.firstCooperationOn'),
            children: (
              <span data-testid="customer-first-cooperation">
                {formatDate(customer.firstCooperationOn) || none}
              </span>
            ),
          },
          // 身份证号 and 银行卡号 are individuals' fields: a company shows them only if one is on file.
          ...(customer.kind === 'person' || customer.sensitive.national_id
            ? [
                {
                  key: 'nationalId',
                  label: t('sensitive.nationalId'),
                  children: customer.sensitive.national_id ? (
                    <SensitiveValue
                      customerId={customer.id}
                      field="national_id"
                      masked={customer.sensitive.national_id}
                    />
                  ) : (
                    none
                  ),
                },
              ]
            : []),
          ...(customer.kind === 'person' || customer.sensitive.bank_card
            ? [
                {
                  key: 'bankCard',
                  label: t('sensitive.bankCard'),
                  children: customer.sensitive.bank_card ? (
                    <SensitiveValue
                      customerId={customer.id}
                      field="bank_card"
                      masked={customer.sensitive.bank_card}
                    />
                  ) : (
                    none
                  ),
                },
              ]
            : []),
          {
            key: 'tags',
            label: t('systemTags.freeTags'),
            span: 'filled',
            children: <CustomerTags customer={customer} />,
          },
          { key: 'owner', label: t('customers.columns.owner'), children: customer.ownerName || none },
          {
            key: 'createdAt',
            label: t('customers.columns.createdAt'),
            children: formatDateTime(customer.createdAt),
          },
          {
            key: 'updatedAt',
            label: t('customers.columns.updatedAt'),
            children: formatDateTime(customer.updatedAt),
          },
          ...(archived
            ? [
                {
                  key: 'archivedAt',
                  label: t('customers.detail.archivedAt'),
                  children: formatDateTime(customer.archivedAt),
                },
              ]
            : []),
          {
            key: 'id',
            label: t('customers.detail.id'),
            // The id's first 8 hex digits in capitals: read as a code, never as a word ("feefccbc").
            children: (
              <Typography.Text
                copyable={{ text: customer.id }}
                style={{ fontFamily: 'monospace', fontSize: 12 }}
              >
                {customer.id.slice(0, 8).toUpperCase()}
              </Typography.Text>
            ),
          },
          {
            key: 'addresses',
            label: t('customers.form.addresses'),
            span: 'filled',
            children:
              customer.addresses.length > 0 ? (
                <Flex vertical gap={6} data-testid="customer-addresses">
                  {customer.addresses.map((address, index) => (
                    // Addresses have no id; their order is their identity.
                    <Flex key={index} gap={8} align="baseline">
                      <EnvironmentOutlined style={{ color: '#8c8c8c' }} />
                      {address.label ? <Tag style={{ marginInlineEnd: 0 }}>{address.label}</Tag> : null}
                      <Typography.Text>{formatAddress(address)}</Typography.Text>
                    </Flex>
                  ))}
                </Flex>
              ) : (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={t('customers.detail.noAddresses')}
                  style={{ margin: 0 }}
                  styles={{ image: { height: 32 } }}
                />
              ),
          },
        ]}
      />
      {shownFields.length > 0 ? (
        <Descriptions
          data-testid="customer-custom-fields"
          style={{ marginTop: 16 }}
          title={t('customFields.section')}
          bordered
          size="middle"
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
          items={shownFields.map((field) => ({
            key: field.key,
            label: fieldLabel(field),
            children: field.sensitive ? (
              customer.sensitive[`custom:${field.key}`] ? (
                <SensitiveValue
                  customerId={customer.id}
                  field={`custom:${field.key}`}
                  masked={customer.sensitive[`custom:${field.key}`] as string}
                />
              ) : (
                none
              )
            ) : (
              (formatValue(field, customer.customFields[field.key]) ?? none)
            ),
          }))}
        />
      ) : null}
    </TabPanel>
  );
}

/** 浙江省 杭州市 西湖区 文三路 100 号 310000; a municipality once (上海市 浦东新区 …, not 上海市 上海市). */
export function formatAddress(address: CustomerAddress): string {
  const city = address.city && address.city === address.province ? undefined : address.city;
  const place = [address.province, city, address.district, address.street].filter(Boolean).join(' ');
  return address.postcode ? `${place} ${address.postcode}` : place;
}
