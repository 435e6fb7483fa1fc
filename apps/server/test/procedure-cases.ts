import { jobScope, mergeCustomers, writeSecrets } from '@crm/api';
import { createSession, generateSecureRandomString, hashSecret, publicSessionId } from '@crm/auth';
import { type Role, sql } from '@crm/db';
import type { SeededTenant, SeededUser, TestServer } from './helpers';
import { TEST_PASSWORD, testPasswordHash } from './helpers';

/**
 * One entry per tRPC procedure. Both router-enumerating suites (cross-tenant and
 * permissions) fail when a procedure has no entry here, so a new procedure cannot ship
 * without saying how it is called validly and how it is called with another tenant's ids.
 */
export type CaseContext = { server: TestServer; tenant: SeededTenant; role: Role; actor: SeededUser };

export type Victim = {
  tenant: SeededTenant;
  customerId: string;
  customerName: string;
  invitationId: string;
  /** A's real tenant and invitation ids with a wrong secret. */
  forgedInvitationToken: string;
  /** The public handle of a session of A's owner. */
  ownerSessionPublicId: string;
  orderId: string;
  contactId: string;
  /** A background job of A's. */
  jobId: string;
  teamId: string;
  tagId: string;
  customFieldId: string;
  customFieldKey: string;
  /** A view of A's owner, shared with A. */
  viewId: string;
  /** An uploaded import file, a run of it (with an error row) and a saved mapping of A's. */
  importFileId: string;
  importRunId: string;
  importMappingId: string;
  /** A finished export of A's owner. */
  exportRunId: string;
  /** An open task of A's sales rep about A's customer. */
  taskId: string;
  /** An unread notification of A's owner, and a failed email in A's outbox. */
  notificationId: string;
  emailId: string;
  /** A maintenance plan of A's customer, waiting for approval. */
  planId: string;
  /** A draft campaign and a hosted lead form of A's (营销). */
  campaignId: string;
  formId: string;
  /** A lead of A's, with a behaviour event. */
  leadId: string;
  /** An open ticket about A's customer, assigned to A's service agent, and a complaint interaction of A's. */
  ticketId: string;
  interactionId: string;
  /** An open opportunity (商机) of A's sales rep about A's customer. */
  opportunityId: string;
  /** A survey invitation of A's customer, and a low NPS answer of it with an open follow-up. */
  surveyInvitationId: string;
  surveyFollowUpId: string;
  /** An API key of A's owner, a webhook endpoint and one of its deliveries (开放平台). */
  apiKeyId: string;
  webhookId: string;
  webhookDeliveryId: string;
  /** An assignment rule of A's (分配规则), a lead and a customer in A's 公海. */
  assignmentRuleId: string;
  poolLeadId: string;
  poolCustomerId: string;
  /** A pending referral of A's: A's customer referred A's lead. */
  referralId: string;
};

export type ProcedureCase = {
  /** A valid input for `actor` acting in `tenant`; may create fresh objects to act on. */
  input(context: CaseContext): Promise<unknown> | unknown;
  /** An input that points at the victim tenant's objects (by id, in filters, nested). */
  foreign(victim: Victim): unknown;
};

const uniqueEmail = (prefix: string) => `${prefix}.${crypto.randomUUID().slice(0, 12)}@example.com`;

