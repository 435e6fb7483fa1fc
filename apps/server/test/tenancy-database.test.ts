import { type CrmDatabase, sql } from '@crm/db';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededTenant, seedTenant } from './helpers';
import { createCustomerIn } from './procedure-cases';

/**
 * SECURITY.md T2.1–T2.4, T2.6, T2.7 and T2.11, run as the runtime role (crm_app), on
 * whichever database the suite runs against.
 */
let testDatabase: TestDatabase;
let database: CrmDatabase;
let tenantA: SeededTenant;
let tenantB: SeededTenant;

/** Tables with no tenant_id by design: login identities and sessions (read before a tenant is known), the list of tenant ids that work for every tenant runs over, the statutory holiday schedule (the same for every tenant, read-only for crm_app), and the auth events of no tenant (insert-only for crm_app, read by none). */
const GLOBAL_TABLES = [
  'users',
  'sessions',
  'tenant_directory',
  'statutory_calendar_days',
  'login_rate_limits',
  'account_auth_events',
  'kysely_migration',
  'kysely_migration_lock',
];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = testDatabase.database;
  const server = { database } as Parameters<typeof createCustomerIn>[0];
  tenantA = await seedTenant(database, '甲');
  tenantB = await seedTenant(database, '乙');
  const customerA = await createCustomerIn(server, tenantA.tenantId, '甲的客户');
  await createCustomerIn(server, tenantB.tenantId, '乙的客户');
  // A placement of tenant A's customer (a row of customer_tiers, as a re-tier writes it).
  await database.withTenant(tenantA.tenantId, (trx) =>
    trx
      .insertInto('customer_tiers')
      .values({ tenant_id: tenantA.tenantId, customer_id: customerA, tier: 'b2b_key', explanation: '{}' })
      .execute(),
  );
});
afterAll(() => testDatabase.destroy());

async function tenantTables(): Promise<string[]> {
  return database.withScope({}, async (trx) => {
    const { rows } = await sql<{ table_name: string }>`
      select c.relname as table_name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and (c.relname = 'tenants' or exists (
          select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
      order by 1`.execute(trx);
    return rows.map((row) => row.table_name);
  });
}

