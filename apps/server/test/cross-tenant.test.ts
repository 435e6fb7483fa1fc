import { createSession, publicSessionId } from '@crm/auth';
import { ROLES, sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProcedurePaths,
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
} from './helpers';
import {
  createApiKeyIn,
  createAssignmentRuleIn,
  createCalendarOverrideIn,
  createCampaignIn,
  createComplaintIn,
  createContactIn,
  createCustomerIn,
  createCustomFieldIn,
  createExportRunIn,
  createFailedEmailIn,
  createImportMappingIn,
  createImportRunIn,
  createInvitationIn,
  createLeadFormIn,
  createLeadIn,
  createNotificationIn,
  createOpportunityIn,
  createOrderIn,
  createPlanIn,
  createPoolCustomerIn,
  createPoolLeadIn,
  createReferralIn,
  createSurveyResponseIn,
  createTagIn,
  createTaskIn,
  createTeamIn,
  createTicketIn,
  createViewIn,
  createWebhookDeliveryIn,
  createWebhookIn,
  PROCEDURE_CASES,
  VICTIM_CALENDAR_DAY,
  type Victim,
} from './procedure-cases';

/**
 * SECURITY.md T1.1–T1.3: every member of tenant B calls every procedure with tenant A's
 * ids. Nothing of A may come back, nothing of A may change, and A's ids must be
 * indistinguishable from ids that exist nowhere.
 */
let server: TestServer;
let victim: Victim;
let attacker: SeededTenant;

const TENANT_TABLES = [
  'tenants',
  'memberships',
  'invitations',
  'customers',
  'teams',
  'contacts',
  'orders',
  'order_lines',
  'interactions',
  'lifecycle_changes',
  'audit_log',
  'tags',
  'custom_field_definitions',
  'saved_views',
  'idempotency_keys',
  'tenant_data_keys',
  'tenant_index_keys',
  'customer_secrets',
  'customer_match_keys',
  'duplicate_candidates',
  'customer_merges',
  'duplicate_scans',
  'import_files',
  'import_file_chunks',
  'import_mappings',
  'import_runs',
  'import_errors',
  'import_row_outcomes',
  'export_runs',
  'export_file_chunks',
  'tier_history',
  'tenant_plugin_settings',
  'work_calendar_settings',
  'work_calendar_overrides',
  'notifications',
  'notification_preferences',
  'email_outbox',
  'opportunities',
  'opportunity_lines',
  'opportunity_stage_history',
  'opportunity_lost_reasons',
  'api_keys',
  'webhook_endpoints',
  'webhook_events',
  'webhook_deliveries',
  'webhook_attempts',
  'wecom_settings',
  'wecom_bindings',
  'wecom_outbox',
] as const;

/** A checksum of every row tenant A owns, read through A's own tenant context. */
async function checksumOf(tenant: SeededTenant): Promise<string> {
  const sessionsOfTenant = await server.database.withoutTenant(async (db) =>
    (
      await db
        .selectFrom('sessions')
        .select('id')
        .where('active_tenant_id', '=', tenant.tenantId)
        .orderBy('id')
        .execute()
    )
      .map((row) => row.id)
      .join(','),
  );
  const userIds = Object.values(tenant.users).map((user) => user.id);
  const parts: string[] = [];
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    for (const table of TENANT_TABLES) {
      const { rows } = await sql<{ digest: string; count: string }>`
        select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest, count(*) as count
        from ${sql.table(table)} t`.execute(trx);
      parts.push(`${table}:${rows[0]?.count}:${rows[0]?.digest}`);
    }
    const { rows } = await sql<{ digest: string }>`
      select md5(coalesce(string_agg(u::text, '|' order by u.id), '')) as digest
      from users u where u.id in (${sql.join(userIds)})`.execute(trx);
    parts.push(`users:${rows[0]?.digest}`);
  });
  return `${parts.join(',')};sessions:${sessionsOfTenant}`;
}

