import { type Kysely, sql } from 'kysely';

/*
 * Duplicates (查重): normalised match keys, candidate pairs and reversible merges.
 *
 * The crm_normalize_* functions are the SQL twins of packages/domain/src/dedup (a test runs
 * hundreds of inputs through both). They avoid anything that depends on the locale: NFKC,
 * then A–Z lowered with translate(), regular expressions over explicit code-point ranges.
 * `customer_match_keys` is kept by statement-level triggers on customers and contacts, so
 * every write path (procedures, bulk INSERT … SELECT of an import) keeps it current.
 * Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['customer_match_keys', 'duplicate_candidates', 'customer_merges', 'duplicate_scans'];

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** Letters and digits a name key keeps (packages/domain/src/dedup/text.ts NAME_CHARACTERS). */
const NAME_CHARACTERS = String.raw`0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af`;

const statements: string[] = [
  // ---- phone ---------------------------------------------------------------------------
  `create function crm_is_phone_key(digits text) returns boolean
     language sql immutable parallel safe strict as $$
       select digits ~ '^1[3-9][0-9]{9}$' or digits ~ '^0(10|2[0-9])[0-9]{8}$'
           or digits ~ '^0[3-9][0-9]{2}[0-9]{7,8}$' or digits ~ '^[48]00[0-9]{7}$'
     $$`,
  // Removes n digits from the front of the digit groups (a prefix may span groups).
  `create function crm_strip_digits(groups text[], n integer) returns text[]
     language plpgsql immutable parallel safe strict as $$
       declare remaining integer := n;
       begin
         while remaining > 0 and cardinality(groups) > 0 loop
           if length(groups[1]) <= remaining then
             remaining := remaining - length(groups[1]);
             groups := groups[2:];
           else
             groups[1] := substr(groups[1], remaining + 1);
             remaining := 0;
           end if;
         end loop;
         return groups;
       end $$`,
  String.raw`create function crm_normalize_phone_full(input text) returns text
     language plpgsql immutable parallel safe strict as $$
       declare
         t text;
         intl text;
         groups text[];
         rest text;
       begin
         t := translate(normalize(input, NFKC), '${UPPER}', '${LOWER}');
         t := regexp_replace(t, '([0-9])[ \t]*(转|分机|ext|x|#|,|;|/|、).*$', '\1');
         intl := substring(t from '^[^0-9+]*(\+|00)');
         groups := array_remove(regexp_split_to_array(t, '[^0-9]+'), '');
         if cardinality(groups) = 0 then
           return null;
         end if;
         if intl is not null then
           if intl = '00' then
             groups := crm_strip_digits(groups, 2);
           end if;
           if array_to_string(groups, '') like '86%' then
             groups := crm_strip_digits(groups, 2);
             rest := array_to_string(groups, '');
             if rest <> '' and rest !~ '^1[3-9][0-9]{9}$' and rest !~ '^0' then
               groups[1] := '0' || groups[1];
             end if;
           else
             rest := array_to_string(groups, '');
             return case when rest ~ '^[1-9][0-9]{6,14}$' then '+' || rest end;
           end if;
         elsif array_to_string(groups, '') ~ '^861[3-9][0-9]{9}$' then
           groups := crm_strip_digits(groups, 2);
         end if;
         rest := array_to_string(groups, '');
         if crm_is_phone_key(rest) then
           return rest;
         end if;
         if cardinality(groups) >= 2 then
           rest := array_to_string(groups[1:cardinality(groups) - 1], '');
           if crm_is_phone_key(rest) then
             return rest;
           end if;
         end if;
         return null;
       end $$`,

  // The forms the application stores (13812345678, 010-12345678) answer without the full
  // parse: an inlined SQL function (not STRICT, or the planner would not inline it), a
  // regular expression each. Same results (the agreement test runs both paths).
  `create function crm_normalize_phone(input text) returns text
     language sql immutable parallel safe as $$
       select case
         when input ~ '^1[3-9][0-9]{9}$' then input
         when input ~ '^0[0-9]{2,3}-[0-9]{7,8}$' and crm_is_phone_key(replace(input, '-', '')) then replace(input, '-', '')
         else crm_normalize_phone_full(input) end
     $$`,

  // ---- email ---------------------------------------------------------------------------
  String.raw`create function crm_normalize_email_full(input text) returns text
     language sql immutable parallel safe strict as $$
       select case when t ~ '^[^@]+@[^@.]+(\.[^@.]+)+$' then t end
       from (select regexp_replace(regexp_replace(translate(normalize(input, NFKC), '${UPPER}', '${LOWER}'),
               '[ \t\r\n]+', '', 'g'), '^mailto:', '') as t) x
     $$`,
  String.raw`create function crm_normalize_email(input text) returns text
     language sql immutable parallel safe as $$
       select case when input ~ '^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$' then input
         else crm_normalize_email_full(input) end
     $$`,

  // ---- person name ---------------------------------------------------------------------
  `create function crm_normalize_person_name(input text) returns text
     language sql immutable parallel safe as $$
       select case when input ~ '^[\u4e00-\u9fff]+$' then input else nullif(regexp_replace(translate(normalize(input, NFKC), '${UPPER}', '${LOWER}'),
         '[^${NAME_CHARACTERS}]', '', 'g'), '') end
     $$`,

  // ---- company name --------------------------------------------------------------------
  String.raw`create function crm_company_name_parts(input text, out key text, out branch boolean)
     language plpgsql immutable parallel safe as $$
       declare
         t text;
         previous text;
         without_brackets text;
         marker text;
         rest text;
         head text;
       begin
         branch := false;
         if input is null then
           return;
         end if;
         -- A name of Chinese characters only (most are) is left as it is by the steps up to the
         -- branch marker: they are skipped.
         if input ~ '^[\u4e00-\u9fff]+$' then
           t := input;
         else
         t := translate(normalize(input, NFKC), '${UPPER}', '${LOWER}');
         t := regexp_replace(t, '[【〔［｛{\[<《〈「『]', '(', 'g');
         t := regexp_replace(t, '[】〕］｝}\]>》〉」』]', ')', 'g');
         loop
           previous := t;
           t := regexp_replace(t, '(^|[^0-9a-z])(co\.?,?[ \t]*ltd|company[ \t]+limited|limited|ltd|incorporated|inc|corporation|corp|llc|gmbh|plc|company|co)[ \t.,]*$', '\1');
           exit when t = previous;
         end loop;
         t := regexp_replace(t, '[^${NAME_CHARACTERS}()]', '', 'g');
         t := regexp_replace(t, '^\(([^()]*)\)', '\1');
         without_brackets := regexp_replace(regexp_replace(t, '\([^()]*\)', '', 'g'), '[()]', '', 'g');
         t := case when without_brackets <> '' then without_brackets else regexp_replace(t, '[()]', '', 'g') end;
         end if;
         -- One regular expression each for the branch marker and the legal suffixes: at most
         -- one marker, and one suffix of each length, can end a name, so the leftmost match
         -- is the longest suffix that leaves something before it — what the TypeScript loop
         -- over the longest-first list picks.
         marker := substring(t from '.(分公司|营业部|办事处|代表处|分行|支行|分店|分厂)$');
         if marker is not null then
           branch := true;
           rest := left(t, length(t) - length(marker));
           head := substring(rest from '^(.*(公司|银行|集团|总行))');
           t := case when head is not null and length(head) < length(rest) then head else rest end;
         end if;
         loop
           previous := t;
           t := regexp_replace(t, '(.)(集团股份有限公司|集团有限责任公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团公司|总公司|公司|集团)$', '\1');
           exit when t = previous;
         end loop;
         key := nullif(t, '');
       end $$`,
  `create function crm_normalize_company_name(input text) returns text
     language sql immutable parallel safe strict as $$
       select (crm_company_name_parts(input)).key
     $$`,
  `create function crm_company_is_branch(input text) returns boolean
     language sql immutable parallel safe strict as $$
       select (crm_company_name_parts(input)).branch
     $$`,

  // ---- unified social credit code (GB 32100-2015) --------------------------------------
  String.raw`create function crm_normalize_credit_code(input text) returns text
     language plpgsql immutable parallel safe strict as $$
       declare
         code text;
         charset constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
         weights constant integer[] := array[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
         total integer := 0;
       begin
         code := translate(regexp_replace(normalize(input, NFKC), '[ \t\r\n-]+', '', 'g'), '${LOWER}', '${UPPER}');
         if code !~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' then
           return null;
         end if;
         for i in 1..17 loop
           total := total + (strpos(charset, substr(code, i, 1)) - 1) * weights[i];
         end loop;
         if substr(charset, (31 - total % 31) % 31 + 1, 1) <> substr(code, 18, 1) then
           return null;
         end if;
         return code;
       end $$`,

  `alter table customers
     add column credit_code text
       constraint customers_credit_code_valid
         check (credit_code is null or coalesce(credit_code = crm_normalize_credit_code(credit_code), false)),
     add column merged_into uuid`,
  `create index customers_merged_into_idx on customers (tenant_id, merged_into) where merged_into is not null`,

  // ---- match keys ----------------------------------------------------------------------
  // No foreign key to customers: a bulk import would pay a per-row check for every key; the
  // delete trigger below removes a deleted customer's keys instead.
  `create table customer_match_keys (
     tenant_id uuid not null,
     customer_id uuid not null,
     kind text not null check (kind in ('phone', 'email', 'credit_code', 'name')),
     value text not null check (length(value) between 1 and 400),
     branch boolean not null default false,
     primary key (tenant_id, kind, value, customer_id)
   )`,
  `create index customer_match_keys_customer_idx on customer_match_keys (tenant_id, customer_id)`,

  // The keys of customers given as (tenant, id) pairs, from their own fields and their
  // contacts' phones and emails. A merged customer (tombstone) has none. A person's name is
  // no key (thousands share 张伟): the scan compares person names only of pairs that share
  // another key.
  `create function customer_match_keys_build(tenant_ids uuid[], customer_ids uuid[])
     returns table (tenant_id uuid, customer_id uuid, kind text, value text, branch boolean)
     language sql stable as $$
       with wanted as (
         select distinct t.tenant_id, t.id from unnest(tenant_ids, customer_ids) as t (tenant_id, id)
       ),
       live as (
         select c.tenant_id, c.id, c.kind as customer_kind, c.name, c.phone, c.email, c.credit_code
         from customers c join wanted w on w.tenant_id = c.tenant_id and w.id = c.id
         where c.merged_into is null
       )
       select l.tenant_id, l.id, k.kind, k.value, k.branch
       from live l
       cross join lateral (
         select 'name'::text as kind, p.key as value, p.branch
           from crm_company_name_parts(l.name) p where l.customer_kind = 'company'
         union all select 'phone', crm_normalize_phone(l.phone), false
         union all select 'email', crm_normalize_email(l.email), false
         union all select 'credit_code', l.credit_code, false
       ) k
       where k.value is not null
       union all
       select l.tenant_id, l.id, x.kind, x.value, false
       from live l
       join contacts ct on ct.tenant_id = l.tenant_id and ct.customer_id = l.id
       cross join lateral (
         select 'phone'::text as kind, crm_normalize_phone(p) as value from unnest(ct.phones) p
         union all select 'email', crm_normalize_email(e) from unnest(ct.emails) e
       ) x
       where x.value is not null
     $$`,
  `create function customer_match_keys_rebuild(tenant_ids uuid[], customer_ids uuid[]) returns void
     language sql as $$
       delete from customer_match_keys m
       using unnest(tenant_ids, customer_ids) as t (tenant_id, id)
       where m.tenant_id = t.tenant_id and m.customer_id = t.id;
       insert into customer_match_keys (tenant_id, customer_id, kind, value, branch)
       select tenant_id, customer_id, kind, value, branch from customer_match_keys_build(tenant_ids, customer_ids)
       on conflict do nothing;
     $$`,

  // New customers: their own keys only (no contact can point at them yet). Computed from the
  // transition table directly, one statement for a bulk insert.
  `create function customers_match_keys_insert() returns trigger language plpgsql as $$
     begin
       insert into customer_match_keys (tenant_id, customer_id, kind, value, branch)
       select n.tenant_id, n.id, k.kind, k.value, k.branch
       from new_rows n
       cross join lateral (
         select 'name'::text as kind, p.key as value, p.branch
           from crm_company_name_parts(n.name) p where n.kind = 'company'
         union all select 'phone', crm_normalize_phone(n.phone), false
         union all select 'email', crm_normalize_email(n.email), false
         union all select 'credit_code', n.credit_code, false
       ) k
       where k.value is not null and n.merged_into is null
       on conflict do nothing;
       return null;
     end $$`,
  // Changed customers: only those whose keyed fields changed are rebuilt (the daily facts
  // refresh updates every customer and must not pay for this).
  `create function customers_match_keys_update() returns trigger language plpgsql as $$
     declare
       tenant_ids uuid[];
       customer_ids uuid[];
     begin
       select array_agg(n.tenant_id), array_agg(n.id) into tenant_ids, customer_ids
       from new_rows n join old_rows o on o.tenant_id = n.tenant_id and o.id = n.id
       where (n.name, n.kind, n.phone, n.email, n.credit_code, n.merged_into)
             is distinct from (o.name, o.kind, o.phone, o.email, o.credit_code, o.merged_into);
       if tenant_ids is not null then
         perform customer_match_keys_rebuild(tenant_ids, customer_ids);
       end if;
       return null;
     end $$`,
  `create function customers_match_keys_delete() returns trigger language plpgsql as $$
     begin
       delete from customer_match_keys m using old_rows o
       where m.tenant_id = o.tenant_id and m.customer_id = o.id;
       return null;
     end $$`,
  `create function contacts_match_keys_insert() returns trigger language plpgsql as $$
     begin
       insert into customer_match_keys (tenant_id, customer_id, kind, value, branch)
       select n.tenant_id, n.customer_id, x.kind, x.value, false
       from new_rows n
       join customers c on c.tenant_id = n.tenant_id and c.id = n.customer_id and c.merged_into is null
       cross join lateral (
         select 'phone'::text as kind, crm_normalize_phone(p) as value from unnest(n.phones) p
         union all select 'email', crm_normalize_email(e) from unnest(n.emails) e
       ) x
       where x.value is not null
       on conflict do nothing;
       return null;
     end $$`,
  // A changed or deleted contact may have given a key that another contact or the customer
  // also gives: its customers are rebuilt rather than the keys removed one by one.
  `create function contacts_match_keys_change() returns trigger language plpgsql as $$
     declare
       tenant_ids uuid[];
       customer_ids uuid[];
     begin
       if TG_OP = 'UPDATE' then
         select array_agg(a.tenant_id), array_agg(a.customer_id) into tenant_ids, customer_ids
         from (
           select o.tenant_id, o.customer_id from new_rows n join old_rows o on o.tenant_id = n.tenant_id and o.id = n.id
           where (n.customer_id, n.phones, n.emails) is distinct from (o.customer_id, o.phones, o.emails)
           union
           select n.tenant_id, n.customer_id from new_rows n join old_rows o on o.tenant_id = n.tenant_id and o.id = n.id
           where (n.customer_id, n.phones, n.emails) is distinct from (o.customer_id, o.phones, o.emails)
         ) a;
       else
         select array_agg(a.tenant_id), array_agg(a.customer_id) into tenant_ids, customer_ids
         from (select distinct o.tenant_id, o.customer_id from old_rows o) a;
       end if;
       if tenant_ids is not null then
         perform customer_match_keys_rebuild(tenant_ids, customer_ids);
       end if;
       return null;
     end $$`,
  `create trigger customers_match_keys_insert after insert on customers
     referencing new table as new_rows for each statement execute function customers_match_keys_insert()`,
  `create trigger customers_match_keys_update after update on customers
     referencing old table as old_rows new table as new_rows for each statement execute function customers_match_keys_update()`,
  `create trigger customers_match_keys_delete after delete on customers
     referencing old table as old_rows for each statement execute function customers_match_keys_delete()`,
  `create trigger contacts_match_keys_insert after insert on contacts
     referencing new table as new_rows for each statement execute function contacts_match_keys_insert()`,
  `create trigger contacts_match_keys_update after update on contacts
     referencing old table as old_rows new table as new_rows for each statement execute function contacts_match_keys_change()`,
  `create trigger contacts_match_keys_delete after delete on contacts
     referencing old table as old_rows for each statement execute function contacts_match_keys_change()`,

  // ---- candidate pairs and merges ------------------------------------------------------
  `create table duplicate_candidates (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     customer_a uuid not null,
     customer_b uuid not null,
     reasons text[] not null check (cardinality(reasons) between 1 and 8),
     confidence numeric(3, 2) not null check (confidence between 0 and 1),
     status text not null default 'pending' check (status in ('pending', 'merged', 'dismissed')),
     source text not null default 'scan' check (source in ('scan', 'create', 'import')),
     detected_at timestamptz not null default now(),
     resolved_by uuid,
     resolved_at timestamptz,
     primary key (tenant_id, id),
     unique (tenant_id, customer_a, customer_b),
     check (customer_a < customer_b),
     foreign key (tenant_id, customer_a) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, customer_b) references customers (tenant_id, id) on delete cascade
   )`,
  `create index duplicate_candidates_queue_idx on duplicate_candidates (tenant_id, status, confidence desc, id)`,
  `create index duplicate_candidates_b_idx on duplicate_candidates (tenant_id, customer_b)`,

  // One merge: what was moved (ids per table), the survivor's values it replaced and the
  // merged customer's state before, so an undo restores exactly that.
  `create table customer_merges (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     survivor_id uuid not null,
     merged_id uuid not null,
     candidate_id uuid,
     merged_by uuid,
     merged_at timestamptz not null default now(),
     survivor_before jsonb not null check (jsonb_typeof(survivor_before) = 'object'),
     merged_before jsonb not null check (jsonb_typeof(merged_before) = 'object'),
     moved jsonb not null check (jsonb_typeof(moved) = 'object'),
     undone_at timestamptz,
     undone_by uuid,
     primary key (tenant_id, id),
     check (survivor_id <> merged_id),
     foreign key (tenant_id, survivor_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, merged_id) references customers (tenant_id, id) on delete cascade
   )`,
  `create index customer_merges_survivor_idx on customer_merges (tenant_id, survivor_id, merged_at desc)`,
  `create index customer_merges_merged_idx on customer_merges (tenant_id, merged_id)`,

  // Each scan of a tenant: when, by whom, what it found, and the key values shared by too
  // many customers to pair (a switchboard number on 5,000 customers), reported not paired.
  `create table duplicate_scans (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     requested_by uuid,
     status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
     created_at timestamptz not null default now(),
     started_at timestamptz,
     finished_at timestamptz,
     pairs integer,
     new_pairs integer,
     removed_pairs integer,
     capped_keys jsonb not null default '[]' check (jsonb_typeof(capped_keys) = 'array'),
     primary key (tenant_id, id)
   )`,
  `create index duplicate_scans_recent_idx on duplicate_scans (tenant_id, created_at desc)`,

  // Merges and their undoing are audited events of the survivor.
  `alter table audit_log drop constraint audit_log_action_check,
     add constraint audit_log_action_check
       check (action in ('create', 'update', 'delete', 'reveal', 'merge', 'unmerge'))`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on customer_match_keys, duplicate_candidates, customer_merges, duplicate_scans to crm_app`,

  `select pgboss.create_queue('duplicates.scan-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('duplicates.scan-tenant', '{"policy":"standard"}')`,

  // Keys of the customers already there; the owner lifts FORCE for this backfill only.
  `alter table customers no force row level security`,
  `alter table contacts no force row level security`,
  `alter table customer_match_keys no force row level security`,
  `insert into customer_match_keys (tenant_id, customer_id, kind, value, branch)
   select k.tenant_id, k.customer_id, k.kind, k.value, k.branch
   from (select array_agg(tenant_id) as t, array_agg(id) as i from customers) c
   cross join lateral customer_match_keys_build(c.t, c.i) k
   where c.t is not null
   on conflict do nothing`,
  `alter table customers force row level security`,
  `alter table contacts force row level security`,
  `alter table customer_match_keys force row level security`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
