import type { CustomFieldDefinition } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import type { Locale } from '../i18n';
import { HEADER_LABELS, labelOf, VALUE_LABELS } from './labels';

/**
 * One column of an exported file: its header, and the SQL that renders a row's value as the
 * text a person reads (labels, names, local time, two-decimal amounts). Every expression is
 * parameter-free, so the same SELECT can run inside `COPY (…) TO STDOUT`.
 */
export type ExportColumn = {
  key: string;
  header: string;
  /** How a spreadsheet stores it: numbers as numbers, everything else as text. */
  kind: 'text' | 'number';
  expression: RawBuilder<string | null>;
  /** A sensitive field: the SQL gives the masked value; `secret` names its stored field. */
  secret?: string;
};

/** Beijing time, how people in the tenant read a moment. */
export const EXPORT_TIME_ZONE = 'Asia/Shanghai';

/** A string literal for SQL that runs without parameters (COPY). */
export function literal(text: string): RawBuilder<string> {
  if (text.includes('\0')) throw new Error('A literal cannot hold NUL');
  return sql<string>`${sql.raw(`'${text.replaceAll("'", "''")}'`)}`;
}

function uuidLiteral(id: string): RawBuilder<string> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new Error('not a uuid');
  return sql<string>`${sql.raw(`'${id}'::uuid`)}`;
}

function labelCase(
  value: RawBuilder<unknown>,
  labels: Record<string, { 'zh-CN': string; en: string }>,
  locale: Locale,
): RawBuilder<string | null> {
  const branches = Object.entries(labels).map(
    ([code, label]) => sql`when ${literal(code)} then ${literal(label[locale])}`,
  );
  return sql<string | null>`(case ${value} ${sql.join(branches, sql` `)} else ${value}::text end)`;
}

const safe = (value: RawBuilder<unknown>) => sql<string | null>`crm_csv_safe(${value})`;
const dateTime = (value: RawBuilder<unknown>) =>
  sql<string | null>`to_char(${value} at time zone ${literal(EXPORT_TIME_ZONE)}, 'YYYY-MM-DD HH24:MI')`;
const dateOnly = (value: RawBuilder<unknown>) =>
  sql<string | null>`to_char(${value} at time zone ${literal(EXPORT_TIME_ZONE)}, 'YYYY-MM-DD')`;
const money = (value: RawBuilder<unknown>) => sql<string | null>`to_char(${value}, 'FM99999999999999990.00')`;

/** Names of a customer's free tags, from a dictionary inlined as a literal (tags are few). */
function tagNames(tags: { id: string; name: string }[]): RawBuilder<string | null> {
  if (tags.length === 0) return sql<string | null>`null::text`;
  const dictionary = JSON.stringify(Object.fromEntries(tags.map((tag) => [tag.id, tag.name])));
  return sql<
    string | null
  >`crm_csv_safe((select string_agg(${literal(dictionary)}::jsonb ->> t.id::text, '、' order by t.n)
    from unnest(customers.tag_ids) with ordinality as t(id, n)))`;
}

function maskedSecret(field: string): RawBuilder<string | null> {
  return sql<
    string | null
  >`(select case when s.hint = '' then '****' else '**** ' || s.hint end from customer_secrets s
    where s.tenant_id = customers.tenant_id and s.customer_id = customers.id and s.field = ${literal(field)})`;
}

/** One figure of the customer's opening balance (导入的期初数据), empty without one. */
function openingBalance(value: RawBuilder<unknown>): RawBuilder<string | null> {
  return sql<string | null>`(select ${value} from customer_opening_balances b
    where b.tenant_id = customers.tenant_id and b.customer_id = customers.id)`;
}

/**
 * What an import brings besides the profile: 首次合作时间, 纪念日 and the opening balance, headed
 * as the import recognises them, so that an exported file imports them unchanged.
 */
export const IMPORT_TARGET_COLUMN_KEYS = [
  'firstCooperationOn',
  'anniversaryOn',
  'openingAmount12m',
  'openingAmountLifetime',
  'openingOrderCount',
  'openingLastDealOn',
  'openingAsOf',
] as const;

