import { type Kysely, sql } from 'kysely';

/*
 * What a customer list needs beyond the profile: free tags and system tags (value level,
 * activity level, need type), tenant-defined custom fields, completeness (weighted key
 * fields per tenant), search that works for Chinese names and phone numbers, and saved
 * views. Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['tags', 'custom_field_definitions', 'saved_views'];

/** Key fields and their weights when a tenant has not chosen its own. */
const DEFAULT_COMPLETENESS_WEIGHTS = {
  phone: 3,
  contacts: 3,
  industry: 2,
  addresses: 2,
  explicit_needs: 2,
  email: 1,
  customer_number: 1,
  anniversary: 1,
  pain_points: 1,
  purchase_plan: 1,
};

const statements = [
  `alter table tenants
     add column value_high_amount numeric(16, 2) not null default 100000 check (value_high_amount > 0),
     add column value_mid_amount numeric(16, 2) not null default 30000 check (value_mid_amount > 0),
     add column activity_window_days integer not null default 90 check (activity_window_days between 7 and 730),
     add column activity_high_touches integer not null default 6 check (activity_high_touches between 1 and 1000),
     add column activity_mid_touches integer not null default 2 check (activity_mid_touches between 1 and 1000),
     add column completeness_weights jsonb not null default '${JSON.stringify(DEFAULT_COMPLETENESS_WEIGHTS)}'
       check (jsonb_typeof(completeness_weights) = 'object'),
     add constraint tenants_value_order check (value_mid_amount < value_high_amount),
     add constraint tenants_activity_order check (activity_mid_touches < activity_high_touches)`,

  `create table tags (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 30),
     color text not null default 'blue'
       check (color in ('blue', 'green', 'red', 'orange', 'gold', 'purple', 'cyan', 'magenta', 'gray')),
     description text check (length(description) <= 200),
     created_by uuid,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id)
   )`,
  `create unique index tags_name_key on tags (tenant_id, lower(name))`,

  `create table custom_field_definitions (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     key text not null check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
     label_zh text not null check (length(label_zh) between 1 and 50),
     label_en text not null check (length(label_en) between 1 and 50),
     type text not null check (type in ('text', 'number', 'money', 'date', 'enum', 'multi_enum', 'boolean')),
     options jsonb not null default '[]' check (jsonb_typeof(options) = 'array'),
     required boolean not null default false,
     position integer not null default 0,
     source text not null default 'tenant' check (source in ('tenant', 'plugin')),
     archived_at timestamptz,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, key)
   )`,

  // Search grams: runs of Chinese characters give every character and every pair of
  // neighbours (a two-character name like 张伟 has no trigram, so pg_trgm cannot index it);
  // runs of letters and digits give trigrams (a short run is kept whole), so the last
  // four digits of a phone number find it.
  `create function search_grams(doc text) returns text[] language sql immutable parallel safe as $$
     select coalesce(array_agg(distinct gram), '{}')
     from regexp_matches(lower(coalesce(doc, '')), '[\\u3400-\\u9fff\\uf900-\\ufaff]+|[a-z0-9]+', 'g') as run(parts)
     cross join lateral (
       select substr(parts[1], i, n) as gram
       from generate_series(1, length(parts[1])) as i,
            unnest(case when parts[1] ~ '^[a-z0-9]' then
                     case when length(parts[1]) < 3 then array[length(parts[1])] else array[3] end
                   else array[1, 2] end) as n
       where i + n - 1 <= length(parts[1])
     ) grams
   $$`,
  // The grams a query must all match: pairs for Chinese (one character alone), trigrams
  // for letters and digits. A run of one or two letters or digits is left out: it may be
  // the start of a longer word ('ning sp' → sports), which no gram of it would match.
  `create function search_query_grams(query text) returns text[] language sql immutable parallel safe as $$
     select coalesce(array_agg(distinct gram), '{}')
     from regexp_matches(lower(coalesce(query, '')), '[\\u3400-\\u9fff\\uf900-\\ufaff]+|[a-z0-9]+', 'g') as run(parts)
     cross join lateral (
       select substr(parts[1], i, n) as gram
       from generate_series(1, length(parts[1])) as i,
            (select case
               when parts[1] ~ '^[a-z0-9]' then least(length(parts[1]), 3)
               else least(length(parts[1]), 2) end) as size(n)
       where i + n - 1 <= length(parts[1])
         and not (parts[1] ~ '^[a-z0-9]' and length(parts[1]) < 3)
     ) grams
   $$`,

  `alter table customers
     add column tag_ids uuid[] not null default '{}' check (cardinality(tag_ids) <= 50),
     add column custom_fields jsonb not null default '{}' check (jsonb_typeof(custom_fields) = 'object'),
     add column need_type text check (need_type in ('product', 'service', 'both')),
     add column value_level text not null default 'low' check (value_level in ('high', 'mid', 'low')),
     add column activity_level text not null default 'low' check (activity_level in ('high', 'mid', 'low')),
     add column recent_touches integer not null default 0,
     add column completeness smallint not null default 0 check (completeness between 0 and 100),
     add column search_grams text[] generated always as (search_grams(
       name || ' ' || coalesce(phone, '') || ' ' || coalesce(email, '') || ' ' || coalesce(customer_number, ''))) stored`,
  // array_to_string is only stable in general (element types' output may depend on settings);
  // for text it is not, and generated columns need an immutable expression.
  `create function join_text(parts text[]) returns text language sql immutable parallel safe as $$
     select array_to_string(parts, ' ')
   $$`,
  `alter table contacts
     add column search_grams text[] generated always as (search_grams(
       name || ' ' || join_text(phones) || ' ' || join_text(emails))) stored`,
  `create index customers_tags_idx on customers using gin (tag_ids)`,
  `create index customers_search_idx on customers using gin (search_grams)`,
  `create index contacts_search_idx on contacts using gin (search_grams)`,
  `create index customers_owner_stage_idx on customers (tenant_id, owner_user_id, lifecycle_stage, amount_12m desc, id desc)`,
  `create index customers_completeness_idx on customers (tenant_id, completeness, id)`,

  `create function completeness_filled(value jsonb) returns boolean language sql immutable parallel safe as $$
     select value is not null and value not in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb)
   $$`,
  // A customer's completeness: the weighted share of the tenant's key fields that are
  // filled, and the keys still missing. 'contacts' counts for companies only; 'anniversary'
  // is a company's founding date or a person's birthday; 'custom:<key>' a custom field.
  `create function customer_completeness(doc jsonb, weights jsonb, contact_count integer,
       out score smallint, out missing text[])
     language sql immutable parallel safe as $$
       with keyed as (
         select key, value::numeric as weight,
           case
             when key = 'contacts' then case when doc ->> 'kind' = 'company' then contact_count > 0 end
             when key = 'anniversary' then completeness_filled(
               case when doc ->> 'kind' = 'company' then doc -> 'founded_on' else doc -> 'birthday' end)
             when key like 'custom:%' then completeness_filled(doc -> 'custom_fields' -> substr(key, 8))
             else completeness_filled(doc -> key)
           end as filled
         from jsonb_each_text(weights)
         where value::numeric > 0
       )
       select coalesce(round(100 * coalesce(sum(weight) filter (where filled), 0)
                / nullif(sum(weight) filter (where filled is not null), 0))::smallint, 100::smallint),
              coalesce(array_agg(key order by weight desc, key) filter (where not filled), '{}')
       from keyed
     $$`,

  `create table saved_views (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     owner_user_id uuid not null,
     name text not null check (length(name) between 1 and 50),
     shared boolean not null default false,
     query jsonb not null check (jsonb_typeof(query) = 'object'),
     columns text[] not null default '{}' check (cardinality(columns) <= 60),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, owner_user_id, name),
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id) on delete cascade
   )`,

  `alter table lifecycle_changes drop constraint lifecycle_changes_reason_check,
     add constraint lifecycle_changes_reason_check check (reason in ('order', 'daily', 'interaction', 'settings'))`,

  // The audit log leaves out derived and generated columns as before, and the new derived ones.
  `create or replace function audit_changes() returns trigger language plpgsql as $$
     declare
       ignored text[] := array['tenant_id', 'id', 'created_at', 'updated_at', 'first_deal_at', 'last_deal_at',
         'order_count', 'amount_12m', 'amount_lifetime', 'lifecycle_stage', 'lifecycle_changed_at',
         'value_level', 'activity_level', 'recent_touches', 'completeness', 'search_grams'];
       entity_name text := TG_ARGV[0];
     begin
       if TG_OP = 'INSERT' then
         insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
         select n.tenant_id, app_user_id(), entity_name, n.id,
                case when entity_name = 'customer' then n.id else (to_jsonb(n) ->> 'customer_id')::uuid end,
                'create', audit_diff(null, to_jsonb(n), ignored)
         from new_rows n;
       elsif TG_OP = 'UPDATE' then
         insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
         select n.tenant_id, app_user_id(), entity_name, n.id,
                case when entity_name = 'customer' then n.id else (to_jsonb(n) ->> 'customer_id')::uuid end,
                'update', d.changes
         from new_rows n
         join old_rows o on o.tenant_id = n.tenant_id and o.id = n.id
         cross join lateral (select audit_diff(to_jsonb(o), to_jsonb(n), ignored) as changes) d
         where d.changes <> '{}'::jsonb;
       else
         insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
         select o.tenant_id, app_user_id(), entity_name, o.id,
                case when entity_name = 'customer' then o.id else (to_jsonb(o) ->> 'customer_id')::uuid end,
                'delete', audit_diff(null, to_jsonb(o), ignored)
         from old_rows o;
       end if;
       return null;
     end $$`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on tags, custom_field_definitions, saved_views to crm_app`,

  // Completeness of the customers already there; the owner lifts FORCE for this backfill only.
  `alter table customers no force row level security`,
  `alter table contacts no force row level security`,
  `alter table tenants no force row level security`,
  `update customers c set completeness = s.score
     from (select x.tenant_id, x.id, cc.score
           from customers x
           join tenants t on t.id = x.tenant_id
           cross join lateral customer_completeness(to_jsonb(x), t.completeness_weights,
             (select count(*)::int from contacts k where k.tenant_id = x.tenant_id and k.customer_id = x.id)) cc) s
     where c.tenant_id = s.tenant_id and c.id = s.id`,
  `alter table customers force row level security`,
  `alter table contacts force row level security`,
  `alter table tenants force row level security`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The profile lists migration cannot be reverted.');
}
