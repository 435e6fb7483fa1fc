import { randomBytes, randomUUID } from 'node:crypto';
import { hasPermission } from '@crm/auth';
import type { TicketStatus } from '@crm/db';
import {
  closureRate,
  DEFAULT_TICKET_ESCALATION,
  localDayOf,
  meanHours,
  pauseSlaClock,
  readTicketSla,
  resolveTicketSla,
  resumeSlaClock,
  type SlaClock,
  slaMetRate,
  slaStageAt,
  startSlaClock,
  type TicketSlaPolicy,
  type WorkCalendar,
} from '@crm/domain';
import type { JobQueue } from '@crm/jobs';
import { resolveSettingRefs, type TicketsDefinition, tierModelOf } from '@crm/plugin-sdk';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { assertContactOfCustomer } from '../contacts/contacts.service';
import { getCustomer } from '../customers/customers.service';
import { emailSettings } from '../email/email.settings';
import { appError } from '../errors';
import { getInteraction } from '../interactions/interactions.service';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import { signPublicLink } from '../lead-events/public-links';
import { notifyUsers } from '../notifications/notifications.service';
import { effectiveSettings, tenantProfileId } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope, type MemberScope, type Scope } from '../scope';
import { getCipher } from '../sensitive/sensitive.service';
import { completeGeneratedTasks, createTasks, type NewTask } from '../tasks/task-backbone.service';
import { recordWebhookEvent, recordWebhookEvents } from '../webhooks/webhooks.service';
import {
  applySlaScan,
  claimInboundMessage,
  countTickets,
  deleteSlaPolicy,
  insertAttachment,
  insertTicket,
  insertTicketEvents,
  type NewTicketEvent,
  rotateInboundSettings,
  type SlaScanUpdate,
  saveSlaPolicy,
  selectAttachmentFile,
  selectAttachments,
  selectCategories,
  selectEscalationManagers,
  selectInboundMessages,
  selectInboundSettings,
  selectMember,
  selectPolicies,
  selectSenderCustomer,
  selectThreadTicket,
  selectTicket,
  selectTicketEvents,
  selectTicketKpis,
  selectTicketPage,
  selectTicketsDue,
  setInboundOutcome,
  type TicketRow,
  type TicketSlaColumns,
  ticketScopeOf,
  updateTicketRow,
  upsertCategory,
} from './tickets.repository';
import type {
  AssignTicketInput,
  CreateFromInteractionInput,
  CreateTicketInput,
  InboundEmailRotatedOutput,
  InboundEmailSettingsOutput,
  ListTicketsInput,
  MoveTicketInput,
  ReplyTicketInput,
  SaveTicketCategoryInput,
  SaveTicketSlaPolicyInput,
  TicketCategoryOutput,
  TicketCountsOutput,
  TicketDetailOutput,
  TicketKpiRow,
  TicketKpisInput,
  TicketKpisOutput,
  TicketOutput,
  TicketPageOutput,
  TicketSettingsOutput,
  TicketSlaOutput,
  UpdateTicketInput,
} from './tickets.schemas';
import {
  clockOf,
  type Escalation,
  missed,
  pausesOf,
  scheduleInputOf,
  scheduleOf,
  storedMilestones,
  type TicketSlaConfig,
} from './tickets.sla';

/**
 * The use cases of tickets (工单): open one (from the customer page, a complaint interaction,
 * an inbound email, the API), work it (reply, note, the customer's reply, status moves,
 * assignment), the SLA clock on the tenant's work calendar and the scan that warns, marks
 * breaches and escalates, the settings (categories, SLA policies) and the KPIs. Each runs in
 * the caller's transaction.
 */

/** What ticket use cases need beyond the scope: the industry plugins and the job queue. */
export type TicketDependencies = {
  plugins: PluginRegistry | undefined;
  jobs: Pick<JobQueue<TicketJobs>, 'enqueue'>;
};

/** The jobs of tickets. `tickets.closed` is the hook other capabilities (a CSAT survey) act on. */
export type TicketJobs = {
  'tickets.sla-scan-all': Record<string, never>;
  'tickets.sla-scan-tenant': { tenantId: string; at?: string };
  /** A ticket was closed: `{ tenantId, ticketId, customerId, contactId, closedAt }`. Handled by surveys. */
  'tickets.closed': {
    tenantId: string;
    ticketId: string;
    customerId: string;
    contactId: string | null;
    closedAt: string;
  };
};

const TICKET = 'ticket' as const;

// ---------------------------------------------------------------------------------------------
// Configuration: the plugin's categories and policies, the tenant's.

/** The plugin's ticket contribution with its settings read, and its tiers' labels. */
export async function pluginTicketConfig(
  scope: Scope,
  registry: PluginRegistry | undefined,
): Promise<TicketSlaConfig> {
  const empty: TicketSlaConfig = {
    categories: [],
    policies: [],
    escalation: DEFAULT_TICKET_ESCALATION,
    tiers: [],
  };
  if (!registry) return empty;
  const plugin = registry.get(await tenantProfileId(scope.trx, scope.tenantId));
  if (!plugin) return empty;
  const tiers = plugin.tierModel
    ? tierModelOf(plugin).tiers.map((tier) => ({
        key: tier.key,
        labelZh: tier.labels['zh-CN'],
        labelEn: tier.labels.en,
      }))
    : [];
  if (!plugin.tickets) return { ...empty, tiers };
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry).catch(() => null);
  const missing: { path: string; setting: string }[] = [];
  const resolved = resolveSettingRefs(
    plugin.tickets,
    effective?.settings ?? {},
    'tickets',
    missing,
  ) as TicketsDefinition<string> & {
    slaPolicies?: readonly { firstResponseHours: number; resolutionHours: number }[];
  };
  const policies: TicketSlaPolicy[] = [];
  for (const policy of plugin.tickets.slaPolicies ?? []) {
    const index = (plugin.tickets.slaPolicies ?? []).indexOf(policy);
    const numbers = resolved.slaPolicies?.[index];
    if (!numbers || !Number.isFinite(numbers.firstResponseHours) || !Number.isFinite(numbers.resolutionHours))
      continue;
    for (const tier of policy.tiers ?? [null]) {
      policies.push({
        priority: policy.priority ?? null,
        tier,
        firstResponseMinutes: Math.round(numbers.firstResponseHours * 60),
        resolutionMinutes: Math.round(numbers.resolutionHours * 60),
        mode: policy.mode ?? null,
      });
    }
  }
  const number = (value: unknown, fallback: number) =>
    typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  return {
    categories: (plugin.tickets.categories ?? []).map((category) => ({
      key: category.key,
      labelZh: category.labels['zh-CN'],
      labelEn: category.labels.en,
    })),
    policies,
    escalation: {
      warnAtPercent: number(resolved.warnAtPercent, DEFAULT_TICKET_ESCALATION.warnAtPercent),
      escalateAtPercent: number(resolved.escalateAtPercent, DEFAULT_TICKET_ESCALATION.escalateAtPercent),
    },
    tiers,
  };
}

async function tenantPolicies(scope: Scope): Promise<TicketSlaPolicy[]> {
  return (await selectPolicies(scope)).map((row) => ({
    priority: row.priority,
    tier: row.tier,
    firstResponseMinutes: row.first_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    mode: row.mode,
  }));
}

