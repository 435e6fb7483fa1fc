import { randomBytes } from 'node:crypto';
import { findUnsafeCharacter, netPromoterScore, percentOf } from '@crm/domain';
import {
  checkSurveyForm,
  LOW_AT_MOST,
  normalizedScore,
  resolveSettingRefs,
  SATISFIED_AT_LEAST,
  type SurveyDefinition,
  type SurveyQuestion,
  scaleOf,
  scoreQuestionOf,
  tierModelOf,
} from '@crm/plugin-sdk';
import { renderEmail } from '../email/email.render';
import { enqueueEmail } from '../email/email.service';
import { emailSettings } from '../email/email.settings';
import { appError } from '../errors';
import { signPublicLink } from '../lead-events/public-links';
import { effectiveSettings, tenantProfileId } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import type { Scope } from '../scope';
import { completeGeneratedTasks, createTasks } from '../tasks/task-backbone.service';
import { noteWebhookDeliveries } from '../webhooks/webhooks.service';
import { sendSms } from './sms';
import {
  archiveTenantSurvey,
  closeFollowUpRow,
  type FollowUpRow,
  type InvitationRow,
  insertManualInvitations,
  insertResponse,
  insertScheduledInvitations,
  insertTenantSurvey,
  type ProfileUpdate,
  type PublicInvitation,
  type ResponseRow,
  recordInvitationSends,
  type ScheduledSurvey,
  type SurveyRow,
  selectCustomerSatisfaction,
  selectCustomFieldTargets,
  selectDueInvitations,
  selectFollowUp,
  selectFollowUpCounts,
  selectFollowUps,
  selectInvitation,
  selectInvitations,
  selectMemberNames,
  selectResponseRates,
  selectResponses,
  selectScores,
  selectSurveyCounts,
  selectSurveySettings,
  selectTenantSurvey,
  selectTenantSurveys,
  updateFollowUpAnalysis,
  updateTenantSurvey,
  upsertSurveySettings,
} from './surveys.repository';
import type {
  AnalyseFollowUpInput,
  CustomerSatisfactionOutput,
  FollowUpOutput,
  InvitationOutput,
  InviteInput,
  ResponseOutput,
  ResultsInput,
  ResultsOutput,
  SaveSurveyInput,
  ScoreRowOutput,
  SurveyListOutput,
  SurveyOutput,
  SurveyQuestionOutput,
  SurveySettingsOutput,
} from './surveys.schemas';

export type SurveyDependencies = {
  plugins: PluginRegistry | undefined;
  /** To send new invitations at once (a member's invite); absent in jobs, which send themselves. */
  jobs?: {
    enqueue(
      name: 'surveys.send',
      data: { tenantId: string },
      options?: { trx?: unknown; singletonKey?: string; singletonSeconds?: number },
    ): Promise<unknown>;
  };
};

type Labels = { 'zh-CN': string; en: string };

/** A survey as every part of the capability reads it: the plugin's or the tenant's, one shape. */
export type SurveyForm = {
  key: string;
  id: string | null;
  source: 'plugin' | 'tenant';
  kind: 'nps' | 'csat' | 'needs' | 'custom';
  title: Labels;
  description: Labels | null;
  locale: 'zh-CN' | 'en' | null;
  questions: readonly SurveyQuestion[];
  schedule: ScheduledSurvey['schedule'] | null;
  tiers: readonly string[];
};

// ---------------------------------------------------------------------------------------------
// Definitions

/** The tenant plugin's surveys with their settings read (delays in days). */
async function pluginSurveys(scope: Scope, registry: PluginRegistry | undefined): Promise<SurveyForm[]> {
  if (!registry) return [];
  const plugin = registry.get(await tenantProfileId(scope.trx, scope.tenantId));
  if (!plugin?.surveys?.length) return [];
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry).catch(() => null);
  const missing: { path: string; setting: string }[] = [];
  const resolved = resolveSettingRefs(
    plugin.surveys,
    effective?.settings ?? {},
    'surveys',
    missing,
  ) as readonly SurveyDefinition<string>[];
  return resolved.map((survey) => ({
    key: survey.key,
    id: null,
    source: 'plugin' as const,
    kind: survey.kind,
    title: survey.labels,
    description: survey.description ?? null,
    locale: null,
    questions: survey.questions,
    schedule:
      'after' in survey.schedule
        ? { after: survey.schedule.after, delayDays: Number(survey.schedule.delayDays) || 0 }
        : { every: survey.schedule.every },
    tiers: survey.audience?.tiers ?? [],
  }));
}

/**
 * The compiled plugin surveys (settings resolved) per plugin — a new plugin version is a new
 * object — and per tenant and settings version: every saved change of the settings is a new
 * version, so a cached entry never outlives what it was compiled from. Bounded: the oldest
 * tenant's entry goes first.
 */
