import { jobScope, markLeadConverted, runExport, runImport } from '@crm/api';
import { sql } from '@crm/db';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
  uploadImportFileAnswer,
} from './helpers';
import { createTeamIn } from './procedure-cases';

/*
 * Leads (线索) through the import pipeline and out through the export pipeline: a dry run with
 * every row's outcome, all or nothing (or the valid rows with the others reported), the error
 * file of the original rows with 错误原因, the duplicate check against leads and customers
 * (wave 1's keys, the identity rule), one commit per file and per idempotency key; the new
 * leads assigned by the tenant's rules (or the 公海), graded, each with its follow-up task;
 * another tenant's file and run do not exist. Exports honour the list's filters and access.
 */

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;
let team: string;

const csv = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;
const HEADER = '姓名,公司名称,手机,邮箱,地区,意向,需求,预算,来源,负责人';

function upload(client: TrpcClient, text: string, name = '线索.csv') {
  return uploadImportFileAnswer(server, client, name, text);
}

async function runToEnd(client: TrpcClient, tenantId: string, input: Record<string, unknown>, key?: string) {
  const started = await client.call(
    'imports.start',
    { entity: 'leads', onMatch: 'skip', ...input },
    key ? { 'idempotency-key': key } : undefined,
  );
  expect(started.error).toBeNull();
  const { runId, alreadyImported } = started.data as { runId: string; alreadyImported: boolean };
  if (!alreadyImported) await runImport(server.dependencies, tenantId, runId);
  const run = await client.call('imports.get', { runId });
  expect(run.error).toBeNull();
  return { runId, alreadyImported, run: run.data };
}

async function outcomes(client: TrpcClient, runId: string) {
  const page = await client.call('imports.rows', { runId, limit: 200 });
  expect(page.error).toBeNull();
  return page.data.items as {
    rowNumber: number;
    outcome: string;
    matchKind: string | null;
    matchedId: string | null;
    customerId: string | null;
    matchedName: string | null;
    reason: string | null;
    message: string | null;
    errors: { column: string; message: string }[];
  }[];
}

/** A lead of the sales rep's with the intent 'features', made through leads.create; its id. */
async function createRepLead(personName: string, phone: string): Promise<string> {
  const created = await admin.call('leads.create', {
    personName,
    phone,
    intent: 'features',
    ownerUserId: tenant.users.sales_rep.id,
  });
  expect(created.error).toBeNull();
  return created.data.id as string;
}

/** What an import may or may not change on a lead. */
async function leadRow(leadId: string) {
  const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
    sql<{
      intent: string | null;
      needs: string[];
      budget: string | null;
      owner_user_id: string | null;
      status: string;
      person_name: string | null;
      grade: string | null;
    }>`select intent, needs, budget, owner_user_id, status, person_name, grade from leads where id = ${leadId}`.execute(
      trx,
    ),
  );
  return rows[0];
}

async function leadsOf(runId: string) {
  const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
    sql<{
      id: string;
      person_name: string | null;
      source: string;
      grade: string | null;
      owner_user_id: string | null;
      in_pool: boolean;
      needs: string[];
      follow_up_due_at: Date | null;
    }>`select id, person_name, source, grade, owner_user_id, in_pool, needs, follow_up_due_at from leads
       where import_run_id = ${runId} order by person_name`.execute(trx),
  );
  return rows;
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '线索导入企业', 'b2b');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  team = await createTeamIn(server, tenant.tenantId, '华东组');
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .updateTable('memberships')
      .set({ team_id: team })
      .where('tenant_id', '=', tenant.tenantId)
      .where('user_id', 'in', [tenant.users.sales_rep.id, tenant.users.sales_manager.id])
      .execute(),
  );
  // Leads from 江苏 go to the rep; the rest, matched by no rule, to the 公海.
  const rule = await admin.call('assignment.saveRule', {
    entity: 'lead',
    name: '江苏给销售',
    regions: ['江苏'],
    method: 'member',
    memberIds: [tenant.users.sales_rep.id],
  });
  expect(rule.error).toBeNull();
});
afterAll(() => server?.destroy());

