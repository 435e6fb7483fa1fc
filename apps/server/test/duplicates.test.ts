import { type IdentityRecord, identityOf, runScan } from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;
let manager: TrpcClient;
let rep: TrpcClient;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '查重测试');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
  rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
});
afterAll(() => server.destroy());

async function create(client: TrpcClient, input: Record<string, unknown>) {
  // These customers are duplicates on purpose: created anyway (仍然新建) where the rule says so.
  const result = await client.call('customers.create', {
    kind: 'company',
    force: { reason: '查重测试：有意录入的重复客户' },
    ...input,
  });
  expect(result.error, JSON.stringify(result.error)).toBeNull();
  return result.data.id as string;
}

function keysOf(customerId: string) {
  return server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .selectFrom('customer_match_keys')
      .select(['kind', 'value', 'branch'])
      .where('customer_id', '=', customerId)
      .orderBy('kind')
      .orderBy('value')
      .execute(),
  );
}

function scan(cap?: number) {
  return server.database.withTenant(tenant.tenantId, (trx) => runScan(trx, tenant.tenantId, null, cap));
}

function candidate(x: string, y: string) {
  const [a, b] = x < y ? [x, y] : [y, x];
  return server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .selectFrom('duplicate_candidates')
      .selectAll()
      .where('customer_a', '=', a)
      .where('customer_b', '=', b)
      .executeTakeFirst(),
  );
}

describe('match keys and the credit code', () => {
  it('are kept for every write of customers and contacts', async () => {
    const id = await create(admin, {
      name: '苏州恒通精密机械有限公司',
      phone: '0512-6888 1234',
      email: 'Info@HengTong.CN',
      creditCode: '9133 0100 7996 5505 8b',
    });
    expect(await keysOf(id)).toEqual([
      { kind: 'credit_code', value: '91330100799655058B', branch: false },
      { kind: 'email', value: 'info@hengtong.cn', branch: false },
      { kind: 'name', value: '苏州恒通精密机械', branch: false },
      { kind: 'phone', value: '051268881234', branch: false },
    ]);
    const profile = await admin.call('customers.get', { id });
    expect(profile.data.creditCode).toBe('91330100799655058B');

    await admin.call('customers.update', {
      id,
      phone: '138 1234 5678',
      name: '苏州恒通精密机械有限公司上海分公司',
    });
    const contact = await admin.call('contacts.create', {
      customerId: id,
      name: '李娜',
      phones: ['139-8765-4321'],
      emails: ['LI.NA@hengtong.cn'],
    });
    expect(contact.error, JSON.stringify(contact.error)).toBeNull();
    expect((await keysOf(id)).filter((key) => key.kind !== 'credit_code')).toEqual([
      { kind: 'email', value: 'info@hengtong.cn', branch: false },
      { kind: 'email', value: 'li.na@hengtong.cn', branch: false },
      { kind: 'name', value: '苏州恒通精密机械', branch: true },
      { kind: 'phone', value: '13812345678', branch: false },
      { kind: 'phone', value: '13987654321', branch: false },
    ]);
    await admin.call('contacts.delete', { id: contact.data.id });
    expect((await keysOf(id)).map((key) => key.value)).not.toContain('13987654321');
  });

  it('are there after a bulk INSERT … SELECT', async () => {
    const ids = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{ id: string }>`
        insert into customers (tenant_id, name, kind, phone, email)
        select ${tenant.tenantId}, '批量客户' || n || '有限公司', 'company', '0086 21 5555 ' || lpad(n::text, 4, '0'), null
        from generate_series(1, 300) n
        returning id`.execute(trx);
      return rows.map((row) => row.id);
    });
    const count = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('customer_match_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('customer_id', 'in', ids)
        .executeTakeFirstOrThrow(),
    );
    expect(Number(count.n)).toBe(600);
    expect(await keysOf(ids[0] as string)).toContainEqual({
      kind: 'phone',
      value: '02155550001',
      branch: false,
    });
  });

  it('rejects a credit code with a wrong check character, in both languages', async () => {
    const bad = await admin.call('customers.create', {
      name: '校验位错误',
      kind: 'company',
      creditCode: '91330100799655058C',
    });
    expect(bad.error?.appCode).toBe('INVALID_CREDIT_CODE');
    expect(bad.error?.fieldErrors?.[0]?.path).toBe('creditCode');
    expect(bad.error?.message).toContain('统一社会信用代码');
    const english = await server
      .client({ cookie: admin.cookie, headers: { 'accept-language': 'en' } })
      .call('customers.create', { name: 'Bad check', kind: 'company', creditCode: '91330100799655058C' });
    expect(english.error?.message).toContain('unified social credit code');
    // The database refuses one that bypasses the service.
    await expect(
      server.database.withTenant(tenant.tenantId, (trx) =>
        trx
          .insertInto('customers')
          .values({
            tenant_id: tenant.tenantId,
            name: 'x',
            kind: 'company',
            credit_code: '91330100799655058C',
          })
          .execute(),
      ),
    ).rejects.toThrow(/customers_credit_code_valid/);
  });
});