function customExpression(definition: CustomFieldDefinition, locale: Locale): ExportColumn['expression'] {
  const key = literal(definition.key);
  const text = sql`(customers.custom_fields ->> ${key})`;
  const options = Object.fromEntries(
    definition.options.map((option) => [option.value, { 'zh-CN': option.labelZh, en: option.labelEn }]),
  );
  switch (definition.type) {
    case 'number':
      return sql<string | null>`${text}`;
    case 'money':
      return money(sql`${text}::numeric`);
    case 'date':
      return sql<string | null>`${text}`;
    case 'boolean':
      return labelCase(text, VALUE_LABELS.boolean, locale);
    case 'enum':
      return safe(labelCase(text, options, locale));
    case 'multi_enum':
      return safe(
        sql`(select string_agg(${labelCase(sql`e.value`, options, locale)}, '、' order by e.n)
          from jsonb_array_elements_text(case when jsonb_typeof(customers.custom_fields -> ${key}) = 'array'
            then customers.custom_fields -> ${key} else '[]'::jsonb end) with ordinality as e(value, n))`,
      );
    default:
      return safe(text);
  }
}

export type CustomerColumnContext = {
  locale: Locale;
  definitions: Map<string, CustomFieldDefinition>;
  tags: { id: string; name: string }[];
};

/** Custom fields a tenant marked sensitive (the flag exists once sensitive fields are stored). */
function isSensitive(definition: CustomFieldDefinition): boolean {
  return (definition as CustomFieldDefinition & { sensitive?: boolean }).sensitive === true;
}