/** Every category: the plugin's (unless hidden) and the tenant's own, in order. */
async function listCategories(scope: Scope, config: TicketSlaConfig): Promise<TicketCategoryOutput[]> {
  const rows = await selectCategories(scope);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const pluginKeys = new Set(config.categories.map((category) => category.key));
  return [
    ...config.categories.map((category) => ({
      key: category.key,
      labelZh: category.labelZh,
      labelEn: category.labelEn,
      origin: 'plugin' as const,
      hidden: byKey.get(category.key)?.hidden ?? false,
    })),
    ...rows
      .filter((row) => !pluginKeys.has(row.key) && row.label_zh && row.label_en)
      .map((row) => ({
        key: row.key,
        labelZh: row.label_zh as string,
        labelEn: row.label_en as string,
        origin: 'tenant' as const,
        hidden: row.hidden,
      })),
  ];
}

async function assertCategory(scope: Scope, config: TicketSlaConfig, key: string | null | undefined) {
  if (!key) return;
  const categories = await listCategories(scope, config);
  if (!categories.some((category) => category.key === key && !category.hidden))
    throw appError('TICKET_CATEGORY_UNKNOWN', { key }, 'category');
}

export async function getTicketSettings(
  scope: Scope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
): Promise<TicketSettingsOutput> {
  const config = await pluginTicketConfig(scope, dependencies.plugins);
  const calendar = await loadWorkCalendar(scope);
  const own = await selectPolicies(scope);
  return {
    categories: await listCategories(scope, config),
    policies: [
      ...own.map((row) => ({
        id: row.id,
        origin: 'tenant' as const,
        priority: row.priority,
        tier: row.tier,
        firstResponseMinutes: row.first_response_minutes,
        resolutionMinutes: row.resolution_minutes,
        mode: row.mode,
      })),
      ...config.policies.map((policy) => ({ id: null, origin: 'plugin' as const, ...policy })),
      {
        id: null,
        origin: 'default' as const,
        priority: null,
        tier: null,
        firstResponseMinutes: 24 * 60,
        resolutionMinutes: 72 * 60,
        mode: null,
      },
    ],
    tiers: config.tiers,
    warnAtPercent: config.escalation.warnAtPercent,
    escalateAtPercent: config.escalation.escalateAtPercent,
    defaultMode: calendar.slaMode,
  };
}

export async function saveTicketCategory(
  scope: MemberScope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
  input: SaveTicketCategoryInput,
): Promise<TicketSettingsOutput> {
  const config = await pluginTicketConfig(scope, dependencies.plugins);
  if (config.categories.some((category) => category.key === input.key))
    throw appError('TICKET_CATEGORY_PLUGIN', {}, 'key');
  await upsertCategory(scope, {
    key: input.key,
    labelZh: input.labelZh,
    labelEn: input.labelEn,
    hidden: false,
  });
  return getTicketSettings(scope, dependencies);
}

export async function hideTicketCategory(
  scope: MemberScope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
  input: { key: string; hidden: boolean },
): Promise<TicketSettingsOutput> {
  const config = await pluginTicketConfig(scope, dependencies.plugins);
  const categories = await listCategories(scope, config);
  if (!categories.some((category) => category.key === input.key))
    throw appError('TICKET_CATEGORY_UNKNOWN', { key: input.key }, 'key');
  await upsertCategory(scope, { key: input.key, labelZh: null, labelEn: null, hidden: input.hidden });
  return getTicketSettings(scope, dependencies);
}

export async function saveTicketSlaPolicy(
  scope: MemberScope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
  input: SaveTicketSlaPolicyInput,
): Promise<TicketSettingsOutput> {
  if (input.tier) {
    const config = await pluginTicketConfig(scope, dependencies.plugins);
    if (!config.tiers.some((tier) => tier.key === input.tier))
      throw appError('TICKET_TIER_UNKNOWN', { key: input.tier }, 'tier');
  }
  const saved = await saveSlaPolicy(scope, {
    ...(input.id && { id: input.id }),
    priority: input.priority,
    tier: input.tier,
    first_response_minutes: input.firstResponseMinutes,
    resolution_minutes: input.resolutionMinutes,
    mode: input.mode,
  });
  if (saved === 'TAKEN') throw appError('TICKET_SLA_POLICY_TAKEN', {}, 'priority');
  if (saved === undefined) throw appError('TICKET_SLA_POLICY_NOT_FOUND');
  return getTicketSettings(scope, dependencies);
}

export async function removeTicketSlaPolicy(
  scope: MemberScope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
  id: string,
): Promise<TicketSettingsOutput> {
  if ((await deleteSlaPolicy(scope, id)) === 0) throw appError('TICKET_SLA_POLICY_NOT_FOUND');
  return getTicketSettings(scope, dependencies);
}

// ---------------------------------------------------------------------------------------------
// Reading.

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

function slaOutput(
  calendar: WorkCalendar,
  row: TicketRow,
  escalation: Escalation,
  now: Date,
): TicketSlaOutput {
  const reading = readTicketSla(
    calendar,
    {
      clock: clockOf(row),
      mode: row.sla_mode,
      firstResponseMinutes: row.first_response_minutes,
      resolutionMinutes: row.resolution_minutes,
      firstRespondedAt: row.first_responded_at,
      firstResponseBreached: row.first_response_breached,
      resolvedAt: row.resolved_at,
      resolutionBreached: row.resolution_breached,
      escalation,
    },
    now,
  );
  return {
    state: reading.state,
    clock: reading.clock,
    dueAt: iso(reading.dueAt),
    remainingMs: reading.remainingMs,
    mode: row.sla_mode,
    firstResponseMinutes: row.first_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    policy: row.sla_policy,
    firstResponseDueAt: iso(row.first_response_due_at),
    resolutionDueAt: iso(row.resolution_due_at),
    firstRespondedAt: iso(row.first_responded_at),
    firstResponseBreached: row.first_response_breached,
    resolutionBreached: row.resolution_breached,
    pausedAt: iso(row.sla_paused_at),
  };
}

function toOutput(calendar: WorkCalendar, row: TicketRow, escalation: Escalation, now: Date): TicketOutput {
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    category: row.category,
    subject: row.subject,
    customerId: row.customer_id,
    customerName: row.customer_name,
    customerTier: row.customer_tier,
    contactId: row.contact_id,
    contactName: row.contact_name,
    priority: row.priority,
    channel: row.channel,
    status: row.status,
    assigneeUserId: row.assignee_user_id,
    assigneeName: row.assignee_name,
    teamId: row.team_id,
    source: row.source,
    interactionId: row.interaction_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    sla: slaOutput(calendar, row, escalation, now),
  };
}

/** The escalation shares in force (the plugin's); cheap to read once per request. */
async function escalationOf(scope: Scope, registry: PluginRegistry | undefined): Promise<Escalation> {
  return (await pluginTicketConfig(scope, registry)).escalation;
}

export async function listTickets(
  scope: Scope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
  input: ListTicketsInput,
): Promise<TicketPageOutput> {
  const now = new Date();
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const [calendar, escalation, rows] = await Promise.all([
    loadWorkCalendar(scope),
    escalationOf(scope, dependencies.plugins),
    selectTicketPage(scope, input, now, after, input.limit + 1),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toOutput(calendar, row, escalation, now)),
    nextCursor:
      rows.length > input.limit && last ? encodeTimestampCursor(last.created_at_text, last.id) : null,
  };
}

export async function ticketCounts(scope: Scope): Promise<TicketCountsOutput> {
  const counts = await countTickets(scope, new Date());
  return {
    mine: counts.mine,
    unassigned: counts.unassigned,
    atRisk: counts.at_risk,
    breached: counts.breached,
  };
}

