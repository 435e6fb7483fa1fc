import {
  API_V1_ROUTES,
  ERRORS,
  listProcedures,
  procedureInputSchemas,
  REST_ROUTES,
  translateError,
} from '@crm/api';
import { API_SCOPE_NAMES } from '@crm/auth';
import { sql } from '@crm/db';
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arbitraryOfSchema, hostileValue, idsIn, mutatedInput } from './fuzz-inputs';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  sessionCookie,
  signedInClient,
  type TestServer,
} from './helpers';
import {
  createContactIn,
  createCustomerIn,
  createLeadIn,
  createOpportunityIn,
  createOrderIn,
  createTagIn,
  createTaskIn,
  createTeamIn,
  createTicketIn,
  PROCEDURE_CASES,
} from './procedure-cases';

/**
 * SECURITY.md T5.8: every tRPC procedure, /api/v1 route and REST route, enumerated from the
 * router and the route registries, called by an owner with fast-check inputs derived from its
 * zod schema, hostile values (1 MB strings, NUL, lone surrogates, RTL and zero-width marks,
 * 4-byte CJK, deep nesting, huge numbers, bad dates, `__proto__`/`constructor` keys) and its
 * valid input with one part made hostile. For every call: no 5xx, no stack trace or SQL in the
 * answer, an error is a catalogued code with its message in the caller's language, a refusal
 * writes nothing of the tenant's, no prototype is polluted, no promise is left rejected; and
 * another tenant's rows are the same afterwards and never named in an answer.
 *
 * Seeded and bounded: FUZZ_RUNS calls per procedure (default 8; SECURITY.md's 1,000 is
 * `FUZZ_RUNS=1000`), FUZZ_SEED to replay a run (printed at the end).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const SEED = Number(process.env.FUZZ_SEED ?? 20261212);

let server: TestServer;
let victim: SeededTenant;
let victimIds: string[] = [];
let tenantTables: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const VICTIM_NAMES = [
  '模糊测试甲方客户',
  '模糊测试甲方联系人',
  '模糊测试甲方标签',
  '模糊测试甲方团队',
  '模糊测试甲方任务',
  '模糊测试甲方线索',
  '模糊测试甲方商机',
  '模糊测试甲方工单',
];

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await createTestServer();
  victim = await seedTenant(server.database, '模糊测试甲方');
  const tenantId = victim.tenantId;
  const customerId = await createCustomerIn(server, tenantId, VICTIM_NAMES[0]);
  victimIds = [
    customerId,
    await createContactIn(server, tenantId, customerId),
    await createOrderIn(server, tenantId, customerId),
    await createTagIn(server, tenantId, VICTIM_NAMES[2]),
    await createTeamIn(server, tenantId, VICTIM_NAMES[3]),
    await createTaskIn(server, tenantId, victim.users.sales_rep.id, customerId, VICTIM_NAMES[4]),
    await createLeadIn(server, tenantId, null, VICTIM_NAMES[5]),
    await createOpportunityIn(server, tenantId, victim.users.sales_rep.id, customerId, VICTIM_NAMES[6]),
    await createTicketIn(server, tenantId, customerId, victim.users.service_agent.id, VICTIM_NAMES[7]),
    ...Object.values(victim.users).map((user) => user.id),
    tenantId,
  ];
  tenantTables = await server.database.withoutTenant(async (db) =>
    (
      await sql<{ name: string }>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relforcerowsecurity
        order by c.relname`.execute(db)
    ).rows.map((row) => row.name),
  );
  // The write log needs a superuser's trigger: on a PostgreSQL server (CI); on PGlite the
  // other checks run without it.
  if (server.testDatabase.adminUrl) admin = await installWriteLog(server.testDatabase.adminUrl, tenantTables);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await admin?.end();
  await server.destroy();
});

/**
 * Every row written to a tenant table, by table and tenant, noted by a row trigger installed
 * in this test's database only (a superuser's function; the app's transactions cannot see or
 * change the log). Transactional: a refusal's rolled-back writes leave nothing here, a write
 * that was committed does.
 */