/** The customers list's columns (the name always first), over `customers` and `owner` (users). */
export function customerColumns(keys: readonly string[], context: CustomerColumnContext): ExportColumn[] {
  const { locale } = context;
  const header = (key: keyof typeof HEADER_LABELS.customers) => labelOf(HEADER_LABELS.customers, key, locale);
  const builtIn: Record<string, () => Omit<ExportColumn, 'key'>> = {
    name: () => ({ header: header('name'), kind: 'text', expression: safe(sql`customers.name`) }),
    kind: () => ({
      header: header('kind'),
      kind: 'text',
      expression: labelCase(sql`customers.kind`, VALUE_LABELS.kind, locale),
    }),
    stage: () => ({
      header: header('stage'),
      kind: 'text',
      expression: labelCase(sql`customers.lifecycle_stage`, VALUE_LABELS.lifecycleStage, locale),
    }),
    tags: () => ({ header: header('tags'), kind: 'text', expression: tagNames(context.tags) }),
    valueLevel: () => ({
      header: header('valueLevel'),
      kind: 'text',
      expression: labelCase(sql`customers.value_level`, VALUE_LABELS.valueLevel, locale),
    }),
    activityLevel: () => ({
      header: header('activityLevel'),
      kind: 'text',
      expression: labelCase(sql`customers.activity_level`, VALUE_LABELS.activityLevel, locale),
    }),
    needType: () => ({
      header: header('needType'),
      kind: 'text',
      expression: labelCase(sql`customers.need_type`, VALUE_LABELS.needType, locale),
    }),
    amount12m: () => ({
      header: header('amount12m'),
      kind: 'number',
      expression: money(sql`customers.amount_12m`),
    }),
    amountLifetime: () => ({
      header: header('amountLifetime'),
      kind: 'number',
      expression: money(sql`customers.amount_lifetime`),
    }),
    orderCount: () => ({
      header: header('orderCount'),
      kind: 'number',
      expression: sql<string>`customers.order_count::text`,
    }),
    lastDealAt: () => ({
      header: header('lastDealAt'),
      kind: 'text',
      expression: dateOnly(sql`customers.last_deal_at`),
    }),
    completeness: () => ({
      header: header('completeness'),
      kind: 'text',
      expression: sql<string>`customers.completeness::text || '%'`,
    }),
    // As the screens show it (formatPhone's twin): 138 1234 5678, 0571-8755 8212.
    phone: () => ({
      header: header('phone'),
      kind: 'text',
      expression: safe(sql`crm_format_phone(customers.phone, ${literal(locale)})`),
    }),
    email: () => ({ header: header('email'), kind: 'text', expression: safe(sql`customers.email`) }),
    industry: () => ({ header: header('industry'), kind: 'text', expression: safe(sql`customers.industry`) }),
    owner: () => ({ header: header('owner'), kind: 'text', expression: safe(sql`owner.name`) }),
    createdAt: () => ({
      header: header('createdAt'),
      kind: 'text',
      expression: dateTime(sql`customers.created_at`),
    }),
    updatedAt: () => ({
      header: header('updatedAt'),
      kind: 'text',
      expression: dateTime(sql`customers.updated_at`),
    }),
    customerNumber: () => ({
      header: header('customerNumber'),
      kind: 'text',
      expression: safe(sql`customers.customer_number`),
    }),
    nationalId: () => ({
      header: header('nationalId'),
      kind: 'text',
      expression: maskedSecret('national_id'),
      secret: 'national_id',
    }),
    bankCard: () => ({
      header: header('bankCard'),
      kind: 'text',
      expression: maskedSecret('bank_card'),
      secret: 'bank_card',
    }),
    firstCooperationOn: () => ({
      header: header('firstCooperationOn'),
      kind: 'text',
      expression: sql<string | null>`customers.first_cooperation_on::text`,
    }),
    anniversaryOn: () => ({
      header: header('anniversaryOn'),
      kind: 'text',
      expression: sql<string | null>`customers.anniversary_on::text`,
    }),
    openingAmount12m: () => ({
      header: header('openingAmount12m'),
      kind: 'number',
      expression: money(openingBalance(sql`b.amount_12m`)),
    }),
    openingAmountLifetime: () => ({
      header: header('openingAmountLifetime'),
      kind: 'number',
      expression: money(openingBalance(sql`b.amount_lifetime`)),
    }),
    openingOrderCount: () => ({
      header: header('openingOrderCount'),
      kind: 'number',
      expression: openingBalance(sql`b.order_count::text`),
    }),
    openingLastDealOn: () => ({
      header: header('openingLastDealOn'),
      kind: 'text',
      expression: openingBalance(sql`b.last_deal_on::text`),
    }),
    openingAsOf: () => ({
      header: header('openingAsOf'),
      kind: 'text',
      expression: openingBalance(sql`b.as_of::text`),
    }),
  };
  const columns: ExportColumn[] = [];
  const seen = new Set<string>();
  for (const key of ['name', ...keys]) {
    if (seen.has(key)) continue;
    seen.add(key);
    if (key.startsWith('custom:')) {
      const definition = context.definitions.get(key.slice('custom:'.length));
      if (!definition || definition.archived_at !== null) continue;
      const label = locale === 'zh-CN' ? definition.label_zh : definition.label_en;
      if (isSensitive(definition)) {
        columns.push({ key, header: label, kind: 'text', expression: maskedSecret(key), secret: key });
      } else {
        const numeric = definition.type === 'number' || definition.type === 'money';
        columns.push({
          key,
          header: label,
          kind: numeric ? 'number' : 'text',
          expression: customExpression(definition, locale),
        });
      }
      continue;
    }
    const make = builtIn[key];
    if (make) columns.push({ key, ...make() });
  }
  return columns;
}

/** The columns of the orders list, over `orders`, `customers` and `owner` (users). */
export const ORDER_COLUMN_KEYS = [
  'orderedAt',
  'orderNumber',
  'customer',
  'owner',
  'amount',
  'currency',
  'profit',
  'paymentMethod',
  'status',
  'lines',
  'note',
] as const;