async function ticketOrThrow(scope: Scope, id: string, lock = false): Promise<TicketRow> {
  const row = await selectTicket(scope, id, lock);
  if (!row) throw appError('TICKET_NOT_FOUND');
  return row;
}

/** The statuses a ticket may move to from its own. */
export const TICKET_MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['in_progress', 'waiting_on_customer', 'resolved', 'closed'],
  in_progress: ['waiting_on_customer', 'resolved', 'closed'],
  waiting_on_customer: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

/** Whether the actor may work this ticket: tickets.work, and it is theirs, nobody's, or they manage tickets. */
function mayWork(scope: Scope, row: TicketRow): boolean {
  if (scope.role === null) return true;
  if (!hasPermission(scope.role, 'tickets.work')) return false;
  return (
    row.assignee_user_id === null ||
    row.assignee_user_id === scope.userId ||
    hasPermission(scope.role, 'tickets.manage')
  );
}

function assertMayWork(scope: Scope, row: TicketRow): void {
  if (scope.role !== null && !hasPermission(scope.role, 'tickets.work')) throw appError('FORBIDDEN');
  if (!mayWork(scope, row)) throw appError('TICKET_NOT_YOURS');
}

export async function getTicket(
  scope: Scope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
  id: string,
): Promise<TicketDetailOutput> {
  const now = new Date();
  const row = await ticketOrThrow(scope, id);
  const [calendar, escalation, events, attachments] = await Promise.all([
    loadWorkCalendar(scope),
    escalationOf(scope, dependencies.plugins),
    selectTicketEvents(scope, id),
    selectAttachments(scope, id),
  ]);
  const canWork = mayWork(scope, row);
  return {
    ticket: toOutput(calendar, row, escalation, now),
    description: row.description,
    events: events.map((event) => ({
      id: event.id,
      kind: event.kind,
      authorUserId: event.author_user_id,
      authorName: event.author_name,
      body: event.body,
      fromStatus: event.from_status,
      toStatus: event.to_status,
      data: event.data ?? {},
      createdAt: new Date(event.created_at).toISOString(),
    })),
    attachments: attachments.map((attachment) => ({
      id: attachment.id,
      fileName: attachment.file_name,
      contentType: attachment.content_type,
      size: attachment.size,
      createdAt: new Date(attachment.created_at).toISOString(),
      createdByName: attachment.created_by_name,
    })),
    moves: canWork ? [...TICKET_MOVES[row.status]] : [],
    canWork,
    canAssign: scope.role === null || hasPermission(scope.role, 'tickets.manage'),
  };
}

/** The detail of a ticket the member just gave out of their sight: read, but no longer theirs to work. */
async function getTicketAsSystem(
  scope: Scope,
  dependencies: Pick<TicketDependencies, 'plugins'>,
  id: string,
): Promise<TicketDetailOutput> {
  const detail = await getTicket(
    jobScope(scope.trx, scope.tenantId, { locale: scope.locale }),
    dependencies,
    id,
  );
  return { ...detail, moves: [], canWork: false, canAssign: false };
}

// ---------------------------------------------------------------------------------------------
// Opening.

/**
 * The assignee a member may give a ticket to, with their team: nobody, themselves (with
 * tickets.work), or — with tickets.manage — a member in their reach (anyone for an admin,
 * their team for a manager). A member of another tenant answers like one that does not exist.
 */
async function assignable(
  scope: Scope,
  userId: string | null,
): Promise<{ userId: string | null; teamId: string | null }> {
  if (userId === null) return { userId: null, teamId: null };
  const member = await selectMember(scope, userId);
  const manage = scope.role === null || hasPermission(scope.role, 'tickets.manage');
  if (userId !== scope.userId && !manage) {
    if (!member) throw appError('TICKET_ASSIGNEE_INVALID', {}, 'assigneeUserId');
    throw appError('FORBIDDEN');
  }
  if (!member) throw appError('TICKET_ASSIGNEE_INVALID', {}, 'assigneeUserId');
  if (userId === scope.userId && scope.role !== null && !hasPermission(scope.role, 'tickets.work') && !manage)
    throw appError('FORBIDDEN');
  const reach = ticketScopeOf(scope);
  if (reach !== 'all' && userId !== scope.userId && member.teamId !== scope.access.teamId)
    throw appError('TICKET_ASSIGNEE_INVALID', {}, 'assigneeUserId');
  return { userId, teamId: member.teamId };
}

type OpenTicket = {
  type: CreateTicketInput['type'];
  category: string | null;
  subject: string;
  description: string | null;
  customerId: string;
  contactId: string | null;
  priority: CreateTicketInput['priority'];
  channel: CreateTicketInput['channel'];
  assigneeUserId: string | null;
  interactionId: string | null;
  source: 'manual' | 'interaction' | 'email' | 'api';
  /** The SLA clock's start (the complaint's time, the email's arrival); defaults to now. */
  at?: Date;
};

/**
 * Opens a ticket on its SLA clock: the targets of the most specific policy for its priority
 * and its customer's tier, the milestones on the work calendar, a 'created' event, and the
 * assignee told. The team is the assignee's, else the opener's when they work tickets.
 */
async function openTicket(
  scope: Scope,
  dependencies: TicketDependencies,
  ticket: OpenTicket,
): Promise<string> {
  const customer = await getCustomer(scope, ticket.customerId);
  if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  if (ticket.contactId)
    await assertContactOfCustomer(scope, ticket.customerId, ticket.contactId, 'contactId');
  const config = await pluginTicketConfig(scope, dependencies.plugins);
  await assertCategory(scope, config, ticket.category);
  const assignee = await assignable(scope, ticket.assigneeUserId);
  let teamId = assignee.teamId;
  if (!assignee.userId && scope.userId && scope.role && hasPermission(scope.role, 'tickets.work'))
    teamId = scope.access.teamId;
  const calendar = await loadWorkCalendar(scope);
  const sla = resolveTicketSla(
    await tenantPolicies(scope),
    config.policies,
    { priority: ticket.priority, tier: customer.tier },
    calendar.slaMode,
  );
  const at = ticket.at ?? new Date();
  const clock = startSlaClock(at);
  const schedule = scheduleOf(
    calendar,
    {
      clock,
      mode: sla.mode,
      firstResponseMinutes: sla.firstResponseMinutes,
      resolutionMinutes: sla.resolutionMinutes,
      responded: false,
      resolved: false,
      firstResponseStage: 0,
      resolutionStage: 0,
    },
    config.escalation,
  );
  const id = await insertTicket(scope, {
    type: ticket.type,
    category: ticket.category,
    subject: ticket.subject,
    description: ticket.description,
    customerId: ticket.customerId,
    contactId: ticket.contactId,
    priority: ticket.priority,
    channel: ticket.channel,
    assigneeUserId: assignee.userId,
    teamId,
    interactionId: ticket.interactionId,
    source: ticket.source,
    slaStartedAt: at,
    sla: {
      sla_mode: sla.mode,
      sla_policy: sla.source,
      first_response_minutes: sla.firstResponseMinutes,
      resolution_minutes: sla.resolutionMinutes,
      ...schedule,
    },
  });
  if (id === 'INTERACTION_TAKEN') throw appError('TICKET_INTERACTION_TAKEN', {}, 'interactionId');
  await insertTicketEvents(scope, [
    { ticketId: id, kind: 'created', authorUserId: scope.userId, data: { source: ticket.source }, at },
  ]);
  if (assignee.userId && assignee.userId !== scope.userId) {
    await tellAssignee(scope, {
      id,
      number: (await ticketOrThrow(scope, id)).number,
      subject: ticket.subject,
      customerName: customer.name,
      assigneeUserId: assignee.userId,
      round: 0,
    });
  }
  await recordWebhookEvent(scope, 'ticket.created', {
    id,
    subject: ticket.subject,
    type: ticket.type,
    priority: ticket.priority,
    channel: ticket.channel,
    customerId: ticket.customerId,
    status: 'new',
  });
  return id;
}

