import { listProcedures } from '@crm/api';
import { ROLES } from '@crm/db';
import { seedDemoData } from '@crm/db/seed';
import { testAdminUrl } from '@crm/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  testPasswordHash,
} from './helpers';
import { PROCEDURE_CASES } from './procedure-cases';

/**
 * SECURITY.md T2.8: a per-table isolation harness run as the runtime role (crm_app) — own rows
 * only, nothing without a tenant, a user's own memberships only, a row never moved or written
 * into another tenant, RLS enabled and forced — and its mutation check: each tenant table's
 * row-level security is broken on purpose in turn (RLS disabled, FORCE dropped, each policy's
 * USING or WITH CHECK made `true`, each policy dropped) and the harness must fail on every
 * mutant. Each mutant lives in one transaction of the administrator's that is rolled back, so
 * the database is never left broken. PostgreSQL server only (PGlite has no second role to
 * connect as).
 */
const adminUrl = testAdminUrl();
let server: TestServer;
let admin: ReturnType<typeof postgres>;
let tenantA: SeededTenant;
let outsider: SeededTenant;
/** Tenant B: a copy of every row of A's under another tenant id. */
const tenantB = crypto.randomUUID();
type Table = {
  name: string;
  column: 'tenant_id' | 'id';
  rowsOfA: number;
  canInsert: boolean;
  canUpdate: boolean;
};
let tables: Table[] = [];
type Policy = { table: string; name: string; hasCheck: boolean; qual: string | null };
let policies: Policy[] = [];

beforeAll(async () => {
  if (!adminUrl) return;
  server = await createTestServer();
  // A: a demo tenant (what `pnpm start` seeds: rows in many tables)…
  const demo = await seedDemoData(server.database, await testPasswordHash(), 20, {
    plugins: server.dependencies.plugins.plugins,
  });
  const demoTenant = demo.tenants.find((tenant) => tenant.industry === 'b2b') ?? demo.tenants[0];
  if (!demoTenant) throw new Error('no demo tenant');
  tenantA = await demoMembers(demoTenant.id, demoTenant.name);
  outsider = await seedTenant(server.database, '变异测试丙');
  // …and every procedure's valid input made and called once by A's owner (rows in the
  // tables the demo leaves empty).
  const client = await signedInClient(server, tenantA.users.owner.id, tenantA.tenantId);
  for (const procedure of listProcedures()) {
    const procedureCase = PROCEDURE_CASES[procedure.path];
    if (!procedureCase || /^(auth|tenants)\.|members\.(remove|changeRole|leave)/.test(procedure.path))
      continue;
    const input = await procedureCase.input({
      server,
      tenant: tenantA,
      role: 'owner',
      actor: tenantA.users.owner,
    });
    await client.call(procedure.path, input);
  }
  admin = postgres(server.testDatabase.adminUrl as string, { max: 1, onnotice: () => undefined });
  const catalogue = await admin<
    { name: string; column: 'tenant_id' | 'id'; insert: boolean; update: boolean }[]
  >`
    select c.relname as name, case when c.relname = 'tenants' then 'id' else 'tenant_id' end as column,
      has_table_privilege('crm_app', c.oid, 'INSERT') as insert,
      has_table_privilege('crm_app', c.oid, 'UPDATE') as update
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and (c.relname = 'tenants' or exists (select 1 from pg_attribute a
        where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
    order by 1`;
  // Tables the product left empty for A get one plain row each, written as the administrator
  // with foreign key checks off: the harness needs a row of A's in every table.
  const synthesized = await admin.begin(async (trx) => {
    await trx`set local session_replication_role = replica`;
    let written = 0;
    for (const table of catalogue) {
      const [present] = await trx.unsafe<{ rows: number }[]>(
        `select count(*)::int as rows from ${table.name} where ${table.column} = '${tenantA.tenantId}'`,
      );
      if ((present?.rows ?? 0) > 0) continue;
      const columns = await trx<{ name: string; type: string; enumLabel: string | null }[]>`
        select a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
          (select e.enumlabel from pg_enum e where e.enumtypid = a.atttypid order by e.enumsortorder limit 1) as "enumLabel"
        from pg_attribute a
        where a.attrelid = ${table.name}::regclass and a.attnum > 0 and not a.attisdropped
          and a.attgenerated = '' and a.attidentity = '' and a.attnotnull and not a.atthasdef
        order by a.attnum`;
      const checks = (
        await trx<{ definition: string }[]>`
          select pg_get_constraintdef(oid) as definition from pg_constraint
          where conrelid = ${table.name}::regclass and contype = 'c'`
      ).map((check) => check.definition);
      // A CHECK's first allowed value, or a text of its exact length.
      const allowed = (name: string) => {
        for (const check of checks) {
          const listed = new RegExp(`\\(${name} = ANY \\(ARRAY\\['([^']+)'`).exec(check);
          if (listed) return `'${listed[1]}'`;
          const length = new RegExp(`length\\(${name}\\) = (\\d+)`).exec(check);
          if (length) return `'${'x'.repeat(Number(length[1]))}'`;
        }
        return null;
      };
      const values = columns.map((column) => {
        if (column.name === table.column) return `'${tenantA.tenantId}'::uuid`;
        const fromCheck = allowed(column.name);
        if (fromCheck) return fromCheck;
        if (column.enumLabel !== null) return `'${column.enumLabel}'`;
        if (column.type.endsWith('[]')) return `'{}'`;
        if (column.type === 'uuid') return `'${crypto.randomUUID()}'::uuid`;
        if (/^(integer|bigint|smallint|numeric|real|double)/.test(column.type)) return '1';
        if (column.type === 'boolean') return 'false';
        if (column.type.startsWith('timestamp')) return 'now()';
        if (column.type === 'date') return 'current_date';
        if (column.type.startsWith('json')) return `'{}'`;
        if (column.type === 'bytea') return `'\\x00'::bytea`;
        return `'x'`;
      });
      const list = columns.map((column) => `"${column.name}"`).join(', ');
      const statement = columns.some((column) => column.name === table.column)
        ? `insert into ${table.name} (${list}) values (${values.join(', ')})`
        : `insert into ${table.name} (${table.column}${list ? `, ${list}` : ''}) values ('${tenantA.tenantId}'${values.length ? `, ${values.join(', ')}` : ''})`;
      if ((await attempt(trx, statement)) === null) written += 1;
    }
    return written;
  });
  console.log(`tables given a synthetic row of A's: ${synthesized}`);
  // B = A's rows under B's id, copied as the administrator with triggers and foreign key
  // checks off (every key starts with tenant_id, so the same ids do not collide).
  await admin.begin(async (trx) => {
    await trx`set local session_replication_role = replica`;
    for (const table of catalogue) {
      const columns = await trx<{ name: string; always: boolean }[]>`
        select attname as name, attidentity = 'a' as always from pg_attribute
        where attrelid = ${table.name}::regclass and attnum > 0 and not attisdropped and attgenerated = ''
        order by attnum`;
      const list = columns.map((column) => `"${column.name}"`).join(', ');
      const values = columns
        .map((column) => (column.name === table.column ? `'${tenantB}'::uuid` : `"${column.name}"`))
        .join(', ');
      const overriding = columns.some((column) => column.always) ? 'overriding system value' : '';
      await trx.unsafe(
        `insert into ${table.name} (${list}) ${overriding} select ${values} from ${table.name} where ${table.column} = '${tenantA.tenantId}'`,
      );
    }
  });
  const counts = await admin.unsafe<{ name: string; rows: number }[]>(
    catalogue
      .map(
        (table) =>
          `select '${table.name}' as name, count(*)::int as rows from ${table.name} where ${table.column} = '${tenantA.tenantId}'`,
      )
      .join(' union all '),
  );
  tables = catalogue.map((table) => ({
    name: table.name,
    column: table.column,
    rowsOfA: counts.find((count) => count.name === table.name)?.rows ?? 0,
    canInsert: table.insert,
    canUpdate: table.update,
  }));
  policies = (
    await admin<{ table: string; name: string; check: string | null; qual: string | null }[]>`
      select tablename as table, policyname as name, with_check as check, qual from pg_policies
      where schemaname = 'public' order by tablename, policyname`
  ).map((policy) => ({
    table: policy.table,
    name: policy.name,
    hasCheck: policy.check !== null,
    qual: policy.qual,
  }));
}, 600_000);
afterAll(async () => {
  if (!adminUrl) return;
  await admin?.end();
  await server?.destroy();
});

