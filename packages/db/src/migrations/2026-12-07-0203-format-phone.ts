import { type Kysely, sql } from 'kysely';

/*
 * Exports show a phone as the screens do (`formatPhone` in packages/domain, its twin):
 * Chinese mobiles 138 1234 5678, 400/800 numbers 400 810 8888, landlines 0571-8755 8212 /
 * 010-1234 5678 / 0755-123 4567, an extension as ` 转 12` (zh-CN) or ` ext. 12` (en). Other
 * countries' numbers stay in E.164 (+14155550100); a value not in the stored form (left as
 * written by the phone migration) is given as it is.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  String.raw`create function crm_format_phone(stored text, locale text) returns text
     language plpgsql immutable parallel safe as $$
       declare
         main text;
         ext text;
         national text;
         area integer;
         local_part text;
         shown text;
       begin
         if stored is null or stored !~ '^\+[1-9][0-9]{6,14}(;ext=[0-9]{1,6})?$' then
           return stored;
         end if;
         main := split_part(stored, ';', 1);
         ext := substring(stored from ';ext=([0-9]{1,6})$');
         if main !~ '^\+86' then
           shown := main;
         else
           national := substr(main, 4);
           if national ~ '^1[3-9][0-9]{9}$' then
             shown := substr(national, 1, 3) || ' ' || substr(national, 4, 4) || ' ' || substr(national, 8);
           elsif national ~ '^[48]00[0-9]{7}$' then
             shown := substr(national, 1, 3) || ' ' || substr(national, 4, 3) || ' ' || substr(national, 7);
           else
             area := case when national ~ '^(10|2[0-9])' then 2 else 3 end;
             local_part := substr(national, area + 1);
             shown := '0' || substr(national, 1, area) || '-' || left(local_part, length(local_part) - 4)
               || ' ' || right(local_part, 4);
           end if;
         end if;
         if ext is null then
           return shown;
         end if;
         return shown || case when locale = 'en' then ' ext. ' else ' 转 ' end || ext;
       end $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