describe('database-level tenant isolation', () => {
  it('T2.1 every tenant table has RLS ENABLE + FORCE and policies with USING and WITH CHECK', async () => {
    const tables = await tenantTables();
    const report = await database.withScope({}, async (trx) => {
      const { rows } = await sql<{
        relname: string;
        relrowsecurity: boolean;
        relforcerowsecurity: boolean;
        policies: number;
        checked: number;
      }>`
        select c.relname, c.relrowsecurity, c.relforcerowsecurity,
          (select count(*)::int from pg_policies p where p.tablename = c.relname and p.qual is not null) as policies,
          (select count(*)::int from pg_policies p where p.tablename = c.relname and p.with_check is not null) as checked
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')`.execute(trx);
      return rows;
    });
    const untracked = report.filter(
      (row) => !tables.includes(row.relname) && !GLOBAL_TABLES.includes(row.relname),
    );
    expect(untracked.map((row) => row.relname)).toEqual([]);
    const compliant = report.filter(
      (row) =>
        tables.includes(row.relname) &&
        row.relrowsecurity &&
        row.relforcerowsecurity &&
        row.policies > 0 &&
        row.checked > 0,
    );
    console.log(
      `T2.1 catalogue: tables=${tables.length} compliant=${compliant.length} allowlisted=${GLOBAL_TABLES.length}`,
    );
    expect(compliant.map((row) => row.relname).sort()).toEqual(tables);
    expect(tables).toEqual(expect.arrayContaining(['customers', 'invitations', 'memberships', 'tenants']));
  });

  it('keys: tenant_id first in every tenant primary key, unique constraint and foreign key between tenant tables', async () => {
    const tables = await tenantTables();
    const constraints = await database.withScope({}, async (trx) => {
      const { rows } = await sql<{
        table_name: string;
        name: string;
        type: string;
        first_column: string;
        referenced: string | null;
      }>`
        select c.relname as table_name, con.conname as name, con.contype as type,
          (select attname from pg_attribute where attrelid = con.conrelid and attnum = con.conkey[1]) as first_column,
          ref.relname as referenced
        from pg_constraint con join pg_class c on c.oid = con.conrelid
        left join pg_class ref on ref.oid = con.confrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and con.contype in ('p', 'u', 'f')`.execute(trx);
      return rows;
    });
    const violations = constraints.filter((constraint) => {
      if (!tables.includes(constraint.table_name) || constraint.table_name === 'tenants') return false;
      if (constraint.type === 'f' && !tables.includes(constraint.referenced ?? '')) return false;
      return constraint.first_column !== 'tenant_id';
    });
    expect(violations).toEqual([]);
  });

  it('T2.3 with no tenant set, the runtime role sees no row of any tenant table', async () => {
    const tables = await tenantTables();
    const visible = await database.withScope({}, async (trx) => {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const { rows } = await sql<{
          count: number;
        }>`select count(*)::int as count from ${sql.table(table)}`.execute(trx);
        counts[table] = rows[0]?.count ?? -1;
      }
      return counts;
    });
    console.log(
      `T2.3 no context: tables=${tables.length} rows_visible=${Object.values(visible).reduce((a, b) => a + b, 0)}`,
    );
    expect(Object.values(visible).every((count) => count === 0)).toBe(true);
    // ...while with a tenant set, that tenant's rows are there (the check above can fail).
    const own = await database.withTenant(tenantA.tenantId, (trx) =>
      trx.selectFrom('customers').select('id').execute(),
    );
    expect(own.length).toBe(1);
  });

  it('T2.4 WITH CHECK refuses writing a row into another tenant, on every tenant table', async () => {
    const attempts: [
      string,
      (trx: Parameters<Parameters<CrmDatabase['withTenant']>[1]>[0]) => Promise<unknown>,
    ][] = [
      [
        'customers insert',
        (trx) =>
          trx
            .insertInto('customers')
            .values({ tenant_id: tenantB.tenantId, name: 'x', kind: 'person' })
            .execute(),
      ],
      [
        'customers update',
        (trx) => trx.updateTable('customers').set({ tenant_id: tenantB.tenantId }).execute(),
      ],
      [
        'customer_tiers insert',
        (trx) =>
          trx
            .insertInto('customer_tiers')
            .values({
              tenant_id: tenantB.tenantId,
              customer_id: crypto.randomUUID(),
              tier: 'b2b_key',
              explanation: '{}',
            })
            .execute(),
      ],
      [
        'customer_tiers update',
        (trx) => trx.updateTable('customer_tiers').set({ tenant_id: tenantB.tenantId }).execute(),
      ],
      [
        'memberships insert',
        (trx) =>
          trx
            .insertInto('memberships')
            .values({ tenant_id: tenantB.tenantId, user_id: tenantA.users.owner.id, role: 'owner' })
            .execute(),
      ],
      [
        'memberships update',
        (trx) => trx.updateTable('memberships').set({ tenant_id: tenantB.tenantId }).execute(),
      ],
      [
        'invitations insert',
        (trx) =>
          trx
            .insertInto('invitations')
            .values({
              tenant_id: tenantB.tenantId,
              role: 'admin',
              secret_hash: new Uint8Array(32),
              invited_by: tenantA.users.owner.id,
              expires_at: new Date(),
            })
            .execute(),
      ],
      [
        'tenants insert',
        (trx) =>
          trx.insertInto('tenants').values({ id: crypto.randomUUID(), name: 'x', industry: 'b2b' }).execute(),
      ],
      ['tenants update', (trx) => trx.updateTable('tenants').set({ id: tenantB.tenantId }).execute()],
    ];
    let accepted = 0;
    for (const [name, attempt] of attempts) {
      const outcome = await database.withTenant(tenantA.tenantId, attempt).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
      if (outcome === 'accepted') accepted += 1;
      else expect(outcome, name).toMatch(/row-level security|violates|duplicate key/);
    }
    console.log(`T2.4 WITH CHECK: tried=${attempts.length} accepted=${accepted}`);
    expect(accepted).toBe(0);
  });

  it('T2.6 no view without security_invoker and no SECURITY DEFINER function in the schema', async () => {
    const found = await database.withScope({}, async (trx) => {
      const { rows } = await sql<{ name: string }>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('v', 'm')
          and not coalesce(c.reloptions @> array['security_invoker=true'], false)
        union all
        select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.prosecdef`.execute(trx);
      return rows.map((row) => row.name);
    });
    console.log(`T2.6 bypass objects: count=${found.length}`);
    expect(found).toEqual([]);
  });

  it("T2.7 a composite foreign key refuses pointing at another tenant's row", async () => {
    const outcome = await database
      .withTenant(tenantA.tenantId, (trx) =>
        trx
          .insertInto('customers')
          .values({
            tenant_id: tenantA.tenantId,
            name: 'x',
            kind: 'person',
            owner_user_id: tenantB.users.sales_rep.id,
          })
          .execute(),
      )
      .then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    expect(outcome).toMatch(/foreign key/);
  });

  it('T2.2 / T2.11 the runtime role cannot escape its tenant (exception on embedded PGlite, SECURITY.md finding 2)', async () => {
    const escapes = [
      'reset role',
      'set role crm_owner',
      'set role postgres',
      'set session authorization postgres',
      'alter table customers no force row level security',
    ];
    let succeeded = 0;
    for (const statement of escapes) {
      const outcome = await database
        .withTenant(tenantA.tenantId, async (trx) => {
          await sql.raw(statement).execute(trx);
          const { rows } = await sql<{ count: number }>`select count(*)::int as count from customers`.execute(
            trx,
          );
          return rows[0]?.count ?? 0;
        })
        .then(
          (count) => count,
          () => -1,
        );
      // Success means the statement ran and more than tenant A's one customer became visible, or the table changed.
      if (outcome > 1 || (outcome >= 0 && statement.startsWith('alter'))) succeeded += 1;
    }
    console.log(`T2.11 containment on ${testDatabase.kind}: tried=${escapes.length} succeeded=${succeeded}`);
    if (testDatabase.kind === 'postgres') {
      expect(succeeded).toBe(0);
      const admin = postgres(testDatabase.adminUrl ?? '', { max: 1, onnotice: () => {} });
      try {
        const [role] = await admin`select rolsuper, rolbypassrls from pg_roles where rolname = 'crm_app'`;
        expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
        const [force] = await admin`select relforcerowsecurity from pg_class where relname = 'customers'`;
        expect(force?.relforcerowsecurity).toBe(true);
      } finally {
        await admin.end();
      }
    } else {
      // Documented: PGlite's one session is a superuser, so SQL sent on it can leave the app role.
      expect(succeeded).toBeGreaterThan(0);
    }
  });
});