async function tellAssignee(
  scope: Scope,
  ticket: {
    id: string;
    number: number;
    subject: string;
    customerName: string;
    assigneeUserId: string;
    round: number;
  },
): Promise<void> {
  await notifyUsers(scope, [
    {
      userId: ticket.assigneeUserId,
      kind: 'ticket_assigned',
      message: 'ticket_assigned',
      params: { number: ticket.number, subject: ticket.subject, customer: ticket.customerName },
      link: `/tickets/${ticket.id}`,
      entity: { kind: TICKET, id: ticket.id },
      dedupKey: `ticket_assigned:${ticket.id}:${ticket.assigneeUserId}:${ticket.round}`,
    },
  ]);
}

export async function createTicket(
  scope: Scope,
  dependencies: TicketDependencies,
  input: CreateTicketInput,
): Promise<TicketDetailOutput> {
  const id = await openTicket(scope, dependencies, {
    type: input.type,
    category: input.category ?? null,
    subject: input.subject,
    description: input.description ?? null,
    customerId: input.customerId,
    contactId: input.contactId ?? null,
    priority: input.priority,
    channel: input.channel,
    assigneeUserId: input.assigneeUserId ?? null,
    interactionId: null,
    source: 'manual',
  });
  return getTicket(scope, dependencies, id);
}

const INTERACTION_CHANNEL = {
  call: 'phone',
  visit: 'visit',
  message: 'wechat',
  email: 'email',
  meeting: 'visit',
  event: 'other',
} as const;

/**
 * One click on a complaint interaction: a complaint ticket about its customer and contact,
 * its summary as the subject and description, the channel from its kind, its SLA clock
 * started when the complaint was made (the interaction's time). Once per interaction.
 */
export async function createTicketFromInteraction(
  scope: Scope,
  dependencies: TicketDependencies,
  input: CreateFromInteractionInput,
): Promise<TicketDetailOutput> {
  const interaction = await getInteraction(scope, input.interactionId);
  const summary = interaction.summary.replace(/\s+/g, ' ').trim();
  const subject = summary.length > 80 ? `${summary.slice(0, 79)}…` : summary;
  const description = interaction.outcome
    ? `${interaction.summary}\n\n${interaction.outcome}`
    : interaction.summary;
  const occurred = new Date(interaction.occurredAt);
  const id = await openTicket(scope, dependencies, {
    type: interaction.sentiment === 'complaint' ? 'complaint' : 'feedback',
    category: input.category ?? null,
    subject: subject || '投诉',
    description: description.slice(0, 10000),
    customerId: interaction.customerId,
    contactId: interaction.contactId,
    priority: input.priority ?? 'high',
    channel: INTERACTION_CHANNEL[interaction.kind],
    assigneeUserId: null,
    interactionId: interaction.id,
    source: 'interaction',
    // A complaint logged late still runs from when it was made, never from the future.
    at: occurred.getTime() < Date.now() ? occurred : new Date(),
  });
  return getTicket(scope, dependencies, id);
}

// ---------------------------------------------------------------------------------------------
// Working.

export async function updateTicket(
  scope: Scope,
  dependencies: TicketDependencies,
  input: UpdateTicketInput,
): Promise<TicketDetailOutput> {
  const row = await ticketOrThrow(scope, input.id, true);
  assertMayWork(scope, row);
  if (row.status === 'closed') throw appError('TICKET_CLOSED');
  const config = await pluginTicketConfig(scope, dependencies.plugins);
  if (input.category !== undefined) await assertCategory(scope, config, input.category);
  if (input.contactId) await assertContactOfCustomer(scope, row.customer_id, input.contactId, 'contactId');
  const values: Parameters<typeof updateTicketRow>[2] = {
    ...(input.subject !== undefined && { subject: input.subject }),
    ...(input.type !== undefined && { type: input.type }),
    ...(input.category !== undefined && { category: input.category }),
    ...(input.contactId !== undefined && { contact_id: input.contactId }),
  };
  const changed: Record<string, string | null> = {};
  if (input.priority !== undefined && input.priority !== row.priority) {
    // A new priority takes its policy's targets on the same clock; milestones already passed fire at the next scan.
    const calendar = await loadWorkCalendar(scope);
    const customer = await getCustomer(scope, row.customer_id);
    const sla = resolveTicketSla(
      await tenantPolicies(scope),
      config.policies,
      { priority: input.priority, tier: customer.tier },
      calendar.slaMode,
    );
    const clock = clockOf(row);
    const stages = {
      firstResponseStage: row.first_response_breached ? 3 : 0,
      resolutionStage: row.resolution_breached ? 3 : 0,
    };
    Object.assign(values, {
      priority: input.priority,
      sla_mode: sla.mode,
      sla_policy: sla.source,
      first_response_minutes: sla.firstResponseMinutes,
      resolution_minutes: sla.resolutionMinutes,
      first_response_stage: stages.firstResponseStage,
      resolution_stage: stages.resolutionStage,
      ...scheduleOf(
        calendar,
        scheduleInputOf(row, {
          clock,
          mode: sla.mode,
          firstResponseMinutes: sla.firstResponseMinutes,
          resolutionMinutes: sla.resolutionMinutes,
          ...stages,
        }),
        config.escalation,
      ),
    });
    changed.priority = input.priority;
  }
  if (input.category !== undefined && input.category !== row.category) changed.category = input.category;
  if (input.type !== undefined && input.type !== row.type) changed.type = input.type;
  if (input.subject !== undefined && input.subject !== row.subject) changed.subject = input.subject;
  await updateTicketRow(scope, row.id, values);
  if (Object.keys(changed).length > 0)
    await insertTicketEvents(scope, [
      { ticketId: row.id, kind: 'updated', authorUserId: scope.userId, data: changed },
    ]);
  return getTicket(scope, dependencies, row.id);
}

export async function assignTicket(
  scope: Scope,
  dependencies: TicketDependencies,
  input: AssignTicketInput,
): Promise<TicketDetailOutput> {
  const row = await ticketOrThrow(scope, input.id, true);
  const manage = scope.role === null || hasPermission(scope.role, 'tickets.manage');
  // Taking an unassigned ticket, or giving back one's own, needs tickets.work; anything else tickets.manage.
  const selfService =
    (input.assigneeUserId === scope.userId && row.assignee_user_id === null) ||
    (input.assigneeUserId === null && row.assignee_user_id === scope.userId);
  if (!manage && !selfService) throw appError('FORBIDDEN');
  assertMayWork(scope, row);
  if (row.status === 'closed') throw appError('TICKET_CLOSED');
  const assignee = await assignable(scope, input.assigneeUserId);
  if (assignee.userId === row.assignee_user_id) return getTicket(scope, dependencies, row.id);
  await updateTicketRow(scope, row.id, {
    assignee_user_id: assignee.userId,
    team_id: assignee.userId ? assignee.teamId : row.team_id,
  });
  await insertTicketEvents(scope, [
    {
      ticketId: row.id,
      kind: 'assigned',
      authorUserId: scope.userId,
      data: { from: row.assignee_user_id, to: assignee.userId },
    },
  ]);
  if (assignee.userId && assignee.userId !== scope.userId) {
    await tellAssignee(scope, {
      id: row.id,
      number: row.number,
      subject: row.subject,
      customerName: row.customer_name,
      assigneeUserId: assignee.userId,
      round: row.reopened_count,
    });
  }
  // Given to someone out of the member's sight, the ticket is no longer theirs to read.
  return (await selectTicket(scope, row.id))
    ? getTicket(scope, dependencies, row.id)
    : getTicketAsSystem(scope, dependencies, row.id);
}