const compiledSurveys = new WeakMap<object, Map<string, SurveyForm[]>>();
const COMPILED_SURVEYS_PER_PLUGIN = 1000;

/**
 * The plugin surveys of a tenant whose profile and settings version are known (the public
 * page reads them with its invitation): compiled once, then from memory.
 */
export async function cachedPluginSurveys(
  scope: Scope,
  registry: PluginRegistry | undefined,
  known: { profileId: string; settingsVersion: number | null },
): Promise<SurveyForm[]> {
  const cached = peekPluginSurveys(registry, scope.tenantId, known);
  if (cached) return cached;
  const plugin = registry?.get(known.profileId);
  if (!registry || !plugin) return [];
  let byTenant = compiledSurveys.get(plugin);
  if (!byTenant) {
    byTenant = new Map();
    compiledSurveys.set(plugin, byTenant);
  }
  const key = `${scope.tenantId}:${known.settingsVersion ?? 0}`;
  const forms = await pluginSurveys(scope, registry);
  if (byTenant.size >= COMPILED_SURVEYS_PER_PLUGIN) byTenant.delete(byTenant.keys().next().value as string);
  byTenant.set(key, forms);
  return forms;
}

/**
 * The compiled plugin surveys when memory has them (no query), else undefined: then
 * `cachedPluginSurveys` compiles them. A plugin without surveys has none to compile.
 */
export function peekPluginSurveys(
  registry: PluginRegistry | undefined,
  tenantId: string,
  known: { profileId: string; settingsVersion: number | null },
): SurveyForm[] | undefined {
  const plugin = registry?.get(known.profileId);
  if (!registry || !plugin?.surveys?.length) return [];
  return compiledSurveys.get(plugin)?.get(`${tenantId}:${known.settingsVersion ?? 0}`);
}

export function tenantForm(row: SurveyRow): SurveyForm {
  const title = { 'zh-CN': row.title, en: row.title };
  return {
    key: row.key,
    id: row.id,
    source: 'tenant',
    kind: row.kind,
    title,
    description: row.description ? { 'zh-CN': row.description, en: row.description } : null,
    locale: row.locale,
    questions: row.questions as SurveyQuestion[],
    schedule: null,
    tiers: [],
  };
}

/** Every survey of the tenant: the plugin's, then its own. */
export async function surveyForms(scope: Scope, dependencies: SurveyDependencies): Promise<SurveyForm[]> {
  const [plugin, tenant] = await Promise.all([
    pluginSurveys(scope, dependencies.plugins),
    selectTenantSurveys(scope),
  ]);
  return [...plugin, ...tenant.map(tenantForm)];
}

/** One survey by key (archived tenant surveys included: their answers still show), or undefined. */
export async function surveyFormOf(
  scope: Scope,
  dependencies: SurveyDependencies,
  key: string,
): Promise<SurveyForm | undefined> {
  const plugin = (await pluginSurveys(scope, dependencies.plugins)).find((survey) => survey.key === key);
  if (plugin) return plugin;
  const row = await selectTenantSurvey(scope, { key });
  return row ? tenantForm(row) : undefined;
}

function questionOutput(question: SurveyQuestion): SurveyQuestionOutput {
  return {
    key: question.key,
    type: question.type,
    labels: question.labels,
    required: question.required ?? false,
    options: (question.options ?? []).map((option) => ({ value: option.value, labels: option.labels })),
    scale: question.type === 'rating' ? scaleOf(question) : null,
    profile: question.profile ? { field: question.profile.field, values: question.profile.values } : null,
  };
}

function surveyOutputOf(
  form: SurveyForm,
  disabled: ReadonlySet<string>,
  counts: Map<string, { invited: number; responded: number }>,
): SurveyOutput {
  return {
    key: form.key,
    id: form.id,
    source: form.source,
    kind: form.kind,
    title: form.title,
    description: form.description,
    locale: form.locale,
    questions: form.questions.map(questionOutput),
    schedule: form.schedule,
    audienceTiers: [...form.tiers],
    enabled: !disabled.has(form.key),
    invited: counts.get(form.key)?.invited ?? 0,
    responded: counts.get(form.key)?.responded ?? 0,
  };
}

export async function listSurveys(scope: Scope, dependencies: SurveyDependencies): Promise<SurveyListOutput> {
  const [forms, settings, counts] = await Promise.all([
    surveyForms(scope, dependencies),
    selectSurveySettings(scope),
    selectSurveyCounts(scope),
  ]);
  const disabled = new Set(settings.disabled_keys);
  return { items: forms.map((form) => surveyOutputOf(form, disabled, counts)) };
}

export async function getSurvey(
  scope: Scope,
  dependencies: SurveyDependencies,
  key: string,
): Promise<SurveyOutput> {
  const form = await surveyFormOf(scope, dependencies, key);
  if (!form) throw appError('SURVEY_NOT_FOUND');
  const [settings, counts] = await Promise.all([selectSurveySettings(scope), selectSurveyCounts(scope)]);
  return surveyOutputOf(form, new Set(settings.disabled_keys), counts);
}