beforeAll(async () => {
  server = await createTestServer();
  const victimTenant = await seedTenant(server.database, '受害企业甲');
  attacker = await seedTenant(server.database, '攻击企业乙');
  const customerName = '甲方独有客户名称';
  const customerId = await createCustomerIn(server, victimTenant.tenantId, customerName);
  // An archived one too, so restore has a target.
  await createCustomerIn(server, victimTenant.tenantId, '甲方归档客户', true);
  const invitation = await createInvitationIn(
    server,
    victimTenant.tenantId,
    victimTenant.users.owner.id,
    'invitee-a@example.com',
  );
  const [tenantId, invitationId] = invitation.token.split('.');
  const ownerSession = await server.database.withScope({}, (trx) =>
    createSession(trx, victimTenant.users.owner.id, victimTenant.tenantId),
  );
  const orderId = await createOrderIn(server, victimTenant.tenantId, customerId);
  const contactId = await createContactIn(server, victimTenant.tenantId, customerId);
  const jobId = await server.dependencies.jobs.enqueue('lifecycle.rederive-tenant', {
    tenantId: victimTenant.tenantId,
    day: '2026-11-22',
  });
  const teamId = await createTeamIn(server, victimTenant.tenantId, '甲方的团队');
  const tagId = await createTagIn(server, victimTenant.tenantId, '甲方的标签');
  const customFieldKey = 'victim_secret_field';
  const customFieldId = await createCustomFieldIn(server, victimTenant.tenantId, customFieldKey, '甲方字段');
  const viewId = await createViewIn(
    server,
    victimTenant.tenantId,
    victimTenant.users.owner.id,
    true,
    '甲方视图',
  );
  await server.database.withTenant(victimTenant.tenantId, (trx) =>
    trx
      .updateTable('customers')
      .set({ tag_ids: [tagId], custom_fields: JSON.stringify({ [customFieldKey]: '甲方机密值' }) })
      .where('id', '=', customerId)
      .execute(),
  );
  const exportRunId = await createExportRunIn(server, victimTenant.tenantId, victimTenant.users.owner.id);
  await server.database.withTenant(victimTenant.tenantId, (trx) =>
    trx
      .insertInto('export_file_chunks')
      .values({
        tenant_id: victimTenant.tenantId,
        run_id: exportRunId,
        seq: 0,
        bytes: Buffer.from('甲方导出文件'),
      })
      .execute(),
  );
  const importRunId = await createImportRunIn(
    server,
    victimTenant.tenantId,
    victimTenant.users.owner.id,
    '甲方导入客户',
  );
  const importRun = await server.database.withTenant(victimTenant.tenantId, (trx) =>
    trx.selectFrom('import_runs').select('file_id').where('id', '=', importRunId).executeTakeFirstOrThrow(),
  );
  const importMappingId = await createImportMappingIn(server, victimTenant.tenantId, '甲方导入方案');
  const taskId = await createTaskIn(
    server,
    victimTenant.tenantId,
    victimTenant.users.sales_rep.id,
    customerId,
    '甲方的回访任务',
  );
  await createCalendarOverrideIn(server, victimTenant.tenantId, VICTIM_CALENDAR_DAY, '甲方公司假日');
  const notificationId = await createNotificationIn(
    server,
    victimTenant.tenantId,
    victimTenant.users.owner.id,
    '甲方的通知',
  );
  const emailId = await createFailedEmailIn(server, victimTenant.tenantId, '甲方的邮件');
  const planId = await createPlanIn(server, victimTenant.tenantId, customerId);
  const campaignId = await createCampaignIn(server, victimTenant.tenantId, '甲方的活动');
  const formId = await createLeadFormIn(server, victimTenant.tenantId, '甲方的表单');
  const leadId = await createLeadIn(server, victimTenant.tenantId, null, '甲方的线索');
  const assignmentRuleId = await createAssignmentRuleIn(server, victimTenant.tenantId, '甲方的分配规则');
  const poolLeadId = await createPoolLeadIn(server, victimTenant.tenantId, '甲方的公海线索');
  const poolCustomerId = await createPoolCustomerIn(server, victimTenant.tenantId, '甲方的公海客户');
  const ticketId = await createTicketIn(
    server,
    victimTenant.tenantId,
    customerId,
    victimTenant.users.service_agent.id,
    '甲方的投诉工单',
  );
  const interactionId = await createComplaintIn(
    server,
    victimTenant.tenantId,
    customerId,
    victimTenant.users.sales_rep.id,
  );
  const opportunityId = await createOpportunityIn(
    server,
    victimTenant.tenantId,
    victimTenant.users.sales_rep.id,
    customerId,
    '甲方的商机',
  );
  const survey = await createSurveyResponseIn(
    server,
    victimTenant.tenantId,
    customerId,
    victimTenant.users.owner.id,
    2,
  );
  const apiKeyId = await createApiKeyIn(
    server,
    victimTenant.tenantId,
    victimTenant.users.owner.id,
    '甲方的密钥',
  );
  const webhookId = await createWebhookIn(
    server,
    victimTenant.tenantId,
    'https://93.184.216.34/hooks/victim-secret',
  );
  const webhookDeliveryId = await createWebhookDeliveryIn(server, victimTenant.tenantId, webhookId);
  const referralId = await createReferralIn(server, victimTenant.tenantId, customerId, { leadId });
  victim = {
    opportunityId,
    surveyInvitationId: survey.invitationId,
    surveyFollowUpId: survey.followUpId as string,
    webhookId,
    webhookDeliveryId,
    apiKeyId,
    referralId,
    leadId,
    assignmentRuleId,
    poolLeadId,
    poolCustomerId,
    campaignId,
    formId,
    ticketId,
    interactionId,
    taskId,
    notificationId,
    emailId,
    planId,
    importFileId: importRun.file_id as string,
    importRunId,
    importMappingId,
    exportRunId,
    tagId,
    customFieldId,
    customFieldKey,
    viewId,
    teamId,
    jobId: jobId ?? '',
    orderId,
    contactId,
    ownerSessionPublicId: publicSessionId(ownerSession.session.id),
    tenant: victimTenant,
    customerId,
    customerName,
    invitationId: invitation.id,
    forgedInvitationToken: `${tenantId}.${invitationId}.${'a'.repeat(32)}`,
  };
});
afterAll(() => server.destroy());

