import { type Kysely, sql } from 'kysely';

/*
 * Sensitive fields: per-tenant data keys wrapped by the master key, encrypted values with
 * blind indexes. Plaintext never reaches the database: values are encrypted by the
 * application (AES-256-GCM), and what a list or an audit entry shows is the stored hint
 * (last four characters). Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['tenant_data_keys', 'tenant_index_keys', 'customer_secrets'];

const statements: string[] = [
  // One row per version of a tenant's data key (DEK), wrapped by the master key (KEK).
  // `encryptions` counts the values stored under the version (kept by a trigger below), so
  // the key is rotated long before GCM's random-nonce limit of 2^32.
  `create table tenant_data_keys (
     tenant_id uuid not null references tenants (id) on delete cascade,
     version integer not null check (version > 0),
     wrapped_key text not null,
     kek_id text not null check (kek_id ~ '^[0-9a-f]{16}$'),
     created_at timestamptz not null default now(),
     retired_at timestamptz,
     encryptions bigint not null default 0 check (encryptions >= 0),
     primary key (tenant_id, version)
   )`,
  // The tenant's blind-index key: unchanged when the data key rotates, so index values stay
  // valid; wrapped by the master key like the data keys.
  `create table tenant_index_keys (
     tenant_id uuid not null references tenants (id) on delete cascade,
     version integer not null default 1 check (version > 0),
     wrapped_key text not null,
     kek_id text not null check (kek_id ~ '^[0-9a-f]{16}$'),
     created_at timestamptz not null default now(),
     primary key (tenant_id, version)
   )`,
  `create table customer_secrets (
     tenant_id uuid not null,
     customer_id uuid not null,
     field text not null check (field in ('national_id', 'bank_card') or field ~ '^custom:[a-z][a-z0-9_]{0,39}$'),
     ciphertext text not null check (ciphertext ~ '^v1:[0-9]+:[A-Za-z0-9_-]+$'),
     key_version integer not null,
     blind_index text not null check (blind_index ~ '^[0-9a-f]{8,64}$'),
     hint text not null check (length(hint) <= 4),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, customer_id, field),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, key_version) references tenant_data_keys (tenant_id, version)
   )`,
  `create index customer_secrets_blind_idx on customer_secrets (tenant_id, field, blind_index)`,
  `create index customer_secrets_version_idx on customer_secrets (tenant_id, key_version)`,

  // Counts stored encryptions per key version, whatever path wrote them (procedures, import,
  // re-encryption), in one statement per write statement.
  `create function count_encryptions() returns trigger language plpgsql as $$
     begin
       update tenant_data_keys k set encryptions = k.encryptions + c.n
       from (select n.tenant_id, n.key_version, count(*) as n from new_rows n group by 1, 2) c
       where k.tenant_id = c.tenant_id and k.version = c.key_version;
       return null;
     end $$`,
  `create trigger customer_secrets_count_insert after insert on customer_secrets
     referencing new table as new_rows for each statement execute function count_encryptions()`,
  `create trigger customer_secrets_count_update after update on customer_secrets
     referencing new table as new_rows for each statement execute function count_encryptions()`,

  // Only free text can be sensitive (a number, date or choice has nothing to mask).
  `alter table custom_field_definitions
     add column sensitive boolean not null default false,
     add constraint custom_field_definitions_sensitive_text check (not sensitive or type = 'text')`,

  // Revealing a sensitive value is an audited event: which field of which customer, by whom
  // and when — never the value.
  `alter table audit_log drop constraint audit_log_action_check,
     add constraint audit_log_action_check check (action in ('create', 'update', 'delete', 'reveal'))`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  // Keys are never deleted by the application: a data key is retired after re-encryption,
  // and its wrapped form is rewritten only when the master key rotates.
  `grant select, insert on tenant_data_keys, tenant_index_keys to crm_app`,
  `grant update (wrapped_key, kek_id, retired_at, encryptions) on tenant_data_keys to crm_app`,
  `grant update (wrapped_key, kek_id) on tenant_index_keys to crm_app`,
  `grant select, insert, update, delete on customer_secrets to crm_app`,
  // Re-encryption after a data key rotation, tenant by tenant (also run by `pnpm keys:rotate`).
  `select pgboss.create_queue('sensitive.reencrypt-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