/**
 * Creates or edits a tenant's survey from the designer. The questions pass the same check
 * as a plugin's (`checkSurveyForm`): every problem comes back on its question's path.
 */
export async function saveSurvey(
  scope: Scope,
  dependencies: SurveyDependencies,
  input: SaveSurveyInput,
): Promise<SurveyOutput> {
  const questions: SurveyQuestion[] = input.questions.map((question) => ({
    key: question.key,
    type: question.type,
    labels: { 'zh-CN': question.labels['zh-CN'], en: question.labels.en || question.labels['zh-CN'] },
    ...(question.required ? { required: true } : {}),
    ...(question.options
      ? {
          options: question.options.map((option) => ({
            value: option.value,
            labels: { 'zh-CN': option.labels['zh-CN'], en: option.labels.en || option.labels['zh-CN'] },
          })),
        }
      : {}),
    ...(question.scale ? { scale: question.scale } : {}),
    ...(question.profile ? { profile: question.profile as SurveyQuestion['profile'] } : {}),
  }));
  const duplicate = questions.findIndex(
    (question, index) => questions.findIndex((other) => other.key === question.key) !== index,
  );
  if (duplicate >= 0)
    throw appError(
      'SURVEY_QUESTION_DUPLICATE',
      { key: questions[duplicate]?.key ?? '' },
      `questions.${duplicate}.key`,
    );
  const existing = input.id ? await selectTenantSurvey(scope, { id: input.id }) : undefined;
  if (input.id && (!existing || existing.archived_at)) throw appError('SURVEY_NOT_FOUND');
  const key = existing?.key ?? `tenant_${randomBytes(5).toString('hex')}`;
  const fields = await selectCustomFieldTargets(scope);
  const problems = checkSurveyForm({ key: input.title, kind: input.kind, questions }, fields);
  if (problems.length > 0) {
    throw appError(
      'SURVEY_FORM_INVALID',
      { problem: problems[0]?.message[scope.locale] ?? '' },
      problems[0]?.path ?? null,
      problems.map((problem) => ({ path: problem.path, message: problem.message })),
    );
  }
  const values = {
    kind: input.kind,
    title: input.title,
    description: input.description ?? null,
    locale: input.locale,
    questions,
  };
  const row = existing
    ? await updateTenantSurvey(scope, existing.id, values)
    : await insertTenantSurvey(scope, { key, ...values });
  if (!row) throw appError('SURVEY_NOT_FOUND');
  return getSurvey(scope, dependencies, row.key);
}

export async function archiveSurvey(scope: Scope, key: string): Promise<{ key: string }> {
  if (!(await archiveTenantSurvey(scope, key))) throw appError('SURVEY_NOT_FOUND');
  return { key };
}

/** Turns a plugin's (or the tenant's) survey off for the scheduler, or back on. */
export async function setSurveyEnabled(
  scope: Scope,
  dependencies: SurveyDependencies,
  key: string,
  enabled: boolean,
): Promise<SurveyOutput> {
  if (!(await surveyFormOf(scope, dependencies, key))) throw appError('SURVEY_NOT_FOUND');
  const settings = await selectSurveySettings(scope);
  const disabled = new Set(settings.disabled_keys);
  if (enabled) disabled.delete(key);
  else disabled.add(key);
  await upsertSurveySettings(scope, { disabled_keys: [...disabled].sort() });
  return getSurvey(scope, dependencies, key);
}

export async function getSurveySettings(scope: Scope): Promise<SurveySettingsOutput> {
  const settings = await selectSurveySettings(scope);
  return {
    frequencyCapDays: settings.frequency_cap_days,
    linkValidDays: settings.link_valid_days,
    disabledKeys: settings.disabled_keys,
  };
}

export async function updateSurveySettings(
  scope: Scope,
  input: { frequencyCapDays: number; linkValidDays: number },
): Promise<SurveySettingsOutput> {
  await upsertSurveySettings(scope, {
    frequency_cap_days: input.frequencyCapDays,
    link_valid_days: input.linkValidDays,
  });
  return getSurveySettings(scope);
}

// ---------------------------------------------------------------------------------------------
// Invitations and links

/** Today in the tenant's zone (Beijing time), 'YYYY-MM-DD'. */
export function surveyToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The public link of an invitation: a signed token naming it, valid until it expires. */
export function invitationUrl(tenantId: string, invitationId: string, expiresAt: Date): string {
  const token = signPublicLink({
    kind: 'survey',
    tenantId,
    subjectId: invitationId,
    campaignId: null,
    expiresAt: Math.floor(expiresAt.getTime() / 1000),
  });
  return new URL(`/s/${token}`, emailSettings().publicUrl).toString();
}