async function installWriteLog(adminUrl: string, tables: string[]) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`
    create table fuzz_writes (id bigserial primary key, table_name text not null, tenant_id uuid);
    create function fuzz_note_write() returns trigger language plpgsql security definer
      set search_path = public as $$
    declare written jsonb := to_jsonb(coalesce(new, old));
    begin
      insert into fuzz_writes (table_name, tenant_id)
      values (tg_table_name, coalesce(written ->> 'tenant_id', case when tg_table_name = 'tenants' then written ->> 'id' end)::uuid);
      return null;
    end $$;`);
  for (const table of tables)
    await admin.unsafe(
      `create trigger zz_fuzz_note_write after insert or update or delete on ${table} for each row execute function fuzz_note_write()`,
    );
  return admin;
}

let admin: ReturnType<typeof postgres> | null = null;
let lastWrite = 0;

/** The tenant tables written since the last look, per tenant. */
async function writesSinceLastLook(): Promise<{ table: string; tenantId: string | null }[]> {
  if (!admin) return [];
  const rows = await admin<{ id: string; table_name: string; tenant_id: string | null }[]>`
    select id, table_name, tenant_id from fuzz_writes where id > ${lastWrite} order by id`;
  if (rows.length > 0) lastWrite = Number(rows.at(-1)?.id);
  return rows.map((row) => ({ table: row.table_name, tenantId: row.tenant_id }));
}

/** One md5 over every row of the tenant's, through its own context. */
async function checksumOf(tenantId: string): Promise<string> {
  return server.database.withTenant(tenantId, async (trx) => {
    const parts: string[] = [];
    for (const table of tenantTables) {
      const { rows } = await sql<{ digest: string }>`
        select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
        from ${sql.table(table)} t`.execute(trx);
      parts.push(`${table}=${rows[0]?.digest}`);
    }
    return parts.join(',');
  });
}

const STACK_TRACE = /\bat [^\s]+ \(?[^)]*\.(?:ts|js|mjs):\d+|node_modules\//;
const SQL_TEXT =
  /\b(?:syntax error at|violates (?:not-null|foreign key|unique|check) constraint|duplicate key value|relation "|column "[^"]+" (?:of relation|does not exist)|invalid input syntax for|SQLSTATE|PostgresError)\b/i;
const CJK_TEXT = /[\u3400-\u9fff]/;

type Problem = { where: string; what: string; input?: unknown };

/** What is wrong with one answer (an empty list when nothing is). */
function judgeAnswer(
  status: number,
  body: string,
  locale: 'zh-CN' | 'en',
  error: {
    code: string;
    message: string;
    params: Record<string, string | number>;
    fields: { message: string }[];
  } | null,
): string[] {
  const wrong: string[] = [];
  if (status >= 500) wrong.push(`status ${status}`);
  if (STACK_TRACE.test(body)) wrong.push('stack trace in the answer');
  if (error) {
    if (SQL_TEXT.test(body)) wrong.push('SQL in the answer');
    if (!(error.code in ERRORS)) wrong.push(`uncatalogued code ${error.code}`);
    else if (error.message !== translateError(error.code as keyof typeof ERRORS, locale, error.params))
      wrong.push(`${error.code}: message not in ${locale}: ${error.message.slice(0, 80)}`);
    for (const field of error.fields) {
      // (An English message may quote the caller's own Chinese keys or values.)
      const inLocale = locale === 'zh-CN' ? CJK_TEXT.test(field.message) : /[A-Za-z]{3}/.test(field.message);
      if (!field.message || !inLocale)
        wrong.push(`${error.code}: field message not in ${locale}: ${field.message.slice(0, 80)}`);
    }
  }
  if (Object.keys(Object.prototype).length > 0 || Object.keys(Array.prototype).length > 0)
    wrong.push('prototype polluted');
  return wrong;
}

function trpcError(body: string): {
  code: string;
  message: string;
  params: Record<string, string | number>;
  fields: { message: string }[];
} | null {
  let parsed: {
    error?: {
      message: string;
      data?: {
        appCode?: string | null;
        appParams?: Record<string, string | number>;
        fieldErrors?: { message: string }[];
      };
    };
  };
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code: 'NOT_JSON', message: body.slice(0, 80), params: {}, fields: [] };
  }
  if (!parsed.error) return null;
  return {
    code: parsed.error.data?.appCode ?? 'NO_APP_CODE',
    message: parsed.error.message,
    params: parsed.error.data?.appParams ?? {},
    fields: parsed.error.data?.fieldErrors ?? [],
  };
}

