import { distributionViolations, type Kysely, sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from './helpers';

/**
 * T2.10 as a catalogue lint: the schema can be distributed by tenant_id (Citus) as it is —
 * every table a tenant's or a listed reference table, tenant_id in every key, unique index
 * and foreign key between tenant tables. A new table that breaks a rule fails here.
 */
let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.destroy());

describe('distribution by tenant (T2.10)', () => {
  it('the schema breaks none of the rules', async () => {
    const violations = await server.database.withScope({}, (trx) =>
      distributionViolations(trx as unknown as Kysely<unknown>),
    );
    expect(violations).toEqual([]);
  });

  it('finds each kind of violation planted in a scratch schema', async () => {
    // Planted as temporary tables: the runtime role may create those, in its own schema.
    const violations = await server.database.withScope({}, async (trx) => {
      for (const statement of [
        'create temp table accounts (id uuid primary key, email text) on commit drop',
        `create temp table widgets (tenant_id uuid not null, id uuid not null, code text,
           primary key (tenant_id, id)) on commit drop`,
        // A primary key without tenant_id.
        'create temp table gadgets (tenant_id uuid not null, id uuid primary key) on commit drop',
        // A unique index without tenant_id.
        'create unique index widgets_code_idx on widgets (code)',
        // A foreign key between tenant tables that leaves tenant_id out.
        `create temp table parts (tenant_id uuid not null, id uuid not null, gadget_id uuid references gadgets (id),
           primary key (tenant_id, id)) on commit drop`,
        // A reference table pointing at a tenant table.
        `alter table accounts add column widget_tenant uuid, add column widget_id uuid,
           add foreign key (widget_tenant, widget_id) references widgets (tenant_id, id)`,
      ]) {
        await sql.raw(statement).execute(trx);
      }
      const { rows } = await sql<{ name: string }>`
        select nspname as name from pg_namespace where oid = pg_my_temp_schema()`.execute(trx);
      return distributionViolations(trx as unknown as Kysely<unknown>, rows[0]?.name ?? '', [
        'accounts',
        'ghosts',
      ]);
    });
    expect(violations.sort()).toEqual(
      [
        'ghosts: listed as a reference table but missing',
        'gadgets: unique index gadgets_pkey leaves out tenant_id',
        'widgets: unique index widgets_code_idx leaves out tenant_id',
        'parts: foreign key parts_gadget_id_fkey to gadgets leaves out tenant_id',
        'accounts: reference table points at tenant table widgets (accounts_widget_tenant_widget_id_fkey)',
      ].sort(),
    );
  });
});