function invitationOutputOf(row: InvitationRow): InvitationOutput {
  return {
    id: row.id,
    surveyKey: row.survey_key,
    customerId: row.customer_id,
    customerName: row.customer_name,
    channel: row.channel,
    status: row.status,
    occasion: row.occasion.startsWith('manual:') ? 'manual' : (row.occasion.split(':')[0] ?? ''),
    sendOn: row.send_on,
    expiresAt: new Date(row.expires_at).toISOString(),
    respondedAt: row.responded_at ? new Date(row.responded_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * A member invites customers they see: by email or SMS (sent by the next send run), or a
 * link each to paste into WeChat. Customers without an address for the channel are skipped.
 */
export async function inviteCustomers(
  scope: Scope,
  dependencies: SurveyDependencies,
  input: InviteInput,
): Promise<{
  invited: number;
  skipped: number;
  links: { customerId: string; invitationId: string; url: string }[];
}> {
  const form = await surveyFormOf(scope, dependencies, input.key);
  if (
    !form ||
    (form.source === 'tenant' && (await selectTenantSurvey(scope, { key: input.key }))?.archived_at)
  ) {
    throw appError('SURVEY_NOT_FOUND');
  }
  const settings = await selectSurveySettings(scope);
  const ids = [...new Set(input.customerIds)];
  const rows = await insertManualInvitations(scope, {
    surveyKey: form.key,
    surveyKind: form.kind,
    customerIds: ids,
    channel: input.channel,
    today: surveyToday(),
    linkValidDays: settings.link_valid_days,
  });
  if (rows.length === 0 && input.channel === 'link') throw appError('CUSTOMER_NOT_FOUND');
  if (rows.length > 0 && input.channel !== 'link' && dependencies.jobs) {
    await dependencies.jobs.enqueue('surveys.send', { tenantId: scope.tenantId }, { trx: scope.trx });
  }
  const links =
    input.channel === 'link'
      ? await Promise.all(
          rows.map(async (row) => {
            const invitation = await selectInvitation(scope, row.id);
            return {
              customerId: row.customer_id,
              invitationId: row.id,
              url: invitationUrl(scope.tenantId, row.id, invitation?.expires_at ?? new Date()),
            };
          }),
        )
      : [];
  return { invited: rows.length, skipped: ids.length - rows.length, links };
}

export async function invitationLink(scope: Scope, id: string): Promise<{ url: string; expiresAt: string }> {
  const row = await selectInvitation(scope, id);
  if (!row) throw appError('SURVEY_INVITATION_NOT_FOUND');
  if (row.status === 'responded') throw appError('SURVEY_ALREADY_ANSWERED');
  if (new Date(row.expires_at).getTime() <= Date.now()) throw appError('SURVEY_INVITATION_EXPIRED');
  return {
    url: invitationUrl(scope.tenantId, row.id, row.expires_at),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

export async function listInvitations(
  scope: Scope,
  filter: { key?: string; customerId?: string; limit: number },
): Promise<{ items: InvitationOutput[] }> {
  return { items: (await selectInvitations(scope, filter)).map(invitationOutputOf) };
}

/** The daily scheduling of one tenant: its enabled surveys with a schedule, set-based. How many invitations. */
export async function scheduleInvitations(
  scope: Scope,
  dependencies: SurveyDependencies,
  today: string,
  only?: { customerId: string; event?: string },
): Promise<number> {
  const [forms, settings] = await Promise.all([
    surveyForms(scope, dependencies),
    selectSurveySettings(scope),
  ]);
  const disabled = new Set(settings.disabled_keys);
  const surveys: ScheduledSurvey[] = forms.flatMap((form) =>
    form.schedule &&
    !disabled.has(form.key) &&
    (!only?.event || ('after' in form.schedule && form.schedule.after === only.event))
      ? [
          {
            key: form.key,
            kind: form.kind,
            schedule: form.schedule,
            tiers: form.tiers.length ? form.tiers : null,
          },
        ]
      : [],
  );
  return insertScheduledInvitations(scope, surveys, {
    today,
    capDays: settings.frequency_cap_days,
    linkValidDays: settings.link_valid_days,
    only: only ? { customerId: only.customerId } : undefined,
  });
}

const INVITE_TEXT = {
  'zh-CN': (title: string, name: string) => ({
    subject: `邀请您填写：${title}`,
    heading: `${name}，您好`,
    body: `感谢您一直以来的支持。耽误您一两分钟，填写「${title}」，帮助我们做得更好。`,
    button: '填写问卷',
    sms: (url: string) => `【满意度回访】${name}您好，邀请您填写「${title}」：${url}`,
  }),
} as const;

/**
 * Sends the invitations due today: an email through the outbox (one insert; its drain sends
 * it) or an SMS through the provider. Link invitations wait for the owner to copy them.
 * How many of each went out.
 */
export async function sendDueInvitations(
  scope: Scope,
  dependencies: SurveyDependencies,
  today: string,
): Promise<{ emails: number; sms: number; failed: number }> {
  const due = await selectDueInvitations(scope, today, 500);
  if (due.length === 0) return { emails: 0, sms: 0, failed: 0 };
  const forms = new Map((await surveyForms(scope, dependencies)).map((form) => [form.key, form]));
  const outcomes: { id: string; ok: boolean; error: string | null }[] = [];
  const emails: Parameters<typeof enqueueEmail>[1][number][] = [];
  let sms = 0;
  for (const invitation of due) {
    const title = forms.get(invitation.survey_key)?.title['zh-CN'] ?? '满意度调查';
    const words = INVITE_TEXT['zh-CN'](title, invitation.customer_name);
    const url = invitationUrl(scope.tenantId, invitation.id, invitation.expires_at);
    if (invitation.channel === 'email' && invitation.email) {
      const content = renderEmail({ heading: words.heading, paragraphs: [words.body, url], footer: null });
      emails.push({
        to: invitation.email,
        subject: words.subject,
        text: content.text,
        html: content.html,
        kind: 'survey_invitation',
        dedupKey: `survey:${invitation.id}`,
      });
      outcomes.push({ id: invitation.id, ok: true, error: null });
    } else if (invitation.channel === 'sms' && invitation.phone) {
      const outcome = await sendSms({ to: invitation.phone, text: words.sms(url), reference: invitation.id });
      if (outcome.ok) sms += 1;
      outcomes.push({ id: invitation.id, ok: outcome.ok, error: outcome.ok ? null : outcome.error });
    } else {
      outcomes.push({ id: invitation.id, ok: false, error: 'no_address' });
    }
  }
  const queued = await enqueueEmail(scope, emails);
  await recordInvitationSends(scope, outcomes);
  return { emails: queued, sms, failed: outcomes.filter((outcome) => !outcome.ok).length };
}

// ---------------------------------------------------------------------------------------------
// Responses

export type Answers = Record<string, string | number | boolean | string[]>;

export type AnswerProblem = { question: string; message: Labels };

const ANSWER_MESSAGES = {
  required: { 'zh-CN': '请回答此题', en: 'Please answer this question' },
  choice: { 'zh-CN': '请从选项中选择', en: 'Choose one of the options' },
  number: { 'zh-CN': '请填写数字', en: 'Enter a number' },
  scale: (min: number, max: number) => ({
    'zh-CN': `请选择 ${min}–${max} 分`,
    en: `Choose a score from ${min} to ${max}`,
  }),
  text: { 'zh-CN': '最多 2000 个字', en: 'At most 2,000 characters' },
} as const;

/**
 * Reads a submitted form against the survey's questions: each answer of the right type and
 * range, required ones present. The answers by question key, or the problems by question.
 */
export function readAnswers(
  questions: readonly SurveyQuestion[],
  raw: Record<string, string | string[] | undefined>,
): { answers: Answers; problems: AnswerProblem[] } {
  const answers: Answers = {};
  const problems: AnswerProblem[] = [];
  for (const question of questions) {
    const value = raw[question.key];
    const values = (Array.isArray(value) ? value : value === undefined ? [] : [value])
      .map((item) => item.trim())
      .filter((item) => item !== '');
    const problem = (message: Labels) => problems.push({ question: question.key, message });
    if (values.length === 0) {
      if (question.required) problem(ANSWER_MESSAGES.required);
      continue;
    }
    const first = values[0] as string;
    switch (question.type) {
      case 'nps':
      case 'rating': {
        const scale = scaleOf(question);
        const score = Number(first);
        if (!Number.isInteger(score) || score < scale.min || score > scale.max)
          problem(ANSWER_MESSAGES.scale(scale.min, scale.max));
        else answers[question.key] = score;
        break;
      }
      case 'number': {
        const number = Number(first);
        if (!Number.isFinite(number) || first.length > 20) problem(ANSWER_MESSAGES.number);
        else answers[question.key] = number;
        break;
      }
      case 'yes_no':
        if (first !== 'yes' && first !== 'no') problem(ANSWER_MESSAGES.choice);
        else answers[question.key] = first === 'yes';
        break;
      case 'single_choice':
        if (!(question.options ?? []).some((option) => option.value === first))
          problem(ANSWER_MESSAGES.choice);
        else answers[question.key] = first;
        break;
      case 'multi_choice': {
        const allowed = new Set((question.options ?? []).map((option) => option.value));
        const chosen = [...new Set(values)];
        if (chosen.some((item) => !allowed.has(item))) problem(ANSWER_MESSAGES.choice);
        else answers[question.key] = chosen;
        break;
      }
      case 'text': {
        // Control characters never reach an answer: the message names the length, the usual cause.
        if (first.length > 2000 || findUnsafeCharacter(first, { multiline: true }))
          problem(ANSWER_MESSAGES.text);
        else answers[question.key] = first;
        break;
      }
    }
  }
  return { answers, problems };
}

/** The score of a response (raw and on 0–100) and whether it is unhappy (NPS 0–6, CSAT in the lowest quarter). */
export function scoreOf(
  form: Pick<SurveyForm, 'kind' | 'questions'>,
  answers: Answers,
): { score: number | null; scorePct: number | null; low: boolean } {
  const question = scoreQuestionOf(form);
  const value = question ? answers[question.key] : undefined;
  if (!question || typeof value !== 'number') return { score: null, scorePct: null, low: false };
  const scorePct = Math.round(normalizedScore(value, scaleOf(question)) * 100) / 100;
  const low = form.kind === 'nps' ? value <= 6 : scorePct <= LOW_AT_MOST;
  return { score: value, scorePct, low };
}

/** What the answers write to the customer's needs, by the questions' `profile` mappings. */
export function profileUpdateOf(
  questions: readonly SurveyQuestion[],
  answers: Answers,
  locale: 'zh-CN' | 'en',
): ProfileUpdate {
  const update: ProfileUpdate = {};
  for (const question of questions) {
    const mapping = question.profile;
    const answer = answers[question.key];
    if (!mapping || answer === undefined) continue;
    const labelOf = (value: string) =>
      question.options?.find((option) => option.value === value)?.labels[locale] ?? value;
    const text = Array.isArray(answer)
      ? answer.map(labelOf).join(locale === 'zh-CN' ? '、' : ', ')
      : typeof answer === 'string' && question.type !== 'text'
        ? labelOf(answer)
        : String(answer);
    if (mapping.field === 'explicit_needs') update.explicitNeeds = text;
    else if (mapping.field === 'implicit_needs') update.implicitNeeds = text;
    else if (mapping.field === 'need_type' && typeof answer === 'string') {
      const mapped = mapping.values?.[answer];
      if (mapped === 'product' || mapped === 'service' || mapped === 'both') update.needType = mapped;
    } else if (mapping.field.startsWith('custom:')) {
      const key = mapping.field.slice('custom:'.length);
      const mapValue = (value: string) => mapping.values?.[value] ?? value;
      update.customFields ??= {};
      update.customFields[key] = Array.isArray(answer)
        ? answer.map(mapValue)
        : typeof answer === 'string' && question.type !== 'text'
          ? mapValue(answer)
          : answer;
    }
  }
  return update;
}

const FOLLOW_UP_TITLE = {
  'zh-CN': (score: number | null) => `满意度回访：客户评分 ${score ?? '-'}，请分析原因`,
  en: (score: number | null) => `Satisfaction follow-up: the customer scored ${score ?? '-'}; find the cause`,
} as const;
const CHECK_BACK_TITLE = {
  'zh-CN': '改进回访：确认客户对改进是否满意',
  en: 'Check back: does the customer see the improvement?',
} as const;

/** A follow-up task's occasion: this and the response's id. */
const FOLLOW_UP_SOURCE_KEY = 'survey:follow-up:';

/** How long an owner has to call an unhappy customer back. */
export const FOLLOW_UP_DAYS = 2;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Records a response in the invitation's tenant (the public page's submission), in one
 * statement: the answers once (a second submission of the same link records nothing), the
 * mapped needs written to the profile, and for an unhappy score a follow-up task for the
 * customer's owner due within two days, with its follow-up record, and the webhook events.
 * That statement is the transaction's last (the public door sends it with the COMMIT). The
 * response id, or null when already answered.
 */
export async function recordResponse(
  scope: Scope,
  form: SurveyForm,
  invitation: PublicInvitation,
  answers: Answers,
  locale: 'zh-CN' | 'en',
  now: Date = new Date(),
): Promise<string | null> {
  const score = scoreOf(form, answers);
  const recorded = await insertResponse(scope, invitation, {
    answers,
    ...score,
    locale,
    needs: profileUpdateOf(form.questions, answers, locale),
    followUp: score.low
      ? {
          title: FOLLOW_UP_TITLE[locale === 'en' ? 'en' : 'zh-CN'](score.score),
          dueOn: addDays(surveyToday(now), FOLLOW_UP_DAYS),
          sourceKeyPrefix: FOLLOW_UP_SOURCE_KEY,
        }
      : null,
    event: {
      surveyKey: form.key,
      customerId: invitation.customer_id,
      contactId: invitation.contact_id,
      score: score.score,
      low: score.low,
      answers,
      locale,
      respondedAt: now.toISOString(),
    },
  });
  noteWebhookDeliveries(scope.trx, recorded.webhookDeliveries);
  return recorded.id;
}

function responseOutputOf(row: ResponseRow): ResponseOutput {
  return {
    id: row.id,
    surveyKey: row.survey_key,
    surveyKind: row.survey_kind,
    customerId: row.customer_id,
    customerName: row.customer_name,
    tier: row.tier,
    score: row.score === null ? null : Number(row.score),
    low: row.low,
    answers: row.answers,
    respondedAt: new Date(row.responded_at).toISOString(),
    followUpId: row.follow_up_id,
    followUpStatus: row.follow_up_status,
  };
}

export async function listResponses(
  scope: Scope,
  filter: { key?: string; customerId?: string; lowOnly?: boolean; limit: number },
): Promise<{ items: ResponseOutput[] }> {
  return { items: (await selectResponses(scope, filter)).map(responseOutputOf) };
}

export async function customerSatisfaction(
  scope: Scope,
  customerId: string,
): Promise<CustomerSatisfactionOutput> {
  const row = await selectCustomerSatisfaction(scope, customerId);
  if (!row) throw appError('CUSTOMER_NOT_FOUND');
  const recent = await selectResponses(scope, { customerId, limit: 5 });
  return {
    lastNps: row.last_nps === null ? null : Number(row.last_nps),
    lastNpsAt: row.last_nps_at ? new Date(row.last_nps_at).toISOString() : null,
    lastCsat: row.last_csat === null ? null : Number(row.last_csat),
    lastCsatAt: row.last_csat_at ? new Date(row.last_csat_at).toISOString() : null,
    responses: row.responses,
    pendingInvitations: row.pending,
    openFollowUps: row.open_follow_ups,
    recent: recent.map(responseOutputOf),
  };
}

// ---------------------------------------------------------------------------------------------
// Results

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/** NPS (% promoters − % detractors) and CSAT (% satisfied) per group, with response rates. */
export async function surveyResults(
  scope: Scope,
  dependencies: SurveyDependencies,
  input: ResultsInput,
): Promise<ResultsOutput> {
  if (input.from > input.to) throw appError('SURVEY_PERIOD_INVALID', {}, 'from');
  if (input.key && !(await surveyFormOf(scope, dependencies, input.key))) throw appError('SURVEY_NOT_FOUND');
  const query = { from: input.from, to: input.to, key: input.key, by: input.by, thenBy: input.thenBy };
  const [scores, rates, followUps] = await Promise.all([
    selectScores(scope, query),
    selectResponseRates(scope, query),
    selectFollowUpCounts(scope, query),
  ]);
  const labels = await groupLabels(
    scope,
    dependencies,
    input.by,
    scores.map((row) => row.group_key),
  );
  const keyOf = (group: string | null, subgroup: string | null) => `${group ?? ''}\u0000${subgroup ?? ''}`;
  const rateOf = new Map(rates.map((rate) => [keyOf(rate.group_key, rate.subgroup_key), rate]));
  const rowOf = (
    group: string | null,
    subgroup: string | null,
    counts: {
      responses: number;
      promoters: number;
      passives: number;
      detractors: number;
      npsCount: number;
      csatCount: number;
      satisfied: number;
      averageSum: number;
    },
    rate: { invited: number; responded: number } | undefined,
  ): ScoreRowOutput => ({
    group,
    subgroup,
    label: group === null ? null : (labels.get(group) ?? group),
    responses: counts.responses,
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
    nps: netPromoterScore(counts.promoters, counts.detractors, counts.npsCount),
    csat: percentOf(counts.satisfied, counts.csatCount),
    averageScore: counts.responses > 0 ? Math.round((counts.averageSum / counts.responses) * 10) / 10 : null,
    invited: rate?.invited ?? 0,
    responseRate: rate ? percent(rate.responded, rate.invited) : null,
  });
  const totals = {
    responses: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    npsCount: 0,
    csatCount: 0,
    satisfied: 0,
    averageSum: 0,
  };
  const rows = scores.map((row) => {
    const counts = {
      responses: row.responses,
      promoters: row.promoters,
      passives: row.passives,
      detractors: row.detractors,
      npsCount: row.nps_count,
      csatCount: row.csat_count,
      satisfied: row.satisfied,
      averageSum: Number(row.average ?? 0) * row.responses,
    };
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += counts[key];
    return rowOf(row.group_key, row.subgroup_key, counts, rateOf.get(keyOf(row.group_key, row.subgroup_key)));
  });
  const invited = rates.reduce((sum, rate) => sum + rate.invited, 0);
  const responded = rates.reduce((sum, rate) => sum + rate.responded, 0);
  return {
    totals: rowOf(null, null, totals, { invited, responded }),
    rows,
    followUps: { ...followUps, closedLoopRate: percent(followUps.closed, followUps.opened) },
  };
}

async function groupLabels(
  scope: Scope,
  dependencies: SurveyDependencies,
  grouping: string,
  keys: readonly (string | null)[],
): Promise<Map<string, string>> {
  const present = [...new Set(keys.filter((key): key is string => key !== null))];
  if (grouping === 'owner') {
    return new Map((await selectMemberNames(scope, present)).map((row) => [row.id, row.name]));
  }
  if (grouping === 'survey') {
    const forms = await surveyForms(scope, dependencies);
    return new Map(forms.map((form) => [form.key, form.title[scope.locale]]));
  }
  if (grouping === 'tier' && dependencies.plugins) {
    const plugin = dependencies.plugins.get(await tenantProfileId(scope.trx, scope.tenantId));
    if (plugin?.tierModel) {
      return new Map(tierModelOf(plugin).tiers.map((tier) => [tier.key, tier.labels[scope.locale]]));
    }
  }
  return new Map();
}

// ---------------------------------------------------------------------------------------------
// Follow-ups (原因分析 and 回访)

function followUpOutputOf(row: FollowUpRow): FollowUpOutput {
  return {
    id: row.id,
    responseId: row.response_id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    ownerUserId: row.owner_user_id,
    taskId: row.task_id,
    status: row.status,
    cause: row.cause,
    causeText: row.cause_text,
    improvement: row.improvement,
    checkBackOn: row.check_back_on,
    checkBackResult: row.check_back_result,
    surveyKey: row.survey_key,
    score: row.score === null ? null : Number(row.score),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function listFollowUps(
  scope: Scope,
  filter: { status?: string; limit: number },
): Promise<{ items: FollowUpOutput[] }> {
  return { items: (await selectFollowUps(scope, filter)).map(followUpOutputOf) };
}

async function followUpForWork(scope: Scope, id: string): Promise<FollowUpRow> {
  const row = await selectFollowUp(scope, id);
  if (!row) throw appError('SURVEY_FOLLOW_UP_NOT_FOUND');
  // The owner works their customer's follow-up; a manager (tasks.manage scope) those they see.
  const mine = row.owner_user_id === null || row.owner_user_id === scope.userId;
  if (!mine && scope.access.taskScope === 'own') throw appError('SURVEY_FOLLOW_UP_NOT_YOURS');
  return row;
}

const ANALYSED_REASON = { 'zh-CN': '已完成原因分析', en: 'The cause was analysed' } as const;
const CLOSED_REASON = { 'zh-CN': '已回访确认', en: 'Checked back with the customer' } as const;

/**
 * The cause analysis: why the customer was unhappy (服务差 / 产品不符 / 价格 / 其他, in words),
 * the improvement planned and the day to check back; closes the follow-up task and sets a
 * check-back task for that day.
 */
export async function analyseFollowUp(scope: Scope, input: AnalyseFollowUpInput): Promise<FollowUpOutput> {
  const row = await followUpForWork(scope, input.id);
  if (row.status !== 'open') throw appError('SURVEY_FOLLOW_UP_STATE');
  if (input.checkBackOn < surveyToday()) throw appError('SURVEY_CHECK_BACK_PAST', {}, 'checkBackOn');
  const checkBackSourceKey = `survey:check-back:${row.response_id}`;
  await completeGeneratedTasks(
    scope,
    { kind: 'survey_response', id: row.response_id },
    [FOLLOW_UP_SOURCE_KEY],
    ANALYSED_REASON[scope.locale],
  );
  await createTasks(scope, [
    {
      title: CHECK_BACK_TITLE[scope.locale],
      type: 'call',
      customerId: row.customer_id,
      relatedKind: 'survey_response',
      relatedId: row.response_id,
      ownerUserId: row.owner_user_id ?? scope.userId,
      dueOn: input.checkBackOn,
      priority: 'normal',
      source: 'rule',
      sourceKey: checkBackSourceKey,
    },
  ]);
  const updated = await updateFollowUpAnalysis(scope, row.id, {
    cause: input.cause,
    causeText: input.causeText ?? null,
    improvement: input.improvement,
    checkBackOn: input.checkBackOn,
    checkBackSourceKey,
  });
  if (!updated) throw appError('SURVEY_FOLLOW_UP_STATE');
  return followUpOutputOf((await selectFollowUp(scope, row.id)) as FollowUpRow);
}

/** The check-back: what the customer said of the improvement; closes the loop and its task. */
export async function closeFollowUp(
  scope: Scope,
  input: { id: string; result: string },
): Promise<FollowUpOutput> {
  const row = await followUpForWork(scope, input.id);
  if (row.status !== 'analysed') throw appError('SURVEY_FOLLOW_UP_STATE');
  if (!(await closeFollowUpRow(scope, row.id, input.result))) throw appError('SURVEY_FOLLOW_UP_STATE');
  await completeGeneratedTasks(
    scope,
    { kind: 'survey_response', id: row.response_id },
    ['survey:check-back:'],
    CLOSED_REASON[scope.locale],
  );
  return followUpOutputOf((await selectFollowUp(scope, row.id)) as FollowUpRow);
}

export { SATISFIED_AT_LEAST };
