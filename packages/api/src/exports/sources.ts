import type { Database, ExportRun, Transaction } from '@crm/db';
import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import type { CustomerQuery } from '../customers/customers.schemas';
import { customerConditions, loadDefinitions, sortSpecOf } from '../customers/list-query';
import type { Locale } from '../i18n';
import { selectFilteredInteractions } from '../interactions/interactions.repository';
import type { InteractionFilters } from '../interactions/interactions.schemas';
import { selectFilteredOrders } from '../orders/orders.repository';
import type { OrderFilters } from '../orders/orders.schemas';
import { customerColumns, type ExportColumn, interactionColumns, orderColumns, uuidLiteral } from './columns';

type Db = Transaction<Database> | Kysely<Database>;
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
  table: 'customers' | 'orders' | 'interactions';
  /** FROM … JOIN …: the entity's row joined to what its columns read, given a relation of ids as `r`. */
  joins(tenantId: string): RawBuilder<unknown>;
};

export async function exportSource(
  trx: Transaction<Database>,
  run: Pick<ExportRun, 'tenant_id' | 'entity' | 'filters' | 'columns' | 'sort'>,
  access: RecordAccess,
  locale: Locale,
): Promise<ExportSource> {
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
  const filters = run.filters as InteractionFilters;
  return {
    columns: interactionColumns(run.columns, locale),
    direction: 'desc',
    sortCast: 'timestamptz',
    sortExpression: sql`interactions.occurred_at`,
    table: 'interactions',
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
export function renderedColumns(columns: ExportColumn[]): RawBuilder<unknown> {
  return sql.join(columns.map((column, index) => sql`${column.expression} as ${sql.raw(`c${index}`)}`));
}
