import { type Kysely, sql } from 'kysely';

/*
 * A customer's tier placement (tier, score, explanation, when it moved, when it was computed,
 * the settings version) moves out of the customer row into a narrow table, `customer_tiers`,
 * one row per placed customer. A re-tier writes these narrow rows — one INSERT … ON CONFLICT
 * over the placed customers — instead of rewriting the wide customer rows through every index
 * of customers (two of them GIN) and the audit and match-key statement triggers: measured at
 * 100,000 customers in docs/benchmarks.md (BM4, "where the placement is written"). The table
 * has two indexes: its key (with tier and score included) and tier → customers for the
 * filters. 待重算 (`tier_pending_since`) stays on customers: it is set on the touched
 * customers of a large tenant (rows the touching write has just written anyway).
 *
 * The preview of a threshold change counts active customers' stored scores from two
 * index-only scans in customer order: customer_tiers' key and customers_active_idx (an active
 * customer — not merged, not archived — by id).
 *
 * Existing placements are copied; the columns leave customers (their indexes with them).
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create table customer_tiers (
     tenant_id uuid not null,
     customer_id uuid not null,
     tier text not null check (tier ~ '^[a-z][a-z0-9_-]{0,62}$'),
     score numeric(5, 2) check (score between 0 and 100),
     explanation jsonb not null check (jsonb_typeof(explanation) = 'object'),
     changed_at timestamptz not null default now(),
     computed_at timestamptz not null default now(),
     settings_version integer,
     -- By the customer, with tier and score: the joins of lists, the preview and the re-tier's
     -- own comparison read them from the key alone (index-only, in customer order).
     primary key (tenant_id, customer_id) include (tier, score),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
   )`,
  // The customers of some tiers (list filters, dashboards, survey audiences), a score range within them.
  `create index customer_tiers_tier_idx on customer_tiers (tenant_id, tier, score, customer_id)`,
  `alter table customer_tiers enable row level security`,
  `create policy tenant_isolation on customer_tiers
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on customer_tiers to crm_app`,

  // Every tenant's placements are copied: the owner reads and writes past RLS for the copy only.
  `alter table customers no force row level security`,
  `insert into customer_tiers (tenant_id, customer_id, tier, score, explanation, changed_at, computed_at, settings_version)
   select c.tenant_id, c.id, c.tier, c.tier_score, coalesce(c.tier_explanation, '{}'::jsonb),
     coalesce(c.tier_changed_at, c.tier_computed_at, c.updated_at),
     coalesce(c.tier_computed_at, c.tier_changed_at, c.updated_at), c.tier_settings_version
   from customers c where c.tier is not null`,
  `alter table customers force row level security`,
  `alter table customer_tiers force row level security`,

  `create index customers_active_idx on customers (tenant_id, id) where merged_into is null and archived_at is null`,
  `alter table customers
     drop column tier,
     drop column tier_score,
     drop column tier_explanation,
     drop column tier_changed_at,
     drop column tier_settings_version,
     drop column tier_computed_at`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The customer tiers migration cannot be reverted.');
}
