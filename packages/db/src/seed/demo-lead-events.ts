import { sql, type Transaction } from 'kysely';
import type { Database, IndustryProfile } from '../tables';

type Content = { form: [string, string, string]; campaign: [string, string, string] };

const B2B: Content = {
  form: ['官网询价表单', '获取报价与方案', '留下联系方式和需求，顾问会在 24 小时内联系您。'],
  campaign: [
    '新品发布会邀请',
    '{{name}}，诚邀您参加新品发布会',
    '{{name}} 您好：\n我们将于下月举办新品发布会，介绍新一代智能制造方案，报名请见 https://example.com/launch 。',
  ],
};

const CONTENT: Record<string, Content> = {
  retail: {
    form: ['门店预约表单', '预约到店体验', '留下联系方式，门店顾问会为您安排体验时间。'],
    campaign: [
      '双十二会员专享',
      '{{name}}，双十二会员专享价已开启',
      '{{name}} 您好：\n双十二会员专享价已开启，热门商品限时优惠，详情见 https://example.com/sale 。',
    ],
  },
  b2b: {
    form: ['官网询价表单', '获取报价与方案', '留下联系方式和需求，顾问会在 24 小时内联系您。'],
    campaign: [
      '新品发布会邀请',
      '{{name}}，诚邀您参加新品发布会',
      '{{name}} 您好：\n我们将于下月举办新品发布会，介绍新一代智能制造方案，报名请见 https://example.com/launch 。',
    ],
  },
  'corporate-banking': {
    form: ['对公开户预约', '预约对公开户与结算服务', '留下企业和联系人信息，客户经理会尽快与您联系。'],
    campaign: [
      '跨境结算专题讲座',
      '{{name}}，邀请您参加跨境结算专题讲座',
      '{{name}} 您好：\n我行将举办跨境结算与汇率避险专题讲座，议程见 https://example.com/seminar 。',
    ],
  },
};

/**
 * A month of behaviour on the demo's leads (docs/leads-and-pipeline.md): a hosted form and a
 * sent campaign per tenant, and over the last 30 days opens, clicks, form submissions and a
 * few replies — deterministic by each lead's rank, set-based. Leads without events keep the
 * quiet ones quiet, so the daily re-grade has something to move too. Runs after the demo's
 * leads exist; a tenant without leads gets the form and the campaign only.
 */
export async function seedDemoLeadEvents(
  trx: Transaction<Database>,
  tenantId: string,
  industry: IndustryProfile,
  now: number,
): Promise<void> {
  const content = CONTENT[industry] ?? B2B;
  const at = new Date(now).toISOString();
  await sql`
    insert into lead_forms (tenant_id, name, title, intro, intents, submissions)
    values (${tenantId}, ${content.form[0]}, ${content.form[1]}, ${content.form[2]},
      '{price,proposal,features,browsed}', 0)
    on conflict do nothing`.execute(trx);
  await sql`
    insert into campaigns (tenant_id, name, subject, body, audience, status, sent_at, created_at)
    values (${tenantId}, ${content.campaign[0]}, ${content.campaign[1]}, ${content.campaign[2]},
      '{}', 'sent', ${at}::timestamptz - interval '20 days', ${at}::timestamptz - interval '21 days')
    on conflict do nothing`.execute(trx);
  await sql`
    with campaign as (select id from campaigns where tenant_id = ${tenantId} and name = ${content.campaign[0]}),
    ranked as (
      select l.id, l.email, row_number() over (order by l.created_at, l.id) as n
      from leads l where l.tenant_id = ${tenantId} and l.email is not null
    )
    insert into campaign_recipients (tenant_id, campaign_id, lead_id, email, sent_at)
    select ${tenantId}, c.id, r.id, r.email, ${at}::timestamptz - interval '20 days'
    from ranked r cross join campaign c
    on conflict do nothing`.execute(trx);
  // Who did what, by rank: 3 in 5 recipients opened (some twice), 1 in 4 clicked, 1 in 12
  // replied; 1 in 6 leads submitted the form; spread over the last 30 days.
  await sql`
    with campaign as (select id from campaigns where tenant_id = ${tenantId} and name = ${content.campaign[0]}),
    form as (select id from lead_forms where tenant_id = ${tenantId} and name = ${content.form[0]}),
    ranked as (
      select l.id, row_number() over (order by l.created_at, l.id) as n
      from leads l where l.tenant_id = ${tenantId}
    ),
    recipients as (
      select r.lead_id as id, row_number() over (order by r.lead_id) as n
      from campaign_recipients r join campaign c on c.id = r.campaign_id where r.tenant_id = ${tenantId}
    ),
    drawn as (
      select id, 'email_open' as kind, n, 1 as k from recipients where n % 5 < 3
      union all select id, 'email_open', n, 2 from recipients where n % 5 = 0
      union all select id, 'link_click', n, 3 from recipients where n % 4 = 1
      union all select id, 'reply', n, 4 from recipients where n % 12 = 5
      union all select id, 'form_submit', n, 5 from ranked where n % 6 = 2
    )
    insert into lead_events (tenant_id, lead_id, campaign_id, form_id, kind, occurred_at, target_url, details)
    select ${tenantId}, d.id,
      case when d.kind <> 'form_submit' then (select id from campaign) end,
      case when d.kind = 'form_submit' then (select id from form) end,
      d.kind,
      ${at}::timestamptz - make_interval(days => ((d.n * 7 + d.k * 3) % 30)::int, hours => ((d.n + d.k) % 10)::int),
      case when d.kind = 'link_click' then 'https://example.com/' end,
      case when d.kind = 'reply' then jsonb_build_object('subject', '回复：' || ${content.campaign[0]}) else '{}'::jsonb end
    from drawn d`.execute(trx);
  await sql`
    update lead_forms f set submissions = (select count(*) from lead_events e
      where e.tenant_id = f.tenant_id and e.form_id = f.id)
    where f.tenant_id = ${tenantId} and f.name = ${content.form[0]}`.execute(trx);
}
