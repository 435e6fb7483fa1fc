import {
  ApartmentOutlined,
  EditOutlined,
  FileTextOutlined,
  GiftOutlined,
  RiseOutlined,
  ShareAltOutlined,
  ShoppingOutlined,
  UserAddOutlined,
  UserDeleteOutlined,
} from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Button, Empty, Flex, Skeleton, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Customer,
  type CustomerTag,
  type CustomFieldDefinition,
  type CustomFieldValue,
  INTERACTION_KINDS,
  type InteractionKind,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  ORDER_STATUSES,
  type OrderStatus,
  PAYMENT_METHODS,
  SENTIMENTS,
  type TimelineEntry,
} from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { useCan } from '../../lib/shell-context';
import { useTRPC, useTRPCClient } from '../../lib/trpc';
import { mergeTimelineView } from '../duplicates/MergeTimelineEntry';
import { useTiers } from '../industry/tiers';
import { INTERACTION_ICONS, InteractionKindTag, SentimentTag } from '../interactions/InteractionTags';
import { leadTimelineView } from '../leads/LeadTimelineEntry';
import { OrderStatusTag } from '../orders/OrderStatusTag';
import { planTimelineView } from '../plans/PlanTimelineEntry';
import { poolTimelineView } from '../pool/PoolTimelineEntry';
import { surveyTimelineView } from '../surveys/SurveyTimelineEntry';
import { taskTimelineView } from '../tasks/TaskTimelineEntry';
import { LifecycleTag } from './LifecycleTag';
import { useCustomFields, useFieldLabel, useFormatCustomValue, useTagsById } from './profile-meta';

const PAGE_SIZE = 20;

type Change = { from: unknown; to: unknown };
type Member = { userId: string; name: string };
/** What turns ids and keys in a change into names: members, free tags, custom fields. */
type Lookups = {
  members: readonly Member[];
  tags: ReadonlyMap<string, CustomerTag>;
  fields: readonly CustomFieldDefinition[];
  fieldName: (field: CustomFieldDefinition) => string;
  customValue: (field: CustomFieldDefinition, value: CustomFieldValue | undefined) => string | null;
  /** A tier key's name in the tenant's industry profile. */
  tierLabel: (tier: string | null) => string;
};

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);
const asString = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const ENTITIES = ['customer', 'contact', 'order', 'interaction'] as const;
const ACTIONS = ['create', 'update', 'delete', 'reveal'] as const;
/** Long texts (needs, notes) are cut in the timeline; the profile shows them in full. */
const MAX_VALUE_LENGTH = 80;

/** Orders, interactions, field changes and stage moves, newest first, paged with "load more". */
export function TimelineTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const canReadMembers = useCan('members.read');
  // Owner changes name users by id: show their names when the role may list members.
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: canReadMembers });
  const tags = useTagsById();
  const { all: fields } = useCustomFields();
  const fieldName = useFieldLabel();
  const customValue = useFormatCustomValue();
  const { tierLabel } = useTiers();
  const lookups: Lookups = { members: members.data ?? [], tags, fields, fieldName, customValue, tierLabel };
  // Not infiniteQueryOptions(): it adds a `direction` to the input, which the procedure's strict
  // input refuses. Same query key, so invalidating the procedure still refreshes it.
  const input = { id: customer.id, limit: PAGE_SIZE };
  const timeline = useInfiniteQuery({
    queryKey: trpc.customers.timeline.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) =>
      client.customers.timeline.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];

  let body: ReactNode;
  if (timeline.isPending) {
    body = <Skeleton active paragraph={{ rows: 6 }} />;
  } else if (timeline.isError) {
    body = (
      <Typography.Text type="danger">
        {errorMessage(timeline.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
      </Typography.Text>
    );
  } else if (entries.length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.empty')} />;
  } else {
    body = (
      <>
        <Timeline
          items={entries.map((entry) => {
            const view = describe(entry, t, customer.currency, lookups);
            return {
              key: `${entry.kind}-${entry.id}-${entry.occurredAt}`,
              color: view.color,
              icon: view.icon,
              content: (
                <div data-testid="timeline-entry" data-kind={entry.kind} style={{ paddingBottom: 4 }}>
                  <Flex gap={8} align="center" wrap>
                    {view.title}
                    {entry.data.mergedFrom ? <Tag>{t('duplicates.timeline.fromMerged')}</Tag> : null}
                  </Flex>
                  {view.details ? <div style={{ marginTop: 6 }}>{view.details}</div> : null}
                  <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4, fontSize: 12 }}>
                    {formatDateTime(entry.occurredAt)} · {entry.actorName ?? t('timeline.system')}
                  </Typography.Text>
                </div>
              ),
            };
          })}
        />
        <Flex justify="center">
          {timeline.hasNextPage ? (
            <Button
              data-testid="timeline-load-more"
              loading={timeline.isFetchingNextPage}
              onClick={() => void timeline.fetchNextPage()}
            >
              {t('common.loadMore')}
            </Button>
          ) : entries.length > PAGE_SIZE ? (
            <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
          ) : null}
        </Flex>
      </>
    );
  }

  return (
    <div data-testid="timeline-list" style={{ paddingTop: 8 }}>
      {body}
    </div>
  );
}

