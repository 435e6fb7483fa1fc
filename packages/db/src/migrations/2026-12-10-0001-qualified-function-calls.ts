import { type Kysely, sql } from 'kysely';

/*
 * Our functions call each other by their schema (`public.crm_is_phone_key(…)`), so they work
 * whatever the search_path: pg_restore runs with an empty one, and an index expression or a
 * CHECK that inlines crm_normalize_phone would otherwise fail to find crm_is_phone_key, and a
 * backup could not be restored. Each function of the schema (not an extension's) whose body
 * calls another of them unqualified is recreated with the calls qualified; bodies stay SQL,
 * so the planner still inlines them. Frozen in time; runs as the owner role.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
    do $$
    declare
      fn record;
      callee record;
      definition text;
      qualified text;
    begin
      for fn in
        select p.oid from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.prokind = 'f'
          and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      loop
        definition := pg_get_functiondef(fn.oid);
        qualified := definition;
        for callee in
          select distinct p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.prokind = 'f'
            and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
        loop
          qualified := regexp_replace(qualified, '(?<![.\\w"])' || callee.proname || '\\(', 'public.' || callee.proname || '(', 'g');
        end loop;
        if qualified <> definition then
          execute qualified;
        end if;
      end loop;
    end $$`)
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The qualified function calls migration cannot be reverted.');
}
