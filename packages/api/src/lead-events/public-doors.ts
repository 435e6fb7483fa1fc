import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { findUnsafeCharacter } from '@crm/domain';
import { z } from 'zod';
import { assignLeads } from '../assignment/assignment.service';
import type { ApiDependencies } from '../context';
import { emailSettings } from '../email/email.settings';
import {
  countSubmission,
  selectCampaignName,
  selectForm,
  upsertFormLead,
} from '../marketing/marketing.repository';
import { jobScope } from '../scope';
import type { NewEvent } from './lead-events.repository';
import { recordEvents, recordTenantEvents } from './lead-events.service';
import { isTrackableUrl, type PublicLink, verifyPublicLink } from './public-links';

/**
 * The edges of the public doors (no session): what the server's routes under /t, /f and
 * /hooks call (apps/server/src/public-doors.ts). Each checks its signed token first and
 * answers a forged, tampered or expired one exactly like an unknown one; the server adds
 * the rate limits and the HTTP. The tenant comes from the signed token, never from the
 * request.
 */
export type DoorDependencies = Pick<ApiDependencies, 'database' | 'jobs' | 'logger' | 'plugins'>;

/** How long an open or click counts once: the same email opened again within it records nothing. */
export const EVENT_WINDOW_SECONDS = 600;

function windowOf(now: Date): number {
  return Math.floor(now.getTime() / 1000 / EVENT_WINDOW_SECONDS);
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}

async function record(dependencies: DoorDependencies, link: PublicLink, event: NewEvent): Promise<number> {
  return recordEvents(dependencies, link.tenantId, [event]);
}

/** The email-open pixel: records an open once per email per window; the caller always answers the same GIF. */
export async function recordOpen(
  dependencies: DoorDependencies,
  token: string,
  now = new Date(),
): Promise<void> {
  const link = verifyPublicLink(token, 'email_open', null, now);
  if (!link) return;
  await record(dependencies, link, {
    kind: 'email_open',
    leadId: link.subjectId,
    campaignId: link.campaignId,
    dedupKey: `open:${digest(token)}:${windowOf(now)}`,
  });
}

/**
 * A tracked link: the signed target (the token signs it), or null — a forged or tampered
 * token or target answers 404, never a redirect elsewhere. Records the click once per link
 * per window.
 */
export async function followLink(
  dependencies: DoorDependencies,
  token: string,
  target: string,
  now = new Date(),
): Promise<string | null> {
  if (!isTrackableUrl(target)) return null;
  const link = verifyPublicLink(token, 'link_click', target, now);
  if (!link) return null;
  await record(dependencies, link, {
    kind: 'link_click',
    leadId: link.subjectId,
    campaignId: link.campaignId,
    targetUrl: target,
    dedupKey: `click:${digest(`${token}|${target}`)}:${windowOf(now)}`,
  });
  return target;
}

/**
 * The reply hook: an inbound mail gateway posts `{ messageId, replyToken, from, subject,
 * receivedAt }` signed `X-Crm-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`
 * with INBOUND_HOOK_SECRET. Refused (null) when the secret is not configured, the signature
 * is wrong or more than 5 minutes old, or the reply token is not one of ours; a message id
 * seen before records nothing (a replay).
 */
export const REPLY_TOLERANCE_SECONDS = 300;

const replyBody = z.strictObject({
  messageId: z.string().min(1).max(300),
  replyToken: z.string().min(1).max(200),
  from: z.string().max(320).optional(),
  subject: z.string().max(300).optional(),
  receivedAt: z.iso.datetime().optional(),
});

export type ReplyOutcome = 'recorded' | 'duplicate' | 'refused' | 'invalid';

export function signReply(secret: string, body: string, at: number): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

export async function receiveReply(
  dependencies: DoorDependencies,
  secret: string | null,
  body: string,
  signature: string | null,
  now = new Date(),
): Promise<ReplyOutcome> {
  if (!secret || !signature) return 'refused';
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(signature);
  if (!match) return 'refused';
  const at = Number(match[1]);
  if (Math.abs(now.getTime() / 1000 - at) > REPLY_TOLERANCE_SECONDS) return 'refused';
  const expected = Buffer.from(signReply(secret, body, at).slice(-64), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[2] as string, 'hex'))) return 'refused';
  let parsed: z.infer<typeof replyBody>;
  try {
    parsed = replyBody.parse(JSON.parse(body));
  } catch {
    return 'invalid';
  }
  const link = verifyPublicLink(parsed.replyToken, 'reply', null, now);
  if (!link) return 'refused';
  const recorded = await record(dependencies, link, {
    kind: 'reply',
    leadId: link.subjectId,
    campaignId: link.campaignId,
    details: { subject: parsed.subject ?? null },
    dedupKey: `reply:${digest(parsed.messageId)}`,
    occurredAt: parsed.receivedAt ? new Date(parsed.receivedAt) : now,
  });
  return recorded > 0 ? 'recorded' : 'duplicate';
}

/** The public address of a path (PUBLIC_URL), for links in emails and the form snippet. */
export function publicAddress(path: string): string {
  return new URL(path, emailSettings().publicUrl).toString();
}

// ---------------------------------------------------------------------------------------------
// The hosted lead form

/** What the public form page shows (nothing of the tenant but the form's own words). */
export type PublicForm = {
  title: string;
  intro: string | null;
  locale: 'zh-CN' | 'en';
  intents: string[];
  askCompany: boolean;
};