describe('detection on create', () => {
  it('warns before saving, counts what the member cannot see, and records the pair when saved anyway', async () => {
    const existing = await create(admin, {
      name: '杭州云栖数据科技有限公司',
      phone: '0571-8888 6666',
      email: 'sales@yunqi.com',
      ownerUserId: tenant.users.admin.id,
    });
    const check = await admin.call('duplicates.check', {
      kind: 'company',
      name: '杭州云栖数据科技（集团）股份有限公司',
      phone: '+86 571 88886666',
    });
    expect(check.error, JSON.stringify(check.error)).toBeNull();
    expect(check.data.matches[0]).toMatchObject({
      customer: { id: existing, name: '杭州云栖数据科技有限公司' },
      reasons: ['name', 'phone'],
      confidence: 0.88,
    });
    // A rep sees only their own customers: the match is counted, not shown.
    const repCheck = await rep.call('duplicates.check', { kind: 'company', email: 'SALES@YUNQI.COM' });
    expect(repCheck.data).toEqual({ matches: [], hidden: 1 });

    const duplicate = await create(admin, { name: '杭州云栖数据科技股份有限公司', email: 'Sales@Yunqi.com' });
    expect(await candidate(existing, duplicate)).toMatchObject({
      status: 'pending',
      source: 'create',
      reasons: ['email', 'name'],
    });
    // The branch is related, not the same.
    const branch = await admin.call('duplicates.check', {
      kind: 'company',
      name: '杭州云栖数据科技有限公司北京分公司',
    });
    expect(branch.data.matches.map((m: { reasons: string[] }) => m.reasons)).toContainEqual(['branch']);
  });
});