function victimMarkers(): string[] {
  return [
    victim.apiKeyId,
    '甲方的密钥',
    victim.webhookId,
    'victim-secret',
    victim.teamId,
    '甲方的团队',
    victim.taskId,
    '甲方的回访任务',
    victim.tagId,
    victim.customFieldId,
    '甲方字段',
    victim.viewId,
    victim.exportRunId,
    victim.planId,
    victim.campaignId,
    '甲方的活动',
    victim.formId,
    '甲方的表单',
    victim.leadId,
    '甲方的线索',
    victim.assignmentRuleId,
    '甲方的分配规则',
    victim.poolLeadId,
    '甲方的公海线索',
    victim.poolCustomerId,
    '甲方的公海客户',
    victim.ticketId,
    '甲方的投诉工单',
    victim.opportunityId,
    '甲方的商机',
    victim.interactionId,
    victim.surveyInvitationId,
    victim.surveyFollowUpId,
    victim.referralId,
    '甲方视图',
    '甲方机密值',
    victim.importRunId,
    victim.importFileId,
    victim.importMappingId,
    '甲方导入客户',
    '甲方导入方案',
    '甲方公司假日',
    victim.jobId,
    victim.notificationId,
    '甲方的通知',
    victim.emailId,
    '甲方的邮件',
    victim.orderId,
    victim.contactId,
    victim.tenant.tenantId,
    victim.tenant.name,
    victim.customerId,
    victim.customerName,
    victim.invitationId,
    'invitee-a@example.com',
    ...Object.values(victim.tenant.users).flatMap((user) => [user.id, user.email, user.name]),
  ];
}

function randomizeIds(input: unknown): unknown {
  if (input === undefined) return undefined;
  let text = JSON.stringify(input);
  const ids = [
    victim.tenant.tenantId,
    victim.customerId,
    victim.invitationId,
    victim.orderId,
    victim.contactId,
    victim.teamId,
    victim.tagId,
    victim.customFieldId,
    victim.viewId,
    victim.exportRunId,
    victim.taskId,
    victim.notificationId,
    victim.emailId,
    victim.planId,
    victim.campaignId,
    victim.formId,
    victim.leadId,
    victim.assignmentRuleId,
    victim.poolLeadId,
    victim.poolCustomerId,
    victim.ticketId,
    victim.interactionId,
    victim.opportunityId,
    victim.surveyInvitationId,
    victim.surveyFollowUpId,
    victim.referralId,
    ...Object.values(victim.tenant.users).map((user) => user.id),
  ];
  for (const id of ids) text = text.replaceAll(id, crypto.randomUUID());
  return JSON.parse(text);
}

describe('cross-tenant suite', () => {
  const paths = allProcedurePaths();

  it('has a case for every procedure in the router', () => {
    expect(paths.filter((path) => !PROCEDURE_CASES[path])).toEqual([]);
  });

  it("no member of B reads or changes anything of A's through any procedure", async () => {
    const before = await checksumOf(victim.tenant);
    const markers = victimMarkers();
    let tried = 0;
    const leaks: string[] = [];
    const oracles: string[] = [];
    for (const path of paths) {
      const procedureCase = PROCEDURE_CASES[path];
      if (!procedureCase) throw new Error(`no case for ${path}`);
      for (const role of ROLES) {
        const input = procedureCase.foreign(victim);
        const client = await signedInClient(server, attacker.users[role].id, attacker.tenantId);
        const result = await client.call(path, input);
        tried += 1;
        // The input's own ids are allowed to be absent only; the response must not name A.
        const leaked = markers.filter((marker) => result.body.includes(marker));
        if (leaked.length > 0) leaks.push(`${path} as ${role}: ${leaked.join(', ')}`);
        // T1.3: A's ids answer exactly like ids that exist nowhere.
        const randomInput = randomizeIds(input);
        if (JSON.stringify(randomInput) !== JSON.stringify(input)) {
          const fresh = await signedInClient(server, attacker.users[role].id, attacker.tenantId);
          const control = await fresh.call(path, randomInput);
          const answer = `${result.status}:${result.error?.appCode ?? 'ok'}`;
          const controlAnswer = `${control.status}:${control.error?.appCode ?? 'ok'}`;
          if (answer !== controlAnswer) oracles.push(`${path} as ${role}: ${answer} vs ${controlAnswer}`);
        }
      }
    }
    const after = await checksumOf(victim.tenant);
    console.log(
      `T1.2 cross-tenant: procedures=${paths.length} roles=${ROLES.length} tried=${tried} leaked=${leaks.length} distinguishable=${oracles.length}`,
    );
    expect(leaks).toEqual([]);
    expect(oracles).toEqual([]);
    expect(after).toBe(before);
  }, 600_000);
});