/** The first inputs behind each kind of problem, to replay by hand. */
function reportFirst(problems: Problem[]) {
  const shown = new Set<string>();
  for (const problem of problems) {
    const key = `${problem.where}: ${problem.what}`;
    if (shown.has(key) || shown.size >= 20) continue;
    shown.add(key);
    console.log(`${key}\n  input: ${JSON.stringify(problem.input)?.slice(0, 300)}`);
  }
  const errors = server.logger.lines.filter((line) => line.level === 'error').slice(0, 5);
  for (const line of errors) console.log(`  logged: ${JSON.stringify(line).slice(0, 600)}`);
}

function summarise(problems: Problem[]): string[] {
  const seen = new Map<string, number>();
  for (const problem of problems) {
    const key = `${problem.where}: ${problem.what}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].map(([key, count]) => `${key}${count > 1 ? ` (×${count})` : ''}`);
}

describe('fuzzing every procedure and route (T5.8)', () => {
  it('every tRPC procedure: no 5xx, catalogued and translated errors, refusals write nothing, no pollution', async () => {
    const before = await checksumOf(victim.tenantId);
    const problems: Problem[] = [];
    const tenants = new Map<string, SeededTenant>();
    const counts = { calls: 0, refused: 0, accepted: 0, acceptedWrites: 0, status5xx: 0 };
    const procedures = listProcedures().filter((procedure) => procedure.type !== 'subscription');
    for (const [index, procedure] of procedures.entries()) {
      const procedureCase = PROCEDURE_CASES[procedure.path];
      if (!procedureCase) throw new Error(`no case for ${procedure.path}`);
      // A tenant per router (customers, members …), so one router's effects (a demoted owner)
      // never blunt the others'.
      const namespace = procedure.path.split('.')[0] as string;
      let tenant = tenants.get(namespace);
      if (!tenant) {
        tenant = await seedTenant(server.database, `模糊测试${namespace}`);
        tenants.set(namespace, tenant);
      }
      const actor = tenant.users.owner;
      const valid = await procedureCase.input({ server, tenant, role: 'owner', actor });
      const ids = [
        ...new Set([...idsIn(valid), ...victimIds, ...Object.values(tenant.users).map((user) => user.id)]),
      ];
      const schemas = procedureInputSchemas(procedure.path);
      const shaped =
        schemas.length > 0 ? arbitraryOfSchema(schemas.at(-1) as never, ids) : fc.constant(undefined);
      const inputs = fc.oneof(
        { weight: 3, arbitrary: shaped },
        { weight: 3, arbitrary: valid === undefined ? hostileValue() : mutatedInput(valid) },
        { weight: 1, arbitrary: hostileValue() },
      );
      const samples = fc.sample(fc.tuple(inputs, fc.constantFrom<'zh-CN' | 'en'>('zh-CN', 'en')), {
        numRuns: RUNS,
        seed: SEED + index,
      });
      let client = await signedInClient(server, actor.id, tenant.tenantId);
      await writesSinceLastLook();
      for (const [input, locale] of samples) {
        const result = await client.call(procedure.path, input, { 'x-locale': locale });
        counts.calls += 1;
        if (result.status >= 500) counts.status5xx += 1;
        const error = trpcError(result.body);
        for (const what of judgeAnswer(result.status, result.body, locale, error))
          problems.push({ where: procedure.path, what, input });
        const writes = await writesSinceLastLook();
        if (error) {
          counts.refused += 1;
          const written = [...new Set(writes.map((write) => write.table))];
          if (written.length > 0)
            problems.push({
              where: procedure.path,
              what: `refused (${error.code}) but wrote ${written.join(', ')}`,
              input,
            });
        } else {
          counts.accepted += 1;
          if (writes.length > 0) counts.acceptedWrites += 1;
        }
        if (writes.some((write) => write.tenantId === victim.tenantId))
          problems.push({ where: procedure.path, what: "wrote another tenant's rows", input });
        if (VICTIM_NAMES.some((name) => result.body.includes(name)))
          problems.push({ where: procedure.path, what: "another tenant's data in the answer" });
        // A call that signed out, switched tenant or changed the password: a new session.
        if (result.setCookies.length > 0 || client.cookie === null)
          client = server.client({ cookie: await sessionCookie(server, actor.id, tenant.tenantId) });
      }
    }
    const after = await checksumOf(victim.tenantId);
    reportFirst(problems);
    console.log(
      `T5.8 fuzz (tRPC): procedures=${procedures.length} runs_per_procedure=${RUNS} seed=${SEED} calls=${counts.calls} accepted=${counts.accepted} accepted_writing=${counts.acceptedWrites} refused=${counts.refused} 5xx=${counts.status5xx} problems=${problems.length} unhandled_rejections=${unhandled.length} other_tenant_changed=${after !== before}`,
    );
    expect(summarise(problems)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(after).toBe(before);
    // The write log is live: accepted mutations were seen writing (else "refusals write
    // nothing" would hold vacuously).
    if (admin) expect(counts.acceptedWrites).toBeGreaterThan(20);
  }, 600_000);

  it('every /api/v1 route and REST route: no 5xx, catalogued and translated problems, refusals write nothing', async () => {
    const tenant = await seedTenant(server.database, '模糊测试接口');
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const created = await owner.call('apiKeys.create', {
      name: '模糊测试密钥',
      scopes: [...API_SCOPE_NAMES],
      rateLimitPerMinute: 100000,
    });
    expect(created.error).toBeNull();
    const token = (created.data as { token: string }).token;
    const ownIds = [
      await createCustomerIn(server, tenant.tenantId, '接口模糊客户'),
      ...Object.values(tenant.users).map((user) => user.id),
    ];
    const ids = [...ownIds, ...victimIds];
    const before = await checksumOf(victim.tenantId);
    const problems: Problem[] = [];
    const counts = { calls: 0, refused: 0, status5xx: 0 };
    const judgeProblem = (
      where: string,
      status: number,
      body: string,
      locale: 'zh-CN' | 'en',
      input: unknown,
    ) => {
      counts.calls += 1;
      if (status >= 500) counts.status5xx += 1;
      let error: Parameters<typeof judgeAnswer>[3] = null;
      if (status >= 400) {
        counts.refused += 1;
        try {
          const parsed = JSON.parse(body) as { code?: string; detail?: string; message?: string };
          const message = parsed.detail ?? parsed.message ?? '';
          const code = parsed.code ?? 'NO_CODE';
          // Problem details carry the translated message without its parameters: judged by language.
          const inLocale =
            locale === 'zh-CN'
              ? CJK_TEXT.test(message)
              : /[A-Za-z]{3}/.test(message) && !CJK_TEXT.test(message);
          if (!inLocale) problems.push({ where, what: `${code}: message not in ${locale}`, input });
          error = {
            code: code === 'BAD_REQUEST' ? 'INVALID_INPUT' : code,
            message: '',
            params: {},
            fields: [],
          };
        } catch {
          error = { code: 'NOT_JSON', message: body.slice(0, 80), params: {}, fields: [] };
        }
      }
      for (const what of judgeAnswer(
        status,
        body,
        locale,
        error ? { ...error, message: translateIfKnown(error.code, locale) } : null,
      ))
        problems.push({ where, what, input });
      return error;
    };

    for (const [index, route] of API_V1_ROUTES.entries()) {
      const samples = fc.sample(
        fc.tuple(
          fc.oneof(
            { weight: 3, arbitrary: arbitraryOfSchema(route.input, ids) },
            { weight: 1, arbitrary: hostileValue() },
          ),
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...ids) },
            { weight: 1, arbitrary: fc.constantFrom('not-a-uuid', '..%2f..%2fetc', '%00', '') },
          ),
          fc.constantFrom<'zh-CN' | 'en'>('zh-CN', 'en'),
        ),
        { numRuns: RUNS, seed: SEED + 1000 + index },
      );
      for (const [input, id, locale] of samples) {
        const path = route.path.replace('{id}', encodeURIComponent(id));
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-locale': locale };
        let url = `http://localhost:3000${path}`;
        let body: string | undefined;
        if (route.method === 'GET') url += `?${queryOf(input)}`;
        else {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(input ?? null);
        }
        await writesSinceLastLook();
        const response = await server.app.request(url, { method: route.method, headers, body });
        const text = await response.text();
        const error = judgeProblem(`api/v1 ${route.id}`, response.status, text, locale, { path, input });
        const writes = await writesSinceLastLook();
        if (error && writes.length > 0)
          problems.push({
            where: `api/v1 ${route.id}`,
            what: `refused (${error.code}) but wrote ${[...new Set(writes.map((write) => write.table))].join(', ')}`,
            input,
          });
        if (writes.some((write) => write.tenantId === victim.tenantId))
          problems.push({ where: `api/v1 ${route.id}`, what: "wrote another tenant's rows", input });
        if (VICTIM_NAMES.some((name) => text.includes(name)))
          problems.push({ where: `api/v1 ${route.id}`, what: "another tenant's data in the answer", input });
      }
    }

    const cookie = await sessionCookie(server, tenant.users.owner.id, tenant.tenantId);
    for (const [index, route] of REST_ROUTES.entries()) {
      const samples = fc.sample(
        fc.tuple(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...ids) },
            {
              weight: 1,
              arbitrary: fc.constantFrom('not-a-uuid', '%00', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
            },
          ),
          fc.oneof(
            { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                new TextEncoder().encode('名称,电话\n"未闭合,\u0000\n'),
                new Uint8Array([0xff, 0xfe, 0x00, 0xd8]),
              ),
            },
          ),
          fc.constantFrom<'zh-CN' | 'en'>('zh-CN', 'en'),
        ),
        { numRuns: RUNS, seed: SEED + 2000 + index },
      );
      for (const [id, bytes, locale] of samples) {
        const path = route.path.replace(':id', encodeURIComponent(id));
        const headers: Record<string, string> = { cookie, origin: PUBLIC_URL, 'x-locale': locale };
        if ('contentType' in route) headers['content-type'] = route.contentType;
        if (route.method === 'POST') headers['x-file-name'] = encodeURIComponent('模糊.csv');
        await writesSinceLastLook();
        const response = await server.app.request(`http://localhost:3000${path}`, {
          method: route.method,
          headers,
          body: route.method === 'POST' ? bytes : undefined,
        });
        const contentType = response.headers.get('content-type') ?? '';
        const text = contentType.includes('json') || response.status >= 400 ? await response.text() : '';
        const error = judgeProblem(`rest ${route.id}`, response.status, text, locale, {
          path,
          bytes: bytes.length,
        });
        const writes = await writesSinceLastLook();
        if (error && writes.length > 0)
          problems.push({
            where: `rest ${route.id}`,
            what: `refused (${error.code}) but wrote ${[...new Set(writes.map((write) => write.table))].join(', ')}`,
            input: { path },
          });
        if (writes.some((write) => write.tenantId === victim.tenantId))
          problems.push({ where: `rest ${route.id}`, what: "wrote another tenant's rows", input: { path } });
      }
    }
    const after = await checksumOf(victim.tenantId);
    reportFirst(problems);
    console.log(
      `T5.8 fuzz (REST): api_v1_routes=${API_V1_ROUTES.length} rest_routes=${REST_ROUTES.length} runs_per_route=${RUNS} calls=${counts.calls} refused=${counts.refused} 5xx=${counts.status5xx} problems=${problems.length} unhandled_rejections=${unhandled.length} other_tenant_changed=${after !== before}`,
    );
    expect(summarise(problems)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(after).toBe(before);
  }, 600_000);
});

/** A query string as an integration would send the input: arrays comma-joined, objects as JSON. */
function queryOf(input: unknown): string {
  const text = (value: unknown) =>
    value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return `q=${encodeURIComponent(text(input))}`;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (Array.isArray(value)) query.set(key, value.map(text).join(','));
    else query.set(key, text(value));
  }
  return query.toString();
}

function translateIfKnown(code: string, locale: 'zh-CN' | 'en'): string {
  return code in ERRORS ? translateError(code as keyof typeof ERRORS, locale) : '';
}
