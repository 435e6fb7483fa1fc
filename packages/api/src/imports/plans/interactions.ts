import type { Database, ImportRun, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { refreshCustomerFacts } from '../../customers/facts.repository';
import { jobScope } from '../../scope';
import { createInteractionFollowUps } from '../../tasks/task-backbone.service';
import { createdChanges, insertInBulk, returnedColumns } from '../bulk-write';
import { ROW_MESSAGES } from '../messages';
import { type Plan, text, type Written } from '../plan';
import { REFERENCE_COLUMNS, referenceValues, resolveCustomers } from './orders';

/** Importing interactions (calls, visits …); each row names its customer and may name a contact. */

export const INTERACTION_PLAN: Plan = {
  columns: [
    ...REFERENCE_COLUMNS,
    { name: 'contact_name', type: 'text' },
    { name: 'contact_id', type: 'uuid' },
    { name: 'kind', type: 'text' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'summary', type: 'text' },
    { name: 'outcome', type: 'text' },
    { name: 'next_step', type: 'text' },
    { name: 'next_step_due', type: 'date' },
    { name: 'sentiment', type: 'text' },
    { name: 'user_id', type: 'uuid' },
  ],
  outcomeCustomer: 's.customer_id',
  updatesMatches: false,
  skipReason: 'ALREADY_RECORDED',
  stage(row, context) {
    return {
      ...referenceValues(row),
      contact_name: text(row.get('contact.name')),
      contact_id: null,
      kind: text(row.get('kind')),
      occurred_at: text(row.get('occurred_at')),
      summary: text(row.get('summary')),
      outcome: text(row.get('outcome')),
      next_step: text(row.get('next_step')),
      next_step_due: text(row.get('next_step_due')),
      sentiment: text(row.get('sentiment')),
      user_id: text(row.get('user')) ?? context.userId,
    };
  },
};

export async function validateInteractions(trx: Transaction<Database>, tenantId: string) {
  await resolveCustomers(trx, tenantId);
  await sql`
    update import_stage s set contact_id = (
      select min(k.id::text)::uuid from contacts k
      where k.tenant_id = ${tenantId} and k.customer_id = s.customer_id and k.name = s.contact_name)
    where s.contact_name is not null and s.customer_id is not null`.execute(trx);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1002, '', contact_name, 'CONTACT_NOT_FOUND',
      replace(${ROW_MESSAGES.CONTACT_NOT_FOUND['zh-CN']}, '{value}', contact_name),
      replace(${ROW_MESSAGES.CONTACT_NOT_FOUND.en}, '{value}', contact_name)
    from import_stage where contact_name is not null and customer_id is not null and contact_id is null`.execute(
    trx,
  );
  // The same interaction already recorded (customer, time, kind, summary): not twice.
  await sql`
    update import_stage s set matched_id = i.id, match_kind = 'interaction'
    from interactions i
    where i.tenant_id = ${tenantId} and i.customer_id = s.customer_id and i.occurred_at = s.occurred_at
      and i.kind = s.kind and i.summary = s.summary`.execute(trx);
}

export async function writeInteractions(
  trx: Transaction<Database>,
  tenantId: string,
  run: ImportRun,
): Promise<Written> {
  // The new interactions and their audit rows in one statement (bulk-write.ts).
  const created = await insertInBulk(trx, run.id, () =>
    sql<{ created: string }>`
    with inserted as (
      insert into interactions (tenant_id, customer_id, contact_id, kind, occurred_at, user_id, summary, outcome,
        next_step, next_step_due, sentiment)
      select ${tenantId}, s.customer_id, s.contact_id, s.kind, s.occurred_at, s.user_id, s.summary, s.outcome,
        s.next_step, s.next_step_due, coalesce(s.sentiment, 'neutral')
      from import_stage s where s.matched_id is null
      returning ${returnedColumns('interaction')}
    ),
    audited as (
      insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
      select n.tenant_id, app_user_id(), 'interaction', n.id, n.customer_id, 'create', ${createdChanges('n', 'interaction')}
      from inserted n
    )
    select count(*) as created from inserted`.execute(trx),
  );
  const scope = jobScope(trx, tenantId);
  // The rows' customers named by a subquery: a million of them never pass through the process.
  const customers = { query: sql`select customer_id from import_stage` };
  // Imported 下一步 with a 截止日期 become follow-up tasks, like logged ones (once each).
  await createInteractionFollowUps(scope, { customersOf: customers.query });
  await refreshCustomerFacts(scope, customers, 'interaction');
  const matched = await sql<{
    n: string;
  }>`select count(*) as n from import_stage where matched_id is not null`.execute(trx);
  return {
    created: Number(created.rows[0]?.created ?? 0),
    updated: 0,
    skipped: Number(matched.rows[0]?.n ?? 0),
  };
}
