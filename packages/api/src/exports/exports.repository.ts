import type { Database, ExportRun, ExportRunsTable, Transaction } from '@crm/db';
import {
  type CompiledQuery,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
} from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { CustomerQuery } from '../customers/customers.schemas';
import { customerConditions, loadDefinitions, sortSpecOf } from '../customers/list-query';
import { selectFilteredInteractions } from '../interactions/interactions.repository';
import type { InteractionFilters } from '../interactions/interactions.schemas';
import { leadFilterSql } from '../leads/leads.repository';
import type { LeadFilters, LeadSort } from '../leads/leads.schemas';
import { selectFilteredOrders } from '../orders/orders.repository';
import type { OrderFilters } from '../orders/orders.schemas';
import { jobScope, type Scope } from '../scope';
import {
  customerColumns,
  type ExportColumn,
  interactionColumns,
  leadColumns,
  orderColumns,
  uuidLiteral,
} from './columns';

/**
 * Every query of exports: the runs, their files' chunks, and what a run reads (the list's
 * rows, rendered into the file's columns). Functions take the scope first and return rows or
 * counts; they throw nothing of their own but what the database raises (the service decides
 * what a missing or expired run means).
 */

/** A run of the tenant (one that `createdBy` created, when given), whatever its status. */
export function selectRun(
  scope: Scope,
  id: string,
  createdBy: string | null,
): Promise<ExportRun | undefined> {
  let query = scope.trx
    .selectFrom('export_runs')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id);
  if (createdBy) query = query.where('created_by', '=', createdBy);
  return query.executeTakeFirst();
}

