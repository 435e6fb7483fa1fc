import { type Kysely, sql } from 'kysely';

/*
 * Lifecycle thresholds (流失预警 / 沉睡 / 忠诚) have one home: the industry profile's settings
 * (设置 → 行业配置, tenant_plugin_settings). Until now they were also edited on 设置 → 客户规则,
 * which wrote tenants.lifecycle_* — the values the stage SQL actually used — while the
 * profile's own lifecycle settings were ignored. From now on tenants.lifecycle_* only mirror
 * the profile's settings in force (written by 行业配置 save / reset, tenant creation and the
 * start-up sync).
 *
 * So that no tenant's stages change, the values in force (the tenants columns) become the
 * profile's overrides: one new settings version per tenant whose columns differ from what its
 * profile's settings say, set-based. The shipped profiles (retail, b2b, corporate-banking)
 * all default to 90 / 180 / 5 and keep these settings at `lifecycle.atRiskDays`,
 * `lifecycle.dormantDays` and `lifecycle.loyalOrders`; retail's dormant days are its RFM
 * `rfm.dormantDays`, shared with the 沉睡 tier — there the profile's value is kept (it also
 * places the tier) and the stage follows it. Values outside a profile's bounds (1–1095 days,
 * 2–1000 orders) are clamped, and an at-risk day count that would not stay below the dormant
 * one is left at the profile's value. Tenants on other profiles keep their columns.
 * Frozen in time; runs as the owner role.
 */
/** Exported for its test (apps/server/test/lifecycle-rules.test.ts), which runs it on a tenant set up as before. */
export const MOVE_LIFECYCLE_THRESHOLDS = `with latest as (
     select distinct on (s.tenant_id) s.tenant_id, s.version, s.plugin_id, s.overrides, s.settings_version
     from tenant_plugin_settings s
     order by s.tenant_id, s.version desc
   ),
   candidates as (
     select t.id as tenant_id, t.industry,
            coalesce(l.version, 0) as version,
            case when l.plugin_id = t.industry then l.settings_version else 1 end as settings_version,
            case when l.plugin_id = t.industry then l.overrides else '{}'::jsonb end as overrides,
            least(t.lifecycle_at_risk_days, 1095) as at_risk,
            least(t.lifecycle_dormant_days, 1095) as dormant,
            t.lifecycle_loyal_orders as loyal
     from tenants t
     left join latest l on l.tenant_id = t.id
     where t.industry in ('retail', 'b2b', 'corporate-banking')
   ),
   profile as (
     select c.*,
            case when c.industry = 'retail'
                 then coalesce((c.overrides #>> '{rfm,dormantDays}')::int, 180)
                 else c.dormant end as dormant_in_force
     from candidates c
   ),
   wanted as (
     select p.*,
            jsonb_strip_nulls(jsonb_build_object(
              'atRiskDays', case when p.at_risk < p.dormant_in_force then nullif(p.at_risk, 90) end,
              'dormantDays', case when p.industry <> 'retail' then nullif(p.dormant, 180) end,
              'loyalOrders', nullif(p.loyal, 5))) as lifecycle
     from profile p
   ),
   next as (
     select w.tenant_id, w.version, w.industry, w.settings_version,
            (w.overrides - 'lifecycle')
              || case when w.lifecycle = '{}'::jsonb then '{}'::jsonb
                      else jsonb_build_object('lifecycle', w.lifecycle) end as overrides,
            w.overrides as before
     from wanted w
   )
   insert into tenant_plugin_settings (tenant_id, version, plugin_id, overrides, settings_version, changed_by, note)
   select n.tenant_id, n.version + 1, n.industry, n.overrides, n.settings_version, null,
          '生命周期阈值从「客户规则」迁入行业配置 / Lifecycle thresholds moved here from Customer rules'
   from next n
   where n.overrides is distinct from n.before`;

const statements = [MOVE_LIFECYCLE_THRESHOLDS];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The lifecycle thresholds migration cannot be reverted.');
}