describe('importing leads', () => {
  it('dry run, then commit: new leads assigned by the rules, graded, each with its follow-up task', async () => {
    const file = await upload(
      admin,
      csv([
        HEADER,
        '周婷,苏州恒远电子,13912340001,zhouting@example.com,江苏,询价,产线扩产；质检自动化,50万,活动,',
        '陈刚,,13912340002,,西藏,仅浏览,,,,',
        `李雷,上海雷达科技,13912340003,,上海,咨询功能,,,,${tenant.users.sales_manager.email}`,
      ]),
    );
    // The upload suggests the lead mapping from the headers.
    expect(file.suggestions.leads).toMatchObject({
      姓名: 'person_name',
      公司名称: 'company_name',
      手机: 'phone',
      意向: 'intent',
      负责人: 'owner',
    });
    const mapping = file.suggestions.leads as Record<string, string>;

    const dry = await runToEnd(admin, tenant.tenantId, { fileId: file.fileId, mapping, dryRun: true });
    expect(dry.run).toMatchObject({ status: 'validated', validRows: 3, created: 3, errorRows: 0 });
    expect((await outcomes(admin, dry.runId)).map((row) => row.outcome)).toEqual(['new', 'new', 'new']);
    expect(await leadsOf(dry.runId)).toEqual([]);

    const commit = await runToEnd(admin, tenant.tenantId, { fileId: file.fileId, mapping, dryRun: false });
    expect(commit.run).toMatchObject({ status: 'committed', created: 3 });
    const leads = await leadsOf(commit.runId);
    const byName = new Map(leads.map((lead) => [lead.person_name, lead]));
    expect(byName.get('周婷')).toMatchObject({
      source: 'event',
      grade: 'A',
      owner_user_id: tenant.users.sales_rep.id,
      needs: ['产线扩产', '质检自动化'],
    });
    expect(byName.get('陈刚')).toMatchObject({
      source: 'import',
      grade: 'C',
      owner_user_id: null,
      in_pool: true,
    });
    expect(byName.get('李雷')).toMatchObject({ grade: 'B', owner_user_id: tenant.users.sales_manager.id });
    expect(leads.every((lead) => lead.follow_up_due_at !== null)).toBe(true);

    const { rows: tasks } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ related_id: string; owner_user_id: string | null }>`
        select related_id, owner_user_id from tasks where related_kind = 'lead' and status = 'open'
          and related_id = any(${leads.map((lead) => lead.id)}::uuid[])`.execute(trx),
    );
    expect(new Map(tasks.map((task) => [task.related_id, task.owner_user_id]))).toEqual(
      new Map([
        [byName.get('周婷')?.id, tenant.users.sales_rep.id],
        [byName.get('陈刚')?.id, null],
        [byName.get('李雷')?.id, tenant.users.sales_manager.id],
      ]),
    );
    const { rows: history } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ kind: string; reason: string | null }>`
        select kind, reason from lead_history where lead_id = ${byName.get('周婷')?.id} order by changed_at, kind`.execute(
        trx,
      ),
    );
    expect(history).toEqual([
      { kind: 'created', reason: 'import' },
      { kind: 'owner', reason: 'rule' },
    ]);

    // The same file again: nothing new, it says so.
    const again = await runToEnd(admin, tenant.tenantId, { fileId: file.fileId, mapping, dryRun: false });
    expect(again).toMatchObject({ alreadyImported: true, runId: commit.runId });
  });

  it('bad rows: nothing is written unless told to skip them; the error file holds the rows as they were and 错误原因', async () => {
    const text = csv([
      HEADER,
      '王芳,,13912340101,,浙江,询价,,,,',
      ',,13912340102,,浙江,询价,,,,',
      '赵六,,12345,,浙江,随便看看,,,,',
      '孙七,,13912340104,,浙江,询价,,,,不存在的人',
    ]);
    const file = await upload(admin, text, '有错误的线索.csv');
    const mapping = file.suggestions.leads as Record<string, string>;
    const failed = await runToEnd(admin, tenant.tenantId, { fileId: file.fileId, mapping, dryRun: false });
    expect(failed.run).toMatchObject({ status: 'failed', failure: 'HAS_ERRORS', validRows: 1, errorRows: 3 });
    expect(await leadsOf(failed.runId)).toEqual([]);
    const rows = await outcomes(admin, failed.runId);
    expect(rows.map((row) => [row.rowNumber, row.outcome, row.reason])).toEqual([
      [2, 'new', null],
      [3, 'error', 'LEAD_NAME_REQUIRED'],
      [4, 'error', expect.any(String)],
      [5, 'error', expect.any(String)],
    ]);
    expect(rows[2]?.errors.map((error) => error.column).sort()).toEqual(['意向', '手机']);

    const report = await server.app.request(
      `http://localhost:3000/api/imports/runs/${failed.runId}/errors.csv`,
      { headers: { cookie: admin.cookie ?? '', 'x-locale': 'zh-CN' } },
    );
    expect(report.status).toBe(200);
    const lines = new TextDecoder()
      .decode(new Uint8Array(await report.arrayBuffer()))
      .trim()
      .split('\r\n');
    // (TextDecoder drops the byte-order mark the file starts with.)
    expect(lines[0]).toBe(`${HEADER},行号,错误原因`);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('联系人姓名与公司名称至少填写一项');
    expect(lines[3]).toContain('不存在的人');

    const skipped = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: false,
      skipErrorRows: true,
    });
    expect(skipped.run).toMatchObject({ status: 'committed', created: 1, errorRows: 3 });
    expect((await leadsOf(skipped.runId)).map((lead) => lead.person_name)).toEqual(['王芳']);
  });

  it('duplicates: an existing lead or customer skips the row, a resemblance is flagged, the same lead twice in the file is an error', async () => {
    const existingLead = await admin.call('leads.create', {
      personName: '老线索',
      phone: '13912340201',
      intent: 'features',
    });
    expect(existingLead.error).toBeNull();
    const customer = await admin.call('customers.create', {
      name: '杭州恒力机械有限公司',
      kind: 'company',
      phone: '0571-87650001',
    });
    expect(customer.error).toBeNull();
    const file = await upload(
      admin,
      csv([
        HEADER,
        '新来的,,13912340201,,浙江,询价,,,,',
        '采购部,杭州恒力机械股份有限公司,,,浙江,询价,,,,',
        '张工,另一家公司,0571-87650001,,浙江,询价,,,,',
        '钱八,,13912340204,same@example.com,浙江,询价,,,,',
        '钱九,,13912340205,SAME@example.com,浙江,询价,,,,',
      ]),
      '重复的线索.csv',
    );
    const mapping = file.suggestions.leads as Record<string, string>;
    const dry = await runToEnd(admin, tenant.tenantId, { fileId: file.fileId, mapping, dryRun: true });
    const rows = await outcomes(admin, dry.runId);
    expect(rows.map((row) => [row.rowNumber, row.outcome, row.reason])).toEqual([
      [2, 'skip', 'LEAD_EXISTS_SKIPPED'],
      [3, 'skip', 'CUSTOMER_EXISTS_SKIPPED'],
      [4, 'candidate', null],
      [5, 'new', null],
      [6, 'error', 'DUPLICATE_LEAD_IN_FILE'],
    ]);
    expect(rows[0]).toMatchObject({
      matchedId: existingLead.data.id,
      matchedName: '老线索',
      customerId: null,
    });
    expect(rows[0]?.message).toContain('线索');
    expect(rows[1]).toMatchObject({ matchedId: customer.data.id, customerId: customer.data.id });
    expect(rows[2]).toMatchObject({ matchKind: 'phone', matchedId: customer.data.id });
    expect(rows[4]?.errors[0]?.message).toBe('与第 5 行是同一线索（邮箱相同）');

    const commit = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: false,
      skipErrorRows: true,
    });
    expect(commit.run).toMatchObject({ status: 'committed', created: 2, skipped: 2 });
    expect((await leadsOf(commit.runId)).map((lead) => lead.person_name).sort()).toEqual(['张工', '钱八']);
  });

  it('matching an existing lead: "update" changes its contact, intent, needs, budget and timing (not its owner or status), re-grades it, and the row names it; "skip" changes nothing', async () => {
    const leadId = await createRepLead('待更新的线索', '13912340311');
    const customer = await admin.call('customers.create', {
      name: '宁波远达贸易有限公司',
      kind: 'company',
      phone: '0574-87650301',
    });
    expect(customer.error).toBeNull();
    const readLead = () => leadRow(leadId);
    const before = await readLead();
    expect(before?.grade).toBe('B');
    // A file is committed once: the update is tried with a second file (another new row).
    const fileOf = (newPhone: string) =>
      upload(
        admin,
        csv([
          HEADER,
          '改了名字,,139-1234-0311,,浙江,询价,报价单；上门演示,50000,,',
          '采购部,宁波远达贸易有限公司,,,浙江,询价,,,,',
          `新线索,,${newPhone},,浙江,询价,,,,`,
        ]),
        '更新线索.csv',
      );
    let file = await fileOf('13912340313');
    const mapping = file.suggestions.leads as Record<string, string>;

    // Skip chosen: the dry run says so, the commit leaves the lead as it was.
    const skipDry = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: true,
      onMatch: 'skip',
    });
    expect((await outcomes(admin, skipDry.runId)).map((row) => [row.outcome, row.reason])).toEqual([
      ['skip', 'LEAD_EXISTS_SKIPPED'],
      ['skip', 'CUSTOMER_EXISTS_SKIPPED'],
      ['new', null],
    ]);
    const skipped = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: false,
      onMatch: 'skip',
    });
    expect(skipped.run).toMatchObject({ status: 'committed', created: 1, updated: 0, skipped: 2 });
    expect(await readLead()).toEqual(before);

    // Update chosen: the dry run names the lead and its key; a customer match is still skipped.
    file = await fileOf('13912340314');
    const dry = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: true,
      onMatch: 'update',
    });
    expect(dry.run).toMatchObject({ status: 'validated', updated: 1, skipped: 1 });
    const planned = await outcomes(admin, dry.runId);
    expect(planned.map((row) => [row.rowNumber, row.outcome, row.reason])).toEqual([
      [2, 'update', null],
      [3, 'skip', 'CUSTOMER_EXISTS_SKIPPED'],
      [4, 'new', null],
    ]);
    expect(planned[0]).toMatchObject({
      matchKind: 'lead_phone',
      matchedId: leadId,
      matchedName: '待更新的线索',
      customerId: null,
    });
    const filtered = await admin.call('imports.rows', { runId: dry.runId, limit: 200, outcome: 'update' });
    expect(filtered.error).toBeNull();
    expect(filtered.data.items.map((row: { rowNumber: number }) => row.rowNumber)).toEqual([2]);
    expect(await readLead()).toEqual(before);

    const commit = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: false,
      onMatch: 'update',
    });
    expect(commit.run).toMatchObject({ status: 'committed', created: 1, updated: 1, skipped: 1 });
    const after = await readLead();
    expect(after).toMatchObject({
      intent: 'price',
      needs: ['报价单', '上门演示'],
      owner_user_id: before?.owner_user_id,
      status: before?.status,
      person_name: '待更新的线索',
    });
    expect(Number(after?.budget)).toBe(50000);
    // It asked for a price now: graded again in the import's commit, A, with its follow-up task.
    expect(after?.grade).toBe('A');
    const { rows: graded } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ from_grade: string | null; to_grade: string; by_kind: string }>`
        select from_grade, to_grade, by_kind from lead_grade_history where lead_id = ${leadId}
        order by changed_at desc limit 1`.execute(trx),
    );
    expect(graded).toEqual([{ from_grade: 'B', to_grade: 'A', by_kind: 'grade_rule' }]);
    const { rows: followUps } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ title: string; owner_user_id: string | null }>`
        select title, owner_user_id from tasks where related_kind = 'lead' and related_id = ${leadId}
          and status = 'open'`.execute(trx),
    );
    expect(followUps).toEqual([
      { title: expect.stringContaining('A'), owner_user_id: tenant.users.sales_rep.id },
    ]);
    const done = await outcomes(admin, commit.runId);
    expect(done[0]).toMatchObject({ outcome: 'update', matchKind: 'lead_phone', matchedId: leadId });
    // The same file and choice again is the same import: nothing is written twice.
    const again = await admin.call('imports.start', {
      entity: 'leads',
      onMatch: 'update',
      fileId: file.fileId,
      mapping,
      dryRun: false,
    });
    expect(again.error).toBeNull();
    expect(again.data).toMatchObject({ runId: commit.runId, alreadyImported: true });
  });

  it('a converted lead is never updated by an import: its row is skipped, saying why (zh-CN and en)', async () => {
    const leadId = await createRepLead('已转化的线索', '13912340321');
    const customer = await admin.call('customers.create', { name: '已转化线索的客户', kind: 'person' });
    expect(customer.error).toBeNull();
    await server.database.withTenant(tenant.tenantId, (trx) =>
      markLeadConverted(jobScope(trx, tenant.tenantId), leadId, { customerId: customer.data.id }),
    );
    const readLead = () => leadRow(leadId);
    const before = await readLead();
    expect(before?.status).toBe('converted');
    const file = await upload(
      admin,
      csv([
        HEADER,
        '已转化的线索,,13912340321,,浙江,询价,报价单,,,',
        '另一条新线索,,13912340322,,浙江,询价,,,,',
      ]),
      '转化后的线索.csv',
    );
    const mapping = file.suggestions.leads as Record<string, string>;
    const dry = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: true,
      onMatch: 'update',
    });
    expect(dry.run).toMatchObject({ status: 'validated', created: 1, updated: 0, skipped: 1 });
    const planned = await outcomes(admin, dry.runId);
    expect(planned.map((row) => [row.rowNumber, row.outcome, row.reason, row.matchedId])).toEqual([
      [2, 'skip', 'LEAD_CONVERTED_SKIPPED', leadId],
      [3, 'new', null, null],
    ]);
    expect(planned[0]?.message).toContain('已转化为客户');
    const english = await signedInClient(server, tenant.users.admin.id, tenant.tenantId, {
      headers: { 'x-locale': 'en' },
    });
    const plannedEn = await outcomes(english, dry.runId);
    expect(plannedEn[0]?.message).toContain('converted to a customer');

    const commit = await runToEnd(admin, tenant.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: false,
      onMatch: 'update',
    });
    expect(commit.run).toMatchObject({ status: 'committed', created: 1, updated: 0, skipped: 1 });
    expect(await readLead()).toEqual(before);
  });

  it('one commit per idempotency key; a rep may not import; another tenant’s file and run do not exist', async () => {
    const file = await upload(admin, csv([HEADER, '幂等,,13912340301,,浙江,询价,,,,']), '幂等.csv');
    const mapping = file.suggestions.leads as Record<string, string>;
    const key = crypto.randomUUID();
    const input = { entity: 'leads', onMatch: 'skip', fileId: file.fileId, mapping, dryRun: false };
    const first = await admin.call('imports.start', input, { 'idempotency-key': key });
    const retry = await admin.call('imports.start', input, { 'idempotency-key': key });
    expect(retry.data).toEqual(first.data);
    await runImport(server.dependencies, tenant.tenantId, first.data.runId);
    await runImport(server.dependencies, tenant.tenantId, first.data.runId);
    expect(await leadsOf(first.data.runId)).toHaveLength(1);

    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect((await rep.call('imports.start', { ...input, dryRun: true })).error?.appCode).toBe('FORBIDDEN');

    const other = await seedTenant(server.database, '别家企业');
    const stranger = await signedInClient(server, other.users.admin.id, other.tenantId);
    expect((await stranger.call('imports.start', { ...input, dryRun: true })).error?.appCode).toBe(
      'IMPORT_FILE_NOT_FOUND',
    );
    expect((await stranger.call('imports.get', { runId: first.data.runId })).error?.appCode).toBe(
      'IMPORT_RUN_NOT_FOUND',
    );
    expect((await stranger.call('imports.rows', { runId: first.data.runId })).error?.appCode).toBe(
      'IMPORT_RUN_NOT_FOUND',
    );
  });
});

