import { formatPhone } from '@crm/domain';
import { Link } from '@tanstack/react-router';
import type { ColumnsType } from 'antd/es/table/interface';
import type { TFunction } from 'i18next';
import { currentLanguage } from '../../../i18n';
import type { CustomerListItem, CustomerSort, CustomFieldDefinition } from '../../../lib/api-types';
import { formatDate, formatDateTime, formatMoney } from '../../../lib/format';
import { TierTag } from '../../industry/TierTag';
import { KindTag } from '../KindTag';
import { LifecycleTag } from '../LifecycleTag';
import { CustomerTags } from '../profile-meta';
import { CompletenessBar } from './CompletenessBar';

/** Every built-in column a list can show (the name is always there); `custom:<key>` adds a field. */
export const BUILT_IN_COLUMNS = [
  'kind',
  'stage',
  'tags',
  'valueLevel',
  'activityLevel',
  'needType',
  'amount12m',
  'amountLifetime',
  'orderCount',
  'lastDealAt',
  'completeness',
  'tier',
  'tierScore',
  'phone',
  'email',
  'industry',
  'owner',
  'createdAt',
  'updatedAt',
] as const;
export type BuiltInColumn = (typeof BUILT_IN_COLUMNS)[number];

export const DEFAULT_COLUMNS: readonly string[] = [
  'kind',
  'stage',
  'tags',
  'amount12m',
  'orderCount',
  'lastDealAt',
  'completeness',
  'phone',
  'owner',
  'updatedAt',
];

/** The columns of a list nobody has chosen columns for: with tier and score when the tenant has a tier model. */
export function defaultColumns(hasTierModel: boolean): string[] {
  if (!hasTierModel) return [...DEFAULT_COLUMNS];
  const columns = [...DEFAULT_COLUMNS];
  columns.splice(columns.indexOf('stage') + 1, 0, 'tier', 'tierScore');
  return columns;
}

type Context = {
  t: TFunction;
  sortOrder: (sort: CustomerSort) => 'ascend' | 'descend' | null;
  fieldLabel: (field: CustomFieldDefinition) => string;
  formatCustom: (
    field: CustomFieldDefinition,
    value: CustomerListItem['customFields'][string] | undefined,
  ) => string | null;
  customFields: CustomFieldDefinition[];
  /** A tier key's name (the tenant's industry profile); the key itself when not given. */
  tierLabel?: (tier: string | null) => string;
};

const descendFirst = ['descend', 'ascend', 'descend'] as ('descend' | 'ascend')[];

export function columnLabel(
  key: string,
  { t, fieldLabel, customFields }: Pick<Context, 't' | 'fieldLabel' | 'customFields'>,
) {
  if (key.startsWith('custom:')) {
    const field = customFields.find((candidate) => candidate.key === key.slice('custom:'.length));
    return field ? fieldLabel(field) : key.slice('custom:'.length);
  }
  const labels: Record<BuiltInColumn, string> = {
    kind: t('customers.columns.kind'),
    stage: t('customers.columns.lifecycleStage'),
    tags: t('lists.columns.tags'),
    valueLevel: t('lists.columns.valueLevel'),
    activityLevel: t('lists.columns.activityLevel'),
    needType: t('lists.columns.needType'),
    amount12m: t('customers.columns.amount12m'),
    amountLifetime: t('lists.columns.amountLifetime'),
    orderCount: t('customers.columns.orderCount'),
    lastDealAt: t('customers.columns.lastDealAt'),
    completeness: t('lists.columns.completeness'),
    tier: t('tiers.column'),
    tierScore: t('tiers.score'),
    phone: t('customers.columns.phone'),
    email: t('customers.columns.email'),
    industry: t('lists.columns.industry'),
    owner: t('customers.columns.owner'),
    createdAt: t('customers.columns.createdAt'),
    updatedAt: t('customers.columns.updatedAt'),
  };
  return labels[key as BuiltInColumn] ?? key;
}