describe('tenant-wide scan', () => {
  it('finds pairs with reasons, re-runs without doubling, keeps dismissed pairs dismissed, caps huge groups', async () => {
    const a = await create(admin, { name: '张伟', kind: 'person', phone: '13700001111' });
    const b = await create(admin, { name: '张 伟', kind: 'person', phone: '+86 137 0000 1111' });
    const c = await create(admin, { name: '李强', kind: 'person', phone: '137-0000-1111' });
    const d = await create(admin, { name: '王芳', kind: 'person', email: 'wf@example.com' });
    const e = await create(admin, { name: '王芳', kind: 'person', email: 'WF@Example.com' });
    const first = await scan();
    expect(first.pairs).toBeGreaterThanOrEqual(4);
    expect(await candidate(a, b)).toMatchObject({
      reasons: ['name', 'phone'],
      confidence: '0.88',
      status: 'pending',
    });
    expect(await candidate(a, c)).toMatchObject({ reasons: ['phone'], confidence: '0.70' });
    expect(await candidate(d, e)).toMatchObject({ reasons: ['email', 'name'], confidence: '0.92' });

    const again = await scan();
    expect(again.newPairs).toBe(0);
    expect(again.pairs).toBe(first.pairs);
    const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('duplicate_candidates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );

    const pair = await candidate(a, c);
    // The pair's customers are the admin's: not the manager's team, so not theirs to handle.
    expect((await manager.call('duplicates.dismiss', { id: pair?.id })).error?.appCode).toBe(
      'DUPLICATE_NOT_FOUND',
    );
    expect((await admin.call('duplicates.dismiss', { id: pair?.id })).error).toBeNull();
    await scan();
    expect(await candidate(a, c)).toMatchObject({ status: 'dismissed' });
    const after = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('duplicate_candidates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    expect(Number(after.n)).toBe(Number(rows.n));

    // The queue: most confident first, filtered by reason, keyset paged.
    const queue = await admin.call('duplicates.list', { reason: 'phone', limit: 1 });
    expect(queue.error, JSON.stringify(queue.error)).toBeNull();
    expect(queue.data.items).toHaveLength(1);
    expect(queue.data.items[0].reasons).toContain('phone');
    const next = await admin.call('duplicates.list', {
      reason: 'phone',
      limit: 1,
      cursor: queue.data.nextCursor,
    });
    expect(next.data.items[0]?.id).not.toBe(queue.data.items[0].id);
    expect(
      next.data.items.every(
        (item: { confidence: number }) => item.confidence <= queue.data.items[0].confidence,
      ),
    ).toBe(true);
  });

  it('pairs a generic company name only together with another key', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push(await create(admin, { name: '北京润华酒店管理有限公司' }));
    const withPhone = await create(admin, { name: '北京润华酒店管理股份有限公司', phone: '010-66668888' });
    const samePhone = await create(admin, { name: '北京润华酒店管理有限公司', phone: '(010)66668888' });
    await scan();
    expect(await candidate(ids[0] as string, ids[1] as string)).toBeUndefined();
    expect(await candidate(withPhone, samePhone)).toMatchObject({
      reasons: ['name', 'phone'],
      confidence: '0.88',
    });
  });

  it('judges each queued pair by the identity rule of the create check and the import', async () => {
    // Pairs that share something; the scan's verdict (same customer, by which key, or a
    // candidate) must be identityOf's on the same two records.
    const table: [IdentityRecord, IdentityRecord][] = [
      // the same normalised company name, written differently: same (名称相近)
      [
        { kind: 'company', name: '澜沧测绘科技有限公司' },
        { kind: 'company', name: '澜沧测绘科技股份有限公司' },
      ],
      // two companies sharing only a phone: a candidate, never the same
      [
        { kind: 'company', name: '沧州恒远机械有限公司', phone: '0317-5551234' },
        { kind: 'company', name: '邯郸宏图物流有限公司', phone: '+86 317 555 1234' },
      ],
      // the same credit code under two names: same
      [
        { kind: 'company', name: '临沂瑞丰纺织有限公司', creditCode: '9144030071526726XG' },
        { kind: 'company', name: '瑞丰纺织（临沂）集团', creditCode: '9144030071526726XG' },
      ],
      // a head office and its branch: a candidate
      [
        { kind: 'company', name: '泰安岳华食品有限公司' },
        { kind: 'company', name: '泰安岳华食品有限公司济南分公司' },
      ],
      // the same branch written twice: same
      [
        { kind: 'company', name: '德州天衢建材有限公司聊城分公司' },
        { kind: 'company', name: '德州天衢建材有限公司 聊城分公司' },
      ],
      // a person's name and phone: same; a person's email under two names: a candidate
      [
        { kind: 'person', name: '欧阳明远', phone: '13755501234' },
        { kind: 'person', name: '欧阳 明远', phone: '+86 137 5550 1234' },
      ],
      [
        { kind: 'person', name: '司马青', email: 'qing.sm@example.com' },
        { kind: 'person', name: '司马红', email: 'Qing.SM@example.com' },
      ],
      // a company and a person sharing a phone: a candidate
      [
        { kind: 'company', name: '威海远帆渔具有限公司', phone: '13755509876' },
        { kind: 'person', name: '诸葛帆', phone: '137-5550-9876' },
      ],
      // a shared generic-looking name and phone between two companies: same by name
      [
        { kind: 'company', name: '日照港融贸易有限公司', phone: '0633-5559876' },
        { kind: 'company', name: '日照港融贸易有限公司', phone: '(0633)5559876' },
      ],
    ];
    const ids: [string, string][] = [];
    for (const [x, y] of table) ids.push([await create(admin, x), await create(admin, y)]);
    await scan();
    const verdicts = await Promise.all(
      ids.map(async ([x, y]) => {
        const pair = await candidate(x, y);
        return pair ? pair.same_by : 'not queued';
      }),
    );
    const expected = table.map(([x, y]) => {
      const verdict = identityOf(x, y);
      return verdict.verdict === 'same' ? verdict.by : verdict.verdict === 'candidate' ? null : 'not queued';
    });
    expect(verdicts).toEqual(expected);
    // The table covers both verdicts, and a shared phone between companies is a candidate.
    expect(expected).toEqual(['name', null, 'credit_code', null, 'name', 'name_phone', null, null, 'name']);

    // The queue says so, with the reasons the form's warning uses.
    const queue = await admin.call('duplicates.list', { limit: 100 });
    expect(queue.error).toBeNull();
    const item = (pair: [string, string]) =>
      queue.data.items.find(
        (entry: { a: { id: string }; b: { id: string } }) =>
          [entry.a.id, entry.b.id].sort().join() === [...pair].sort().join(),
      );
    expect(item(ids[0] as [string, string])).toMatchObject({ sameBy: 'name', reasons: ['name'] });
    expect(item(ids[1] as [string, string])).toMatchObject({ sameBy: null, reasons: ['phone'] });

    // A pair recorded at create time (not by a scan) carries the verdict too.
    const first = await create(admin, { kind: 'company', name: '聊城鲁西化工设备有限公司' });
    const second = await create(admin, { kind: 'company', name: '聊城鲁西化工设备股份有限公司' });
    expect(await candidate(first, second)).toMatchObject({ source: 'create', same_by: 'name' });
  });

  it('does not pair a key value shared by more customers than the cap, and reports it', async () => {
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`insert into customers (tenant_id, name, kind, phone)
        select ${tenant.tenantId}, '总机客户' || n, 'person', '400-800-1234' from generate_series(1, 30) n`.execute(
        trx,
      ),
    );
    const result = await scan(20);
    expect(result.cappedKeys).toContainEqual({ kind: 'phone', value: '4008001234', customers: 30 });
    const paired = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ n: number }>`select count(*)::int as n from duplicate_candidates d
        join customers x on x.tenant_id = d.tenant_id and x.id = d.customer_a
        where x.phone = '4008001234' or x.phone = '400-800-1234'`.execute(trx),
    );
    expect(paired.rows[0]?.n).toBe(0);
  });
});