type View = { title: ReactNode; details?: ReactNode; color: string; icon: ReactNode };

function describe(entry: TimelineEntry, t: TFunction, currency: string, lookups: Lookups): View {
  const data = entry.data;
  switch (entry.kind) {
    case 'order': {
      const number = asString(data.orderNumber);
      const status = isOneOf<OrderStatus>(ORDER_STATUSES, data.status) ? data.status : null;
      const voidReason = asString(data.voidReason);
      return {
        color: status === 'void' ? 'gray' : 'green',
        icon: <ShoppingOutlined />,
        title: (
          <>
            <Typography.Text strong>
              {number ? t('timeline.orderNumber', { number }) : t('timeline.order')}
            </Typography.Text>
            <Typography.Text strong delete={status === 'void'}>
              {formatMoney(asString(data.amount), asString(data.currency) ?? currency)}
            </Typography.Text>
            {status ? <OrderStatusTag status={status} /> : null}
          </>
        ),
        details: voidReason ? (
          <Typography.Text type="secondary">
            {t('orders.voidReasonLabel', { reason: voidReason })}
          </Typography.Text>
        ) : undefined,
      };
    }
    case 'interaction': {
      const kind = isOneOf<InteractionKind>(INTERACTION_KINDS, data.kind) ? data.kind : null;
      const outcome = asString(data.outcome);
      const nextStep = asString(data.nextStep);
      const nextStepDue = asString(data.nextStepDue);
      return {
        color: data.sentiment === 'complaint' ? 'red' : 'blue',
        icon: kind ? INTERACTION_ICONS[kind] : <FileTextOutlined />,
        title: (
          <>
            {kind ? <InteractionKindTag kind={kind} /> : null}
            {isOneOf(SENTIMENTS, data.sentiment) ? <SentimentTag sentiment={data.sentiment} /> : null}
            <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{asString(data.summary)}</Typography.Text>
          </>
        ),
        details:
          outcome || nextStep ? (
            <Flex vertical>
              {outcome ? (
                <Typography.Text type="secondary">
                  {t('interactions.outcome')}
                  {t('common.colon')}
                  {outcome}
                </Typography.Text>
              ) : null}
              {nextStep ? (
                <Typography.Text type="secondary">
                  {t('interactions.nextStep')}
                  {t('common.colon')}
                  {nextStep}
                  {nextStepDue ? ` · ${t('interactions.due', { date: formatDate(nextStepDue) })}` : ''}
                </Typography.Text>
              ) : null}
            </Flex>
          ) : undefined,
      };
    }
    case 'lifecycle': {
      const from = isOneOf<LifecycleStage>(LIFECYCLE_STAGES, data.from) ? data.from : null;
      const to = isOneOf<LifecycleStage>(LIFECYCLE_STAGES, data.to) ? data.to : null;
      const reason = isOneOf(['order', 'daily', 'interaction', 'settings', 'import'] as const, data.reason)
        ? data.reason
        : null;
      return {
        color: to === 'at_risk' || to === 'dormant' ? 'orange' : 'purple',
        icon: <RiseOutlined />,
        title: (
          <>
            <Typography.Text strong>{t('timeline.lifecycle')}</Typography.Text>
            {from ? <LifecycleTag stage={from} /> : null}
            <Typography.Text type="secondary">→</Typography.Text>
            {to ? <LifecycleTag stage={to} /> : null}
            {reason ? (
              <Typography.Text type="secondary">{t(`timeline.lifecycleReason.${reason}`)}</Typography.Text>
            ) : null}
          </>
        ),
      };
    }
    case 'tier': {
      const from = asString(data.from);
      const to = asString(data.to);
      const score = asString(data.score);
      const reason = isOneOf(['retier', 'settings', 'quarterly', 'plugin', 'change'] as const, data.reason)
        ? data.reason
        : null;
      return {
        color: 'cyan',
        icon: <ApartmentOutlined />,
        title: (
          <>
            <Typography.Text strong>{t('tiers.card.title')}</Typography.Text>
            <Tag>{lookups.tierLabel(from)}</Tag>
            <Typography.Text type="secondary">→</Typography.Text>
            <Tag color="blue" data-testid="timeline-tier-to">
              {lookups.tierLabel(to)}
            </Tag>
            {score ? (
              <Typography.Text type="secondary">
                {t('tiers.card.score')} {Number(score).toFixed(1)}
              </Typography.Text>
            ) : null}
            {reason ? (
              <Typography.Text type="secondary">{t(`tiers.card.reasons.${reason}`)}</Typography.Text>
            ) : null}
          </>
        ),
      };
    }
    case 'note':
      // A note (备注), e.g. brought by an import.
      return {
        color: 'gray',
        icon: <FileTextOutlined />,
        title: (
          <>
            <Tag>{t('importTargets.note.title')}</Tag>
            {data.imported === true ? <Tag color="blue">{t('importTargets.note.imported')}</Tag> : null}
            <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-testid="timeline-note">
              {asString(data.body)}
            </Typography.Text>
          </>
        ),
      };
    case 'change':
      return describeChange(data, t, currency, lookups);
    case 'merge':
      return mergeTimelineView(data);
    case 'task':
      return taskTimelineView(data);
    case 'plan':
      return planTimelineView(data);
    case 'survey_response':
      return surveyTimelineView(data);
    case 'pool':
      return poolTimelineView(data);
    case 'referral': {
      // 转介绍: whom the customer referred (and when the reward was granted), or who referred it.
      const name = asString(data.name) ?? '';
      const rewardKind = asString(data.rewardKind) === 'discount' ? 'discount' : 'points';
      const reward = t(`loyalty.reward.${rewardKind}`, { value: Number(asString(data.rewardValue) ?? 0) });
      const event = asString(data.event);
      return {
        color: 'magenta',
        icon: <ShareAltOutlined />,
        title: (
          <Typography.Text strong data-testid="timeline-referral">
            {event === 'referredBy'
              ? t('loyalty.timeline.referredBy', { name })
              : event === 'rewarded'
                ? t('loyalty.timeline.rewarded', { name, reward })
                : t('loyalty.timeline.referred', { name, reward })}
          </Typography.Text>
        ),
      };
    }
    case 'points': {
      // 成长值: one entry of the points ledger.
      const points = Number(data.points ?? 0);
      const kind = (asString(data.kind) ?? 'adjust') as 'adjust';
      return {
        color: points < 0 ? 'orange' : 'green',
        icon: <GiftOutlined />,
        title: (
          <Typography.Text data-testid="timeline-points">
            {t('loyalty.timeline.points', {
              kind: t(`loyalty.kinds.${kind}`),
              points: points > 0 ? `+${points}` : String(points),
            })}
          </Typography.Text>
        ),
        details: asString(data.reason) ? (
          <Typography.Text type="secondary">{asString(data.reason)}</Typography.Text>
        ) : undefined,
      };
    }
    case 'lead':
      return leadTimelineView(data);
    case 'createAnyway': {
      // 仍然新建: created although the identity rule named an existing customer, and why.
      const existingName = asString(data.existingName);
      const existingId = asString(data.existingId);
      return {
        color: 'orange',
        icon: <FileTextOutlined />,
        title: (
          <Flex vertical gap={2} data-testid="timeline-create-anyway">
            <Typography.Text strong>
              {existingName && existingId ? (
                <Link to="/customers/$customerId" params={{ customerId: existingId }}>
                  {t('duplicates.createdAnyway', { name: existingName })}
                </Link>
              ) : (
                t('duplicates.createdAnywayHidden')
              )}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
              {t('duplicates.createdAnywayReason', { reason: asString(data.reason) ?? '' })}
            </Typography.Text>
          </Flex>
        ),
      };
    }
    default:
      // A kind registered on the server after this page was written.
      return {
        color: 'gray',
        icon: <FileTextOutlined />,
        title: <Typography.Text>{entry.kind}</Typography.Text>,
      };
  }
}

