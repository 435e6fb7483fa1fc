import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

export const ROLES = [
  'owner',
  'admin',
  'sales_manager',
  'sales_rep',
  'service_agent',
  'marketing',
  'analyst',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export type MembershipsTable = {
  tenant_id: string;
  user_id: string;
  role: Role;
  team_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
export type Membership = Selectable<MembershipsTable>;
export type NewMembership = Insertable<MembershipsTable>;
export type MembershipUpdate = Updateable<MembershipsTable>;