/** How many runs a member has queued or running (started within the hour). */
/** The tenant's exports queued or running (begun within the hour: a stuck one stops counting). */
export async function countTenantActiveRuns(scope: Scope): Promise<number> {
  const row = await scope.trx
    .selectFrom('export_runs')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('tenant_id', '=', scope.tenantId)
    .where('status', 'in', ['queued', 'running'])
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function countActiveRuns(scope: Scope, userId: string): Promise<number> {
  const row = await scope.trx
    .selectFrom('export_runs')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('tenant_id', '=', scope.tenantId)
    .where('created_by', '=', userId)
    .where('status', 'in', ['queued', 'running'])
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** A member's runs, newest first, not yet expired. */
export function selectRuns(scope: Scope, userId: string, limit: number): Promise<ExportRun[]> {
  return scope.trx
    .selectFrom('export_runs')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('created_by', '=', userId)
    .where('status', '<>', 'expired')
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** A new export run, queued. */
export function insertRun(
  scope: Scope,
  run: Omit<Insertable<ExportRunsTable>, 'tenant_id'>,
): Promise<ExportRun> {
  return scope.trx
    .insertInto('export_runs')
    .values({ tenant_id: scope.tenantId, ...run })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Marks the tenant's runs past their expiry expired and deletes their files (the runs stay
 * as a record of what was exported, by whom and when); how many expired.
 */
export async function pruneExpiredRuns(scope: Scope): Promise<number> {
  const { trx, tenantId } = scope;
  const expired = await trx
    .updateTable('export_runs')
    .set({ status: 'expired' })
    .where('tenant_id', '=', tenantId)
    .where('expires_at', '<=', sql<Date>`now()`)
    .where('status', '<>', 'expired')
    .returning('id')
    .execute();
  if (expired.length === 0) return 0;
  await trx
    .deleteFrom('export_file_chunks')
    .where('tenant_id', '=', tenantId)
    .where(
      'run_id',
      'in',
      expired.map((run) => run.id),
    )
    .execute();
  return expired.length;
}

/**
 * Deletes the files of expired runs and marks them expired. One tenant per call.
 * @deprecated Kept for callers not yet on the scope (the package's `pruneExpiredExports`):
 * use `pruneExpiredExports(scope)` from exports.service.
 */
export function pruneExpired(trx: Transaction<Database>, tenantId: string): Promise<number> {
  return pruneExpiredRuns(jobScope(trx, tenantId));
}

/** The sequence numbers of a run's file chunks, in order. */
export async function selectChunkSeqs(scope: Scope, runId: string): Promise<number[]> {
  const chunks = await scope.trx
    .selectFrom('export_file_chunks')
    .select('seq')
    .where('tenant_id', '=', scope.tenantId)
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
  return chunks.map((chunk) => chunk.seq);
}

/** One chunk of a run's file, or undefined when it is gone. */
export async function selectChunk(scope: Scope, runId: string, seq: number): Promise<Uint8Array | undefined> {
  const chunk = await scope.trx
    .selectFrom('export_file_chunks')
    .select('bytes')
    .where('tenant_id', '=', scope.tenantId)
    .where('run_id', '=', runId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return chunk?.bytes;
}

/** Stores one chunk of a run's file and how many rows are written so far. */
export async function insertChunk(
  scope: Scope,
  runId: string,
  seq: number,
  bytes: Uint8Array,
  rowsDone: number,
): Promise<void> {
  await scope.trx
    .insertInto('export_file_chunks')
    .values({ tenant_id: scope.tenantId, run_id: runId, seq, bytes })
    .execute();
  await scope.trx
    .updateTable('export_runs')
    .set({ rows_done: rowsDone })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', runId)
    .execute();
}

/** Deletes a run's file (an earlier attempt's) and marks the run running from the start. */
export async function restartRun(scope: Scope, runId: string): Promise<void> {
  await scope.trx
    .deleteFrom('export_file_chunks')
    .where('tenant_id', '=', scope.tenantId)
    .where('run_id', '=', runId)
    .execute();
  await scope.trx
    .updateTable('export_runs')
    .set({ status: 'running', started_at: new Date(), rows_done: 0, rows_total: null })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', runId)
    .execute();
}

export async function setRunTotal(scope: Scope, runId: string, total: number): Promise<void> {
  await scope.trx
    .updateTable('export_runs')
    .set({ rows_total: total })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', runId)
    .execute();
}

/** Ends a run, done or failed (with its reason code). */
export async function finishRunRow(
  scope: Scope,
  runId: string,
  values: {
    status: 'done' | 'failed';
    error_code?: string;
    rows_done?: number;
    rows_total?: number;
    file_size?: number;
  },
): Promise<void> {
  await scope.trx
    .updateTable('export_runs')
    .set({ ...values, finished_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', runId)
    .execute();
}

type Db = Transaction<Database> | Kysely<Database>;
/** The tenant's custom field definitions by key, as the customers list reads them. */
export type Definitions = Awaited<ReturnType<typeof loadDefinitions>>;
// biome-ignore lint/suspicious/noExplicitAny: the ids query's tables differ per entity
type IdsQuery = SelectQueryBuilder<any, any, { id: string; sort_value: unknown; sort_key: string }>;

/**
 * What an export reads, whichever way it runs: the ids of the list's rows (its filters and
 * record access, exactly as the list applies them) with their sort key, and how each row is
 * rendered into the file's columns.
 */
export type ExportSource = {
  columns: ExportColumn[];
  /** The filtered rows' ids, `sort_value` (typed) and `sort_key` (its text, for a keyset). */
  ids(db: Db): IdsQuery;
  direction: 'asc' | 'desc';
  /** How `sort_key` is cast back in a keyset condition. */
  sortCast: string;
  /** The sort expression over the entity's table, for a keyset condition. */
  sortExpression: RawBuilder<unknown>;
  /** The entity's table: `<table>.id` is what `ids` returns. */
  table: 'customers' | 'orders' | 'interactions' | 'leads';
  /** The customer a rendered row is about, over its joins (revealed values are audited per customer). */
  customerId: RawBuilder<string | null>;
  /** FROM … JOIN …: the entity's row joined to what its columns read, given a relation of ids as `r`. */
  joins(tenantId: string): RawBuilder<unknown>;
};

/** The tenant's custom field definitions by key. */
export function selectDefinitionsByKey(scope: Scope): Promise<Definitions> {
  return loadDefinitions(scope.trx, scope.tenantId);
}

/**
 * Refuses, with the list's own message, filters a customers list could not run (unknown
 * custom fields): the condition is compiled, never run.
 */
export function compileCustomerFilters(
  scope: Scope,
  filters: Parameters<typeof customerConditions>[1],
  definitions: Definitions,
): void {
  scope.trx
    .selectFrom('customers')
    .select('id')
    .where(customerConditions(scope.tenantId, filters, definitions))
    .compile();
}

/**
 * What a run reads, as the member who asked for it sees the list now (`scope.access`), with
 * headers in the run's language (`scope.locale`).
 */
export async function exportSource(
  scope: Scope,
  run: Pick<ExportRun, 'tenant_id' | 'entity' | 'filters' | 'columns' | 'sort'>,
): Promise<ExportSource> {
  const { trx, access, locale } = scope;
  const tenantId = run.tenant_id;
  const tenant = uuidLiteral(tenantId);
  if (run.entity === 'customers') {
    const definitions = await loadDefinitions(trx, tenantId);
    const tags = await trx
      .selectFrom('tags')
      .select(['id', 'name'])
      .where('tenant_id', '=', tenantId)
      .execute();
    const filters = run.filters as Omit<CustomerQuery, 'sort' | 'direction'>;
    const query = { ...filters, archived: filters.archived ?? false };
    const sort = (run.sort.sort ?? 'createdAt') as CustomerQuery['sort'];
    const direction = run.sort.direction ?? 'desc';
    const spec = sortSpecOf(sort, definitions);
    return {
      columns: customerColumns(run.columns, { locale, definitions, tags }),
      direction,
      sortCast: spec.cast,
      sortExpression: spec.expression,
      table: 'customers',
      customerId: sql`customers.id`,
      ids: (db) =>
        db
          .selectFrom('customers')
          .select([
            'customers.id',
            spec.expression.as('sort_value'),
            sql<string>`(${spec.expression})::text`.as('sort_key'),
          ])
          .where('customers.tenant_id', '=', tenantId)
          .where(visibleCustomer(access))
          .where(customerConditions(tenantId, query, definitions)) as unknown as IdsQuery,
      joins: () => sql`join customers on customers.tenant_id = ${tenant} and customers.id = r.id
        left join users owner on owner.id = customers.owner_user_id`,
    };
  }
  if (run.entity === 'orders') {
    const filters = run.filters as OrderFilters;
    return {
      columns: orderColumns(run.columns, locale),
      direction: 'desc',
      sortCast: 'timestamptz',
      sortExpression: sql`orders.ordered_at`,
      table: 'orders',
      customerId: sql`customers.id`,
      ids: (db) =>
        selectFilteredOrders(db, tenantId, access, filters).select([
          'orders.id',
          sql`orders.ordered_at`.as('sort_value'),
          sql<string>`orders.ordered_at::text`.as('sort_key'),
        ]) as unknown as IdsQuery,
      joins: () => sql`join orders on orders.tenant_id = ${tenant} and orders.id = r.id
        join customers on customers.tenant_id = orders.tenant_id and customers.id = orders.customer_id
        left join users owner on owner.id = customers.owner_user_id`,
    };
  }
  if (run.entity === 'leads') {
    const filters = run.filters as LeadFilters;
    const byDue = (run.sort.sort as LeadSort | undefined) === 'due_asc';
    // The list's own filters and record access (leadFilterSql), in the list's order.
    const sortExpression = byDue
      ? sql`coalesce(leads.follow_up_due_at, 'infinity'::timestamptz)`
      : sql`leads.created_at`;
    return {
      columns: leadColumns(run.columns, locale),
      direction: byDue ? 'asc' : 'desc',
      sortCast: 'timestamptz',
      sortExpression,
      table: 'leads',
      customerId: sql`null::uuid`,
      ids: (db) =>
        db
          .selectFrom('leads')
          .select([
            'leads.id',
            sortExpression.as('sort_value'),
            sql<string>`(${sortExpression})::text`.as('sort_key'),
          ])
          .where(leadFilterSql(scope, filters)) as unknown as IdsQuery,
      joins: () => sql`join leads on leads.tenant_id = ${tenant} and leads.id = r.id
        left join users owner on owner.id = leads.owner_user_id
        left join teams team on team.tenant_id = leads.tenant_id and team.id = leads.team_id`,
    };
  }
  const filters = run.filters as InteractionFilters;
  return {
    columns: interactionColumns(run.columns, locale),
    direction: 'desc',
    sortCast: 'timestamptz',
    sortExpression: sql`interactions.occurred_at`,
    table: 'interactions',
    customerId: sql`customers.id`,
    ids: (db) =>
      selectFilteredInteractions(db, tenantId, access, filters).select([
        'interactions.id',
        sql`interactions.occurred_at`.as('sort_value'),
        sql<string>`interactions.occurred_at::text`.as('sort_key'),
      ]) as unknown as IdsQuery,
    joins: () => sql`join interactions on interactions.tenant_id = ${tenant} and interactions.id = r.id
      join customers on customers.tenant_id = interactions.tenant_id and customers.id = interactions.customer_id
      left join contacts on contacts.tenant_id = interactions.tenant_id and contacts.id = interactions.contact_id
      left join users author on author.id = interactions.user_id`,
  };
}

/** The rendered columns as `c0, c1, …`. */
function renderedColumns(columns: ExportColumn[]): RawBuilder<unknown> {
  return sql.join(columns.map((column, index) => sql`${column.expression} as ${sql.raw(`c${index}`)}`));
}

/**
 * The fast way's statements, compiled against the pool (they run on the COPY's own
 * connection): the ids of the list with their sort value into a temporary table, unsorted —
 * the COPY's one sort puts the rendered rows in list order (sorting here too would sort a
 * million rows twice) — and the parameter-free SELECT of the rendered rows the COPY runs.
 */
export function copyQueries(db: Kysely<Database>, source: ExportSource, tenantId: string) {
  const direction = sql.raw(source.direction);
  const fill = sql`insert into export_rows (sort_value, id)
    select f.sort_value, f.id from (${source.ids(db)}) f`.compile(db);
  const select = sql`select ${renderedColumns(source.columns)}
    from export_rows r ${source.joins(tenantId)}
    order by r.sort_value ${direction}, r.id ${direction}`.compile(db);
  if (select.parameters.length > 0) throw new Error('The COPY query must not take parameters');
  const statements: CompiledQuery[] = [
    // Room for the join's hash table and the sort of the rendered rows, this transaction only.
    sql`set local work_mem = '64MB'`.compile(db),
    sql`create temporary table export_rows (sort_value ${sql.raw(source.sortCast)}, id uuid not null) on commit drop`.compile(
      db,
    ),
    fill,
    sql`analyze export_rows`.compile(db),
  ];
  return { statements, copy: `copy (${select.sql}) to stdout with (format csv)` };
}

/** How many rows the list holds now. */
export async function countSourceRows(scope: Scope, source: ExportSource): Promise<number> {
  const { rows } = await sql<{
    total: number;
  }>`select count(*)::int as total from (${source.ids(scope.trx)}) f`.execute(scope.trx);
  return rows[0]?.total ?? 0;
}

/** A rendered row: `c0, c1, …`, the ciphertexts `s0, s1, …` of revealed columns, and its keyset position. */
export type RenderedRow = Record<string, string | null> & {
  row_id: string;
  sort_key: string;
  customer_id: string;
};

/**
 * Up to `limit` rendered rows after the cursor, in list order, with the ciphertexts of the
 * `secrets` columns (to be revealed) as `s0, s1, …`.
 */
export async function selectRenderedRows(
  scope: Scope,
  source: ExportSource,
  cursor: { key: string; id: string } | null,
  secrets: ExportColumn[],
  limit: number,
): Promise<RenderedRow[]> {
  const { trx, tenantId } = scope;
  const direction = sql.raw(source.direction);
  const comparison = sql.raw(source.direction === 'asc' ? '>' : '<');
  let ids = source.ids(trx);
  if (cursor) {
    const typed = sql`${cursor.key}::text::${sql.raw(source.sortCast)}`;
    ids = ids.where(
      sql<boolean>`(${source.sortExpression}, ${sql.ref(`${source.table}.id`)}) ${comparison} (${typed}, ${cursor.id}::uuid)`,
    );
  }
  const page = ids
    .orderBy(source.sortExpression as RawBuilder<never>, source.direction)
    .orderBy(`${source.table}.id`, source.direction)
    .limit(limit);
  const secretColumns = secrets.map(
    (column, index) => sql`(select s.ciphertext from customer_secrets s
      where s.tenant_id = customers.tenant_id and s.customer_id = customers.id
        and s.field = ${column.secret ?? ''}) as ${sql.raw(`s${index}`)}`,
  );
  const { rows } = await sql<RenderedRow>`select ${renderedColumns(source.columns)},
      ${secretColumns.length > 0 ? sql`${sql.join(secretColumns)},` : sql``}
      ${source.customerId} as customer_id, r.id as row_id, r.sort_key
    from (${page}) r ${source.joins(tenantId)}
    order by r.sort_value ${direction}, r.id ${direction}`.execute(trx);
  return rows;
}

/** Records, for every customer, who saw which fields in which export (never the values). */
export async function insertRevealAudit(
  scope: Scope,
  runId: string,
  userId: string,
  fields: string[],
  customerIds: string[],
): Promise<void> {
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    select ${scope.tenantId}::uuid, ${userId}::uuid, 'customer', c.id, c.id, 'reveal',
      jsonb_build_object('fields', ${JSON.stringify(fields)}::jsonb, 'export', ${runId}::text)
    from unnest(${customerIds}::uuid[]) as c(id)`.execute(scope.trx);
}
