import { type Kysely, sql } from 'kysely';

/**
 * Tables that are not a tenant's: shared by every tenant (users sign in to several tenants,
 * the statutory holiday calendar is the State Council's) or kept by the system. On a
 * sharded cluster (Citus) these become reference tables, copied to every node; every
 * other table is distributed by `tenant_id`.
 */
export const REFERENCE_TABLES: readonly string[] = [
  'kysely_migration',
  'kysely_migration_lock',
  'users',
  'sessions',
  'tenants',
  'tenant_directory',
  'statutory_calendar_days',
  'login_rate_limits',
  'account_auth_events',
];

/**
 * T2.10, readiness to distribute by tenant (Citus): every table is either a tenant's (it has
 * `tenant_id`) or a listed reference table; on a tenant's table every primary key, unique
 * constraint and unique index includes `tenant_id`, and every foreign key to another tenant
 * table carries `tenant_id` on both sides (rows of one tenant only ever point at rows of the
 * same tenant, on the same node); no reference table points at a tenant table. What breaks
 * one of these rules, one line each; empty when the schema is ready.
 */
export async function distributionViolations(
  db: Kysely<unknown>,
  schema = 'public',
  referenceTables: readonly string[] = REFERENCE_TABLES,
): Promise<string[]> {
  const { rows: tables } = await sql<{ name: string; tenant_attnum: number | null; partition: boolean }>`
    select c.relname as name, a.attnum as tenant_attnum, c.relispartition as partition
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = ${schema} and c.relkind in ('r', 'p')
    order by c.relname`.execute(db);
  const violations: string[] = [];
  const tenantTables = new Set(tables.filter((t) => t.tenant_attnum !== null).map((t) => t.name));
  const reference = new Set(referenceTables);
  for (const table of tables) {
    if (table.partition) continue;
    if (table.tenant_attnum === null && !reference.has(table.name)) {
      violations.push(`${table.name}: no tenant_id, and not a listed reference table`);
    }
    if (table.tenant_attnum !== null && reference.has(table.name)) {
      violations.push(`${table.name}: listed as a reference table but has tenant_id`);
    }
  }
  for (const name of referenceTables) {
    if (!tables.some((table) => table.name === name))
      violations.push(`${name}: listed as a reference table but missing`);
  }

  // Keys and unique indexes of tenant tables that leave tenant_id out.
  const { rows: uniques } = await sql<{ table_name: string; index_name: string; has_tenant: boolean }>`
    select c.relname as table_name, i.relname as index_name,
      exists (select 1 from unnest(x.indkey) k where k = a.attnum) as has_tenant
    from pg_index x
    join pg_class c on c.oid = x.indrelid
    join pg_class i on i.oid = x.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = ${schema} and x.indisunique and not c.relispartition
    order by c.relname, i.relname`.execute(db);
  for (const row of uniques) {
    if (!row.has_tenant)
      violations.push(`${row.table_name}: unique index ${row.index_name} leaves out tenant_id`);
  }

  // Foreign keys: tenant → tenant with tenant_id on both sides; never reference → tenant.
  const { rows: foreign } = await sql<{
    table_name: string;
    constraint_name: string;
    target: string;
    carries_tenant: boolean;
  }>`
    select c.relname as table_name, k.conname as constraint_name, t.relname as target,
      exists (
        select 1 from unnest(k.conkey, k.confkey) as pair(local, remote)
        join pg_attribute la on la.attrelid = k.conrelid and la.attnum = pair.local
        join pg_attribute ra on ra.attrelid = k.confrelid and ra.attnum = pair.remote
        where la.attname = 'tenant_id' and ra.attname = 'tenant_id'
      ) as carries_tenant
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class t on t.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and k.contype = 'f' and not c.relispartition
    order by c.relname, k.conname`.execute(db);
  for (const row of foreign) {
    const fromTenant = tenantTables.has(row.table_name);
    const toTenant = tenantTables.has(row.target);
    if (fromTenant && toTenant && !row.carries_tenant) {
      violations.push(
        `${row.table_name}: foreign key ${row.constraint_name} to ${row.target} leaves out tenant_id`,
      );
    }
    if (!fromTenant && toTenant) {
      violations.push(
        `${row.table_name}: reference table points at tenant table ${row.target} (${row.constraint_name})`,
      );
    }
  }
  return violations;
}
