import type { Role } from '@crm/db';

export const PERMISSIONS = [
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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The one place roles map to permissions. Procedure bases check this table; nothing else does. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  sales_manager: [
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
    'views.share',
    'orders.write',
    'orders.void',
    'interactions.write',
    'members.read',
  ],
  sales_rep: [
    'customers.read',
    'customers.create',
    'customers.update',
    'customers.tag',
    'orders.write',
    'interactions.write',
  ],
  service_agent: ['customers.read', 'customers.update', 'customers.tag', 'interactions.write'],
  marketing: [
    'customers.read',
    'customers.create',
    'customers.tag',
    'customers.import',
    'customers.export',
    'tags.manage',
    'views.share',
    'interactions.write',
  ],
  analyst: ['customers.read', 'customers.export'],
  viewer: ['customers.read'],
};

/**
 * Which customers a role sees (record-level access): every customer of the tenant, those
 * owned by anyone in the member's team, or only their own.
 */
export type RecordScope = 'all' | 'team' | 'own';
export const ROLE_RECORD_SCOPE: Record<Role, RecordScope> = {
  owner: 'all',
  admin: 'all',
  sales_manager: 'team',
  sales_rep: 'own',
  service_agent: 'all',
  marketing: 'all',
  analyst: 'all',
  viewer: 'all',
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Roles an inviter may hand out: never owner, and an admin cannot mint admins above themselves. */
export function assignableRoles(role: Role): Role[] {
  const all: Role[] = [
    'admin',
    'sales_manager',
    'sales_rep',
    'service_agent',
    'marketing',
    'analyst',
    'viewer',
  ];
  if (role === 'owner') return all;
  if (role === 'admin') return all;
  return [];
}
