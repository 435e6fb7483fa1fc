import { type Database, sql, type Transaction } from '@crm/db';

/**
 * The audit row of a mutation that wrote none of its own (T5.7a): entity `call`, the
 * procedure as the action, the record it was about (else the tenant), its actor; the tenant
 * and the request id come from the transaction's settings. Written only when no other audit
 * row was written in the transaction (`app.audited`, set by the audit log's own trigger), so
 * every mutation leaves its record-level rows or exactly this one.
 */
export async function auditCall(
  trx: Transaction<Database>,
  procedure: string,
  actorUserId: string | null,
  recordId: string | null,
): Promise<void> {
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, action, changes)
    select app_tenant_id(), ${actorUserId}::uuid, 'call', coalesce(${recordId}::uuid, app_tenant_id()), ${procedure}, '{}'::jsonb
    where current_setting('app.audited', true) is distinct from '1'`.execute(trx);
}
