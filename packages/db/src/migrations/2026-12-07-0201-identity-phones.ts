import { type Kysely, sql } from 'kysely';

/*
 * Identity and phones (issue 15):
 * - `crm_customer_identity`, the SQL twin of packages/domain/src/dedup/identity.ts: when two
 *   records are the same customer, a duplicate candidate, or unrelated (docs/duplicates.md
 *   "Identity rules");
 * - 门店 is a branch marker too (`crm_company_name_parts`), and the keys of names with it are
 *   built again;
 * - the phone match key reads the stored form: `+864008108888` is `4008108888` (no trunk 0
 *   before a 400/800 number), and the E.164 forms take the inlined fast path;
 * - phones are stored in one form, E.164 with `;ext=` for an extension (`normalizePhone` in
 *   packages/domain); `crm_phone_stored` is what this migration converts existing phones with,
 *   set-based. A field holding two numbers (`138… / 139…`) or no valid number is left as it
 *   was. The conversion is not an edit by anyone: the audit triggers are off for it, and
 *   the match keys do not change (the key of the stored form is the key of the old one).
 * Frozen in time; runs as the owner role.
 */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const NAME_CHARACTERS = String.raw`0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af`;
const E164 = String.raw`^\+[1-9][0-9]{6,14}(;ext=[0-9]{1,6})?$`;

const statements: string[] = [
  String.raw`create or replace function crm_normalize_phone_full(input text) returns text
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
             if rest <> '' and rest !~ '^1[3-9][0-9]{9}$' and rest !~ '^[48]00[0-9]{7}$' and rest !~ '^0' then
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
  // The stored forms answer without the full parse (inlined: not STRICT).
  String.raw`create or replace function crm_normalize_phone(input text) returns text
     language sql immutable parallel safe as $$
       select case
         when input ~ '^\+861[3-9][0-9]{9}$' then substr(input, 4)
         when input ~ '^\+86[48]00[0-9]{7}$' then substr(input, 4)
         when input ~ '^\+86[1-9][0-9]{8,10}$' and crm_is_phone_key('0' || substr(input, 4)) then '0' || substr(input, 4)
         when input ~ '^1[3-9][0-9]{9}$' then input
         when input ~ '^0[0-9]{2,3}-[0-9]{7,8}$' and crm_is_phone_key(replace(input, '-', '')) then replace(input, '-', '')
         else crm_normalize_phone_full(input) end
     $$`,

  String.raw`create or replace function crm_company_name_parts(input text, out key text, out branch boolean)
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
         marker := substring(t from '.(分公司|营业部|办事处|代表处|分行|支行|门店|分店|分厂)$');
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

  // The identity rule (packages/domain/src/dedup/identity.ts identityVerdict): given what two
  // records share (customer_number, credit_code, national_id, name, phone, email), the key
  // that makes them the same customer, 'candidate', or null (unrelated).
  `create function crm_customer_identity(a_kind text, a_name text, a_credit_code text,
       b_kind text, b_name text, b_credit_code text, shared text[]) returns text
     language sql immutable parallel safe as $$
       select case
         when 'customer_number' = any(shared) then 'customer_number'
         when 'credit_code' = any(shared) then 'credit_code'
         when 'national_id' = any(shared) then 'national_id'
         when a_kind = 'company' and b_kind = 'company' and 'name' = any(shared) then
           case
             when crm_normalize_credit_code(a_credit_code) <> crm_normalize_credit_code(b_credit_code) then 'candidate'
             when not coalesce(crm_company_is_branch(a_name), false)
               and not coalesce(crm_company_is_branch(b_name), false) then 'name'
             when coalesce(crm_company_is_branch(a_name), false) and coalesce(crm_company_is_branch(b_name), false)
               and crm_normalize_person_name(a_name) = crm_normalize_person_name(b_name) then 'name'
             else 'candidate' end
         when a_kind = 'person' and b_kind = 'person' and shared && array['phone', 'email']
           and crm_normalize_person_name(a_name) = crm_normalize_person_name(b_name) then
           case when 'phone' = any(shared) then 'name_phone' else 'name_email' end
         when shared && array['phone', 'email', 'name'] then 'candidate'
       end
     $$`,

  // An existing phone in the stored form (E.164, ;ext=), or null when it is not one number.
  String.raw`create function crm_phone_stored(input text) returns text
     language plpgsql immutable parallel safe strict as $$
       declare
         key text;
         t text;
         main text;
         ext text;
       begin
         key := crm_normalize_phone(input);
         if key is null then
           return null;
         end if;
         t := btrim(translate(normalize(input, NFKC), '${UPPER}', '${LOWER}'));
         if t ~ '[/、,，；]' or (t ~ ';' and t !~ ';ext=') then
           return null;
         end if;
         main := case when key like '+%' then key when key like '0%' then '+86' || substr(key, 2) else '+86' || key end;
         ext := substring(t from '[0-9)][ \t]*(?:转|分机|;ext=|ext\.?|x|#)[ \t]*([0-9]{1,6})[ \t]*$');
         if ext is null and crm_normalize_phone(regexp_replace(t, '[ \t]*-[ \t]*[0-9]{1,6}$', '')) = key
           and regexp_replace(t, '[ \t]*-[ \t]*[0-9]{1,6}$', '') <> t then
           ext := substring(t from '-[ \t]*([0-9]{1,6})$');
         end if;
         return main || coalesce(';ext=' || ext, '');
       end $$`,

  `alter table customers no force row level security`,
  `alter table contacts no force row level security`,
  `alter table customer_match_keys no force row level security`,
  // Names with the new branch marker get their keys again (flagged branch).
  `select customer_match_keys_rebuild(array_agg(tenant_id), array_agg(id))
   from customers where kind = 'company' and name like '%门店%' having count(*) > 0`,
  `alter table customers disable trigger customers_audit_update`,
  `alter table contacts disable trigger contacts_audit_update`,
  `update customers set phone = crm_phone_stored(phone)
   where phone is not null and phone !~ '${E164}' and crm_phone_stored(phone) is not null`,
  `update contacts set phones = array(
     select coalesce(crm_phone_stored(p), p) from unnest(phones) with ordinality as u(p, i) order by i)
   where exists (select 1 from unnest(phones) p where p !~ '${E164}' and crm_phone_stored(p) is not null)`,
  `alter table customers enable trigger customers_audit_update`,
  `alter table contacts enable trigger contacts_audit_update`,
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