type Change = {
  values: Parameters<typeof updateTicketRow>[2];
  events: NewTicketEvent[];
  closeTasks: string[];
};

/** The SLA columns after the clock stops at `now` (waiting on the customer, resolved), with breaches recorded. */
function stopClock(
  calendar: WorkCalendar,
  row: TicketRow,
  now: Date,
): { clock: SlaClock; values: TicketSlaColumns } {
  const clock = pauseSlaClock(clockOf(row), now);
  const firstResponse = missed(calendar, clock, now, row.first_response_minutes, row.sla_mode);
  const resolution = missed(calendar, clock, now, row.resolution_minutes, row.sla_mode);
  return {
    clock,
    values: {
      sla_pauses: pausesOf(clock),
      sla_paused_at: now,
      first_response_warn_at: null,
      first_response_due_at: null,
      first_response_escalate_at: null,
      resolution_warn_at: null,
      resolution_due_at: null,
      resolution_escalate_at: null,
      sla_next_at: null,
      first_response_breached:
        row.first_response_breached || (row.first_responded_at === null && firstResponse.missed),
      resolution_breached: row.resolution_breached || resolution.missed,
    },
  };
}

/** The SLA columns after the clock runs again at `now`. */
function runClock(
  calendar: WorkCalendar,
  row: TicketRow,
  now: Date,
  escalation: Escalation,
  changes: { resolved?: boolean; resolutionStage?: number } = {},
): TicketSlaColumns {
  const clock = resumeSlaClock(clockOf(row), now);
  return {
    sla_pauses: pausesOf(clock),
    sla_paused_at: null,
    ...scheduleOf(calendar, scheduleInputOf(row, { clock, ...changes }), escalation),
  };
}

/** What a status move does to the row, its SLA clock and its timeline. */
function moveChange(
  scope: Scope,
  calendar: WorkCalendar,
  row: TicketRow,
  to: TicketStatus,
  now: Date,
  escalation: Escalation,
  comment: string | null,
): Change {
  if (!TICKET_MOVES[row.status].includes(to))
    throw appError('TICKET_MOVE_INVALID', { from: row.status, to }, 'to');
  const values: Change['values'] = { status: to };
  const closeTasks: string[] = [];
  const paused = row.sla_paused_at !== null;
  const reopening = row.status === 'resolved' || row.status === 'closed';
  if (to === 'waiting_on_customer' && !paused) {
    Object.assign(values, stopClock(calendar, row, now).values);
  } else if ((to === 'resolved' || to === 'closed') && !reopening) {
    const stopped = paused ? { clock: clockOf(row), values: {} } : stopClock(calendar, row, now);
    const clock = stopped.clock;
    const resolution = missed(calendar, clock, now, row.resolution_minutes, row.sla_mode);
    Object.assign(values, stopped.values, {
      resolved_at: now,
      resolution_ms: resolution.elapsedMs,
      resolution_breached: row.resolution_breached || resolution.missed,
      sla_next_at: null,
    });
    // Resolving without a reply answers the customer too.
    if (row.first_responded_at === null) {
      const firstResponse = missed(calendar, clock, now, row.first_response_minutes, row.sla_mode);
      Object.assign(values, {
        first_responded_at: now,
        first_response_ms: firstResponse.elapsedMs,
        first_response_breached: row.first_response_breached || firstResponse.missed,
      });
    }
    closeTasks.push(`ticket:${row.id}:`);
  } else if (to === 'in_progress' && reopening) {
    const resolutionStage = row.resolution_breached ? 3 : 0;
    Object.assign(
      values,
      {
        resolved_at: null,
        resolution_ms: null,
        closed_at: null,
        reopened_count: row.reopened_count + 1,
        resolution_stage: resolutionStage,
      },
      runClock(calendar, row, now, escalation, { resolved: false, resolutionStage }),
    );
  } else if (to === 'in_progress' && paused) {
    Object.assign(values, runClock(calendar, row, now, escalation));
  }
  if (to === 'closed') values.closed_at = now;
  return {
    values,
    events: [
      {
        ticketId: row.id,
        kind: 'status',
        authorUserId: scope.userId,
        fromStatus: row.status,
        toStatus: to,
        body: comment,
        at: now,
      },
    ],
    closeTasks,
  };
}

const CLOSE_REASON = {
  'zh-CN': { answered: '工单已回复', resolved: '工单已解决' },
  en: { answered: 'The ticket was answered', resolved: 'The ticket was resolved' },
} as const;

async function applyChange(scope: Scope, dependencies: TicketDependencies, row: TicketRow, change: Change) {
  await updateTicketRow(scope, row.id, change.values);
  await insertTicketEvents(scope, change.events);
  if (change.closeTasks.length > 0) {
    const reason = change.values.resolved_at
      ? CLOSE_REASON[scope.locale].resolved
      : CLOSE_REASON[scope.locale].answered;
    await completeGeneratedTasks(scope, { kind: TICKET, id: row.id }, change.closeTasks, reason);
  }
  if (change.values.status === 'closed' && change.values.closed_at instanceof Date) {
    await recordWebhookEvent(scope, 'ticket.closed', {
      id: row.id,
      number: row.number,
      subject: row.subject,
      customerId: row.customer_id,
      from: row.status,
      closedAt: change.values.closed_at.toISOString(),
    });
    await dependencies.jobs.enqueue(
      'tickets.closed',
      {
        tenantId: scope.tenantId,
        ticketId: row.id,
        customerId: row.customer_id,
        contactId: row.contact_id,
        closedAt: change.values.closed_at.toISOString(),
      },
      { trx: scope.trx },
    );
  }
}

export async function moveTicket(
  scope: Scope,
  dependencies: TicketDependencies,
  input: MoveTicketInput,
): Promise<TicketDetailOutput> {
  const row = await ticketOrThrow(scope, input.id, true);
  assertMayWork(scope, row);
  const now = new Date();
  const [calendar, escalation] = await Promise.all([
    loadWorkCalendar(scope),
    escalationOf(scope, dependencies.plugins),
  ]);
  const change = moveChange(scope, calendar, row, input.to, now, escalation, input.comment ?? null);
  // Working a ticket from the queue takes it.
  if (row.assignee_user_id === null && scope.userId && input.to !== 'closed') {
    change.values.assignee_user_id = scope.userId;
    change.values.team_id = scope.access.teamId ?? row.team_id;
  }
  await applyChange(scope, dependencies, row, change);
  const moved = await getTicket(scope, dependencies, row.id);
  await recordWebhookEvent(scope, 'ticket.status_changed', {
    id: row.id,
    from: row.status,
    to: input.to,
    subject: row.subject,
    customerId: row.customer_id,
  });
  return moved;
}

/**
 * A reply to the customer (the first is the first response: its clock stops, its warning
 * tasks close, a new ticket moves to in progress, a queue ticket becomes the replier's), an
 * internal note, or the customer's reply (a ticket waiting on them runs again; a resolved
 * one reopens).
 */