describe('exporting leads', () => {
  async function exportFile(client: TrpcClient, input: Record<string, unknown>) {
    const run = await client.call('exports.create', { entity: 'leads', ...input });
    expect(run.error).toBeNull();
    await runExport(server.database, tenant.tenantId, run.data.id);
    const done = await client.call('exports.get', { id: run.data.id });
    expect(done.data.status).toBe('done');
    const response = await server.app.request(`http://localhost:3000/api/exports/${run.data.id}/file`, {
      headers: { cookie: client.cookie ?? '' },
    });
    expect(response.status).toBe(200);
    return { run: done.data, bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  it('exports the filtered list the member sees, as CSV and Excel, headed so that it imports again', async () => {
    const { run, bytes } = await exportFile(admin, {
      format: 'csv',
      filters: { grades: ['A'] },
      columns: ['personName', 'companyName', 'phone', 'intent', 'needs', 'grade', 'owner'],
    });
    expect(run.fileName).toMatch(/^线索_\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\n');
    expect(lines[0]).toBe('联系人姓名,公司名称,手机,意向,需求,等级,负责人');
    expect(lines.slice(1).every((line) => line.includes(',A,'))).toBe(true);
    const zhou = lines.find((line) => line.startsWith('周婷,苏州恒远电子,'));
    expect(zhou).toMatch(/^周婷,苏州恒远电子,139 ?1234 ?0001,询价,产线扩产；质检自动化,A,/);
    expect(zhou?.endsWith(`,${tenant.name}-sales_rep`)).toBe(true);

    // A sales manager exports the team's leads only; a rep may not export.
    const manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
    const teamFile = await exportFile(manager, { format: 'xlsx', columns: ['personName', 'owner'] });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(teamFile.bytes as unknown as ArrayBuffer);
    const names = workbook.worksheets[0]
      ?.getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[])[1]);
    expect(names).toContain('周婷');
    expect(names).toContain('李雷');
    expect(names).not.toContain('陈刚');
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect((await rep.call('exports.create', { entity: 'leads', format: 'csv' })).error?.appCode).toBe(
      'FORBIDDEN',
    );

    // The exported file imports into another tenant as the same leads.
    const other = await seedTenant(server.database, '导入导出的另一家');
    const otherAdmin = await signedInClient(server, other.users.admin.id, other.tenantId);
    const full = await exportFile(admin, { format: 'csv', filters: { search: '周婷' } });
    const file = await upload(otherAdmin, new TextDecoder().decode(full.bytes), '线索导出.csv');
    const mapping = file.suggestions.leads as Record<string, string>;
    const imported = await runToEnd(otherAdmin, other.tenantId, {
      fileId: file.fileId,
      mapping,
      dryRun: true,
    });
    const errors = await otherAdmin.call('imports.errors', { runId: imported.runId });
    expect(errors.data.items.filter((error: { column: string }) => error.column !== '负责人')).toEqual([]);
  });
});
