import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from './memberships.table';

/** An invitation link carries `tenantId.invitationId.secret`; only a hash of the secret is stored. */
export type InvitationsTable = {
  tenant_id: string;
  id: Generated<string>;
  email: string | null;
  role: Role;
  secret_hash: Uint8Array;
  invited_by: string;
  expires_at: ColumnType<Date, Date | string, never>;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
export type Invitation = Selectable<InvitationsTable>;
export type NewInvitation = Insertable<InvitationsTable>;
export type InvitationUpdate = Updateable<InvitationsTable>;