/** One line per changed field; custom fields count one by one under their own names. */
function changeRows(changes: Record<string, Change>, t: TFunction, currency: string, lookups: Lookups) {
  const rows: { key: string; label: string; from: string | null; to: string | null }[] = [];
  for (const [key, change] of Object.entries(changes)) {
    if (key === 'custom_fields') {
      const from = (change?.from ?? {}) as Record<string, CustomFieldValue>;
      const to = (change?.to ?? {}) as Record<string, CustomFieldValue>;
      for (const fieldKey of new Set([...Object.keys(from), ...Object.keys(to)])) {
        if (JSON.stringify(from[fieldKey] ?? null) === JSON.stringify(to[fieldKey] ?? null)) continue;
        const field = lookups.fields.find((candidate) => candidate.key === fieldKey);
        rows.push({
          key: `custom:${fieldKey}`,
          label: field ? lookups.fieldName(field) : fieldKey,
          from: field
            ? lookups.customValue(field, from[fieldKey])
            : formatValue('', from[fieldKey], t, currency, lookups),
          to: field
            ? lookups.customValue(field, to[fieldKey])
            : formatValue('', to[fieldKey], t, currency, lookups),
        });
      }
      continue;
    }
    rows.push({
      key,
      label: fieldLabel(key, t),
      from: formatValue(key, change?.from, t, currency, lookups),
      to: formatValue(key, change?.to, t, currency, lookups),
    });
  }
  return rows;
}

