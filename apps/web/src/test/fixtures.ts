import type { CurrentTenant, Me, Permission, RouterOutputs } from '../lib/api-types';
import type { Shell } from '../lib/shell-context';

/** A retail tenant and its owner, as auth.me and tenants.current answer for them. */
export const TENANT_ID = '0b7c3f8e-5d2a-4c1e-9f6b-3a8d2e1c4b50';
export const USER_ID = '6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';
export const REP_ID = '7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';

export const me: Me = {
  user: { id: USER_ID, name: '王经理', email: 'wang@example.cn', locale: 'zh-CN' },
  activeTenantId: TENANT_ID,
};

/** What the owner's role permits (packages/auth ROLE_PERMISSIONS.owner). */
const OWNER_PERMISSIONS: Permission[] = [
  'customers.read',
  'customers.create',
  'customers.update',
  'customers.archive',
  'customers.reassign',
  'customers.tag',
  'customers.merge',
  'customers.import',
  'customers.export',
  'sensitive.reveal',
  'tags.manage',
  'fields.manage',
  'views.share',
  'orders.write',
  'orders.void',
  'interactions.write',
  'teams.manage',
  'jobs.read',
  'members.read',
  'members.invite',
  'members.manage',
  'tenant.update',
  'calendar.manage',
];

export const tenant: CurrentTenant = {
  id: TENANT_ID,
  name: '杭州湖畔零售有限公司',
  industry: 'retail',
  role: 'owner',
  permissions: OWNER_PERMISSIONS,
  timeZone: 'Asia/Shanghai',
};

export const ownerShell: Shell = { me, tenant };

/** The same tenant seen by a viewer (customers.read only). */
export const viewerShell: Shell = {
  me,
  tenant: { ...tenant, role: 'viewer', permissions: ['customers.read'] },
};

type Profile = Extract<RouterOutputs['industry']['current'], { state: 'ok' }>['profile'];

/** The retail profile's RFM tiers (plugins/retail). */
export const retailProfile: Profile = {
  id: 'retail',
  version: '1.0.0',
  labels: { 'zh-CN': '零售', en: 'Retail' },
  description: {
    'zh-CN': '按 RFM 模型把客户分为头部、腰部、长尾和沉睡客户。',
    en: 'RFM model: head, waist, long-tail and dormant customers.',
  },
  modelKind: 'rfm',
  tiers: [
    { key: 'head', labels: { 'zh-CN': '头部客户', en: 'Head' }, description: null },
    { key: 'waist', labels: { 'zh-CN': '腰部客户', en: 'Waist' }, description: null },
    { key: 'tail', labels: { 'zh-CN': '长尾客户', en: 'Long tail' }, description: null },
    { key: 'dormant', labels: { 'zh-CN': '沉睡客户', en: 'Dormant' }, description: null },
  ],
};

export const industryCurrent: RouterOutputs['industry']['current'] = {
  state: 'ok',
  profileId: 'retail',
  profile: retailProfile,
};

export const tags: RouterOutputs['tags']['list'] = [
  {
    id: '1c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f',
    name: '重点客户',
    color: 'red',
    description: '年度重点维护',
  },
  {
    id: '2d0e9f8a-7b6c-4d5e-8f3a-2b1c0d9e8f7a',
    name: '展会线索',
    color: 'blue',
    description: null,
  },
];

export const members: RouterOutputs['members']['list'] = [
  {
    userId: USER_ID,
    name: '王经理',
    email: 'wang@example.cn',
    role: 'owner',
    teamId: null,
    teamName: null,
    joinedAt: '2025-12-01T02:00:00.000Z',
  },
  {
    userId: REP_ID,
    name: '李销售',
    email: 'li@example.cn',
    role: 'sales_rep',
    teamId: null,
    teamName: null,
    joinedAt: '2025-12-02T02:00:00.000Z',
  },
];

type CustomerListItem = RouterOutputs['customers']['list']['items'][number];
type Customer = RouterOutputs['customers']['get'];

/** A list row with the defaults of a new customer; `fields` say what this one is. */
export function customerRow(fields: Partial<CustomerListItem> & Pick<CustomerListItem, 'id' | 'name'>) {
  const row: CustomerListItem = {
    kind: 'company',
    phone: null,
    email: null,
    ownerUserId: null,
    ownerName: null,
    archivedAt: null,
    createdAt: '2026-02-03T04:00:00.000Z',
    updatedAt: '2026-03-01T04:00:00.000Z',
    lifecycleStage: 'potential',
    amount12m: '0.00',
    orderCount: 0,
    lastDealAt: null,
    amountLifetime: '0.00',
    industry: null,
    tagIds: [],
    needType: null,
    valueLevel: 'low',
    activityLevel: 'low',
    completeness: 40,
    tier: null,
    tierScore: null,
    tierComputedAt: null,
    tierPendingSince: null,
    tierNextRunAt: null,
    stale: false,
    customFields: {},
    sensitive: {},
    ...fields,
  };
  return row;
}

/** A whole customer (customers.get) built on a list row. */
export function customerRecord(fields: Partial<Customer> & Pick<Customer, 'id' | 'name'>) {
  const record: Customer = {
    ...customerRow(fields),
    customerNumber: null,
    externalId: null,
    birthday: null,
    birthdayCalendar: 'solar',
    foundedOn: null,
    firstCooperationOn: null,
    anniversaryOn: null,
    openingBalance: null,
    addresses: [],
    explicitNeeds: null,
    implicitNeeds: null,
    painPoints: null,
    purchasePlan: null,
    purchasePlanAmount: null,
    purchasePlanExpectedOn: null,
    firstDealAt: null,
    averageOrderValue: null,
    lifecycleChangedAt: null,
    currency: 'CNY',
    recentTouches: 0,
    completenessMissing: [],
    creditCode: null,
    mergedInto: null,
    tierExplanation: null,
    tierChangedAt: null,
    tierSettingsVersion: null,
    ...fields,
  };
  return record;
}