describe('merge and undo', () => {
  it('keeps both histories, takes the chosen fields, and undo restores exactly', async () => {
    const tag1 = (await admin.call('tags.create', { name: '重点客户' })).data.id as string;
    const tag2 = (await admin.call('tags.create', { name: '展会' })).data.id as string;
    for (const key of ['grade', 'region', 'source']) {
      const field = await admin.call('customFields.create', {
        key,
        labelZh: key,
        labelEn: key,
        type: 'text',
      });
      expect(field.error, JSON.stringify(field.error)).toBeNull();
    }
    // A company's sensitive value (身份证号 is an individual's field, refused for companies).
    const legalRep = await admin.call('customFields.create', {
      key: 'legal_rep_id',
      labelZh: '法定代表人证件号',
      labelEn: 'Legal representative ID',
      type: 'text',
      sensitive: true,
    });
    expect(legalRep.error, JSON.stringify(legalRep.error)).toBeNull();
    const survivor = await create(admin, {
      name: '深圳前海星辰贸易有限公司',
      phone: '0755-8888 8888',
      industry: '贸易',
      tagIds: [tag1],
      customFields: { grade: 'A', region: '华南' },
    });
    const merged = await create(admin, {
      name: '深圳前海星辰贸易有限公司（华南）',
      phone: '(0755)88888888',
      email: 'hello@xingchen.cn',
      industry: '进出口',
      tagIds: [tag2],
      customFields: { grade: 'B', region: '深圳', source: '展会', legal_rep_id: '440304198803151233' },
    });
    const order1 = (
      await admin.call('orders.create', {
        customerId: survivor,
        orderedAt: new Date().toISOString(),
        amount: '100',
      })
    ).data.id;
    const order2 = (
      await admin.call('orders.create', {
        customerId: merged,
        orderedAt: new Date().toISOString(),
        amount: '250.50',
      })
    ).data.id;
    const interaction = await admin.call('interactions.log', {
      customerId: merged,
      kind: 'call',
      summary: '电话回访，客户有意向',
    });
    expect(interaction.error, JSON.stringify(interaction.error)).toBeNull();
    const contact = (
      await admin.call('contacts.create', { customerId: merged, name: '陈静', phones: ['13611112222'] })
    ).data.id;

    const pair = await candidate(survivor, merged);
    expect(pair?.reasons).toEqual(['name', 'phone']);

    const result = await admin.call('customers.merge', {
      survivorId: survivor,
      mergedId: merged,
      choices: { industry: 'merged', 'custom:region': 'merged' },
      candidateId: pair?.id,
    });
    expect(result.error, JSON.stringify(result.error)).toBeNull();
    const mergeId = result.data.mergeId as string;

    const profile = (await admin.call('customers.profile', { id: survivor })).data;
    expect(profile.customer).toMatchObject({
      name: '深圳前海星辰贸易有限公司', // kept (default: the survivor's)
      industry: '进出口', // chosen
      email: 'hello@xingchen.cn', // the survivor had none
      orderCount: 2,
      amountLifetime: '350.50',
    });
    expect(new Set(profile.customer.tagIds)).toEqual(new Set([tag1, tag2]));
    // Custom values key by key: the survivor's by default, the chosen one, the missing one filled.
    expect(profile.customer.customFields).toEqual({ grade: 'A', region: '深圳', source: '展会' });
    expect(profile.customer.sensitive['custom:legal_rep_id']).toBeDefined();
    expect(profile.contacts.map((c: { id: string }) => c.id)).toContain(contact);
    expect(profile.interactions).toHaveLength(1);
    const kinds = profile.timeline.items.map((item: { kind: string }) => item.kind);
    expect(kinds).toContain('merge');
    const orders = profile.timeline.items.filter((item: { kind: string }) => item.kind === 'order');
    expect(orders.map((o: { id: string }) => o.id).sort()).toEqual([order1, order2].sort());
    // The merged customer's own creation is on the survivor's timeline too, marked.
    expect(
      profile.timeline.items.some(
        (item: { kind: string; data: { mergedFrom?: string; action?: string } }) =>
          item.kind === 'change' && item.data.mergedFrom === merged && item.data.action === 'create',
      ),
    ).toBe(true);
    const revealed = await admin.call('customers.revealSensitive', {
      customerId: survivor,
      field: 'custom:legal_rep_id',
    });
    expect(revealed.data?.value).toBe('440304198803151233');

    const tombstone = (await admin.call('customers.get', { id: merged })).data;
    expect(tombstone.mergedInto).toBe(survivor);
    expect(tombstone.archivedAt).not.toBeNull();
    const archivedList = await admin.call('customers.list', { archived: true, limit: 100 });
    expect(archivedList.data.items.map((c: { id: string }) => c.id)).not.toContain(merged);
    expect(await candidate(survivor, merged)).toMatchObject({ status: 'merged' });
    const audit = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('audit_log')
        .select(['action', 'changes'])
        .where('customer_id', '=', survivor)
        .where('action', '=', 'merge')
        .execute(),
    );
    expect(audit).toHaveLength(1);
    expect((await admin.call('customers.update', { id: merged, name: 'x' })).error?.appCode).toBe(
      'CUSTOMER_MERGED',
    );

    // Undo.
    const undo = await admin.call('customers.unmerge', { mergeId });
    expect(undo.error, JSON.stringify(undo.error)).toBeNull();
    const back = (await admin.call('customers.profile', { id: survivor })).data;
    expect(back.customer).toMatchObject({ industry: '贸易', email: null, orderCount: 1, tagIds: [tag1] });
    expect(back.customer.customFields).toEqual({ grade: 'A', region: '华南' });
    expect(back.customer.sensitive['custom:legal_rep_id']).toBeUndefined();
    expect(back.contacts).toHaveLength(0);
    const restored = (await admin.call('customers.profile', { id: merged })).data;
    expect(restored.customer).toMatchObject({
      mergedInto: null,
      archivedAt: null,
      industry: '进出口',
      orderCount: 1,
    });
    expect(restored.orders.items.map((o: { id: string }) => o.id)).toEqual([order2]);
    expect(restored.contacts.map((c: { id: string }) => c.id)).toEqual([contact]);
    expect(restored.interactions).toHaveLength(1);
    expect(restored.customer.sensitive['custom:legal_rep_id']).toBeDefined();
    expect(await candidate(survivor, merged)).toMatchObject({ status: 'pending' });
    expect((await admin.call('customers.unmerge', { mergeId })).error?.appCode).toBe('MERGE_ALREADY_UNDONE');
  });

  it('refuses undo once the survivor was merged again, and after the period', async () => {
    const a = await create(admin, { name: '甲公司' });
    const b = await create(admin, { name: '乙公司' });
    const c = await create(admin, { name: '丙公司' });
    const first = (await admin.call('customers.merge', { survivorId: a, mergedId: b })).data.mergeId;
    const second = (await admin.call('customers.merge', { survivorId: a, mergedId: c })).data.mergeId;
    const blocked = await admin.call('customers.unmerge', { mergeId: first });
    expect(blocked.error?.appCode).toBe('MERGE_UNDO_BLOCKED');
    expect(blocked.error?.message).toContain('请先撤销');
    expect((await admin.call('customers.unmerge', { mergeId: second })).error).toBeNull();
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update customer_merges set merged_at = now() - interval '31 days' where id = ${first}`.execute(trx),
    );
    const expired = await admin.call('customers.unmerge', { mergeId: first });
    expect(expired.error?.appCode).toBe('MERGE_UNDO_EXPIRED');
    expect(expired.error?.message).toContain('30');
  });

  it('a birthday taken from the merged customer brings its calendar (农历), and undo puts both back', async () => {
    const survivor = await create(admin, { name: '周晓梅', kind: 'person', phone: '13911112222' });
    const merged = await create(admin, {
      name: '周晓梅（老客户）',
      kind: 'person',
      birthday: '1980-08-15',
      birthdayCalendar: 'lunar',
    });
    const calendarOf = (id: string) =>
      server.database.withTenant(tenant.tenantId, (trx) =>
        trx
          .selectFrom('customers')
          .select(['birthday', 'birthday_calendar'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      );
    const result = await admin.call('customers.merge', { survivorId: survivor, mergedId: merged });
    expect(result.error, JSON.stringify(result.error)).toBeNull();
    expect(await calendarOf(survivor)).toMatchObject({ birthday_calendar: 'lunar' });
    expect(String((await calendarOf(survivor)).birthday)).not.toBe('null');
    expect((await admin.call('customers.unmerge', { mergeId: result.data.mergeId })).error).toBeNull();
    expect(await calendarOf(survivor)).toEqual({ birthday: null, birthday_calendar: 'solar' });
  });

  it('merges only customers the member sees, never a customer into itself or a tombstone', async () => {
    const own = await create(rep, { name: '代表自己的客户' });
    const other = await create(admin, { name: '别人的客户', ownerUserId: tenant.users.admin.id });
    // A sales rep has no customers.merge permission at all.
    expect((await rep.call('customers.merge', { survivorId: own, mergedId: other })).error?.appCode).toBe(
      'FORBIDDEN',
    );
    expect((await admin.call('customers.merge', { survivorId: own, mergedId: own })).error?.appCode).toBe(
      'INVALID_INPUT',
    );
    const x = await create(admin, { name: '合并来源' });
    await admin.call('customers.merge', { survivorId: own, mergedId: x });
    expect((await admin.call('customers.merge', { survivorId: other, mergedId: x })).error?.appCode).toBe(
      'CUSTOMER_MERGED',
    );
  });
});
