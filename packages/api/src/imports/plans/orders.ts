import type { Database, ImportRun, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { refreshCustomerFacts } from '../../customers/facts.repository';
import { jobScope } from '../../scope';
import { createdChanges, insertInBulk, returnedColumns } from '../bulk-write';
import { ROW_MESSAGES } from '../messages';
import { type Plan, text, type Written } from '../plan';

/** Importing orders (with their lines); each row names its customer. */

export const REFERENCE_COLUMNS = [
  { name: 'ref_number', type: 'text' },
  { name: 'ref_credit_code', type: 'text' },
  { name: 'ref_phone', type: 'text' },
  { name: 'ref_name', type: 'text' },
  { name: 'customer_id', type: 'uuid' },
  { name: 'matched_id', type: 'uuid' },
];

export function referenceValues(row: Map<string, unknown>) {
  return {
    ref_number: text(row.get('customer.number')),
    ref_credit_code: text(row.get('customer.credit_code'))?.normalize('NFKC').toUpperCase() ?? null,
    ref_phone: text(row.get('customer.phone')),
    ref_name: text(row.get('customer.name')),
    customer_id: null,
    matched_id: null,
  };
}

/** Resolves every row's customer set-based: by number, credit code, phone, then name. */
export async function resolveCustomers(trx: Transaction<Database>, tenantId: string) {
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1000, '', null, 'CUSTOMER_REFERENCE_MISSING',
      ${ROW_MESSAGES.CUSTOMER_REFERENCE_MISSING['zh-CN']}, ${ROW_MESSAGES.CUSTOMER_REFERENCE_MISSING.en}
    from import_stage
    where ref_number is null and ref_credit_code is null and ref_phone is null and ref_name is null`.execute(
    trx,
  );
  await sql`
    create temp table import_refs on commit drop as
    select distinct on (row_number) row_number, ids, value from (
      select s.row_number, 1 as priority, array_agg(distinct c.id) as ids, s.ref_number as value
      from import_stage s join customers c on c.tenant_id = ${tenantId} and c.customer_number = s.ref_number
      where s.ref_number is not null group by s.row_number, s.ref_number
      union all
      select s.row_number, 2, array_agg(distinct c.id), s.ref_credit_code
      from import_stage s join customers c on c.tenant_id = ${tenantId} and c.credit_code = s.ref_credit_code
      where s.ref_credit_code is not null group by s.row_number, s.ref_credit_code
      union all
      select s.row_number, 3, array_agg(distinct m.customer_id), s.ref_phone
      from import_stage s join customer_match_keys m
        on m.tenant_id = ${tenantId} and m.kind = 'phone' and m.value = crm_normalize_phone(s.ref_phone)
      where s.ref_phone is not null group by s.row_number, s.ref_phone
      union all
      select s.row_number, 4, array_agg(distinct c.id), s.ref_name
      from import_stage s join customers c on c.tenant_id = ${tenantId} and c.name = s.ref_name
      where s.ref_name is not null group by s.row_number, s.ref_name
    ) r order by row_number, priority`.execute(trx);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select s.row_number, 1001, '', coalesce(s.ref_number, s.ref_credit_code, s.ref_phone, s.ref_name),
      case when r.ids is null then 'CUSTOMER_NOT_FOUND' else 'CUSTOMER_AMBIGUOUS' end,
      case when r.ids is null then ${ROW_MESSAGES.CUSTOMER_NOT_FOUND['zh-CN']} else ${ROW_MESSAGES.CUSTOMER_AMBIGUOUS['zh-CN']} end,
      case when r.ids is null then ${ROW_MESSAGES.CUSTOMER_NOT_FOUND.en} else ${ROW_MESSAGES.CUSTOMER_AMBIGUOUS.en} end
    from import_stage s left join import_refs r on r.row_number = s.row_number
    where (s.ref_number is not null or s.ref_credit_code is not null or s.ref_phone is not null or s.ref_name is not null)
      and (r.ids is null or cardinality(r.ids) > 1)`.execute(trx);
  await sql`
    update import_stage s set customer_id = r.ids[1]
    from import_refs r where r.row_number = s.row_number and cardinality(r.ids) = 1`.execute(trx);
}

export const ORDER_PLAN: Plan = {
  columns: [
    ...REFERENCE_COLUMNS,
    { name: 'order_number', type: 'text' },
    { name: 'ordered_at', type: 'timestamptz' },
    { name: 'amount', type: 'numeric(16, 2)' },
    { name: 'currency', type: 'text' },
    { name: 'profit', type: 'numeric(16, 2)' },
    { name: 'payment_method', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'note', type: 'text' },
    { name: 'line_product', type: 'text' },
    { name: 'line_quantity', type: 'numeric(14, 3)' },
    { name: 'line_unit_price', type: 'numeric(16, 2)' },
  ],
  outcomeCustomer: 's.customer_id',
  updatesMatches: true,
  skipReason: 'ORDER_EXISTS_SKIPPED',
  group: { target: 'order_number', column: 'order_number' },
  stage(row) {
    return {
      ...referenceValues(row),
      order_number: text(row.get('order_number')),
      ordered_at: text(row.get('ordered_at')),
      amount: text(row.get('amount')),
      currency: text(row.get('currency'))?.toUpperCase() ?? null,
      profit: text(row.get('profit')),
      payment_method: text(row.get('payment_method')),
      status: text(row.get('status')),
      note: text(row.get('note')),
      line_product: text(row.get('line.product')),
      line_quantity: text(row.get('line.quantity')),
      line_unit_price: text(row.get('line.unit_price')),
    };
  },
};

export async function validateOrders(trx: Transaction<Database>, tenantId: string) {
  await resolveCustomers(trx, tenantId);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1002, '', line_product, 'ORDER_LINE_INCOMPLETE',
      ${ROW_MESSAGES.ORDER_LINE_INCOMPLETE['zh-CN']}, ${ROW_MESSAGES.ORDER_LINE_INCOMPLETE.en}
    from import_stage
    where num_nonnulls(line_product, line_quantity, line_unit_price) between 1 and 2`.execute(trx);
  // Rows of one order number belong to one customer.
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1003, '', order_number, 'DUPLICATE_ORDER_IN_FILE',
      replace(${ROW_MESSAGES.DUPLICATE_ORDER_IN_FILE['zh-CN']}, '{row}', first_row::text),
      replace(${ROW_MESSAGES.DUPLICATE_ORDER_IN_FILE.en}, '{row}', first_row::text)
    from (select row_number, order_number, customer_id,
            first_value(row_number) over w as first_row, first_value(customer_id) over w as first_customer
          from import_stage where order_number is not null
          window w as (partition by order_number order by row_number)) d
    where customer_id is distinct from first_customer`.execute(trx);
  // An order number the tenant already has: updated or skipped as chosen.
  await sql`
    update import_stage s set matched_id = o.id, match_kind = 'order_number', match_value = s.order_number
    from orders o where o.tenant_id = ${tenantId} and o.order_number = s.order_number`.execute(trx);
}

export async function writeOrders(
  trx: Transaction<Database>,
  tenantId: string,
  run: ImportRun,
): Promise<Written> {
  const update = run.on_match === 'update';
  await sql`
    create temp table import_orders on commit drop as
    select distinct on (key) key, coalesce(matched_id, gen_random_uuid()) as id, matched_id, customer_id, order_number,
      ordered_at, amount, currency, profit, payment_method, status, note
    from (select *, coalesce(order_number, '#' || row_number) as key from import_stage) s
    order by key, row_number`.execute(trx);
  await sql`analyze import_orders`.execute(trx);
  // The new orders and their audit rows in one statement (bulk-write.ts).
  const created = await insertInBulk(trx, run.id, () =>
    sql<{ created: string }>`
    with inserted as (
      insert into orders (tenant_id, id, customer_id, order_number, ordered_at, currency, amount, profit,
        payment_method, status, note, created_by)
      select ${tenantId}, o.id, o.customer_id, o.order_number, o.ordered_at,
        coalesce(o.currency, (select currency from tenants where id = ${tenantId})), o.amount, o.profit,
        o.payment_method, coalesce(o.status, 'completed'), o.note, ${run.created_by}::uuid
      from import_orders o where o.matched_id is null
      returning ${returnedColumns('order')}
    ),
    audited as (
      insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
      select n.tenant_id, app_user_id(), 'order', n.id, n.customer_id, 'create', ${createdChanges('n', 'order')}
      from inserted n
    )
    select count(*) as created from inserted`.execute(trx),
  );
  let updated = 0;
  if (update) {
    const result = await sql`
      update orders d set customer_id = o.customer_id, ordered_at = o.ordered_at, amount = o.amount,
        currency = coalesce(o.currency, d.currency), profit = coalesce(o.profit, d.profit),
        payment_method = coalesce(o.payment_method, d.payment_method), status = coalesce(o.status, d.status),
        note = coalesce(o.note, d.note), updated_at = now()
      from import_orders o where d.tenant_id = ${tenantId} and d.id = o.matched_id`.execute(trx);
    updated = Number(result.numAffectedRows ?? 0);
    await sql`
      delete from order_lines l using import_orders o
      where l.tenant_id = ${tenantId} and l.order_id = o.matched_id
        and exists (select 1 from import_stage s where s.order_number = o.order_number and s.line_product is not null)`.execute(
      trx,
    );
  }
  await sql`
    insert into order_lines (tenant_id, order_id, line_no, product, quantity, unit_price)
    select ${tenantId}, o.id, row_number() over (partition by o.id order by s.row_number), s.line_product,
      s.line_quantity, s.line_unit_price
    from import_stage s join import_orders o on o.key = coalesce(s.order_number, '#' || s.row_number)
    where s.line_product is not null and (o.matched_id is null or ${update})`.execute(trx);
  // The orders' customers named by a subquery: a million of them never pass through the process.
  await refreshCustomerFacts(
    jobScope(trx, tenantId),
    { query: sql`select customer_id from import_orders` },
    'order',
  );
  const matched = await sql<{
    n: string;
  }>`select count(*) as n from import_orders where matched_id is not null`.execute(trx);
  const matchedCount = Number(matched.rows[0]?.n ?? 0);
  return { created: Number(created.rows[0]?.created ?? 0), updated, skipped: update ? 0 : matchedCount };
}