function describeChange(
  data: Record<string, unknown>,
  t: TFunction,
  currency: string,
  lookups: Lookups,
): View {
  const entity = isOneOf(ENTITIES, data.entity) ? data.entity : null;
  const action = isOneOf(ACTIONS, data.action) ? data.action : null;
  const changes = (data.changes && typeof data.changes === 'object' ? data.changes : {}) as Record<
    string,
    Change
  >;
  const name = asString(changes.name?.to) ?? asString(changes.name?.from) ?? '';
  const keys = Object.keys(changes);

  let title: string;
  if (action === 'reveal') {
    // Which sensitive field's full value was shown (the value itself is never in the log).
    const key = keys[0] ?? '';
    const custom = key.startsWith('custom:')
      ? lookups.fields.find((field) => `custom:${field.key}` === key)
      : undefined;
    title = t('timeline.change.customer.reveal', {
      field: custom ? lookups.fieldName(custom) : fieldLabel(key, t),
    });
  } else if (entity === 'customer' && action === 'update' && keys.length === 1 && keys[0] === 'archived_at') {
    title = t(
      changes.archived_at?.to ? 'timeline.change.customer.archived' : 'timeline.change.customer.restored',
    );
  } else if (entity && action) {
    title = t(`timeline.change.${entity}.${action}`, { name });
  } else {
    title = t('timeline.change.other', { entity: String(data.entity), action: String(data.action) });
  }

  const icon =
    entity === 'contact' && action === 'create' ? (
      <UserAddOutlined />
    ) : entity === 'contact' && action === 'delete' ? (
      <UserDeleteOutlined />
    ) : (
      <EditOutlined />
    );
  // A creation or deletion is its title; an update lists each field from → to.
  const details =
    action === 'update' && !(entity === 'customer' && keys.length === 1 && keys[0] === 'archived_at') ? (
      <Flex vertical gap={2} data-testid="timeline-changes">
        {changeRows(changes, t, currency, lookups).map((row) => (
          <Typography.Text key={row.key}>
            <Typography.Text type="secondary">
              {row.label}
              {t('common.colon')}
            </Typography.Text>
            <ChangeValue value={row.from} />
            <Typography.Text type="secondary">{' → '}</Typography.Text>
            <ChangeValue value={row.to} />
          </Typography.Text>
        ))}
      </Flex>
    ) : undefined;

  return {
    color: action === 'delete' ? 'red' : 'gray',
    icon,
    title: <Typography.Text strong>{title}</Typography.Text>,
    details,
  };
}

