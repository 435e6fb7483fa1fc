import { type Kysely, sql } from 'kysely';

/*
 * The opening statement of a tenant request (packages/db/src/connection.ts, `withSession`):
 * reads the session and its user, makes the session's active tenant and user the
 * transaction's scope (set_config(…, true): transaction-local), then reads the member's role
 * and team under row-level security with that scope — one statement where there were two.
 * SECURITY INVOKER (the default): it runs as the runtime role, so RLS holds as for any of its
 * statements. Its two lookups are by primary key and use generic plans (the connections plan
 * each statement for its parameters, which cost more than the lookups themselves); the SET
 * clause changes only that, and the scope it sets outlives the call, for the transaction.
 * No session: no row, and nothing is scoped. Frozen in time; runs as the owner role.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function crm_open_session(opening_session_id text, opening_request_id text)
    returns table (
      id text, secret_hash bytea, user_id uuid, active_tenant_id uuid, created_at timestamptz,
      last_active_at timestamptz, expires_at timestamptz,
      email text, name text, locale text, disabled_at timestamptz,
      member_role text, member_team_id uuid
    )
    language plpgsql volatile
    set plan_cache_mode = force_generic_plan
    as $$
    #variable_conflict use_column
    declare
      opened record;
    begin
      select s.id, s.secret_hash, s.user_id, s.active_tenant_id, s.created_at, s.last_active_at, s.expires_at,
          u.email, u.name, u.locale, u.disabled_at
        into opened
        from public.sessions s join public.users u on u.id = s.user_id
        where s.id = opening_session_id;
      if not found then
        return;
      end if;
      perform set_config('app.tenant_id', coalesce(opened.active_tenant_id::text, ''), true),
        set_config('app.user_id', opened.user_id::text, true),
        set_config('app.request_id', opening_request_id, true);
      return query
        select opened.id, opened.secret_hash, opened.user_id, opened.active_tenant_id, opened.created_at,
          opened.last_active_at, opened.expires_at, opened.email, opened.name, opened.locale, opened.disabled_at,
          m.role, m.team_id
        from (select 1) as one
        left join public.memberships m on m.tenant_id = public.app_tenant_id() and m.user_id = public.app_user_id();
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The open-session migration cannot be reverted.');
}
