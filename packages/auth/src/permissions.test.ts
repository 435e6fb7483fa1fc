import { ROLES } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  assignableRoles,
  hasPermission,
  PERMISSIONS,
  ROLE_LEAD_SCOPE,
  ROLE_PERMISSIONS,
  ROLE_RECORD_SCOPE,
} from './permissions';

describe('role → permission table', () => {
  // Spelled out so that widening a role is a visible, reviewed change to this test.
  it('grants exactly these permissions', () => {
    const matrix = Object.fromEntries(
      ROLES.map((role) => [role, PERMISSIONS.filter((p) => hasPermission(role, p))]),
    );
    expect(matrix).toEqual({
      owner: [...PERMISSIONS],
      admin: [...PERMISSIONS],
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
        'tickets.create',
        'tickets.work',
        'tickets.manage',
        'notifications.own',
        'leads.write',
        'leads.manage',
        'leads.create',
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
        'tickets.create',
        'notifications.own',
        'leads.write',
        'leads.create',
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
        'tickets.create',
        'tickets.work',
        'notifications.own',
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
    });
  });

  it('sales reps see their own customers, managers their team’s, everyone else all', () => {
    expect(ROLE_RECORD_SCOPE).toEqual({
      owner: 'all',
      admin: 'all',
      sales_manager: 'team',
      sales_rep: 'own',
      service_agent: 'all',
      marketing: 'all',
      analyst: 'all',
      viewer: 'all',
    });
  });

  it('reps see their own leads, managers their team’s, marketing and analysts all', () => {
    expect(ROLE_LEAD_SCOPE).toEqual({
      owner: 'all',
      admin: 'all',
      sales_manager: 'team',
      sales_rep: 'own',
      service_agent: 'own',
      marketing: 'all',
      analyst: 'all',
      viewer: 'own',
    });
  });

  it('covers every role and never lets anyone hand out ownership', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(assignableRoles(role)).not.toContain('owner');
    expect(assignableRoles('sales_manager')).toEqual([]);
  });
});