export async function replyTicket(
  scope: Scope,
  dependencies: TicketDependencies,
  input: ReplyTicketInput,
  options: { at?: Date; authorUserId?: string | null } = {},
): Promise<TicketDetailOutput> {
  const row = await ticketOrThrow(scope, input.id, true);
  assertMayWork(scope, row);
  if (row.status === 'closed') throw appError('TICKET_CLOSED');
  const now = options.at ?? new Date();
  const [calendar, escalation] = await Promise.all([
    loadWorkCalendar(scope),
    escalationOf(scope, dependencies.plugins),
  ]);
  const author = options.authorUserId === undefined ? scope.userId : options.authorUserId;
  const change: Change = {
    values: {},
    events: [{ ticketId: row.id, kind: input.kind, authorUserId: author, body: input.body, at: now }],
    closeTasks: [],
  };
  if (input.kind === 'reply') {
    if (row.first_responded_at === null) {
      const result = missed(calendar, clockOf(row), now, row.first_response_minutes, row.sla_mode);
      const responded = { ...row, first_responded_at: now };
      Object.assign(change.values, {
        first_responded_at: now,
        first_response_ms: result.elapsedMs,
        first_response_breached: row.first_response_breached || result.missed,
        ...(row.sla_paused_at === null &&
          scheduleOf(calendar, scheduleInputOf(responded, { clock: clockOf(row) }), escalation)),
      });
      change.closeTasks.push(`ticket:${row.id}:first_response:`);
    }
    if (row.status === 'new') {
      const moved = moveChange(scope, calendar, row, 'in_progress', now, escalation, null);
      Object.assign(change.values, moved.values, change.values);
      change.events.unshift(...moved.events);
    }
    if (row.assignee_user_id === null && scope.userId) {
      change.values.assignee_user_id = scope.userId;
      change.values.team_id = scope.access.teamId ?? row.team_id;
    }
  } else if (input.kind === 'customer_reply') {
    if (row.status === 'waiting_on_customer' || row.status === 'resolved') {
      const moved = moveChange(scope, calendar, row, 'in_progress', now, escalation, null);
      Object.assign(change.values, moved.values);
      change.events.push(...moved.events.map((event) => ({ ...event, authorUserId: author })));
    }
  }
  await applyChange(scope, dependencies, row, change);
  // An internal note stays inside: only what passes between the team and the customer is announced.
  if (input.kind !== 'note') {
    await recordWebhookEvent(scope, 'ticket.replied', {
      id: row.id,
      number: row.number,
      subject: row.subject,
      customerId: row.customer_id,
      kind: input.kind,
      authorUserId: author,
      body: input.body,
      status: change.values.status ?? row.status,
      repliedAt: now.toISOString(),
    });
  }
  return getTicket(scope, dependencies, row.id);
}

// ---------------------------------------------------------------------------------------------
// Attachments.

/** The largest attachment (10 MB). */
export const TICKET_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * What a file is, by its first bytes (never by its name or the declared type): images, PDF,
 * ZIP-based Office documents and archives, legacy Office (OLE) and plain UTF-8 text. Anything
 * else (executables, scripts in HTML, unknown binaries) is refused.
 */
export function sniffContentType(bytes: Uint8Array, fileName: string): string | null {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (
    starts(0x52, 0x49, 0x46, 0x46) &&
    bytes[8] === 0x57 &&
    bytes[9] === 0x45 &&
    bytes[10] === 0x42 &&
    bytes[11] === 0x50
  )
    return 'image/webp';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    const extension = fileName.toLowerCase().split('.').pop();
    if (extension === 'docx')
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (extension === 'xlsx') return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    if (extension === 'pptx')
      return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
    return 'application/zip';
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'application/octet-stream';
  // Plain text: valid UTF-8 without NUL or other control characters but tabs and line breaks, and not markup.
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 64 * 1024));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return null;
    if (/^\s*<(!doctype|html|svg|script|\?xml)/i.test(text)) return null;
    return 'text/plain; charset=utf-8';
  } catch {
    return null;
  }
}

/** Stores a file on a ticket the member works, checked by size and content. */
export async function attachToTicket(
  scope: Scope,
  input: { ticketId: string; fileName: string; bytes: Uint8Array },
): Promise<{ id: string; contentType: string; size: number }> {
  const row = await ticketOrThrow(scope, input.ticketId, true);
  assertMayWork(scope, row);
  if (row.status === 'closed') throw appError('TICKET_CLOSED');
  if (input.bytes.byteLength === 0) throw appError('TICKET_ATTACHMENT_EMPTY');
  if (input.bytes.byteLength > TICKET_ATTACHMENT_MAX_BYTES)
    throw appError('TICKET_ATTACHMENT_TOO_LARGE', { megabytes: TICKET_ATTACHMENT_MAX_BYTES / 1048576 });
  const contentType = sniffContentType(input.bytes, input.fileName);
  if (!contentType) throw appError('TICKET_ATTACHMENT_TYPE');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  const fileName = input.fileName.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'attachment';
  const id = await insertAttachment(scope, { ticketId: row.id, fileName, contentType, bytes: input.bytes });
  await insertTicketEvents(scope, [
    {
      ticketId: row.id,
      kind: 'note',
      authorUserId: scope.userId,
      body: null,
      data: { attachment: fileName },
    },
  ]);
  return { id, contentType, size: input.bytes.byteLength };
}

/** An attachment of a ticket the member sees, for the download route. */
export async function openTicketAttachment(scope: Scope, id: string) {
  const file = await selectAttachmentFile(scope, id);
  if (!file) throw appError('TICKET_ATTACHMENT_NOT_FOUND');
  return { fileName: file.file_name, contentType: file.content_type, bytes: file.bytes };
}

// ---------------------------------------------------------------------------------------------
// The SLA scan.

type Step = { clock: 'first_response' | 'resolution'; stage: 1 | 2 | 3; due: Date | null };

const TASK_TITLES = {
  'zh-CN': {
    1: {
      first_response: '工单 #{n} 即将超过首次响应时限：{s}',
      resolution: '工单 #{n} 即将超过解决时限：{s}',
    },
    2: { first_response: '工单 #{n} 已超过首次响应时限：{s}', resolution: '工单 #{n} 已超过解决时限：{s}' },
    3: { first_response: '工单升级：#{n} 超时未响应：{s}', resolution: '工单升级：#{n} 超时未解决：{s}' },
  },
  en: {
    1: {
      first_response: 'Ticket #{n} nearly out of first response time: {s}',
      resolution: 'Ticket #{n} nearly out of resolution time: {s}',
    },
    2: {
      first_response: 'Ticket #{n} missed its first response target: {s}',
      resolution: 'Ticket #{n} missed its resolution target: {s}',
    },
    3: {
      first_response: 'Escalated: ticket #{n} not answered in time: {s}',
      resolution: 'Escalated: ticket #{n} not resolved in time: {s}',
    },
  },
} as const;

function taskTitle(locale: string | null, step: Step, row: TicketRow): string {
  const words = TASK_TITLES[locale === 'en' ? 'en' : 'zh-CN'][step.stage][step.clock];
  return words.replace('{n}', String(row.number)).replace('{s}', row.subject).slice(0, 200);
}