function ChangeValue({ value }: { value: string | null }) {
  const { t } = useTranslation();
  if (value === null) return <Typography.Text type="secondary">{t('timeline.emptyValue')}</Typography.Text>;
  return value.length > MAX_VALUE_LENGTH ? (
    <Typography.Text title={value}>{`${value.slice(0, MAX_VALUE_LENGTH)}…`}</Typography.Text>
  ) : (
    <Typography.Text>{value}</Typography.Text>
  );
}

/** The label of an audited column: the translated one for the fields we know, else the raw key. */
function fieldLabel(key: string, t: TFunction): string {
  return t(`timeline.fields.${key}` as 'timeline.fields.name', { defaultValue: key });
}

const MONEY_FIELDS = new Set(['amount', 'profit', 'purchase_plan_amount']);

/** A changed value as text, translated where it is one of our enums; null for an empty one. */
function formatValue(
  key: string,
  value: unknown,
  t: TFunction,
  currency: string,
  lookups: Lookups,
): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (key === 'tag_ids' && Array.isArray(value)) {
    if (value.length === 0) return null;
    return value
      .map((id) => lookups.tags.get(String(id))?.name ?? String(id).slice(0, 8))
      .join(t('customFields.separator'));
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return value
      .map((item) =>
        item && typeof item === 'object'
          ? Object.values(item as Record<string, unknown>)
              .filter((part) => typeof part === 'string' && part)
              .join(' ')
          : String(item),
      )
      .join(t('common.listSeparator'));
  }
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  // Numbers arrive as JSON numbers from the audit log; shown from their text, never computed with.
  const text = String(value);
  if (MONEY_FIELDS.has(key)) return formatMoney(text, currency);
  if (key === 'kind' && (text === 'person' || text === 'company')) return t(`customers.kind.${text}`);
  if (key === 'status' && isOneOf(ORDER_STATUSES, text)) return t(`orders.status.${text}`);
  if (key === 'payment_method' && isOneOf(PAYMENT_METHODS, text)) return t(`orders.paymentMethod.${text}`);
  if (key === 'sentiment' && isOneOf(SENTIMENTS, text)) return t(`interactions.sentiment.${text}`);
  if (key === 'birthday_calendar' && (text === 'solar' || text === 'lunar'))
    return t(`birthdayCalendar.${text}`);
  if (key === 'need_type' && (text === 'product' || text === 'service' || text === 'both'))
    return t(`systemTags.need.${text}`);
  if (key === 'owner_user_id')
    return lookups.members.find((member) => member.userId === text)?.name ?? text.slice(0, 8);
  if (ISO_TIME.test(text)) return formatDateTime(text);
  return text;
}