export async function createCustomerIn(
  server: TestServer,
  tenantId: string,
  name = '测试客户',
  archived = false,
  ownerUserId: string | null = null,
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('customers')
      .values({
        tenant_id: tenantId,
        name,
        kind: 'company',
        archived_at: archived ? new Date() : null,
        owner_user_id: ownerUserId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function createOrderIn(server: TestServer, tenantId: string, customerId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('orders')
      .values({ tenant_id: tenantId, customer_id: customerId, ordered_at: new Date(), amount: '1280.00' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function createContactIn(server: TestServer, tenantId: string, customerId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('contacts')
      .values({ tenant_id: tenantId, customer_id: customerId, name: '联系人' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function createTeamIn(
  server: TestServer,
  tenantId: string,
  name = `团队${crypto.randomUUID().slice(0, 6)}`,
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** The day of tenant A's own company holiday in the cross-tenant suite. */
export const VICTIM_CALENDAR_DAY = '2026-11-13';

/** A company day off on a random day of 2030 (so repeated calls do not collide). */
export async function createCalendarOverrideIn(
  server: TestServer,
  tenantId: string,
  day = `2030-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}`,
  name = '公司假日',
) {
  await server.database.withTenant(tenantId, (trx) =>
    trx
      .insertInto('work_calendar_overrides')
      .values({ tenant_id: tenantId, day, working: false, name })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'day']).doNothing())
      .execute(),
  );
  return day;
}

export async function createTagIn(
  server: TestServer,
  tenantId: string,
  name = `标签${crypto.randomUUID().slice(0, 6)}`,
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('tags')
      .values({ tenant_id: tenantId, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** An unread notification for a member. */
export async function createNotificationIn(
  server: TestServer,
  tenantId: string,
  userId: string,
  title = '提醒',
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('notifications')
      .values({
        tenant_id: tenantId,
        user_id: userId,
        kind: 'reminder',
        message_key: 'reminder',
        params: JSON.stringify({ title }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** A failed email in a tenant's outbox. */
export async function createFailedEmailIn(server: TestServer, tenantId: string, subject = '发送失败的邮件') {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('email_outbox')
      .values({
        tenant_id: tenantId,
        to_address: 'someone@example.com',
        subject,
        text_body: subject,
        kind: 'digest',
        status: 'failed',
        attempts: 8,
        last_error: '550 No such user',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** An API key of `userId` with every scope, inserted as the create procedure leaves it (its token is not kept). */
export async function createApiKeyIn(
  server: TestServer,
  tenantId: string,
  userId: string,
  name = 'ERP 同步',
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('api_keys')
      .values({
        tenant_id: tenantId,
        name,
        display_prefix: 'crmk_…test',
        secret_hash: Buffer.alloc(32, 7),
        scopes: ['customers:read'],
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** A public address literal: no DNS in tests, and the SSRF guard lets it through. */
export const WEBHOOK_TEST_URL = 'https://93.184.216.34/hooks/crm';

/** A webhook endpoint subscribed to customer.created, as the create procedure leaves it. */
export async function createWebhookIn(server: TestServer, tenantId: string, url = WEBHOOK_TEST_URL) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('webhook_endpoints')
      .values({ tenant_id: tenantId, url, events: ['customer.created'], secret_cipher: 'v1:1:test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** A failed delivery of a customer.created event to the endpoint. */
export async function createWebhookDeliveryIn(server: TestServer, tenantId: string, endpointId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const event = await trx
      .insertInto('webhook_events')
      .values({
        tenant_id: tenantId,
        type: 'customer.created',
        payload: JSON.stringify({ name: '投递的机密客户' }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('webhook_deliveries')
      .values({
        tenant_id: tenantId,
        endpoint_id: endpointId,
        event_id: event.id,
        status: 'failed',
        attempts: 8,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function createCustomFieldIn(
  server: TestServer,
  tenantId: string,
  key = `f_${crypto.randomUUID().slice(0, 8)}`,
  labelZh = '测试字段',
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('custom_field_definitions')
      .values({ tenant_id: tenantId, key, label_zh: labelZh, label_en: 'Test field', type: 'text' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** An export run written straight to the database (its file is not built). */
export async function createExportRunIn(server: TestServer, tenantId: string, userId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('export_runs')
      .values({
        tenant_id: tenantId,
        entity: 'customers',
        format: 'csv',
        filters: '{}',
        columns: '[]',
        sort: '{}',
        file_name: '客户_2026-11-22.csv',
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** An uploaded import file of one chunk, written straight to the database. */
export async function createImportFileIn(
  server: TestServer,
  tenantId: string,
  userId: string,
  marker = '导入客户',
) {
  const bytes = Buffer.from(`客户名称\n${marker}\n`);
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('import_files')
      .values({
        tenant_id: tenantId,
        name: '客户.csv',
        size: bytes.length,
        chunk_count: 1,
        sha256: crypto.randomUUID().replaceAll('-', '').padEnd(64, '0'),
        format: 'csv',
        encoding: 'utf-8',
        uploaded_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('import_file_chunks')
      .values({ tenant_id: tenantId, file_id: row.id, seq: 0, bytes })
      .execute();
    return row.id;
  });
}

/** An import run (not started) of a file, with one error row. */
export async function createImportRunIn(
  server: TestServer,
  tenantId: string,
  userId: string,
  marker = '导入客户',
) {
  const fileId = await createImportFileIn(server, tenantId, userId, marker);
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('import_runs')
      .values({
        tenant_id: tenantId,
        entity: 'customers',
        file_id: fileId,
        file_name: '客户.csv',
        file_sha256: crypto.randomUUID().replaceAll('-', '').padEnd(64, '0'),
        mapping: JSON.stringify({ 客户名称: 'name' }),
        dry_run: true,
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('import_errors')
      .values({
        tenant_id: tenantId,
        run_id: row.id,
        row_number: 2,
        seq: 0,
        column_name: '客户名称',
        value: marker,
        reason: 'REQUIRED',
        message_zh: '客户名称不能为空',
        message_en: 'Name is required',
      })
      .execute();
    return row.id;
  });
}

export async function createImportMappingIn(
  server: TestServer,
  tenantId: string,
  name = `方案${crypto.randomUUID().slice(0, 6)}`,
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('import_mappings')
      .values({
        tenant_id: tenantId,
        entity: 'customers',
        name,
        columns: JSON.stringify({ 客户名称: 'name' }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function createViewIn(
  server: TestServer,
  tenantId: string,
  ownerUserId: string,
  shared = false,
  name = `视图${crypto.randomUUID().slice(0, 6)}`,
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('saved_views')
      .values({
        tenant_id: tenantId,
        owner_user_id: ownerUserId,
        name,
        shared,
        query: JSON.stringify({ sort: 'amount12m', direction: 'desc', archived: false }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** An open task written straight to the database, due today in China. */
export async function createTaskIn(
  server: TestServer,
  tenantId: string,
  ownerUserId: string | null,
  customerId: string | null = null,
  title = '回访客户',
) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('tasks')
      .values({
        tenant_id: tenantId,
        title,
        type: 'call',
        owner_user_id: ownerUserId,
        customer_id: customerId,
        due_on: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** A customer the actor may see and change: their own. */
/** The tenant's latest saved industry settings version (0: never saved). */
async function industrySettingsVersion(server: TestServer, tenantId: string): Promise<number> {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .selectFrom('tenant_plugin_settings')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    return Number(row?.version ?? 0);
  });
}

const ownCustomer = ({ server, tenant, actor }: CaseContext, archived = false) =>
  createCustomerIn(server, tenant.tenantId, '测试客户', archived, actor.id);

/** An open task of the actor about a customer of theirs. */
const ownTask = async (context: CaseContext) =>
  createTaskIn(context.server, context.tenant.tenantId, context.actor.id, await ownCustomer(context));
/**
 * A ticket (工单) written straight to the database: open, on a 24 h / 72 h calendar-time
 * clock started now, assigned to `assigneeUserId` (null: the queue).
 */
export async function createTicketIn(
  server: TestServer,
  tenantId: string,
  customerId: string,
  assigneeUserId: string | null,
  subject = '产品有划痕',
  status: 'new' | 'in_progress' | 'resolved' | 'closed' = 'new',
) {
  const now = new Date();
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('tickets')
      .values({
        tenant_id: tenantId,
        number: sql<number>`(select coalesce(max(number), 0) + 1 from tickets where tenant_id = ${tenantId})`,
        type: 'complaint',
        subject,
        customer_id: customerId,
        assignee_user_id: assigneeUserId,
        status,
        sla_mode: 'calendar',
        sla_policy: 'default',
        first_response_minutes: 24 * 60,
        resolution_minutes: 72 * 60,
        sla_started_at: now,
        first_response_due_at: new Date(now.getTime() + 24 * 3_600_000),
        resolution_due_at: new Date(now.getTime() + 72 * 3_600_000),
        sla_next_at: new Date(now.getTime() + 19 * 3_600_000),
        ...(status === 'resolved' || status === 'closed'
          ? { resolved_at: now, first_responded_at: now, sla_next_at: null }
          : {}),
        ...(status === 'closed' ? { closed_at: now } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** A complaint interaction about a customer. */
export async function createComplaintIn(
  server: TestServer,
  tenantId: string,
  customerId: string,
  userId: string,
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('interactions')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        kind: 'call',
        occurred_at: new Date(),
        user_id: userId,
        summary: '客户来电投诉：收到的货物有破损',
        sentiment: 'complaint',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** An open ticket the actor works: about a customer of theirs, assigned to them. */
const ownTicket = async (context: CaseContext, status: 'new' | 'resolved' = 'new') =>
  createTicketIn(
    context.server,
    context.tenant.tenantId,
    await ownCustomer(context),
    context.actor.id,
    '产品有划痕',
    status,
  );

/** An opportunity (商机) in the b2b pipeline's first stage, written straight to the database. */
export async function createOpportunityIn(
  server: TestServer,
  tenantId: string,
  ownerUserId: string | null,
  customerId: string | null,
  name = '年度设备采购',
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('opportunities')
      .values({
        tenant_id: tenantId,
        name,
        owner_user_id: ownerUserId,
        customer_id: customerId,
        stage: 'b2b_stage_needs',
        stage_kind: 'open',
        amount: '120000.00',
        needs: ['产线自动化', '能耗监测'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

const ownOpportunity = async (context: CaseContext) =>
  createOpportunityIn(context.server, context.tenant.tenantId, context.actor.id, await ownCustomer(context));
/**
 * A survey invitation of a customer written straight to the database (b2b's NPS survey), and
 * when `score` is given its response — a low one (0–6) with an open follow-up of the owner.
 */
export async function createSurveyResponseIn(
  server: TestServer,
  tenantId: string,
  customerId: string,
  ownerUserId: string | null,
  score: number | null = 3,
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const invitation = await trx
      .insertInto('survey_invitations')
      .values({
        tenant_id: tenantId,
        survey_key: 'b2b_nps',
        survey_kind: 'nps',
        customer_id: customerId,
        owner_user_id: ownerUserId,
        occasion: `manual:${crypto.randomUUID()}`,
        channel: 'link',
        status: score === null ? 'sent' : 'responded',
        send_on: '2026-12-01',
        expires_at: new Date(Date.now() + 30 * 86_400_000),
        responded_at: score === null ? null : new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (score === null) return { invitationId: invitation.id, responseId: null, followUpId: null };
    const response = await trx
      .insertInto('survey_responses')
      .values({
        tenant_id: tenantId,
        invitation_id: invitation.id,
        survey_key: 'b2b_nps',
        survey_kind: 'nps',
        customer_id: customerId,
        owner_user_id: ownerUserId,
        answers: JSON.stringify({ recommend: score, reason: '交付太慢' }),
        score,
        score_pct: score * 10,
        low: score <= 6,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const followUp =
      score <= 6
        ? await trx
            .insertInto('survey_follow_ups')
            .values({
              tenant_id: tenantId,
              response_id: response.id,
              customer_id: customerId,
              owner_user_id: ownerUserId,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        : null;
    return { invitationId: invitation.id, responseId: response.id, followUpId: followUp?.id ?? null };
  });
}

const ownSurveyFollowUp = async (context: CaseContext, status: 'open' | 'analysed' = 'open') => {
  const created = await createSurveyResponseIn(
    context.server,
    context.tenant.tenantId,
    await ownCustomer(context),
    context.actor.id,
    3,
  );
  if (status === 'analysed') {
    await context.server.database.withTenant(context.tenant.tenantId, (trx) =>
      trx
        .updateTable('survey_follow_ups')
        .set({
          status: 'analysed',
          cause: 'service',
          improvement: '增加交付跟进',
          check_back_on: '2027-01-10',
        })
        .where('id', '=', created.followUpId as string)
        .execute(),
    );
  }
  return created.followUpId as string;
};

const ownSurveyInvitation = async (context: CaseContext) =>
  (
    await createSurveyResponseIn(
      context.server,
      context.tenant.tenantId,
      await ownCustomer(context),
      context.actor.id,
      null,
    )
  ).invitationId;

/** A maintenance plan of a customer (b2b's key call-back), in the given status. */
/** A lead of the tenant's (owned by `ownerId` when given) with one open event. */
/** A pending referral: the customer referred the lead (or a new customer). */
export async function createReferralIn(
  server: TestServer,
  tenantId: string,
  referrerCustomerId: string,
  referred: { customerId?: string; leadId?: string },
): Promise<string> {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('referrals')
      .values({
        tenant_id: tenantId,
        referrer_customer_id: referrerCustomerId,
        referred_customer_id: referred.customerId ?? null,
        referred_lead_id: referred.leadId ?? null,
        rule_key: 'test_referral',
        reward_kind: 'points',
        reward_value: 500,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Points on a customer's ledger (a manual credit), so a redemption has something to spend. */
export async function creditPointsIn(
  server: TestServer,
  tenantId: string,
  customerId: string,
  points = 1000,
) {
  await server.database.withTenant(tenantId, (trx) =>
    trx
      .insertInto('loyalty_points')
      .values({ tenant_id: tenantId, customer_id: customerId, kind: 'adjust', points, reason: '测试积分' })
      .execute(),
  );
}

export async function createLeadIn(
  server: TestServer,
  tenantId: string,
  ownerId: string | null,
  name = '测试线索',
): Promise<string> {
  const row = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string }>`
      with lead as (
        insert into leads (tenant_id, person_name, owner_user_id, grade, grade_key)
        values (${tenantId}, ${name}, ${ownerId}, 'C', 'b2b_lead_c')
        returning id
      ), event as (
        insert into lead_events (tenant_id, lead_id, kind) select ${tenantId}, id, 'email_open' from lead
      )
      select id from lead`.execute(trx),
  );
  return (row.rows[0] as { id: string }).id;
}

/** An assignment rule of the tenant's: round robin among every sales rep, for leads from web forms. */
export async function createAssignmentRuleIn(
  server: TestServer,
  tenantId: string,
  name = '网站线索轮流分配',
): Promise<string> {
  const row = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string }>`
      insert into assignment_rules (tenant_id, entity, position, name, method, sources)
      values (${tenantId}, 'lead', 0, ${name}, 'round_robin', '{web_form}')
      returning id`.execute(trx),
  );
  return (row.rows[0] as { id: string }).id;
}

/** A lead in the tenant's 公海. */
export async function createPoolLeadIn(
  server: TestServer,
  tenantId: string,
  name = '公海线索',
): Promise<string> {
  const row = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string }>`
      insert into leads (tenant_id, company_name, in_pool, released_at, grade, grade_key, region, industry)
      values (${tenantId}, ${name}, true, now(), 'B', 'b2b_lead_b', '上海', '制造业')
      returning id`.execute(trx),
  );
  return (row.rows[0] as { id: string }).id;
}

/** A customer in the tenant's 公海. */
export async function createPoolCustomerIn(
  server: TestServer,
  tenantId: string,
  name = '公海客户',
): Promise<string> {
  const row = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string }>`
      insert into customers (tenant_id, name, kind, in_pool, released_at, industry)
      values (${tenantId}, ${name}, 'company', true, now(), '制造业')
      returning id`.execute(trx),
  );
  return (row.rows[0] as { id: string }).id;
}

/** A draft campaign of the tenant's (营销), to the C leads. */
export async function createCampaignIn(
  server: TestServer,
  tenantId: string,
  name = '双十二活动',
): Promise<string> {
  const row = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string }>`
      insert into campaigns (tenant_id, name, subject, body, audience)
      values (${tenantId}, ${`${name}${crypto.randomUUID().slice(0, 6)}`}, '新品邀请', '您好，详情见 https://example.com', '{"grades":["C"]}')
      returning id`.execute(trx),
  );
  return (row.rows[0] as { id: string }).id;
}

/** A hosted lead form of the tenant's. */
export async function createLeadFormIn(
  server: TestServer,
  tenantId: string,
  title = '获取报价',
): Promise<string> {
  const row = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string }>`
      insert into lead_forms (tenant_id, name, title)
      values (${tenantId}, ${`官网表单${crypto.randomUUID().slice(0, 6)}`}, ${title})
      returning id`.execute(trx),
  );
  return (row.rows[0] as { id: string }).id;
}

export async function createPlanIn(
  server: TestServer,
  tenantId: string,
  customerId: string,
  status: 'pending' | 'rejected' | 'active' = 'pending',
) {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('maintenance_plans')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        cadence_key: 'b2b_key_call_back',
        tier: 'b2b_key',
        status,
        anchor_on: '2026-12-20',
        submitted_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

const ownPlan = async (context: CaseContext, status: 'pending' | 'rejected' | 'active' = 'pending') =>
  createPlanIn(context.server, context.tenant.tenantId, await ownCustomer(context), status);

export async function createInvitationIn(
  server: TestServer,
  tenantId: string,
  invitedBy: string,
  email: string | null = null,
) {
  const secret = generateSecureRandomString();
  const id = await server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('invitations')
      .values({
        tenant_id: tenantId,
        role: 'viewer',
        email,
        invited_by: invitedBy,
        secret_hash: hashSecret(secret),
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
  return { id, token: `${tenantId}.${id}.${secret}` };
}

async function createUser(server: TestServer, prefix: string) {
  const passwordHash = await testPasswordHash();
  const email = uniqueEmail(prefix);
  return server.database.withScope({}, async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({ email, name: prefix, password_hash: passwordHash, locale: 'zh-CN' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, email };
  });
}

async function addMember(server: TestServer, tenantId: string, role: Role) {
  const user = await createUser(server, 'member');
  await server.database.withTenant(tenantId, (trx) =>
    trx.insertInto('memberships').values({ tenant_id: tenantId, user_id: user.id, role }).execute(),
  );
  return user;
}

/** A tenant the actor is not yet in, with an invitation for them. */
async function invitationToAnotherTenant(server: TestServer) {
  const tenantId = crypto.randomUUID();
  const inviter = await createUser(server, 'inviter');
  await server.database.withTenant(tenantId, async (trx) => {
    await trx
      .insertInto('tenants')
      .values({ id: tenantId, name: '另一家企业', industry: 'retail' })
      .execute();
    await trx
      .insertInto('memberships')
      .values({ tenant_id: tenantId, user_id: inviter.id, role: 'owner' })
      .execute();
  });
  return createInvitationIn(server, tenantId, inviter.id);
}

/** Two customers of the actor that share a phone number, and their pending pair. */
async function ownDuplicatePair(context: CaseContext) {
  const a = await ownCustomer(context);
  const b = await ownCustomer(context);
  const [customerA, customerB] = a < b ? [a, b] : [b, a];
  return context.server.database.withTenant(context.tenant.tenantId, async (trx) => {
    const row = await trx
      .insertInto('duplicate_candidates')
      .values({
        tenant_id: context.tenant.tenantId,
        customer_a: customerA,
        customer_b: customerB,
        reasons: ['phone'],
        confidence: '0.7',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, a: customerA, b: customerB };
  });
}

/** A merge of two of the actor's customers, done as an owner would. */
async function ownMerge(context: CaseContext) {
  const survivorId = await ownCustomer(context);
  const mergedId = await ownCustomer(context);
  return context.server.database.withTenant(
    context.tenant.tenantId,
    (trx) =>
      mergeCustomers(
        {
          trx,
          tenantId: context.tenant.tenantId,
          userId: context.actor.id,
          access: {
            userId: context.actor.id,
            teamId: null,
            scope: 'all',
            taskScope: 'all',
            leadScope: 'all',
          },
        },
        { survivorId, mergedId, choices: {} },
      ),
    context.actor.id,
  );
}

export const PROCEDURE_CASES: Record<string, ProcedureCase> = {
  'admin.jobs': {
    input: () => ({ limit: 20 }),
    foreign: () => ({ limit: 200 }),
  },
  'auth.changePassword': {
    input: () => ({ currentPassword: TEST_PASSWORD, newPassword: `${TEST_PASSWORD} renewed` }),
    foreign: () => ({ currentPassword: TEST_PASSWORD, newPassword: `${TEST_PASSWORD} renewed` }),
  },
  'auth.listSessions': { input: () => undefined, foreign: () => undefined },
  'auth.me': { input: () => undefined, foreign: () => undefined },
  'auth.revokeSession': {
    input: async ({ server, tenant, actor }) => {
      const { session } = await server.database.withScope({}, (trx) =>
        createSession(trx, actor.id, tenant.tenantId),
      );
      return { id: publicSessionId(session.id) };
    },
    foreign: (victim) => ({ id: victim.ownerSessionPublicId }),
  },
  'auth.signIn': {
    input: async ({ server }) => ({
      email: (await createUser(server, 'signin')).email,
      password: TEST_PASSWORD,
    }),
    foreign: (victim) => ({ email: victim.tenant.users.owner.email, password: 'a wrong password' }),
  },
  'auth.signOut': { input: () => undefined, foreign: () => undefined },
  'auth.signOutOtherSessions': { input: () => undefined, foreign: () => undefined },
  'auth.signUp': {
    input: () => ({
      tenantName: '新企业',
      industry: 'retail',
      name: '新用户',
      email: uniqueEmail('signup'),
      password: TEST_PASSWORD,
    }),
    foreign: (victim) => ({
      tenantName: '冒名企业',
      industry: 'b2b',
      name: '冒名者',
      email: victim.tenant.users.owner.email,
      password: 'a wrong password',
    }),
  },
  'customers.archive': {
    input: async (context) => ({ id: await ownCustomer(context) }),
    foreign: (victim) => ({ id: victim.customerId }),
  },
  'customers.create': {
    // A new name each time: the same company twice is an exact duplicate (refused).
    input: () => ({
      name: `北京瑞丰电子科技有限公司${crypto.randomUUID().slice(0, 8)}`,
      kind: 'company',
      phone: '010-12345678',
    }),
    foreign: (victim) => ({ name: '新客户', kind: 'person', ownerUserId: victim.tenant.users.sales_rep.id }),
  },
  'customers.get': {
    input: async (context) => ({ id: await ownCustomer(context) }),
    foreign: (victim) => ({ id: victim.customerId }),
  },
  'customers.upsertMany': {
    input: () => ({
      items: [
        {
          name: `杭州云帆贸易有限公司${crypto.randomUUID().slice(0, 8)}`,
          kind: 'company',
          externalId: `ERP-${crypto.randomUUID()}`,
        },
        { name: `李${crypto.randomUUID().slice(0, 4)}`, kind: 'person', phone: '13800138000' },
      ],
    }),
    foreign: (victim) => ({
      items: [
        {
          name: '冒名客户',
          kind: 'company',
          externalId: victim.customerId,
          ownerUserId: victim.tenant.users.sales_rep.id,
        },
      ],
    }),
  },
  'customers.archiveMany': {
    input: async (context) => ({ ids: [await ownCustomer(context), await ownCustomer(context)] }),
    foreign: (victim) => ({ ids: [victim.customerId] }),
  },
  'customers.completenessSummary': { input: () => undefined, foreign: () => undefined },
  'customers.count': {
    input: () => ({ lifecycleStages: ['potential', 'new'], completenessMax: 100 }),
    foreign: (victim) => ({
      ownerUserIds: [victim.tenant.users.sales_rep.id],
      tagIds: [victim.tagId],
      search: victim.customerName,
    }),
  },
  'customers.list': {
    input: () => ({ limit: 10, lifecycleStages: ['potential', 'new'], completenessMax: 100 }),
    foreign: (victim) => ({
      ownerUserIds: [victim.tenant.users.sales_rep.id],
      tagIds: [victim.tagId],
      search: victim.customerName,
    }),
  },
  'customers.profile': {
    input: async (context) => ({ id: await ownCustomer(context) }),
    foreign: (victim) => ({ id: victim.customerId }),
  },
  'customers.tag': {
    input: async (context) => ({
      ids: [await ownCustomer(context)],
      add: [await createTagIn(context.server, context.tenant.tenantId)],
    }),
    foreign: (victim) => ({ ids: [victim.customerId], add: [victim.tagId] }),
  },
  'customers.reassign': {
    input: async (context) => ({
      ids: [await ownCustomer(context)],
      ownerUserId: context.tenant.users.sales_manager.id,
    }),
    foreign: (victim) => ({ ids: [victim.customerId], ownerUserId: victim.tenant.users.sales_rep.id }),
  },
  'customers.restore': {
    input: async (context) => ({ id: await ownCustomer(context, true) }),
    foreign: (victim) => ({ id: victim.customerId }),
  },
  'customers.findByIdentity': {
    input: () => ({ value: '440304198803151233' }),
    foreign: () => ({ value: '11010519491231002X' }),
  },
  'customers.revealSensitive': {
    input: async (context) => {
      const customerId = await ownCustomer(context);
      await context.server.database.withTenant(context.tenant.tenantId, (trx) =>
        writeSecrets(jobScope(trx, context.tenant.tenantId), customerId, [
          { field: 'national_id', value: '11010519491231002X' },
        ]),
      );
      return { customerId, field: 'national_id' };
    },
    foreign: (victim) => ({ customerId: victim.customerId, field: 'national_id' }),
  },
  'customers.timeline': {
    input: async (context) => ({ id: await ownCustomer(context) }),
    foreign: (victim) => ({ id: victim.customerId }),
  },
  'customers.merge': {
    input: async (context) => {
      const pair = await ownDuplicatePair(context);
      return { survivorId: pair.a, mergedId: pair.b, choices: { name: 'merged' }, candidateId: pair.id };
    },
    foreign: (victim) => ({ survivorId: victim.customerId, mergedId: crypto.randomUUID() }),
  },
  'customers.unmerge': {
    input: async (context) => ({ mergeId: (await ownMerge(context)).mergeId }),
    foreign: () => ({ mergeId: crypto.randomUUID() }),
  },
  'customers.merges': {
    input: async (context) => ({ id: await ownCustomer(context) }),
    foreign: (victim) => ({ id: victim.customerId }),
  },
  'duplicates.check': {
    input: () => ({ kind: 'company', name: '测试客户有限公司', phone: '138 0013 8000' }),
    foreign: (victim) => ({ kind: 'company', name: victim.customerName, excludeId: victim.customerId }),
  },
  'duplicates.count': {
    input: () => ({ status: 'pending', reason: 'phone', minConfidence: 0.5 }),
    foreign: () => ({ status: 'pending' }),
  },
  'duplicates.list': {
    input: () => ({ status: 'pending', reason: 'phone', minConfidence: 0.5, limit: 10 }),
    foreign: () => ({ status: 'pending', limit: 100 }),
  },
  'duplicates.dismiss': {
    input: async (context) => ({ id: (await ownDuplicatePair(context)).id }),
    foreign: () => ({ id: crypto.randomUUID() }),
  },
  'duplicates.scan': { input: () => undefined, foreign: () => undefined },
  'duplicates.lastScan': { input: () => undefined, foreign: () => undefined },
  'customers.update': {
    input: async (context) => ({ id: await ownCustomer(context), name: '改名后的客户', industry: '制造业' }),
    foreign: (victim) => ({
      id: victim.customerId,
      name: '被篡改',
      ownerUserId: victim.tenant.users.viewer.id,
    }),
  },
  'contacts.create': {
    input: async (context) => ({
      customerId: await ownCustomer(context),
      name: '王经理',
      title: '采购总监',
      phones: ['13800001111'],
    }),
    foreign: (victim) => ({ customerId: victim.customerId, name: '冒名联系人' }),
  },
  'contacts.delete': {
    input: async (context) => ({
      id: await createContactIn(context.server, context.tenant.tenantId, await ownCustomer(context)),
    }),
    foreign: (victim) => ({ id: victim.contactId }),
  },
  'contacts.list': {
    input: async (context) => ({ customerId: await ownCustomer(context) }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'contacts.update': {
    input: async (context) => ({
      id: await createContactIn(context.server, context.tenant.tenantId, await ownCustomer(context)),
      title: '总经理',
    }),
    foreign: (victim) => ({ id: victim.contactId, title: '被篡改' }),
  },
  'interactions.count': {
    input: () => ({ kinds: ['call', 'visit'], sentiments: ['complaint'] }),
    foreign: (victim) => ({ customerId: victim.customerId, userIds: [victim.tenant.users.owner.id] }),
  },
  'interactions.listAll': {
    input: () => ({ kinds: ['call', 'visit'], sentiments: ['complaint'], limit: 10 }),
    foreign: (victim) => ({ customerId: victim.customerId, userIds: [victim.tenant.users.owner.id] }),
  },
  'interactions.list': {
    input: async (context) => ({ customerId: await ownCustomer(context) }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'interactions.log': {
    input: async (context) => ({
      customerId: await ownCustomer(context),
      kind: 'call',
      summary: '电话沟通了续约意向',
    }),
    foreign: (victim) => ({
      customerId: victim.customerId,
      kind: 'visit',
      summary: '伪造拜访',
      contactId: victim.contactId,
    }),
  },
  'orders.create': {
    input: async (context) => ({
      customerId: await ownCustomer(context),
      orderedAt: '2026-11-01',
      lines: [{ product: '工业传感器', quantity: 2, unitPrice: '1980.00' }],
    }),
    foreign: (victim) => ({ customerId: victim.customerId, orderedAt: '2026-11-01', amount: '1' }),
  },
  'orders.get': {
    input: async (context) => ({
      id: await createOrderIn(context.server, context.tenant.tenantId, await ownCustomer(context)),
    }),
    foreign: (victim) => ({ id: victim.orderId }),
  },
  'orders.count': {
    input: () => ({ from: '2026-01-01', statuses: ['completed'] }),
    foreign: (victim) => ({
      customerId: victim.customerId,
      ownerUserIds: [victim.tenant.users.sales_rep.id],
    }),
  },
  'orders.listAll': {
    input: () => ({ from: '2026-01-01', statuses: ['completed'], limit: 10 }),
    foreign: (victim) => ({
      customerId: victim.customerId,
      ownerUserIds: [victim.tenant.users.sales_rep.id],
    }),
  },
  'orders.list': {
    input: async (context) => ({ customerId: await ownCustomer(context) }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'orders.update': {
    input: async (context) => ({
      id: await createOrderIn(context.server, context.tenant.tenantId, await ownCustomer(context)),
      amount: '2000',
    }),
    foreign: (victim) => ({ id: victim.orderId, amount: '0' }),
  },
  'orders.void': {
    input: async (context) => ({
      id: await createOrderIn(context.server, context.tenant.tenantId, await ownCustomer(context)),
      reason: '客户取消',
    }),
    foreign: (victim) => ({ id: victim.orderId, reason: '恶意作废' }),
  },
  'members.invitations.accept': {
    input: async ({ server }) => ({ token: (await invitationToAnotherTenant(server)).token }),
    foreign: (victim) => ({ token: victim.forgedInvitationToken }),
  },
  'members.invitations.acceptAsNewUser': {
    input: async ({ server, tenant }) => ({
      token: (await createInvitationIn(server, tenant.tenantId, tenant.users.owner.id)).token,
      name: '受邀新成员',
      email: uniqueEmail('invitee'),
      password: TEST_PASSWORD,
    }),
    foreign: (victim) => ({
      token: victim.forgedInvitationToken,
      name: 'x',
      email: uniqueEmail('intruder'),
      password: TEST_PASSWORD,
    }),
  },
  'members.invitations.create': {
    input: () => ({ role: 'sales_rep', email: uniqueEmail('invited') }),
    foreign: () => ({ role: 'admin', email: uniqueEmail('outsider') }),
  },
  'members.invitations.list': { input: () => undefined, foreign: () => undefined },
  'members.invitations.preview': {
    input: async ({ server, tenant }) => ({
      token: (await createInvitationIn(server, tenant.tenantId, tenant.users.owner.id)).token,
    }),
    foreign: (victim) => ({ token: victim.forgedInvitationToken }),
  },
  'members.invitations.revoke': {
    input: async ({ server, tenant }) => ({
      id: (await createInvitationIn(server, tenant.tenantId, tenant.users.owner.id)).id,
    }),
    foreign: (victim) => ({ id: victim.invitationId }),
  },
  'members.list': { input: () => undefined, foreign: () => undefined },
  'members.remove': {
    input: async ({ server, tenant }) => ({
      userId: (await addMember(server, tenant.tenantId, 'viewer')).id,
    }),
    foreign: (victim) => ({ userId: victim.tenant.users.viewer.id }),
  },
  'members.signOut': {
    input: async ({ server, tenant }) => ({
      userId: (await addMember(server, tenant.tenantId, 'viewer')).id,
    }),
    foreign: (victim) => ({ userId: victim.tenant.users.viewer.id }),
  },
  'members.updateRole': {
    input: async ({ server, tenant }) => ({
      userId: (await addMember(server, tenant.tenantId, 'viewer')).id,
      role: 'analyst',
    }),
    foreign: (victim) => ({ userId: victim.tenant.users.viewer.id, role: 'admin' }),
  },
  'teams.assign': {
    input: async ({ server, tenant }) => ({
      userId: (await addMember(server, tenant.tenantId, 'sales_rep')).id,
      teamId: await createTeamIn(server, tenant.tenantId),
    }),
    foreign: (victim) => ({ userId: victim.tenant.users.sales_rep.id, teamId: victim.teamId }),
  },
  'teams.create': {
    input: () => ({ name: `华南大区${crypto.randomUUID().slice(0, 6)}` }),
    foreign: () => ({ name: `外来团队${crypto.randomUUID().slice(0, 6)}` }),
  },
  'teams.delete': {
    input: async ({ server, tenant }) => ({ id: await createTeamIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.teamId }),
  },
  'teams.list': { input: () => undefined, foreign: () => undefined },
  'teams.rename': {
    input: async ({ server, tenant }) => ({
      id: await createTeamIn(server, tenant.tenantId),
      name: `改名${crypto.randomUUID().slice(0, 6)}`,
    }),
    foreign: (victim) => ({ id: victim.teamId, name: '被改名' }),
  },
  'leadEvents.list': {
    input: async ({ server, tenant, actor }) => ({
      leadId: await createLeadIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ leadId: victim.leadId }),
  },
  'leads.list': {
    input: () => ({
      statuses: ['new', 'contacted'],
      grades: ['A', '-'],
      sources: ['manual'],
      sort: 'due_asc',
      limit: 10,
    }),
    foreign: (victim) => ({ owner: victim.tenant.users.sales_rep.id, teamId: victim.teamId }),
  },
  'leads.counts': {
    input: () => ({ slaStates: ['overdue', 'due_soon'], search: '测试' }),
    foreign: (victim) => ({ owner: victim.tenant.users.sales_rep.id, teamId: victim.teamId }),
  },
  'leads.get': {
    input: async ({ server, tenant, actor }) => ({
      id: await createLeadIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ id: victim.leadId }),
  },
  'leads.grades': { input: () => undefined, foreign: () => undefined },
  'leads.checkDuplicates': {
    input: () => ({ personName: '王先生', phone: '13800138000', email: 'wang@example.com' }),
    foreign: (victim) => ({ personName: '甲方的线索', excludeId: victim.leadId }),
  },
  'leads.create': {
    input: () => ({
      personName: '王先生',
      companyName: `测试线索公司${crypto.randomUUID().slice(0, 8)}`,
      phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      intent: 'price',
      needs: ['报价'],
    }),
    foreign: (victim) => ({
      personName: '伪造线索',
      ownerUserId: victim.tenant.users.sales_rep.id,
      teamId: victim.teamId,
    }),
  },
  'leads.update': {
    input: async ({ server, tenant, actor }) => ({
      id: await createLeadIn(server, tenant.tenantId, actor.id),
      intent: 'features',
      budget: 50000,
    }),
    foreign: (victim) => ({ id: victim.leadId, personName: '被篡改' }),
  },
  'leads.move': {
    input: async ({ server, tenant, actor }) => ({
      id: await createLeadIn(server, tenant.tenantId, actor.id),
      to: 'qualified',
    }),
    foreign: (victim) => ({ id: victim.leadId, to: 'qualified' }),
  },
  'leads.logContact': {
    input: async ({ server, tenant, actor }) => ({
      id: await createLeadIn(server, tenant.tenantId, actor.id),
      kind: 'call',
      summary: '电话沟通，客户想要报价',
    }),
    foreign: (victim) => ({ id: victim.leadId, kind: 'call' }),
  },
  'leads.disqualify': {
    input: async ({ server, tenant, actor }) => ({
      id: await createLeadIn(server, tenant.tenantId, actor.id),
      reason: 'no_budget',
      note: '今年没有预算',
    }),
    foreign: (victim) => ({ id: victim.leadId, reason: 'other' }),
  },
  'leads.reassign': {
    input: async ({ server, tenant, actor }) => ({
      id: await createLeadIn(server, tenant.tenantId, actor.id),
      ownerUserId: actor.id,
    }),
    foreign: (victim) => ({ id: victim.leadId, ownerUserId: victim.tenant.users.sales_rep.id }),
  },
  'leads.regrade': { input: () => undefined, foreign: () => undefined },
  'assignment.rules': { input: () => ({ entity: 'lead' }), foreign: () => ({ entity: 'customer' }) },
  'assignment.saveRule': {
    input: async ({ server, tenant }) => ({
      entity: 'lead',
      name: `华东线索${crypto.randomUUID().slice(0, 6)}`,
      regions: ['上海', '江苏'],
      method: 'round_robin',
      teamId: await createTeamIn(server, tenant.tenantId),
    }),
    foreign: (victim) => ({
      id: victim.assignmentRuleId,
      entity: 'lead',
      name: '被篡改的规则',
      method: 'member',
      memberIds: [victim.tenant.users.sales_rep.id],
      teamId: null,
    }),
  },
  'assignment.deleteRule': {
    input: async ({ server, tenant }) => ({ id: await createAssignmentRuleIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.assignmentRuleId }),
  },
  'assignment.moveRule': {
    input: async ({ server, tenant }) => ({
      id: await createAssignmentRuleIn(server, tenant.tenantId),
      direction: 'up',
    }),
    foreign: (victim) => ({ id: victim.assignmentRuleId, direction: 'down' }),
  },
  'assignment.preview': {
    input: () => ({ entity: 'lead', region: '上海', industry: '制造业', source: 'web_form' }),
    foreign: (victim) => ({ entity: 'lead', id: victim.poolLeadId }),
  },
  'assignment.run': {
    input: async ({ server, tenant }) => ({
      entity: 'lead',
      ids: [await createPoolLeadIn(server, tenant.tenantId)],
    }),
    foreign: (victim) => ({ entity: 'lead', ids: [victim.poolLeadId, victim.leadId] }),
  },
  'pool.summary': { input: () => undefined, foreign: () => undefined },
  'pool.list': {
    input: () => ({ entity: 'lead', grades: ['A', 'B'], reasons: ['unreachable'], limit: 10 }),
    foreign: (victim) => ({ entity: 'customer', search: '甲方的公海客户', industry: victim.customerName }),
  },
  'pool.claim': {
    input: async ({ server, tenant }) => ({
      entity: 'lead',
      ids: [await createPoolLeadIn(server, tenant.tenantId)],
    }),
    foreign: (victim) => ({ entity: 'lead', ids: [victim.poolLeadId] }),
  },
  'pool.release': {
    input: async ({ server, tenant, actor }) => ({
      entity: 'lead',
      id: await createLeadIn(server, tenant.tenantId, actor.id, '要释放的线索'),
      reason: 'unreachable',
      note: '电话多次无人接听',
    }),
    foreign: (victim) => ({ entity: 'lead', id: victim.leadId, reason: 'no_need' }),
  },
  'pool.assign': {
    input: async ({ server, tenant, actor }) => ({
      entity: 'customer',
      ids: [await createPoolCustomerIn(server, tenant.tenantId)],
      userId: actor.id,
    }),
    foreign: (victim) => ({
      entity: 'customer',
      ids: [victim.poolCustomerId],
      userId: victim.tenant.users.sales_rep.id,
    }),
  },
  'pool.history': {
    input: async ({ server, tenant }) => ({
      entity: 'lead',
      id: await createPoolLeadIn(server, tenant.tenantId),
    }),
    foreign: (victim) => ({ entity: 'customer', id: victim.poolCustomerId }),
  },
  'pool.settings': { input: () => undefined, foreign: () => undefined },
  'pool.saveSettings': {
    input: () => ({
      claimLimits: { sales_rep: 5 },
      defaultClaimLimit: 10,
      warnDaysBefore: 3,
      unmatched: 'pool',
    }),
    foreign: () => ({
      claimLimits: {},
      defaultClaimLimit: null,
      warnDaysBefore: null,
      unmatched: 'unassigned',
    }),
  },
  'pool.saveRecycleRule': {
    input: () => ({ entity: 'customer', key: 'b2b_ordinary', mode: 'days', days: 45 }),
    foreign: () => ({ entity: 'lead', key: '*', mode: 'never' }),
  },
  'pool.recycleNow': { input: () => undefined, foreign: () => undefined },
  'marketing.campaigns.audienceCount': {
    input: () => ({ audience: { grades: ['A', 'B'], statuses: ['new'] } }),
    foreign: (victim) => ({ audience: { grades: [victim.campaignId.slice(0, 8)] } }),
  },
  'marketing.campaigns.create': {
    input: () => ({
      name: `新品发布${crypto.randomUUID().slice(0, 6)}`,
      subject: '新品邀请',
      body: '您好 {{name}}',
    }),
    foreign: (victim) => ({ name: `攻击者活动${victim.campaignId.slice(0, 6)}`, subject: 'x', body: 'x' }),
  },
  'marketing.campaigns.get': {
    input: async ({ server, tenant }) => ({ id: await createCampaignIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.campaignId }),
  },
  'marketing.campaigns.list': { input: () => undefined, foreign: () => undefined },
  'marketing.campaigns.send': {
    input: async ({ server, tenant }) => {
      await server.database.withTenant(tenant.tenantId, (trx) =>
        sql`insert into leads (tenant_id, person_name, email, grade, grade_key)
          values (${tenant.tenantId}, '营销线索', ${uniqueEmail('lead')}, 'C', 'b2b_lead_c')`.execute(trx),
      );
      return { id: await createCampaignIn(server, tenant.tenantId) };
    },
    foreign: (victim) => ({ id: victim.campaignId }),
  },
  'marketing.campaigns.update': {
    input: async ({ server, tenant }) => ({
      id: await createCampaignIn(server, tenant.tenantId),
      name: `改名活动${crypto.randomUUID().slice(0, 6)}`,
      subject: '新主题',
      body: '新正文',
    }),
    foreign: (victim) => ({ id: victim.campaignId, name: '被改名的活动', subject: 'x', body: 'x' }),
  },
  'marketing.forms.create': {
    input: () => ({
      name: `官网表单${crypto.randomUUID().slice(0, 6)}`,
      title: '获取报价',
      intents: ['price'],
    }),
    foreign: (victim) => ({
      name: `攻击者表单${crypto.randomUUID().slice(0, 6)}`,
      title: 'x',
      intents: ['price'],
      campaignId: victim.campaignId,
    }),
  },
  'marketing.forms.get': {
    input: async ({ server, tenant }) => ({ id: await createLeadFormIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.formId }),
  },
  'marketing.forms.list': { input: () => undefined, foreign: () => undefined },
  'marketing.forms.update': {
    input: async ({ server, tenant }) => ({
      id: await createLeadFormIn(server, tenant.tenantId),
      name: `改名表单${crypto.randomUUID().slice(0, 6)}`,
      title: '预约演示',
      intents: ['features'],
      active: true,
    }),
    foreign: (victim) => ({
      id: victim.formId,
      name: '被改名的表单',
      title: 'x',
      intents: ['price'],
      active: false,
    }),
  },
  'tags.create': {
    input: () => ({ name: `价格敏感${crypto.randomUUID().slice(0, 6)}`, color: 'gold' }),
    foreign: () => ({ name: `攻击者标签${crypto.randomUUID().slice(0, 6)}`, color: 'red' }),
  },
  'tags.delete': {
    input: async ({ server, tenant }) => ({ id: await createTagIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.tagId }),
  },
  'tags.list': { input: () => undefined, foreign: () => undefined },
  'tags.update': {
    input: async ({ server, tenant }) => ({
      id: await createTagIn(server, tenant.tenantId),
      name: `改名${crypto.randomUUID().slice(0, 6)}`,
    }),
    foreign: (victim) => ({ id: victim.tagId, name: '被改名的标签' }),
  },
  'tasks.list': {
    input: () => ({ view: 'overdue', types: ['call'], sort: 'priority', limit: 10 }),
    foreign: (victim) => ({
      view: 'all',
      owner: victim.tenant.users.sales_rep.id,
      customerId: victim.customerId,
    }),
  },
  'tasks.calendar': {
    input: () => ({ from: '2026-11-30', to: '2027-01-10', owner: 'me' }),
    foreign: (victim) => ({ from: '2026-11-30', to: '2026-12-06', owner: victim.tenant.users.sales_rep.id }),
  },
  'tasks.overdueBoard': { input: () => undefined, foreign: () => undefined },
  'tasks.counts': {
    input: () => ({ owner: 'me' }),
    foreign: (victim) => ({ owner: victim.tenant.users.sales_rep.id }),
  },
  'tasks.get': {
    input: async (context) => ({ id: await ownTask(context) }),
    foreign: (victim) => ({ id: victim.taskId }),
  },
  'tasks.create': {
    input: async (context) => ({
      title: '季度回访',
      type: 'callback',
      customerId: await ownCustomer(context),
      dueOn: '2026-12-18',
      priority: 'high',
    }),
    foreign: (victim) => ({
      title: '伪造任务',
      customerId: victim.customerId,
      contactId: victim.contactId,
      ownerUserId: victim.tenant.users.sales_rep.id,
      dueOn: '2026-12-18',
    }),
  },
  'tasks.update': {
    input: async (context) => ({ id: await ownTask(context), title: '改期回访', dueOn: '2026-12-20' }),
    foreign: (victim) => ({ id: victim.taskId, title: '被篡改', ownerUserId: victim.tenant.users.owner.id }),
  },
  'tasks.complete': {
    input: async (context) => ({
      id: await ownTask(context),
      interaction: {
        kind: 'call',
        summary: '电话回访，客户满意',
        nextStep: '寄送新品资料',
        nextStepDue: '2026-12-24',
      },
    }),
    foreign: (victim) => ({
      id: victim.taskId,
      interaction: { kind: 'call', summary: '伪造跟进', contactId: victim.contactId },
    }),
  },
  'tasks.cancel': {
    input: async (context) => ({ id: await ownTask(context), reason: '客户已转介绍给同事' }),
    foreign: (victim) => ({ id: victim.taskId, reason: '被取消' }),
  },
  'tasks.skip': {
    input: async (context) => ({ id: await ownTask(context), reason: '本月已拜访过' }),
    foreign: (victim) => ({ id: victim.taskId, reason: '被跳过' }),
  },
  'tasks.reopen': {
    input: async (context) => {
      const id = await ownTask(context);
      await context.server.database.withTenant(context.tenant.tenantId, (trx) =>
        trx
          .updateTable('tasks')
          .set({ status: 'done', closed_at: new Date() })
          .where('id', '=', id)
          .execute(),
      );
      return { id };
    },
    foreign: (victim) => ({ id: victim.taskId }),
  },
  'tasks.bulk': {
    input: async (context) => ({
      action: 'reschedule',
      target: { ids: [await ownTask(context), await ownTask(context)] },
      shiftDays: 2,
    }),
    foreign: (victim) => ({
      action: 'reassign',
      target: { ids: [victim.taskId] },
      ownerUserId: victim.tenant.users.sales_rep.id,
    }),
  },
  'customFields.archive': {
    input: async ({ server, tenant }) => ({ id: await createCustomFieldIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.customFieldId }),
  },
  'customFields.create': {
    input: () => ({
      key: `credit_${crypto.randomUUID().slice(0, 6)}`,
      labelZh: '信用等级',
      labelEn: 'Credit grade',
      type: 'enum',
      options: [
        { value: 'a', labelZh: 'A 级', labelEn: 'Grade A' },
        { value: 'b', labelZh: 'B 级', labelEn: 'Grade B' },
      ],
    }),
    foreign: (victim) => ({
      key: victim.customFieldKey,
      labelZh: '冒名字段',
      labelEn: 'Forged',
      type: 'text',
    }),
  },
  'customFields.list': { input: () => undefined, foreign: () => undefined },
  'customFields.update': {
    input: async ({ server, tenant }) => ({
      id: await createCustomFieldIn(server, tenant.tenantId),
      labelZh: '改名后的字段',
    }),
    foreign: (victim) => ({ id: victim.customFieldId, labelZh: '被篡改' }),
  },
  'views.create': {
    input: () => ({
      name: `我的视图${crypto.randomUUID().slice(0, 6)}`,
      query: { lifecycleStages: ['at_risk'] },
      columns: ['stage', 'amount12m', 'tags'],
    }),
    foreign: (victim) => ({
      name: '偷看甲方',
      query: { ownerUserIds: [victim.tenant.users.sales_rep.id], tagIds: [victim.tagId] },
    }),
  },
  'views.delete': {
    input: async ({ server, tenant, actor }) => ({
      id: await createViewIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ id: victim.viewId }),
  },
  'views.list': { input: () => undefined, foreign: () => undefined },
  'views.searches': { input: () => ({ list: 'leads' }), foreign: () => ({ list: 'opportunities' }) },
  'views.saveSearch': {
    input: () => ({
      list: 'leads',
      name: `我的线索视图${crypto.randomUUID().slice(0, 6)}`,
      search: { grades: ['A'], sla: ['overdue'], owner: 'me' },
    }),
    foreign: (victim) => ({
      list: 'leads',
      name: '偷看甲方线索',
      search: { owner: victim.tenant.users.sales_rep.id },
    }),
  },
  'views.update': {
    input: async ({ server, tenant, actor }) => ({
      id: await createViewIn(server, tenant.tenantId, actor.id),
      name: `改名视图${crypto.randomUUID().slice(0, 6)}`,
    }),
    foreign: (victim) => ({ id: victim.viewId, name: '被改名的视图' }),
  },
  'exports.create': {
    input: () => ({
      entity: 'customers',
      format: 'csv',
      filters: { lifecycleStages: ['new'] },
      columns: ['owner'],
    }),
    foreign: (victim) => ({
      entity: 'customers',
      format: 'csv',
      filters: { ownerUserIds: [victim.tenant.users.sales_rep.id], tagIds: [victim.tagId] },
      columns: [`custom:${victim.customFieldKey}`],
    }),
  },
  'exports.get': {
    input: async ({ server, tenant, actor }) => ({
      id: await createExportRunIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ id: victim.exportRunId }),
  },
  'exports.list': { input: () => ({ limit: 10 }), foreign: () => ({ limit: 50 }) },
  'imports.mappings.list': { input: () => ({ entity: 'customers' }), foreign: () => ({}) },
  'imports.mappings.save': {
    input: () => ({
      entity: 'customers',
      name: `方案${crypto.randomUUID().slice(0, 6)}`,
      columns: { 客户名称: 'name' },
    }),
    foreign: (victim) => ({
      id: victim.importMappingId,
      entity: 'customers',
      name: '被篡改',
      columns: { 名称: 'name' },
    }),
  },
  'imports.mappings.delete': {
    input: async ({ server, tenant }) => ({ id: await createImportMappingIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.importMappingId }),
  },
  'imports.start': {
    input: async ({ server, tenant, actor }) => {
      // The other import cases' runs stand for finished dry runs: settled, they do not count
      // against the tenant's limit of imports waiting or working (tenant-limits.test.ts).
      await server.database.withTenant(tenant.tenantId, (trx) =>
        trx.updateTable('import_runs').set({ status: 'validated' }).where('status', '=', 'created').execute(),
      );
      return {
        fileId: await createImportFileIn(server, tenant.tenantId, actor.id),
        entity: 'customers',
        mapping: { 客户名称: 'name' },
        dryRun: true,
      };
    },
    foreign: (victim) => ({
      fileId: victim.importFileId,
      entity: 'customers',
      mapping: { 客户名称: 'name' },
      dryRun: false,
    }),
  },
  'imports.get': {
    input: async ({ server, tenant, actor }) => ({
      runId: await createImportRunIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ runId: victim.importRunId }),
  },
  'imports.errors': {
    input: async ({ server, tenant, actor }) => ({
      runId: await createImportRunIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ runId: victim.importRunId, limit: 500 }),
  },
  'imports.rows': {
    input: async ({ server, tenant, actor }) => ({
      runId: await createImportRunIn(server, tenant.tenantId, actor.id),
      outcome: 'error',
    }),
    foreign: (victim) => ({ runId: victim.importRunId, limit: 200 }),
  },
  'imports.cancel': {
    input: async ({ server, tenant, actor }) => ({
      runId: await createImportRunIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ runId: victim.importRunId }),
  },
  'imports.list': { input: () => ({ limit: 10 }), foreign: () => ({ limit: 100 }) },
  'industry.current': { input: () => undefined, foreign: () => undefined },
  'industry.profiles': { input: () => undefined, foreign: () => undefined },
  'industry.settings': { input: () => undefined, foreign: () => undefined },
  'industry.history': { input: () => ({ limit: 10 }), foreign: () => ({ limit: 100 }) },
  'industry.preview': {
    input: () => ({ settings: {} }),
    foreign: () => ({ settings: {} }),
  },
  'industry.save': {
    input: async ({ server, tenant }) => ({
      settings: {},
      expectedVersion: await industrySettingsVersion(server, tenant.tenantId),
    }),
    foreign: () => ({ settings: {}, expectedVersion: 0 }),
  },
  'industry.reset': {
    input: async ({ server, tenant }) => ({
      expectedVersion: await industrySettingsVersion(server, tenant.tenantId),
    }),
    foreign: () => ({ expectedVersion: 0 }),
  },
  'calendar.get': { input: () => ({ year: 2026 }), foreign: () => ({ year: 2026 }) },
  'calendar.update': {
    input: () => ({
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '09:00', end: '18:00', breakStart: '12:00', breakEnd: '13:30' },
      workingWeekdays: [1, 2, 3, 4, 5],
      slaMode: 'business',
    }),
    foreign: () => ({
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '08:30', end: '17:30', breakStart: null, breakEnd: null },
      workingWeekdays: [1, 2, 3, 4, 5, 6],
      slaMode: 'calendar',
    }),
  },
  'calendar.setOverride': {
    input: () => ({ day: '2026-12-31', working: false, name: '公司年会' }),
    foreign: () => ({ day: VICTIM_CALENDAR_DAY, working: true, name: '攻击者的工作日' }),
  },
  'calendar.removeOverride': {
    input: async ({ server, tenant }) => ({ day: await createCalendarOverrideIn(server, tenant.tenantId) }),
    foreign: () => ({ day: VICTIM_CALENDAR_DAY }),
  },
  'plans.forCustomer': {
    input: async (context) => ({ customerId: await ownCustomer(context) }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'plans.approvals': { input: () => ({ limit: 20 }), foreign: () => ({ limit: 100 }) },
  'plans.approve': {
    input: async (context) => ({ planId: await ownPlan(context), comment: '同意' }),
    foreign: (victim) => ({ planId: victim.planId }),
  },
  'plans.reject': {
    input: async (context) => ({ planId: await ownPlan(context), comment: '请先确认客户需求' }),
    foreign: (victim) => ({ planId: victim.planId, comment: '驳回' }),
  },
  'plans.submit': {
    input: async (context) => ({ planId: await ownPlan(context, 'rejected') }),
    foreign: (victim) => ({ planId: victim.planId }),
  },
  'plans.setGoals': {
    input: async (context) => ({ planId: await ownPlan(context), goals: ['年度增购 ≥ 20%'] }),
    foreign: (victim) => ({ planId: victim.planId, goals: ['攻击者的目标'] }),
  },
  'plans.settings': { input: () => undefined, foreign: () => undefined },
  'plans.saveSettings': {
    input: () => ({ requireApproval: false, horizonDays: 90 }),
    foreign: () => ({ requireApproval: true, horizonDays: 30 }),
  },
  'industry.customerTier': {
    input: async (context) => ({ customerId: await ownCustomer(context) }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'reminders.upcoming': { input: () => undefined, foreign: () => undefined },
  'reminders.configure': {
    input: () => ({ key: 'anniversary', enabled: true, offsetDays: -5 }),
    foreign: () => ({ key: 'anniversary', enabled: false, offsetDays: null }),
  },
  'reminders.run': { input: () => undefined, foreign: () => undefined },
  'tickets.list': {
    input: () => ({ view: 'open', slaStates: ['at_risk', 'breached'], priorities: ['high'], limit: 10 }),
    foreign: (victim) => ({
      view: 'all',
      customerId: victim.customerId,
      assigneeUserId: victim.tenant.users.service_agent.id,
    }),
  },
  'tickets.counts': { input: () => undefined, foreign: () => undefined },
  'tickets.get': {
    input: async (context) => ({ id: await ownTicket(context) }),
    foreign: (victim) => ({ id: victim.ticketId }),
  },
  'tickets.create': {
    input: async (context) => ({
      customerId: await ownCustomer(context),
      type: 'complaint',
      subject: '配送延误三天',
      description: '客户反映订单配送延误三天，要求说明原因',
      priority: 'high',
      channel: 'phone',
    }),
    foreign: (victim) => ({
      customerId: victim.customerId,
      contactId: victim.contactId,
      subject: '伪造工单',
      assigneeUserId: victim.tenant.users.service_agent.id,
    }),
  },
  'tickets.createFromInteraction': {
    input: async (context) => ({
      interactionId: await createComplaintIn(
        context.server,
        context.tenant.tenantId,
        await ownCustomer(context),
        context.actor.id,
      ),
    }),
    foreign: (victim) => ({ interactionId: victim.interactionId }),
  },
  'tickets.update': {
    input: async (context) => ({
      id: await ownTicket(context),
      priority: 'urgent',
      subject: '产品有明显划痕',
    }),
    foreign: (victim) => ({ id: victim.ticketId, priority: 'low', subject: '被篡改' }),
  },
  'tickets.assign': {
    input: async (context) => ({ id: await ownTicket(context), assigneeUserId: null }),
    foreign: (victim) => ({ id: victim.ticketId, assigneeUserId: victim.tenant.users.owner.id }),
  },
  'tickets.reply': {
    input: async (context) => ({
      id: await ownTicket(context),
      body: '您好，我们已安排换货，请留意物流信息。',
    }),
    foreign: (victim) => ({ id: victim.ticketId, kind: 'note', body: '伪造回复' }),
  },
  'tickets.move': {
    input: async (context) => ({
      id: await ownTicket(context),
      to: 'waiting_on_customer',
      comment: '等待客户提供照片',
    }),
    foreign: (victim) => ({ id: victim.ticketId, to: 'closed' }),
  },
  'tickets.settings': { input: () => undefined, foreign: () => undefined },
  'tickets.saveCategory': {
    input: () => ({
      key: `warranty_${crypto.randomUUID().slice(0, 6)}`,
      labelZh: '保修',
      labelEn: 'Warranty',
    }),
    foreign: () => ({ key: 'warranty', labelZh: '保修', labelEn: 'Warranty' }),
  },
  'tickets.hideCategory': {
    input: () => ({ key: 'b2b_billing', hidden: true }),
    foreign: () => ({ key: 'b2b_billing', hidden: false }),
  },
  'tickets.saveSlaPolicy': {
    input: async ({ server, tenant }) => {
      await server.database.withTenant(tenant.tenantId, (trx) =>
        trx.deleteFrom('ticket_sla_policies').where('tenant_id', '=', tenant.tenantId).execute(),
      );
      return {
        priority: 'urgent',
        tier: null,
        firstResponseMinutes: 60,
        resolutionMinutes: 480,
        mode: 'calendar',
      };
    },
    foreign: () => ({
      priority: 'low',
      tier: null,
      firstResponseMinutes: 600,
      resolutionMinutes: 6000,
      mode: null,
    }),
  },
  'tickets.deleteSlaPolicy': {
    input: async ({ server, tenant }) =>
      server.database.withTenant(tenant.tenantId, async (trx) => {
        await trx.deleteFrom('ticket_sla_policies').where('tenant_id', '=', tenant.tenantId).execute();
        const row = await trx
          .insertInto('ticket_sla_policies')
          .values({
            tenant_id: tenant.tenantId,
            priority: 'low',
            first_response_minutes: 600,
            resolution_minutes: 6000,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { id: row.id };
      }),
    foreign: () => ({ id: crypto.randomUUID() }),
  },
  'tickets.kpis': {
    input: () => ({ from: '2026-01-01', to: '2027-01-01', by: 'category' }),
    foreign: () => ({ from: '2026-01-01', to: '2027-01-01', by: 'agent' }),
  },
  'tickets.inboundEmail': { input: () => undefined, foreign: () => undefined },
  'tickets.rotateInboundEmail': { input: () => undefined, foreign: () => undefined },
  'dashboards.get': {
    input: () => ({ dashboard: 'management', from: '2026-10-01', to: '2027-01-01' }),
    foreign: (victim) => ({
      dashboard: 'sales',
      from: '2026-10-01',
      to: '2027-01-01',
      teamId: victim.teamId,
      compare: false,
    }),
  },
  'dashboards.workbench': {
    input: () => ({ from: '2026-12-01', to: '2027-01-01' }),
    foreign: () => ({ from: '2026-12-01', to: '2027-01-01' }),
  },
  'dashboards.filters': { input: () => undefined, foreign: () => undefined },
  'dashboards.targets': { input: () => undefined, foreign: () => undefined },
  'dashboards.setTarget': {
    input: () => ({ key: 'repurchase_rate', target: 50 }),
    foreign: () => ({ key: 'retention_rate', target: null }),
  },
  'sales.metrics': {
    input: () => ({ from: '2026-10-01', to: '2027-01-01' }),
    foreign: (victim) => ({
      from: '2026-10-01',
      to: '2027-01-01',
      ownerUserId: victim.tenant.users.sales_rep.id,
      teamId: victim.teamId,
    }),
  },
  'opportunities.pipeline': { input: () => undefined, foreign: () => undefined },
  'opportunities.list': {
    input: () => ({ filters: { stageKind: 'open', owner: 'me', q: '设备' }, sort: 'amount', limit: 10 }),
    foreign: (victim) => ({
      filters: {
        customerId: victim.customerId,
        owner: victim.tenant.users.sales_rep.id,
        leadId: victim.leadId,
      },
    }),
  },
  'opportunities.board': {
    input: () => ({ perStage: 5, filters: { owner: 'me' } }),
    foreign: (victim) => ({ filters: { customerId: victim.customerId } }),
  },
  'opportunities.get': {
    input: async (context) => ({ id: await ownOpportunity(context) }),
    foreign: (victim) => ({ id: victim.opportunityId }),
  },
  'opportunities.create': {
    input: async (context) => ({
      name: '产线改造项目',
      customerId: await ownCustomer(context),
      amount: '80000',
      needs: ['提升产能'],
      lines: [{ product: '数控机床', quantity: 2, unitPrice: '40000' }],
    }),
    foreign: (victim) => ({
      name: '伪造商机',
      customerId: victim.customerId,
      contactId: victim.contactId,
      leadId: victim.leadId,
      ownerUserId: victim.tenant.users.sales_rep.id,
    }),
  },
  'opportunities.update': {
    input: async (context) => ({
      id: await ownOpportunity(context),
      needs: ['产线自动化', '能耗监测', '远程运维'],
      competitors: ['某德国厂商'],
    }),
    foreign: (victim) => ({ id: victim.opportunityId, name: '被篡改', customerId: victim.customerId }),
  },
  'opportunities.move': {
    input: async (context) => ({
      id: await ownOpportunity(context),
      stage: 'b2b_stage_lost',
      lostReason: 'b2b_lost_price',
      lostNote: '预算不足',
    }),
    foreign: (victim) => ({
      id: victim.opportunityId,
      stage: 'b2b_stage_lost',
      lostReason: 'b2b_lost_price',
    }),
  },
  'opportunities.setAction': {
    input: async (context) => ({ id: await ownOpportunity(context), action: 'b2b_action_needs', done: true }),
    foreign: (victim) => ({ id: victim.opportunityId, action: 'b2b_action_needs', done: true }),
  },
  'opportunities.reassign': {
    input: async (context) => ({ ids: [await ownOpportunity(context)], ownerUserId: context.actor.id }),
    foreign: (victim) => ({ ids: [victim.opportunityId], ownerUserId: victim.tenant.users.sales_rep.id }),
  },
  'opportunities.convertLead': {
    input: async (context) => ({
      leadId: await createLeadIn(
        context.server,
        context.tenant.tenantId,
        context.actor.id,
        `线索 ${crypto.randomUUID().slice(0, 6)}`,
      ),
      customer: { mode: 'existing', customerId: await ownCustomer(context) },
    }),
    foreign: (victim) => ({
      leadId: victim.leadId,
      customer: { mode: 'existing', customerId: victim.customerId },
    }),
  },
  'opportunities.saveLostReason': {
    input: () => ({
      key: `lost_${crypto.randomUUID().slice(0, 6)}`,
      labelZh: '交期太长',
      labelEn: 'Lead time too long',
    }),
    foreign: () => ({ key: 'b2b_lost_price', hidden: true }),
  },
  'surveys.list': { input: () => undefined, foreign: () => undefined },
  'surveys.get': { input: () => ({ key: 'b2b_nps' }), foreign: () => ({ key: 'b2b_nps' }) },
  'surveys.save': {
    input: () => ({
      kind: 'csat',
      title: '门店服务满意度',
      questions: [
        { key: 'overall', type: 'rating', labels: { 'zh-CN': '您对门店服务满意吗？' }, required: true },
        { key: 'comment', type: 'text', labels: { 'zh-CN': '还有什么建议？', en: 'Any suggestions?' } },
      ],
    }),
    foreign: () => ({
      kind: 'nps',
      title: '伪造问卷',
      questions: [{ key: 'recommend', type: 'nps', labels: { 'zh-CN': '推荐吗？' } }],
    }),
  },
  'surveys.archive': {
    input: async ({ server, tenant }) => {
      const key = `tenant_${crypto.randomUUID().slice(0, 8)}`;
      await server.database.withTenant(tenant.tenantId, (trx) =>
        trx
          .insertInto('surveys')
          .values({
            tenant_id: tenant.tenantId,
            key,
            kind: 'custom',
            title: '待归档问卷',
            questions: JSON.stringify([
              { key: 'q', type: 'text', labels: { 'zh-CN': '意见', en: 'Comments' } },
            ]),
          })
          .execute(),
      );
      return { key };
    },
    foreign: () => ({ key: 'tenant_0000aaaa' }),
  },
  'surveys.setEnabled': {
    input: () => ({ key: 'b2b_quarterly_needs', enabled: true }),
    foreign: () => ({ key: 'b2b_nps', enabled: true }),
  },
  'surveys.settings': { input: () => undefined, foreign: () => undefined },
  'surveys.updateSettings': {
    input: () => ({ frequencyCapDays: 30, linkValidDays: 30 }),
    foreign: () => ({ frequencyCapDays: 30, linkValidDays: 30 }),
  },
  'surveys.invite': {
    input: async (context) => ({
      key: 'b2b_nps',
      customerIds: [await ownCustomer(context)],
      channel: 'link',
    }),
    foreign: (victim) => ({ key: 'b2b_nps', customerIds: [victim.customerId], channel: 'link' }),
  },
  'surveys.link': {
    input: async (context) => ({ id: await ownSurveyInvitation(context) }),
    foreign: (victim) => ({ id: victim.surveyInvitationId }),
  },
  'surveys.invitations': {
    input: () => ({ key: 'b2b_nps', limit: 10 }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'surveys.responses': {
    input: () => ({ lowOnly: true, limit: 10 }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'surveys.results': {
    input: () => ({ from: '2026-01-01', to: '2026-12-31', by: 'tier', thenBy: 'month' }),
    foreign: () => ({ from: '2026-01-01', to: '2026-12-31', by: 'owner' }),
  },
  'surveys.customer': {
    input: async (context) => ({ customerId: await ownCustomer(context) }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'surveys.followUps': { input: () => ({ status: 'open' }), foreign: () => ({}) },
  'surveys.analyseFollowUp': {
    input: async (context) => ({
      id: await ownSurveyFollowUp(context),
      cause: 'service',
      causeText: '交付周期比承诺晚了两周',
      improvement: '指定专人跟进交付进度，每周通报',
      checkBackOn: '2030-01-15',
    }),
    foreign: (victim) => ({
      id: victim.surveyFollowUpId,
      cause: 'price',
      improvement: '伪造',
      checkBackOn: '2030-01-15',
    }),
  },
  'surveys.closeFollowUp': {
    input: async (context) => ({
      id: await ownSurveyFollowUp(context, 'analysed'),
      result: '客户表示改进后满意',
    }),
    foreign: (victim) => ({ id: victim.surveyFollowUpId, result: '伪造' }),
  },
  'loyalty.settings': { input: () => undefined, foreign: () => undefined },
  'loyalty.saveSettings': {
    input: () => ({ pointsPerYuan: 2, expiryMonths: 12, rules: null }),
    foreign: () => ({
      pointsPerYuan: null,
      expiryMonths: null,
      rules: [
        { key: 'own_referral', labelZh: '推荐奖励', labelEn: 'Referral', reward: 'points', value: 100 },
      ],
    }),
  },
  'loyalty.customer': {
    input: async (context) => ({ customerId: await ownCustomer(context) }),
    foreign: (victim) => ({ customerId: victim.customerId }),
  },
  'loyalty.refer': {
    input: async (context) => ({
      referrerCustomerId: await ownCustomer(context),
      referredCustomerId: await ownCustomer(context),
      note: '老客户介绍',
    }),
    foreign: (victim) => ({ referrerCustomerId: victim.customerId, referredLeadId: victim.leadId }),
  },
  'loyalty.cancelReferral': {
    input: async (context) => ({
      id: await createReferralIn(context.server, context.tenant.tenantId, await ownCustomer(context), {
        customerId: await ownCustomer(context),
      }),
    }),
    foreign: (victim) => ({ id: victim.referralId }),
  },
  'loyalty.adjust': {
    input: async (context) => ({ customerId: await ownCustomer(context), points: 100, reason: '活动补发' }),
    foreign: (victim) => ({ customerId: victim.customerId, points: 100000, reason: '伪造积分' }),
  },
  'loyalty.redeem': {
    input: async (context) => {
      const customerId = await ownCustomer(context);
      await creditPointsIn(context.server, context.tenant.tenantId, customerId);
      return { customerId, points: 100, reason: '兑换礼品' };
    },
    foreign: (victim) => ({ customerId: victim.customerId, points: 1, reason: '盗刷积分' }),
  },
  'settings.customerRules': { input: () => undefined, foreign: () => undefined },
  'settings.updateCustomerRules': {
    input: () => ({ valueHighAmount: '120000', activityWindowDays: 60 }),
    foreign: (victim) => ({ completenessWeights: { [`custom:${victim.customFieldKey}`]: 5, phone: 1 } }),
  },
  'notifications.list': {
    input: () => ({ unreadOnly: true, limit: 10 }),
    foreign: () => ({ unreadOnly: false }),
  },
  'notifications.unreadCount': { input: () => undefined, foreign: () => undefined },
  'notifications.markRead': {
    input: async ({ server, tenant, actor }) => ({
      ids: [await createNotificationIn(server, tenant.tenantId, actor.id)],
    }),
    foreign: (victim) => ({ ids: [victim.notificationId] }),
  },
  'notifications.preferences': { input: () => undefined, foreign: () => undefined },
  'notifications.updatePreferences': {
    input: () => ({ preferences: [{ kind: 'reminder', inApp: true, email: true }] }),
    foreign: () => ({ preferences: [{ kind: 'digest', inApp: false, email: false }] }),
  },
  'apiKeys.list': { input: () => undefined, foreign: () => undefined },
  'authEvents.list': { input: () => undefined, foreign: () => undefined },
  'apiKeys.create': {
    input: () => ({ name: `ERP 同步 ${crypto.randomUUID().slice(0, 6)}`, scopes: ['customers:read'] }),
    foreign: () => ({ name: '攻击者的密钥', scopes: ['customers:read', 'customers:write'] }),
  },
  'apiKeys.revoke': {
    input: async ({ server, tenant, actor }) => ({
      id: await createApiKeyIn(server, tenant.tenantId, actor.id),
    }),
    foreign: (victim) => ({ id: victim.apiKeyId }),
  },
  'webhooks.list': { input: () => undefined, foreign: () => undefined },
  'webhooks.create': {
    input: () => ({ url: WEBHOOK_TEST_URL, events: ['customer.created', 'order.created'] }),
    foreign: () => ({ url: WEBHOOK_TEST_URL, events: ['customer.created'] }),
  },
  'webhooks.update': {
    input: async ({ server, tenant }) => ({
      id: await createWebhookIn(server, tenant.tenantId),
      events: ['order.created'],
    }),
    foreign: (victim) => ({ id: victim.webhookId, url: 'https://93.184.216.35/stolen', enabled: false }),
  },
  'webhooks.delete': {
    input: async ({ server, tenant }) => ({ id: await createWebhookIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.webhookId }),
  },
  'webhooks.rotateSecret': {
    input: async ({ server, tenant }) => ({ id: await createWebhookIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.webhookId }),
  },
  'webhooks.sendTest': {
    input: async ({ server, tenant }) => ({ id: await createWebhookIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.webhookId }),
  },
  'webhooks.deliveries': {
    input: async ({ server, tenant }) => ({ endpointId: await createWebhookIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ endpointId: victim.webhookId }),
  },
  'webhooks.redeliver': {
    input: async ({ server, tenant }) => ({
      id: await createWebhookDeliveryIn(
        server,
        tenant.tenantId,
        await createWebhookIn(server, tenant.tenantId),
      ),
    }),
    foreign: (victim) => ({ id: victim.webhookDeliveryId }),
  },
  'wecom.settings': { input: () => undefined, foreign: () => undefined },
  'wecom.saveSettings': {
    input: () => ({
      robotUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
      enabled: true,
      events: ['ticket_sla_breach'],
    }),
    foreign: () => ({ robotUrl: null, enabled: false, events: [] }),
  },
  'wecom.bindings': { input: () => undefined, foreign: () => undefined },
  'wecom.saveBinding': {
    input: ({ actor }) => ({ userId: actor.id, wecomUserId: 'ZhangWei' }),
    foreign: (victim) => ({ userId: victim.tenant.users.owner.id, wecomUserId: 'Intruder' }),
  },
  'wecom.sendTest': {
    // A connected robot (its URL is never read by the test send itself).
    input: async ({ server, tenant }) => {
      await server.database.withTenant(tenant.tenantId, (trx) =>
        trx
          .insertInto('wecom_settings')
          .values({ tenant_id: tenant.tenantId, robot_url_cipher: 'v1:1:test', robot_url_hint: '…test' })
          .onConflict((conflict) => conflict.column('tenant_id').doNothing())
          .execute(),
      );
      return undefined;
    },
    foreign: () => undefined,
  },
  'wecom.messages': { input: () => undefined, foreign: () => undefined },
  'email.list': { input: () => ({ limit: 5 }), foreign: () => ({ status: 'failed' }) },
  'email.retry': {
    input: async ({ server, tenant }) => ({ id: await createFailedEmailIn(server, tenant.tenantId) }),
    foreign: (victim) => ({ id: victim.emailId }),
  },
  'tenants.create': {
    input: () => ({ name: '第二家企业', industry: 'corporate-banking' }),
    foreign: () => ({ name: '第二家企业', industry: 'retail' }),
  },
  'tenants.current': { input: () => undefined, foreign: () => undefined },
  'tenants.list': { input: () => undefined, foreign: () => undefined },
  'tenants.switch': {
    input: ({ tenant }) => ({ tenantId: tenant.tenantId }),
    foreign: (victim) => ({ tenantId: victim.tenant.tenantId }),
  },
  'tenants.update': {
    input: ({ tenant }) => ({ name: tenant.name }),
    foreign: () => ({ name: '改名的企业' }),
  },
};
