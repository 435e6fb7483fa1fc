import { type Kysely, sql } from 'kysely';

/*
 * Referrals and growth points (转介绍, 成长值).
 *
 * - `referrals`: who referred whom — a customer (the referrer) brought a lead or a new
 *   customer — under which rule (from the plugin or the tenant's settings: points, or a
 *   discount in percent), and its reward once the referred customer's first order is
 *   recorded (`rewarded_at`, `reward_order_id`). A lead's referral is rewarded when the lead,
 *   converted, becomes the ordering customer. One referral per referred customer or lead.
 * - `loyalty_points`: the ledger of a customer's points, insert-only (crm_app may only read
 *   and insert): earned from an order at the tenant's rate, a referral bonus, a manual
 *   adjustment with its reason, a redemption, an expiry, the reversal of a voided order's
 *   points. The balance is their sum, never a stored figure. Credits carry `expires_at`; the
 *   daily expiry writes one `expire` row per customer for what is past it and not yet spent.
 *   An order earns once and is reversed once; a referral pays once.
 * - `loyalty_settings`: the tenant's own rate, expiry and referral rules (null: the plugin's).
 * Queues: the daily expiry (all tenants, one tenant).
 * Frozen in time; runs as the owner role.
 */
const KEY = `'^[a-z][a-z0-9_]{0,62}$'`;

function tenantTable(table: string, grants = 'select, insert, update, delete'): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
    `grant ${grants} on ${table} to crm_app`,
  ];
}

const statements = [
  `create table referrals (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     referrer_customer_id uuid not null,
     referred_customer_id uuid,
     referred_lead_id uuid,
     rule_key text not null check (rule_key ~ ${KEY}),
     reward_kind text not null check (reward_kind in ('points', 'discount')),
     reward_value numeric(12, 2) not null check (reward_value > 0),
     note text check (length(note) <= 500),
     status text not null default 'pending' check (status in ('pending', 'rewarded', 'cancelled')),
     rewarded_at timestamptz,
     reward_order_id uuid,
     created_by uuid,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check ((referred_customer_id is null) <> (referred_lead_id is null)),
     check (referred_customer_id is null or referred_customer_id <> referrer_customer_id),
     check ((status = 'rewarded') = (rewarded_at is not null)),
     foreign key (tenant_id, referrer_customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, referred_customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, referred_lead_id) references leads (tenant_id, id) on delete cascade,
     foreign key (tenant_id, reward_order_id) references orders (tenant_id, id) on delete set null (reward_order_id)
   )`,
  `create unique index referrals_referred_customer_idx on referrals (tenant_id, referred_customer_id)
     where referred_customer_id is not null and status <> 'cancelled'`,
  `create unique index referrals_referred_lead_idx on referrals (tenant_id, referred_lead_id)
     where referred_lead_id is not null and status <> 'cancelled'`,
  `create index referrals_referrer_idx on referrals (tenant_id, referrer_customer_id, created_at desc)`,
  ...tenantTable('referrals'),

  `create table loyalty_points (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     kind text not null check (kind in ('earn', 'referral', 'adjust', 'redeem', 'expire', 'reversal')),
     points integer not null check (points <> 0),
     reason text check (length(reason) <= 500),
     order_id uuid,
     referral_id uuid,
     expires_at timestamptz,
     created_by uuid,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check ((kind in ('earn', 'referral') and points > 0) or (kind in ('redeem', 'expire', 'reversal') and points < 0)
       or kind = 'adjust'),
     check (expires_at is null or points > 0),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete set null (order_id),
     foreign key (tenant_id, referral_id) references referrals (tenant_id, id) on delete set null (referral_id)
   )`,
  // The balance and the statement of one customer.
  `create index loyalty_points_customer_idx on loyalty_points (tenant_id, customer_id, created_at desc)`,
  // An order earns once and is reversed once; a referral pays once.
  `create unique index loyalty_points_order_idx on loyalty_points (tenant_id, order_id, kind)
     where order_id is not null`,
  `create unique index loyalty_points_referral_idx on loyalty_points (tenant_id, referral_id)
     where referral_id is not null`,
  // The daily expiry: credits past their date.
  `create index loyalty_points_expiry_idx on loyalty_points (tenant_id, expires_at) where expires_at is not null`,
  ...tenantTable('loyalty_points', 'select, insert'),

  `create table loyalty_settings (
     tenant_id uuid not null references tenants (id) on delete cascade,
     points_per_yuan numeric(10, 4) check (points_per_yuan between 0 and 100),
     expiry_months integer check (expiry_months between 0 and 120),
     referral_rules jsonb check (referral_rules is null or jsonb_typeof(referral_rules) = 'array'),
     updated_by uuid,
     updated_at timestamptz not null default now(),
     primary key (tenant_id)
   )`,
  ...tenantTable('loyalty_settings'),

  `select pgboss.create_queue('loyalty.expire-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('loyalty.expire-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The loyalty migration cannot be reverted.');
}