function formatDue(due: Date | null, timeZone: string): string {
  if (!due) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(due);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/**
 * Acts on every SLA milestone due by `now` (default: the real now), in one transaction and a
 * few set-based statements: warnings (a task and a notification for the assignee — the
 * team's managers for a queue ticket), breaches (recorded on the ticket, a task and a
 * notification for the assignee), escalations (the managers told, a task for the first).
 * Each step's task and notification carry the occasion's key (ticket, clock, stage, round),
 * so a scan that runs twice, or two at once, acts once. Returns the steps taken.
 */
export async function scanTicketSlas(
  scope: Scope,
  now: Date = new Date(),
): Promise<{ tickets: number; warnings: number; breaches: number; escalations: number }> {
  const rows = await selectTicketsDue(scope, now, 2000);
  const totals = { tickets: rows.length, warnings: 0, breaches: 0, escalations: 0 };
  if (rows.length === 0) return totals;
  const calendar = await loadWorkCalendar(scope);
  const today = localDayOf(calendar, now);
  const managers = await selectEscalationManagers(
    scope,
    rows.map((row) => row.team_id),
  );
  const updates: SlaScanUpdate[] = [];
  const tasks: NewTask[] = [];
  const notifications: Parameters<typeof notifyUsers>[1][number][] = [];
  const events: NewTicketEvent[] = [];
  /** The breaches of this scan, as `ticket.sla_breached` webhook events (one statement). */
  const breaches: {
    id: string;
    number: number;
    subject: string;
    customerId: string;
    assigneeUserId: string | null;
    clock: string;
    due: string | null;
  }[] = [];
  for (const row of rows) {
    const steps: Step[] = [];
    const stages = { first_response: row.first_response_stage, resolution: row.resolution_stage };
    const next: (Date | null)[] = [];
    for (const clock of ['first_response', 'resolution'] as const) {
      const milestones = storedMilestones(row, clock);
      const current = stages[clock];
      const reached = slaStageAt(milestones, now, current);
      for (let stage = current + 1; stage <= reached; stage += 1) {
        // A warning overtaken by its breach in the same scan is not sent.
        if (stage === 1 && reached >= 2) continue;
        steps.push({ clock, stage: stage as 1 | 2 | 3, due: milestones.dueAt });
      }
      stages[clock] = reached;
      const after =
        reached < 1
          ? milestones.warnAt
          : reached < 2
            ? milestones.dueAt
            : reached < 3
              ? milestones.escalateAt
              : null;
      next.push(after);
    }
    const pending = next.filter((at): at is Date => at !== null).sort((a, b) => a.getTime() - b.getTime())[0];
    updates.push({
      id: row.id,
      first_response_stage: stages.first_response,
      resolution_stage: stages.resolution,
      first_response_breached: row.first_response_breached || stages.first_response >= 2,
      resolution_breached: row.resolution_breached || stages.resolution >= 2,
      sla_next_at: pending ? pending.toISOString() : null,
    });
    const teamManagers = managers.get(row.team_id ?? '') ?? managers.get('') ?? [];
    for (const step of steps) {
      const key = `ticket:${row.id}:${step.clock}:${step.stage}:${row.reopened_count}`;
      const due = formatDue(step.due, calendar.timeZone);
      const params = { number: row.number, subject: row.subject, customer: row.customer_name, due };
      const link = `/tickets/${row.id}`;
      const entity = { kind: TICKET, id: row.id };
      const recipients =
        step.stage === 3 || row.assignee_user_id === null ? teamManagers : [row.assignee_user_id];
      const taskOwner =
        step.stage === 3 || row.assignee_user_id === null ? (teamManagers[0] ?? null) : row.assignee_user_id;
      tasks.push({
        title: taskTitle(step.stage === 3 ? null : row.assignee_locale, step, row),
        type: 'follow_up',
        customerId: row.customer_id,
        contactId: row.contact_id,
        relatedKind: TICKET,
        relatedId: row.id,
        ownerUserId: taskOwner,
        ...(taskOwner === null && { teamId: row.team_id }),
        dueOn: today,
        dueAt: step.due,
        priority: step.stage === 1 ? 'high' : 'urgent',
        source: 'rule',
        sourceId: row.id,
        sourceKey: key,
      });
      const kind =
        step.stage === 1 ? 'ticket_sla_warning' : step.stage === 2 ? 'ticket_sla_breach' : 'ticket_escalated';
      const message =
        step.stage === 3
          ? 'ticket_escalated'
          : step.stage === 1
            ? `ticket_sla_warning_${step.clock}`
            : `ticket_sla_breach_${step.clock}`;
      for (const userId of recipients) {
        notifications.push({
          userId,
          kind,
          message: message as 'ticket_escalated',
          params: step.stage === 3 ? { ...params, assignee: row.assignee_name ?? '—' } : params,
          link,
          entity,
          dedupKey: key,
        });
      }
      events.push({
        ticketId: row.id,
        kind: step.stage === 1 ? 'sla_warning' : step.stage === 2 ? 'sla_breach' : 'sla_escalated',
        authorUserId: null,
        data: {
          clock: step.clock,
          due: step.due ? step.due.toISOString() : null,
          notified: recipients.length,
        },
        at: now,
      });
      if (step.stage === 2) {
        breaches.push({
          id: row.id,
          number: row.number,
          subject: row.subject,
          customerId: row.customer_id,
          assigneeUserId: row.assignee_user_id,
          clock: step.clock,
          due: step.due ? step.due.toISOString() : null,
        });
      }
      if (step.stage === 1) totals.warnings += 1;
      else if (step.stage === 2) totals.breaches += 1;
      else totals.escalations += 1;
    }
  }
  await applySlaScan(scope, updates);
  await createTasks(scope, tasks);
  if (notifications.length > 0) await notifyUsers(scope, notifications);
  await insertTicketEvents(scope, events);
  await recordWebhookEvents(scope, 'ticket.sla_breached', breaches);
  return totals;
}

// ---------------------------------------------------------------------------------------------
// KPIs.

function kpiRow(row: Awaited<ReturnType<typeof selectTicketKpis>>[number]): TicketKpiRow {
  const opened = Number(row.opened);
  const closed = Number(row.closed);
  const firstResponseCount = Number(row.first_response_count);
  const resolutionCount = Number(row.resolution_count);
  const mean = (sum: string | null, count: number) =>
    count === 0 || sum === null ? null : meanHours([Number(sum) / count]);
  return {
    key: row.key,
    label: row.label,
    opened,
    closed,
    closureRate: closureRate(opened, closed),
    firstResponseHours: mean(row.first_response_ms_sum, firstResponseCount),
    resolutionHours: mean(row.resolution_ms_sum, resolutionCount),
    firstResponseMetRate: slaMetRate(Number(row.first_response_met), firstResponseCount),
    resolutionMetRate: slaMetRate(Number(row.resolution_met), resolutionCount),
    breached: Number(row.breached),
  };
}

/**
 * The ticket KPIs over the tickets opened in [from, to) that the member sees (a manager: the
 * team's), grouped by month, category, tier, agent, type or priority, with the total: closure
 * rate, mean first-response and resolution times (in the SLA's time), SLA met rates and
 * breaches. The dashboards read this function.
 */
export async function ticketKpis(scope: Scope, input: TicketKpisInput): Promise<TicketKpisOutput> {
  const calendar = await loadWorkCalendar(scope);
  const rows = await selectTicketKpis(
    scope,
    { from: input.from, to: input.to, timeZone: calendar.timeZone },
    input.by,
  );
  const total = rows.find((row) => row.key === '*total');
  const empty: TicketKpiRow = {
    key: null,
    label: null,
    opened: 0,
    closed: 0,
    closureRate: null,
    firstResponseHours: null,
    resolutionHours: null,
    firstResponseMetRate: null,
    resolutionMetRate: null,
    breached: 0,
  };
  return {
    by: input.by,
    rows: rows.filter((row) => row !== total).map(kpiRow),
    total: total ? { ...kpiRow(total), key: null, label: null } : empty,
  };
}

// ---------------------------------------------------------------------------------------------
// Tickets by email (邮件转工单): the tenant's inbound address.

/** The field the inbound secret is encrypted under (the tenant's data key, AAD per address key). */
const INBOUND_SECRET_FIELD = 'ticket_inbound_secret';

/** The path a mail gateway posts to; the token names the tenant and the address key. */
export function inboundEmailPath(tenantId: string, addressKey: string): string {
  const token = signPublicLink({
    kind: 'inbound_email',
    tenantId,
    subjectId: addressKey,
    campaignId: null,
    expiresAt: 0,
  });
  return `/hooks/inbound-email/${token}`;
}

/** The address (if the tenant made one) and the latest messages it received. */
export async function getInboundEmailSettings(scope: Scope): Promise<InboundEmailSettingsOutput> {
  const [row, messages] = await Promise.all([selectInboundSettings(scope), selectInboundMessages(scope, 20)]);
  return {
    enabled: row !== undefined,
    address: row
      ? new URL(inboundEmailPath(scope.tenantId, row.address_key), emailSettings().publicUrl).toString()
      : null,
    rotatedAt: row ? row.rotated_at.toISOString() : null,
    rotatedByName: row?.rotated_by_name ?? null,
    messages: messages.map((message) => ({
      messageId: message.message_id,
      outcome: message.outcome,
      fromAddress: message.from_address,
      subject: message.subject,
      ticketId: message.ticket_id,
      ticketNumber: message.ticket_number,
      receivedAt: message.received_at.toISOString(),
    })),
  };
}

/**
 * A new address and signing secret (the first, or a rotation): the old address answers 404 at
 * once, so the gateway must be given both. The secret is shown once, in this answer.
 */
export async function rotateInboundEmailSecret(scope: MemberScope): Promise<InboundEmailRotatedOutput> {
  const addressKey = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const cipher = await getCipher(scope);
  await rotateInboundSettings(scope, {
    addressKey,
    secretCipher: cipher.encrypt(INBOUND_SECRET_FIELD, addressKey, secret).ciphertext,
  });
  return { ...(await getInboundEmailSettings(scope)), secret };
}

/** The address key and its secret, for the hook to check a post against; none: the hook is off. */
export async function inboundEmailSecret(
  scope: Scope,
): Promise<{ addressKey: string; secret: string } | undefined> {
  const row = await selectInboundSettings(scope);
  if (!row) return undefined;
  const cipher = await getCipher(scope);
  return {
    addressKey: row.address_key,
    secret: cipher.decrypt(INBOUND_SECRET_FIELD, row.address_key, row.secret_cipher),
  };
}

/** An email as the hook hands it over, parsed and normalised (inbound.ts). */
export type InboundEmail = {
  /** Without angle brackets. */
  messageId: string;
  /** Lower-cased. */
  fromAddress: string;
  fromName: string | null;
  subject: string;
  text: string;
  /** In-Reply-To and References, without angle brackets. */
  replyTo: string[];
  attachments: { fileName: string; bytes: Uint8Array }[];
};

export type InboundOutcome =
  | { outcome: 'created'; ticketId: string; number: number }
  | { outcome: 'threaded'; ticketId: string; number: number }
  | { outcome: 'unmatched' }
  | { outcome: 'duplicate' };

/** A ticket number named in a subject: "[#12]", "工单 #12", "Re: Ticket #12". */
function ticketNumberOf(subject: string): number | null {
  const match = /#(\d{1,9})\b/.exec(subject);
  return match ? Number(match[1]) : null;
}

/**
 * One inbound email, in the tenant's transaction (all or nothing): once per Message-ID; the
 * sender matched to a contact's or a customer's email; a reply to one of that customer's
 * open tickets (by In-Reply-To / References, else the number in the subject) is logged as the
 * customer's reply, anything else opens a ticket (channel email, its SLA clock from now).
 * Attachments within the ticket caps are stored; any other is named in an internal note.
 * An unknown sender's message is kept (sender, subject) for the settings page, and nothing
 * else is made.
 */
export async function receiveInboundEmail(
  scope: Scope,
  dependencies: TicketDependencies,
  email: InboundEmail,
  now: Date = new Date(),
): Promise<InboundOutcome> {
  const subject = email.subject.replace(/\s+/g, ' ').trim().slice(0, 200);
  const claimed = await claimInboundMessage(scope, {
    messageId: email.messageId,
    fromAddress: email.fromAddress,
    subject,
  });
  if (!claimed) return { outcome: 'duplicate' };
  const sender = await selectSenderCustomer(scope, email.fromAddress);
  if (!sender) {
    await setInboundOutcome(scope, email.messageId, 'unmatched', null);
    return { outcome: 'unmatched' };
  }
  const body = email.text.trim().slice(0, 10000) || subject || '(no text)';
  const threadId = await selectThreadTicket(scope, sender.customer_id, {
    messageIds: email.replyTo,
    number: ticketNumberOf(subject),
  });
  const thread = threadId ? await selectTicket(scope, threadId) : undefined;
  let ticketId: string;
  let outcome: 'created' | 'threaded';
  if (thread && thread.status !== 'closed') {
    await replyTicket(
      scope,
      dependencies,
      { id: thread.id, kind: 'customer_reply', body },
      { at: now, authorUserId: null },
    );
    ticketId = thread.id;
    outcome = 'threaded';
  } else {
    ticketId = await openTicket(scope, dependencies, {
      type: 'question',
      category: null,
      subject: subject || (scope.locale === 'en' ? 'Email without a subject' : '无主题邮件'),
      description: body,
      customerId: sender.customer_id,
      contactId: sender.contact_id,
      priority: 'normal',
      channel: 'email',
      assigneeUserId: null,
      interactionId: null,
      source: 'email',
      at: now,
    });
    outcome = 'created';
  }
  await storeInboundAttachments(scope, ticketId, email.attachments);
  await setInboundOutcome(scope, email.messageId, outcome, ticketId);
  const row = await ticketOrThrow(scope, ticketId);
  return { outcome, ticketId, number: row.number };
}

/** At most this many attachments of one email are stored. */
export const INBOUND_MAX_ATTACHMENTS = 10;

async function storeInboundAttachments(
  scope: Scope,
  ticketId: string,
  attachments: InboundEmail['attachments'],
): Promise<void> {
  const refused: string[] = [];
  for (const [index, attachment] of attachments.entries()) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
    const fileName = attachment.fileName.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'attachment';
    const contentType =
      attachment.bytes.byteLength > 0 && attachment.bytes.byteLength <= TICKET_ATTACHMENT_MAX_BYTES
        ? sniffContentType(attachment.bytes, fileName)
        : null;
    if (index >= INBOUND_MAX_ATTACHMENTS || !contentType) {
      refused.push(fileName);
      continue;
    }
    await insertAttachment(scope, { ticketId, fileName, contentType, bytes: attachment.bytes });
  }
  if (refused.length > 0) {
    await insertTicketEvents(scope, [
      {
        ticketId,
        kind: 'note',
        authorUserId: null,
        body: null,
        data: {
          attachmentsRefused: refused.slice(0, 20).join(' | '),
          megabytes: TICKET_ATTACHMENT_MAX_BYTES / 1048576,
        },
      },
    ]);
  }
}