export type FormField = 'name' | 'company' | 'phone' | 'email' | 'intent' | 'message';
export type FormValues = Partial<Record<FormField, string>>;

export type FormSubmission =
  | { kind: 'thanks'; form: PublicForm }
  | { kind: 'invalid'; form: PublicForm; values: FormValues; errors: Partial<Record<FormField, string>> };

/** The honeypot: a field people never see and bots fill in. */
export const HONEYPOT_FIELD = 'website';

async function loadForm(dependencies: DoorDependencies, token: string) {
  const link = verifyPublicLink(token, 'form');
  if (!link) return null;
  const row = await dependencies.database.withTenant(link.tenantId, (trx) =>
    selectForm(jobScope(trx, link.tenantId), link.subjectId),
  );
  if (!row?.active) return null;
  const form: PublicForm = {
    title: row.title,
    intro: row.intro,
    locale: row.locale,
    intents: row.intents,
    askCompany: row.ask_company,
  };
  return { link, row, form };
}

/** The form a token opens, or null (forged, or the form is gone or off): one 404 for all. */
export async function openForm(dependencies: DoorDependencies, token: string): Promise<PublicForm | null> {
  return (await loadForm(dependencies, token))?.form ?? null;
}

const MESSAGES = {
  name: { 'zh-CN': '请填写姓名（最多 100 个字）', en: 'Enter your name (at most 100 characters)' },
  company: { 'zh-CN': '公司名称最多 200 个字', en: 'The company name is at most 200 characters' },
  phone: { 'zh-CN': '请填写正确的手机号或电话', en: 'Enter a valid phone number' },
  email: { 'zh-CN': '请填写正确的邮箱', en: 'Enter a valid email address' },
  contact: { 'zh-CN': '手机号和邮箱至少填写一项', en: 'Enter a phone number or an email address' },
  intent: { 'zh-CN': '请选择您的需求', en: 'Choose what you would like' },
  message: { 'zh-CN': '留言最多 1000 个字', en: 'The message is at most 1,000 characters' },
} as const;

const oneLine = (value: string | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();

/**
 * A visitor's submission: checked (messages in the form's language), then in one transaction
 * the tenant's lead with that phone or email is updated — or a web-form lead created — with
 * the intent chosen, and a form_submit event recorded; then its re-grade is queued. A filled
 * honeypot answers thanks and records nothing.
 */
export async function submitForm(
  dependencies: DoorDependencies,
  token: string,
  raw: Record<string, string | undefined>,
  now = new Date(),
): Promise<FormSubmission | null> {
  const loaded = await loadForm(dependencies, token);
  if (!loaded) return null;
  const { link, row, form } = loaded;
  if ((raw[HONEYPOT_FIELD] ?? '') !== '') return { kind: 'thanks', form };
  const locale = form.locale;
  const values: FormValues = {
    name: oneLine(raw.name),
    company: oneLine(raw.company),
    phone: oneLine(raw.phone),
    email: oneLine(raw.email),
    intent: oneLine(raw.intent),
    message: (raw.message ?? '').trim(),
  };
  const errors: Partial<Record<FormField, string>> = {};
  if (!values.name || values.name.length > 100) errors.name = MESSAGES.name[locale];
  if ((values.company ?? '').length > 200) errors.company = MESSAGES.company[locale];
  if (values.phone && !/^\+?[0-9][0-9 ()-]{5,24}$/.test(values.phone)) errors.phone = MESSAGES.phone[locale];
  if (values.email && !z.email().max(254).safeParse(values.email).success)
    errors.email = MESSAGES.email[locale];
  if (!values.phone && !values.email) errors.phone = MESSAGES.contact[locale];
  if (!values.intent || !form.intents.includes(values.intent)) errors.intent = MESSAGES.intent[locale];
  if ((values.message ?? '').length > 1000) errors.message = MESSAGES.message[locale];
  // Control characters never reach a lead.
  for (const [field, value] of Object.entries(values)) {
    if (findUnsafeCharacter(value ?? '', { multiline: field === 'message' })) {
      errors[field as FormField] ??= MESSAGES[field as FormField][locale];
    }
  }
  if (Object.keys(errors).length > 0) return { kind: 'invalid', form, values, errors };

  const tenantId = link.tenantId;
  const recorded = await dependencies.database.withTenant(tenantId, async (trx) => {
    const scope = jobScope(trx, tenantId);
    if (!(await countSubmission(scope, row.id))) return null;
    const lead = await upsertFormLead(scope, {
      personName: values.name as string,
      companyName: form.askCompany && values.company ? values.company : null,
      phone: values.phone || null,
      email: values.email || null,
      intent: values.intent as string,
      message: values.message || null,
      campaignName: await selectCampaignName(scope, row.campaign_id),
    });
    // A new lead goes to whoever the tenant's assignment rules say (or the 公海) before it is
    // graded, so its follow-up task is that rep's.
    if (lead.created) await assignLeads(scope, [lead.id], now);
    await recordTenantEvents(dependencies, scope, [
      {
        kind: 'form_submit',
        leadId: lead.id,
        campaignId: row.campaign_id,
        formId: row.id,
        details: { intent: values.intent, created: lead.created },
        dedupKey: `form:${digest(`${row.id}|${values.phone}|${values.email}|${values.intent}`)}:${windowOf(now)}`,
        occurredAt: now,
      },
    ]);
    // The lead is graded (when new, or told a stronger intent) by the event-driven run.
    return lead;
  });
  if (!recorded) return null;
  return { kind: 'thanks', form };
}
