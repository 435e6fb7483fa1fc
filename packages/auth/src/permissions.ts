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
  'tasks.write',
  'tasks.manage',
  'plans.approve',
  'plans.manage',
  'teams.manage',
  'jobs.read',
  'members.read',
  'members.invite',
  'members.manage',
  'tenant.update',
  'calendar.manage',
  /** Tickets (工单): open one; work them (reply, move status); assign and work the team's; configure categories and SLAs. */
  'tickets.create',
  'tickets.work',
  'tickets.manage',
  'tickets.configure',
  /** A member's own notifications and notification settings: every role. */
  'notifications.own',
  /** Create leads (线索), edit, log contacts and move the status of the leads one sees. */
  'leads.write',
  /** Reassign, disqualify, import and export the leads one sees; re-grade a tenant's leads. */
  'leads.manage',
  /** Create and import leads (marketing) without working them. */
  'leads.create',
  /** 营销: hosted lead forms and campaigns (marketing; owners and admins have every permission). */
  'campaigns.manage',
  /** 商机: create opportunities, edit and move the ones one sees through the pipeline, win and lose them. */
  'opportunities.write',
  /** Reassign opportunities and configure the tenant's lost reasons (输单原因). */
  'opportunities.manage',
  /** 问卷: invite customers one sees (email, SMS, a link for WeChat) and work their follow-ups. */
  'surveys.send',
  /** Build the tenant's surveys, turn the plugin's on or off, set the frequency cap. */
  'surveys.manage',
  /** NPS, CSAT and response rates (a manager's cover the team's customers) and the answers. */
  'surveys.results',
  /** 开放平台: API keys, webhooks and the 企业微信 robot (owners and admins). */
  'platform.manage',
  /** 公海: see the pool, claim from it within the daily limit, release one's own leads and customers. */
  'pool.claim',
  /** 公海: assign from the pool to the team's members, run the assignment rules, release the team's. */
  'pool.assign',
  /** Assignment rules (分配规则), recycle rules, claim limits and the pool's settings. */
  'pool.configure',
  /** 转介绍 and 成长值: record a referral, redeem a customer's points. */
  'loyalty.write',
  /** Adjust a customer's points by hand (with a reason), cancel a referral. */
  'loyalty.manage',
  /** The points rate, their expiry and the referral rules. */
  'loyalty.configure',
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
    'tasks.write',
    'tasks.manage',
    'plans.approve',
    'members.read',
    'notifications.own',
    'leads.write',
    'leads.manage',
    'leads.create',
    'tickets.create',
    'tickets.work',
    'tickets.manage',
    'opportunities.write',
    'opportunities.manage',
    'surveys.send',
    'surveys.results',
    'pool.claim',
    'pool.assign',
    'loyalty.write',
    'loyalty.manage',
  ],
  sales_rep: [
    'customers.read',
    'customers.create',
    'customers.update',
    'customers.tag',
    'orders.write',
    'interactions.write',
    'tasks.write',
    'notifications.own',
    'leads.write',
    'leads.create',
    'tickets.create',
    'opportunities.write',
    'surveys.send',
    'pool.claim',
    'loyalty.write',
  ],
  service_agent: [
    'customers.read',
    'customers.update',
    'customers.tag',
    'interactions.write',
    'tasks.write',
    'notifications.own',
    'tickets.create',
    'tickets.work',
    'surveys.send',
    'loyalty.write',
  ],
  marketing: [
    'customers.read',
    'customers.create',
    'customers.tag',
    'customers.import',
    'customers.export',
    'tags.manage',
    'views.share',
    'interactions.write',
    'tasks.write',
    'notifications.own',
    'leads.create',
    'campaigns.manage',
    'surveys.send',
    'surveys.manage',
    'surveys.results',
    'loyalty.write',
  ],
  analyst: ['customers.read', 'customers.export', 'notifications.own', 'surveys.results'],
  viewer: ['customers.read', 'notifications.own'],
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

/*
 * Tasks: `tasks.write` creates tasks and works one's own (complete, reschedule, skip);
 * `tasks.manage` works the tasks of everyone the member sees (the team's for a manager):
 * reassign, bulk changes, the overdue board. Which tasks a member sees follows the record
 * scope above, applied to the task's owner. `plans.approve` decides maintenance plans that
 * need approval; `plans.manage` configures cadences and plan settings.
 */

/*
 * Leads (线索): reading needs no permission of its own, only the role's lead scope below
 * (`visibleLead`). `leads.write` works the leads one sees (edit, log a contact, move the
 * status); `leads.create` creates and imports them (marketing's campaigns bring leads it
 * does not work); `leads.manage` reassigns, disqualifies, imports, exports and re-grades.
 */

/*
 * Opportunities (商机): reading needs customers.read and the role's lead scope, applied to the
 * opportunity's owner (`visibleOpportunity`): a rep their own, a manager their team's,
 * analysts and admins every one. `opportunities.write` creates and works them;
 * `opportunities.manage` reassigns and keeps the lost reasons.
 */

/**
 * Which leads a role sees: a rep their own, a manager their team's (and the team's
 * unassigned ones), marketing, analysts and admins every lead; a service agent and a viewer
 * only those given to them.
 */
export const ROLE_LEAD_SCOPE: Record<Role, RecordScope> = {
  owner: 'all',
  admin: 'all',
  sales_manager: 'team',
  sales_rep: 'own',
  service_agent: 'own',
  marketing: 'all',
  analyst: 'all',
  viewer: 'own',
};

/**
 * Which tasks a role sees: a rep (and anyone who works only their own list) their own, a
 * manager their team's, an admin everyone's. Narrower than customers on purpose: a service
 * agent sees every customer but works only the tasks given to them.
 */
export const ROLE_TASK_SCOPE: Record<Role, RecordScope> = {
  owner: 'all',
  admin: 'all',
  sales_manager: 'team',
  sales_rep: 'own',
  service_agent: 'own',
  marketing: 'own',
  analyst: 'all',
  viewer: 'own',
};

/**
 * Which tickets (工单) a role sees and works: everyone's (owners, admins, and read-only for
 * analysts and viewers); the team's — assigned to anyone in it or unassigned in its queue —
 * for a manager; for a service agent their own and the unassigned tickets of their team's
 * queue (or, without a team, the unassigned ones of no team); for a sales rep or marketer the
 * tickets about customers they see, and those they opened or were given.
 */
export type TicketScope = 'all' | 'team' | 'queue' | 'customers';
export const ROLE_TICKET_SCOPE: Record<Role, TicketScope> = {
  owner: 'all',
  admin: 'all',
  sales_manager: 'team',
  sales_rep: 'customers',
  service_agent: 'queue',
  marketing: 'customers',
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
