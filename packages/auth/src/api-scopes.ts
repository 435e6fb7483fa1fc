import type { Permission } from './permissions';

/**
 * The scopes of an API key (开放平台): read or write per resource, each mapped onto the
 * permissions of the one role → permission table. A call through a key needs the route's
 * scope on the key, and the procedure's permission must be one of that scope's and one the
 * key's creator's role holds — a key never does more than the member who made it.
 */
export const API_SCOPES = {
  'customers:read': ['customers.read'],
  'customers:write': ['customers.create', 'customers.update', 'customers.tag'],
  'orders:read': ['customers.read'],
  'orders:write': ['orders.write', 'orders.void'],
  'interactions:read': ['customers.read'],
  'interactions:write': ['interactions.write'],
  'tasks:read': ['customers.read'],
  'tasks:write': ['tasks.write'],
  'tickets:read': ['customers.read'],
  'tickets:write': ['tickets.create', 'tickets.work'],
  'leads:read': ['customers.read'],
  'leads:write': ['leads.create', 'leads.write'],
  'opportunities:read': ['customers.read'],
  'opportunities:write': ['opportunities.write'],
  'surveys:read': ['surveys.results'],
} as const satisfies Record<string, readonly Permission[]>;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];

/** Whether `permission` is one a call under `scope` may use. */
export function scopeAllows(scope: ApiScope, permission: Permission): boolean {
  return (API_SCOPES[scope] as readonly Permission[]).includes(permission);
}