export function orderColumns(keys: readonly string[], locale: Locale): ExportColumn[] {
  const header = (key: keyof typeof HEADER_LABELS.orders) => labelOf(HEADER_LABELS.orders, key, locale);
  const all: Record<(typeof ORDER_COLUMN_KEYS)[number], Omit<ExportColumn, 'key'>> = {
    orderedAt: { header: header('orderedAt'), kind: 'text', expression: dateTime(sql`orders.ordered_at`) },
    orderNumber: { header: header('orderNumber'), kind: 'text', expression: safe(sql`orders.order_number`) },
    customer: { header: header('customer'), kind: 'text', expression: safe(sql`customers.name`) },
    owner: { header: header('owner'), kind: 'text', expression: safe(sql`owner.name`) },
    amount: { header: header('amount'), kind: 'number', expression: money(sql`orders.amount`) },
    currency: { header: header('currency'), kind: 'text', expression: sql<string>`orders.currency` },
    profit: { header: header('profit'), kind: 'number', expression: money(sql`orders.profit`) },
    paymentMethod: {
      header: header('paymentMethod'),
      kind: 'text',
      expression: labelCase(sql`orders.payment_method`, VALUE_LABELS.paymentMethod, locale),
    },
    status: {
      header: header('status'),
      kind: 'text',
      expression: labelCase(sql`orders.status`, VALUE_LABELS.orderStatus, locale),
    },
    lines: {
      header: header('lines'),
      kind: 'text',
      expression:
        safe(sql`(select string_agg(l.product || ' × ' || trim_scale(l.quantity)::text, '；' order by l.line_no)
        from order_lines l where l.tenant_id = orders.tenant_id and l.order_id = orders.id)`),
    },
    note: { header: header('note'), kind: 'text', expression: safe(sql`orders.note`) },
  };
  return pick(keys, ORDER_COLUMN_KEYS, all);
}

export const INTERACTION_COLUMN_KEYS = [
  'occurredAt',
  'customer',
  'contact',
  'kind',
  'user',
  'summary',
  'outcome',
  'nextStep',
  'nextStepDue',
  'sentiment',
] as const;

/** The columns of the interactions list, over `interactions`, `customers`, `contacts` and `author` (users). */
export function interactionColumns(keys: readonly string[], locale: Locale): ExportColumn[] {
  const header = (key: keyof typeof HEADER_LABELS.interactions) =>
    labelOf(HEADER_LABELS.interactions, key, locale);
  const all: Record<(typeof INTERACTION_COLUMN_KEYS)[number], Omit<ExportColumn, 'key'>> = {
    occurredAt: {
      header: header('occurredAt'),
      kind: 'text',
      expression: dateTime(sql`interactions.occurred_at`),
    },
    customer: { header: header('customer'), kind: 'text', expression: safe(sql`customers.name`) },
    contact: { header: header('contact'), kind: 'text', expression: safe(sql`contacts.name`) },
    kind: {
      header: header('kind'),
      kind: 'text',
      expression: labelCase(sql`interactions.kind`, VALUE_LABELS.interactionKind, locale),
    },
    user: { header: header('user'), kind: 'text', expression: safe(sql`author.name`) },
    summary: { header: header('summary'), kind: 'text', expression: safe(sql`interactions.summary`) },
    outcome: { header: header('outcome'), kind: 'text', expression: safe(sql`interactions.outcome`) },
    nextStep: { header: header('nextStep'), kind: 'text', expression: safe(sql`interactions.next_step`) },
    nextStepDue: {
      header: header('nextStepDue'),
      kind: 'text',
      expression: sql<string | null>`interactions.next_step_due::text`,
    },
    sentiment: {
      header: header('sentiment'),
      kind: 'text',
      expression: labelCase(sql`interactions.sentiment`, VALUE_LABELS.sentiment, locale),
    },
  };
  return pick(keys, INTERACTION_COLUMN_KEYS, all);
}

export const LEAD_COLUMN_KEYS = [
  'personName',
  'companyName',
  'jobTitle',
  'phone',
  'email',
  'wechat',
  'region',
  'industry',
  'companySize',
  'source',
  'campaign',
  'intent',
  'needs',
  'budget',
  'expectedCloseOn',
  'decisionMakerReached',
  'grade',
  'status',
  'followUpDueAt',
  'firstContactAt',
  'owner',
  'team',
  'createdAt',
  'notes',
] as const;