/** The table's columns: the name first, then the chosen ones in the chosen order. */
export function buildColumns(chosen: readonly string[], context: Context): ColumnsType<CustomerListItem> {
  const { t, sortOrder } = context;
  // Plain spans in the cells (no <Typography> per cell): a page has 50 rows of them.
  const none = <span className="crm-muted">{t('common.none')}</span>;
  const money = (amount: string) =>
    /[1-9]/.test(amount) ? formatMoney(amount) : <span className="crm-muted">{formatMoney(amount)}</span>;
  const title = (key: string) => columnLabel(key, context);
  const builtIn: Record<BuiltInColumn, ColumnsType<CustomerListItem>[number]> = {
    kind: { width: 90, render: (_, row) => <KindTag kind={row.kind} /> },
    stage: { width: 110, render: (_, row) => <LifecycleTag stage={row.lifecycleStage} /> },
    tags: { width: 240, render: (_, row) => <CustomerTags customer={row} system={false} /> },
    valueLevel: { width: 100, render: (_, row) => t(`systemTags.value.${row.valueLevel}`) },
    activityLevel: { width: 100, render: (_, row) => t(`systemTags.activity.${row.activityLevel}`) },
    needType: {
      width: 130,
      render: (_, row) => (row.needType ? t(`systemTags.need.${row.needType}`) : none),
    },
    amount12m: {
      width: 160,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('amount12m'),
      sortDirections: descendFirst,
      render: (_, row) => money(row.amount12m),
    },
    amountLifetime: {
      width: 160,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('amountLifetime'),
      sortDirections: descendFirst,
      render: (_, row) => money(row.amountLifetime),
    },
    orderCount: {
      width: 90,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('orderCount'),
      sortDirections: descendFirst,
      render: (_, row) => row.orderCount,
    },
    lastDealAt: {
      width: 120,
      sorter: true,
      sortOrder: sortOrder('lastDealAt'),
      sortDirections: descendFirst,
      render: (_, row) => (row.lastDealAt ? formatDate(row.lastDealAt) : none),
    },
    completeness: {
      width: 140,
      sorter: true,
      sortOrder: sortOrder('completeness'),
      sortDirections: descendFirst,
      render: (_, row) => (
        <CompletenessBar percent={row.completeness} stale={row.stale} staleHint={t('completeness.stale')} />
      ),
    },
    tier: {
      width: 140,
      render: (_, row) =>
        row.tier || row.tierPendingSince ? (
          <TierTag
            tier={row.tier}
            label={row.tier ? (context.tierLabel?.(row.tier) ?? row.tier) : ''}
            computedAt={row.tierComputedAt}
            pendingSince={row.tierPendingSince}
            nextRunAt={row.tierNextRunAt}
          />
        ) : (
          none
        ),
    },
    tierScore: {
      width: 110,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('tierScore'),
      sortDirections: descendFirst,
      render: (_, row) => (row.tierScore === null ? none : Number(row.tierScore).toFixed(1)),
    },
    phone: {
      width: 150,
      render: (_, row) => (row.phone ? formatPhone(row.phone, currentLanguage()) : none),
    },
    email: { width: 200, ellipsis: true, render: (_, row) => row.email || none },
    industry: { width: 140, ellipsis: true, render: (_, row) => row.industry || none },
    owner: { width: 120, ellipsis: true, render: (_, row) => row.ownerName || none },
    createdAt: {
      width: 160,
      sorter: true,
      sortOrder: sortOrder('createdAt'),
      sortDirections: descendFirst,
      render: (_, row) => formatDateTime(row.createdAt),
    },
    updatedAt: {
      width: 160,
      sorter: true,
      sortOrder: sortOrder('updatedAt'),
      sortDirections: descendFirst,
      render: (_, row) => formatDateTime(row.updatedAt),
    },
  };
  const columns: ColumnsType<CustomerListItem> = [
    {
      key: 'name',
      title: t('customers.columns.name'),
      width: 220,
      fixed: 'left',
      sorter: true,
      sortOrder: sortOrder('name'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      ellipsis: true,
      render: (_, customer) => (
        <Link
          to="/customers/$customerId"
          params={{ customerId: customer.id }}
          onClick={(event) => event.stopPropagation()}
          style={{ fontWeight: 500 }}
        >
          {customer.name}
        </Link>
      ),
    },
  ];
  for (const key of chosen) {
    if (key.startsWith('custom:')) {
      const field = context.customFields.find((candidate) => `custom:${candidate.key}` === key);
      if (!field) continue;
      const sortable = field.type !== 'multi_enum';
      columns.push({
        key,
        title: title(key),
        width: field.type === 'text' || field.type === 'multi_enum' ? 200 : 140,
        ellipsis: true,
        align: field.type === 'number' || field.type === 'money' ? 'right' : undefined,
        sorter: sortable,
        sortOrder: sortable ? sortOrder(key as CustomerSort) : null,
        render: (_, row) => context.formatCustom(field, row.customFields[field.key]) ?? none,
      });
    } else if (key in builtIn) {
      columns.push({ key, title: title(key), ...builtIn[key as BuiltInColumn] });
    }
  }
  return columns;
}

/** Which sort a column header stands for. */
export function sortOfColumn(key: string): CustomerSort | null {
  const sorts: Record<string, CustomerSort> = {
    name: 'name',
    amount12m: 'amount12m',
    amountLifetime: 'amountLifetime',
    orderCount: 'orderCount',
    lastDealAt: 'lastDealAt',
    completeness: 'completeness',
    tierScore: 'tierScore',
    createdAt: 'createdAt',
    updatedAt: 'updatedAt',
  };
  if (key.startsWith('custom:')) return key as CustomerSort;
  return sorts[key] ?? null;
}
