import { sql } from 'kysely';
import type { CrmDatabase } from './connection';
import { OWNER_ROLE } from './roles';

export type RuntimeRoleReport = {
  currentUser: string;
  sessionUser: string;
  /** Each reason the runtime role could read across tenants; empty when it cannot. */
  violations: string[];
};

/**
 * R1.3: the role requests run as must not be a superuser, must not bypass RLS, must own
 * no table and must not be able to SET ROLE to the owner — checked for both
 * current_user and session_user. The server refuses to start on a violation.
 */
export async function checkRuntimeRole(database: CrmDatabase): Promise<RuntimeRoleReport> {
  return database.withScope({}, async (trx) => {
    const { rows } = await sql<{
      current_user: string;
      session_user: string;
      rolname: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      owns_tables: boolean;
      member_of_owner: boolean;
    }>`
      select current_user, session_user, r.rolname, r.rolsuper, r.rolbypassrls,
             exists (select 1 from pg_class c where c.relowner = r.oid and c.relkind in ('r', 'p', 'v', 'm')) as owns_tables,
             exists (select 1 from pg_roles o where o.rolname = ${OWNER_ROLE}) and pg_has_role(r.rolname, ${OWNER_ROLE}, 'member') as member_of_owner
      from pg_roles r
      where r.rolname in (current_user, session_user)
    `.execute(trx);
    const violations: string[] = [];
    for (const row of rows) {
      if (row.rolsuper) violations.push(`${row.rolname} is a superuser`);
      if (row.rolbypassrls) violations.push(`${row.rolname} has BYPASSRLS`);
      if (row.owns_tables) violations.push(`${row.rolname} owns tables`);
      if (row.member_of_owner) violations.push(`${row.rolname} can SET ROLE ${OWNER_ROLE}`);
    }
    const first = rows[0];
    return {
      currentUser: first?.current_user ?? '',
      sessionUser: first?.session_user ?? '',
      violations,
    };
  });
}
