import type { Role } from '@crm/domain';
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

export {
  ROLES,
  type Role,
} from '@crm/domain';

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
