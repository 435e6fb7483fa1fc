import { type Kysely, sql } from 'kysely';

/*
 * Tickets by email (邮件转工单): a tenant's inbound address.
 *
 * - `ticket_inbound_settings`: one row per tenant that turned the hook on. `address_key` is
 *   what the address's signed token names (a new one on every rotation, so an old address
 *   stops working at once); `secret_cipher` the HMAC secret a mail gateway signs each post
 *   with, encrypted under the tenant's data key like webhook secrets.
 * - `ticket_inbound_messages` (2026-12-09-0501) gains what the hook did with a message: its
 *   outcome (a new ticket, a reply on one, or an unknown sender kept for an agent to see), the
 *   sender and the subject.
 * - Indexes to match a sender within the tenant: a customer's email lower-cased, a contact's
 *   emails (stored lower-cased).
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create table ticket_inbound_settings (
     tenant_id uuid not null references tenants (id) on delete cascade,
     address_key uuid not null default gen_random_uuid(),
     secret_cipher text not null check (length(secret_cipher) <= 1000),
     rotated_by uuid,
     rotated_at timestamptz not null default now(),
     primary key (tenant_id)
   )`,
  `alter table ticket_inbound_settings enable row level security`,
  `alter table ticket_inbound_settings force row level security`,
  `create policy tenant_isolation on ticket_inbound_settings
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on ticket_inbound_settings to crm_app`,

  `alter table ticket_inbound_messages
     add column outcome text check (outcome in ('created', 'threaded', 'unmatched')),
     add column from_address text check (length(from_address) <= 320),
     add column subject text check (length(subject) <= 200)`,
  `create index ticket_inbound_messages_recent_idx on ticket_inbound_messages (tenant_id, received_at desc)`,

  `create index customers_email_lower_idx on customers (tenant_id, lower(email)) where email is not null`,
  `create index contacts_emails_idx on contacts using gin (emails)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ticket inbound email migration cannot be reverted.');
}