/** A lead list's columns: what the lead import reads back first, then where each lead stands. */
export function leadColumns(keys: readonly string[], locale: Locale): ExportColumn[] {
  const header = (key: keyof typeof HEADER_LABELS.leads) => labelOf(HEADER_LABELS.leads, key, locale);
  const text = (key: keyof typeof HEADER_LABELS.leads, column: string): Omit<ExportColumn, 'key'> => ({
    header: header(key),
    kind: 'text',
    expression: safe(sql.raw(`leads.${column}`)),
  });
  const all: Record<(typeof LEAD_COLUMN_KEYS)[number], Omit<ExportColumn, 'key'>> = {
    personName: text('personName', 'person_name'),
    companyName: text('companyName', 'company_name'),
    jobTitle: text('jobTitle', 'job_title'),
    phone: {
      header: header('phone'),
      kind: 'text',
      expression: safe(sql`crm_format_phone(leads.phone, ${literal(locale)})`),
    },
    email: text('email', 'email'),
    wechat: text('wechat', 'wechat'),
    region: text('region', 'region'),
    industry: text('industry', 'industry'),
    companySize: {
      header: header('companySize'),
      kind: 'number',
      expression: sql<string | null>`leads.company_size::text`,
    },
    source: {
      header: header('source'),
      kind: 'text',
      expression: labelCase(sql`leads.source`, VALUE_LABELS.leadSource, locale),
    },
    campaign: text('campaign', 'campaign'),
    intent: {
      header: header('intent'),
      kind: 'text',
      expression: labelCase(sql`leads.intent`, VALUE_LABELS.leadIntent, locale),
    },
    // One cell, needs separated by ；(the import splits them again).
    needs: {
      header: header('needs'),
      kind: 'text',
      expression: safe(sql`nullif(array_to_string(leads.needs, '；'), '')`),
    },
    budget: { header: header('budget'), kind: 'number', expression: money(sql`leads.budget`) },
    expectedCloseOn: {
      header: header('expectedCloseOn'),
      kind: 'text',
      expression: sql<string | null>`leads.expected_close_on::text`,
    },
    decisionMakerReached: {
      header: header('decisionMakerReached'),
      kind: 'text',
      expression: labelCase(sql`leads.decision_maker_reached::text`, VALUE_LABELS.boolean, locale),
    },
    grade: text('grade', 'grade'),
    status: {
      header: header('status'),
      kind: 'text',
      expression: labelCase(sql`leads.status`, VALUE_LABELS.leadStatus, locale),
    },
    followUpDueAt: {
      header: header('followUpDueAt'),
      kind: 'text',
      expression: dateTime(sql`leads.follow_up_due_at`),
    },
    firstContactAt: {
      header: header('firstContactAt'),
      kind: 'text',
      expression: dateTime(sql`leads.first_contact_at`),
    },
    owner: { header: header('owner'), kind: 'text', expression: safe(sql`owner.name`) },
    team: { header: header('team'), kind: 'text', expression: safe(sql`team.name`) },
    createdAt: { header: header('createdAt'), kind: 'text', expression: dateTime(sql`leads.created_at`) },
    notes: text('notes', 'notes'),
  };
  return pick(keys, LEAD_COLUMN_KEYS, all);
}

function pick<K extends string>(
  keys: readonly string[],
  allKeys: readonly K[],
  all: Record<K, Omit<ExportColumn, 'key'>>,
): ExportColumn[] {
  const chosen = keys.length === 0 ? allKeys : allKeys.filter((key) => keys.includes(key));
  // In the order asked for; unknown keys are left out.
  const ordered = keys.length === 0 ? chosen : keys.filter((key): key is K => chosen.includes(key as K));
  return [...new Set(ordered)].map((key) => ({ key, ...all[key] }));
}

export { uuidLiteral };
