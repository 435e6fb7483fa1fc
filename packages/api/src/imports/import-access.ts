import type { Database, ImportEntity, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { memberAccess, type RecordAccess, visibleCustomer } from '../customers/access';
import { ROW_MESSAGES } from './messages';
import { AMBIGUOUS_MEMBER, type Members } from './parse';

/** The importing member's record access (a sales manager sees the team's customers only). */
export async function loadAccess(
  trx: Transaction<Database>,
  tenantId: string,
  userId: string,
): Promise<RecordAccess> {
  const membership = await trx
    .selectFrom('memberships')
    .select(['role', 'team_id'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!membership) throw new Error('The member who started the import is no longer a member');
  return memberAccess(userId, membership.team_id, membership.role);
}

/**
 * Record-level access, set-based: a row may not update a customer the importing member does
 * not see, and orders and interactions may only name customers they see (others are
 * reported as not found, as everywhere else).
 */
export async function confineToAccess(
  trx: Transaction<Database>,
  tenantId: string,
  entity: ImportEntity,
  access: RecordAccess,
) {
  // A lead row never changes an existing record: a match only skips it (its name shown to
  // those who see it).
  if (entity === 'leads') return;
  if (entity === 'customers') {
    await sql`
      insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
      select s.row_number, 1004, '', null, 'CUSTOMER_NOT_VISIBLE',
        ${ROW_MESSAGES.CUSTOMER_NOT_VISIBLE['zh-CN']}, ${ROW_MESSAGES.CUSTOMER_NOT_VISIBLE.en}
      from import_stage s
      join customers on customers.tenant_id = ${tenantId} and customers.id = s.matched_id
      where not (${visibleCustomer(access)})`.execute(trx);
    return;
  }
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select s.row_number, 1004, '', coalesce(s.ref_number, s.ref_credit_code, s.ref_phone, s.ref_name), 'CUSTOMER_NOT_FOUND',
      ${ROW_MESSAGES.CUSTOMER_NOT_FOUND['zh-CN']}, ${ROW_MESSAGES.CUSTOMER_NOT_FOUND.en}
    from import_stage s
    join customers on customers.tenant_id = ${tenantId} and customers.id = s.customer_id
    where not (${visibleCustomer(access)})`.execute(trx);
}

/** Members by lower-cased email and by name (a name two members share is ambiguous: named, it is a row error). */
export async function loadMembers(trx: Transaction<Database>, tenantId: string): Promise<Members> {
  const rows = await trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'users.name'])
    .where('memberships.tenant_id', '=', tenantId)
    .execute();
  const members: Members = new Map();
  const names = new Map<string, number>();
  const nameOf = (name: string) => name.normalize('NFKC').trim().toLowerCase();
  for (const row of rows) names.set(nameOf(row.name), (names.get(nameOf(row.name)) ?? 0) + 1);
  for (const row of rows) {
    const name = nameOf(row.name);
    if (name !== '' && !members.has(name))
      members.set(name, names.get(name) === 1 ? row.id : AMBIGUOUS_MEMBER);
  }
  // An email wins over a name that happens to be written the same way.
  for (const row of rows) members.set(row.email.toLowerCase(), row.id);
  return members;
}