type Sql = postgres.TransactionSql;

/** A demo tenant as a SeededTenant: one member of each role. */
async function demoMembers(tenantId: string, name: string): Promise<SeededTenant> {
  const rows = await server.database.withTenant(tenantId, (trx) =>
    trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.email', 'users.name', 'memberships.role'])
      .execute(),
  );
  const users = {} as SeededTenant['users'];
  for (const row of rows) users[row.role] ??= { id: row.id, email: row.email, name: row.name };
  // A role the demo tenant has nobody in is played by its owner (cases only name members).
  for (const role of ROLES) users[role] ??= users.owner;
  if (!users.owner) throw new Error('demo tenant has no owner');
  return { tenantId, name, users };
}

/** Runs a statement in a savepoint; its error message, or null when it ran. */
async function attempt(trx: Sql, statement: string): Promise<string | null> {
  try {
    await trx.savepoint((inner) => inner.unsafe(statement));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The harness: every check of one table, as crm_app, inside the administrator's transaction
 * (so it sees that transaction's mutant). Returns the checks that failed.
 */
async function harness(trx: Sql, table: Table): Promise<string[]> {
  const failed: string[] = [];
  const [flags] = await trx<{ enabled: boolean; forced: boolean }[]>`
    select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where oid = ${table.name}::regclass`;
  if (!flags?.enabled || !flags.forced) failed.push('catalogue: RLS enabled and forced');
  await trx.unsafe('set local role crm_app');
  const scope = async (tenantId: string, userId: string) =>
    trx`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true)`;

  // The tenant alone: a member's own memberships elsewhere (B's copies) are the user policy's,
  // checked below.
  await scope(tenantA.tenantId, '');
  const [own] = await trx.unsafe<{ all: number; foreign: number }[]>(
    `select count(*)::int as all, count(*) filter (where ${table.column} <> '${tenantA.tenantId}')::int as foreign from ${table.name}`,
  );
  if (own?.foreign !== 0) failed.push(`own context: ${own?.foreign} rows of other tenants visible`);
  if (own?.all !== table.rowsOfA)
    failed.push(`own context: ${own?.all} of ${table.rowsOfA} own rows visible`);

  await scope('', '');
  const [none] = await trx.unsafe<{ all: number }[]>(`select count(*)::int as all from ${table.name}`);
  if (none?.all !== 0) failed.push(`no context: ${none?.all} rows visible`);

  // A user before choosing a tenant sees their own memberships and tenants, nothing else.
  await scope('', outsider.users.owner.id);
  const [user] = await trx.unsafe<{ all: number }[]>(`select count(*)::int as all from ${table.name}`);
  const expected = table.name === 'memberships' || table.name === 'tenants' ? 1 : 0;
  if (user?.all !== expected) failed.push(`user context: ${user?.all} rows visible, not ${expected}`);

  // Writing a row into another tenant, or moving one there, is refused by a policy (or was
  // never granted).
  await scope(tenantA.tenantId, '');
  const refused = (message: string | null) =>
    message !== null && /row-level security|permission denied/.test(message);
  if (table.rowsOfA > 0) {
    const elsewhere = crypto.randomUUID();
    const columns = await trx<{ name: string }[]>`
      select attname as name from pg_attribute
      where attrelid = ${table.name}::regclass and attnum > 0 and not attisdropped and attgenerated = '' and attidentity = ''
      order by attnum`;
    const list = columns.map((column) => `"${column.name}"`).join(', ');
    const values = columns
      .map((column) => (column.name === table.column ? `'${elsewhere}'::uuid` : `"${column.name}"`))
      .join(', ');
    const insert = await attempt(
      trx,
      `insert into ${table.name} (${list}) select ${values} from ${table.name} limit 1`,
    );
    if (!refused(insert)) failed.push(`insert into another tenant: ${insert ?? 'accepted'}`);
    const update = await attempt(
      trx,
      `update ${table.name} set ${table.column} = '${elsewhere}' where ctid = (select ctid from ${table.name} limit 1)`,
    );
    if (!refused(update)) failed.push(`move to another tenant: ${update ?? 'accepted'}`);
  }
  await trx.unsafe('reset role');
  return failed;
}

/** Runs `mutate` and the harness in one transaction that is always rolled back. */
async function underMutant(mutate: string, table: Table): Promise<string[]> {
  let failed: string[] = [];
  await admin
    .begin(async (trx) => {
      if (mutate) await trx.unsafe(mutate);
      failed = await harness(trx, table);
      throw new RolledBack();
    })
    .catch((error) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return failed;
}

class RolledBack extends Error {}

describe('row-level security mutants (T2.8)', () => {
  it.skipIf(!adminUrl)(
    'the isolation harness passes on every tenant table and fails on every broken policy',
    async () => {
      // The harness holds on the real schema.
      const unmutated: string[] = [];
      for (const table of tables) {
        const failed = await underMutant('', table);
        if (failed.length > 0) unmutated.push(`${table.name}: ${failed.join('; ')}`);
      }
      expect(unmutated).toEqual([]);
      const empty = tables.filter((table) => table.rowsOfA === 0).map((table) => table.name);

      const mutants: { table: Table; name: string; sql: string }[] = [];
      for (const table of tables) {
        mutants.push({
          table,
          name: 'disable RLS',
          sql: `alter table ${table.name} disable row level security`,
        });
        mutants.push({
          table,
          name: 'no FORCE',
          sql: `alter table ${table.name} no force row level security`,
        });
        for (const policy of policies.filter((candidate) => candidate.table === table.name)) {
          mutants.push({
            table,
            name: `${policy.name} USING true`,
            sql: `alter policy ${policy.name} on ${table.name} using (true)`,
          });
          mutants.push({
            table,
            name: `drop ${policy.name}`,
            sql: `drop policy ${policy.name} on ${table.name}`,
          });
          if (policy.hasCheck)
            mutants.push({
              table,
              name: `${policy.name} WITH CHECK true`,
              sql: `alter policy ${policy.name} on ${table.name} with check (true)`,
            });
        }
      }
      const survivors: string[] = [];
      for (const mutant of mutants) {
        const failed = await underMutant(mutant.sql, mutant.table);
        if (failed.length === 0) survivors.push(`${mutant.table.name}: ${mutant.name}`);
      }
      console.log(
        `T2.8 RLS mutants: tables=${tables.length} tables_without_rows=${empty.length} policies=${policies.length} policy_mutants_killed=${mutants.length - survivors.length}/${mutants.length}`,
      );
      expect(empty).toEqual([]);
      expect(survivors).toEqual([]);
    },
    600_000,
  );
});
