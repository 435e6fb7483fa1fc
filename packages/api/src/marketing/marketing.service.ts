import { enqueueEmail } from '../email/email.service';
import { appError } from '../errors';
import { publicAddress } from '../lead-events/public-doors';
import { EMAIL_TOKEN_DAYS, signPublicLink } from '../lead-events/public-links';
import type { Scope } from '../scope';
import {
  type CampaignRow,
  claimCampaignRecipients,
  countAudience,
  type FormRow,
  insertCampaign,
  insertForm,
  selectCampaign,
  selectCampaigns,
  selectForm,
  selectForms,
  updateDraftCampaign,
  updateForm,
} from './marketing.repository';
import {
  CAMPAIGN_MAX_RECIPIENTS,
  type CampaignAudience,
  type CampaignOutput,
  type CreateCampaignInput,
  type CreateFormInput,
  type FormOutput,
  type UpdateCampaignInput,
  type UpdateFormInput,
} from './marketing.schemas';

/**
 * 营销: hosted lead forms (a public page per form, and a snippet to embed it) and campaigns
 * (an email to a filtered list of leads through the outbox, each carrying the open pixel and
 * tracked links, counted by the behaviour events they bring back).
 */

/** The path of a form's hosted page: /f/<signed token> (never expires; turning the form off closes it). */
export function formPath(tenantId: string, formId: string): string {
  return `/f/${signPublicLink({ kind: 'form', tenantId, subjectId: formId, campaignId: null, expiresAt: 0 })}`;
}

function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

function formOutput(scope: Scope, row: FormRow): FormOutput {
  const url = publicAddress(formPath(scope.tenantId, row.id));
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    intro: row.intro,
    locale: row.locale,
    intents: row.intents as FormOutput['intents'],
    askCompany: row.ask_company,
    campaignId: row.campaign_id,
    active: row.active,
    submissions: row.submissions,
    url,
    snippet: `<iframe src="${escapeAttribute(url)}" title="${escapeAttribute(row.title)}" style="width:100%;max-width:480px;height:640px;border:0" loading="lazy"></iframe>`,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function listForms(scope: Scope): Promise<FormOutput[]> {
  return (await selectForms(scope)).map((row) => formOutput(scope, row));
}

function formValues(input: CreateFormInput) {
  return {
    name: input.name,
    title: input.title,
    intro: input.intro ?? null,
    locale: input.locale,
    intents: [...new Set(input.intents)],
    ask_company: input.askCompany,
    campaign_id: input.campaignId ?? null,
  };
}

async function assertCampaign(scope: Scope, campaignId: string | null | undefined): Promise<void> {
  if (campaignId && !(await selectCampaign(scope, campaignId))) {
    throw appError('CAMPAIGN_NOT_FOUND', {}, 'campaignId');
  }
}

export async function createForm(scope: Scope, input: CreateFormInput): Promise<FormOutput> {
  await assertCampaign(scope, input.campaignId);
  const row = await insertForm(scope, formValues(input));
  if (row === 'NAME_TAKEN') throw appError('LEAD_FORM_NAME_TAKEN', {}, 'name');
  return formOutput(scope, row);
}

export async function changeForm(scope: Scope, input: UpdateFormInput): Promise<FormOutput> {
  await assertCampaign(scope, input.campaignId);
  const row = await updateForm(scope, input.id, { ...formValues(input), active: input.active });
  if (row === 'NAME_TAKEN') throw appError('LEAD_FORM_NAME_TAKEN', {}, 'name');
  if (!row) throw appError('LEAD_FORM_NOT_FOUND');
  return formOutput(scope, row);
}

export async function getForm(scope: Scope, id: string): Promise<FormOutput> {
  const row = await selectForm(scope, id);
  if (!row) throw appError('LEAD_FORM_NOT_FOUND');
  return formOutput(scope, row);
}

// ---------------------------------------------------------------------------------------------
// Campaigns

function campaignOutput(row: CampaignRow): CampaignOutput {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    body: row.body,
    audience: row.audience,
    status: row.status,
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    sent: row.sent,
    opened: row.opened,
    clicked: row.clicked,
    replied: row.replied,
  };
}

export async function listCampaigns(scope: Scope): Promise<CampaignOutput[]> {
  return (await selectCampaigns(scope)).map(campaignOutput);
}

export async function getCampaign(scope: Scope, id: string): Promise<CampaignOutput> {
  const row = await selectCampaign(scope, id);
  if (!row) throw appError('CAMPAIGN_NOT_FOUND');
  return campaignOutput(row);
}

export async function createCampaign(scope: Scope, input: CreateCampaignInput): Promise<CampaignOutput> {
  const id = await insertCampaign(scope, input);
  if (id === 'NAME_TAKEN') throw appError('CAMPAIGN_NAME_TAKEN', {}, 'name');
  return getCampaign(scope, id);
}

export async function changeCampaign(scope: Scope, input: UpdateCampaignInput): Promise<CampaignOutput> {
  const outcome = await updateDraftCampaign(scope, input.id, input);
  if (outcome === 'NAME_TAKEN') throw appError('CAMPAIGN_NAME_TAKEN', {}, 'name');
  if (outcome === 'NOT_DRAFT') throw appError('CAMPAIGN_ALREADY_SENT');
  if (!outcome) throw appError('CAMPAIGN_NOT_FOUND');
  return getCampaign(scope, input.id);
}

export async function audienceCount(scope: Scope, audience: CampaignAudience): Promise<{ count: number }> {
  return { count: await countAudience(scope, audience) };
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)）。，]/g;

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/**
 * One lead's email of a campaign: `{{name}}` filled in, every http(s) link in the body
 * replaced by a tracked link signed for this lead (it redirects only to that target), the
 * open pixel at the end of the HTML part, and a reference line the reply hook reads.
 */
export function renderCampaignEmail(
  tenantId: string,
  campaign: { id: string; subject: string; body: string },
  lead: { leadId: string; name: string },
  now = new Date(),
): { subject: string; text: string; html: string } {
  const expiresAt = Math.floor(now.getTime() / 1000) + EMAIL_TOKEN_DAYS * 86400;
  const link = { tenantId, subjectId: lead.leadId, campaignId: campaign.id, expiresAt };
  const tracked = (target: string) =>
    publicAddress(
      `/t/c/${signPublicLink({ ...link, kind: 'link_click' }, target)}?u=${encodeURIComponent(target)}`,
    );
  const body = campaign.body.replaceAll('{{name}}', lead.name);
  const pixel = publicAddress(`/t/o/${signPublicLink({ ...link, kind: 'email_open' })}.gif`);
  const reply = signPublicLink({ ...link, kind: 'reply' });
  const text = `${body.replace(URL_PATTERN, (url) => tracked(url))}\n\n--\nRef: ${reply}\n`;
  let html = '';
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const url = match[0];
    html += escapeHtml(body.slice(last, match.index));
    html += `<a href="${escapeHtml(tracked(url))}">${escapeHtml(url)}</a>`;
    last = (match.index ?? 0) + url.length;
  }
  html += escapeHtml(body.slice(last));
  return {
    subject: campaign.subject.replaceAll('{{name}}', lead.name),
    text,
    html: `<div style="white-space:pre-wrap">${html}</div><p style="color:#999;font-size:12px">Ref: ${reply}</p><img src="${escapeHtml(pixel)}" width="1" height="1" alt="" style="display:block;border:0">`,
  };
}

/**
 * Sends a draft: its recipients recorded and one email per lead queued in the outbox, in the
 * request's transaction (all or nothing); the outbox job delivers them after it commits.
 */
export async function sendCampaign(scope: Scope, id: string): Promise<{ sent: number }> {
  const campaign = await selectCampaign(scope, id);
  if (!campaign) throw appError('CAMPAIGN_NOT_FOUND');
  const recipients = await claimCampaignRecipients(scope, id, CAMPAIGN_MAX_RECIPIENTS);
  if (recipients === undefined) throw appError('CAMPAIGN_NOT_FOUND');
  if (recipients === 'NOT_DRAFT') throw appError('CAMPAIGN_ALREADY_SENT');
  if (recipients.length === 0) throw appError('CAMPAIGN_AUDIENCE_EMPTY', {}, 'audience');
  if (recipients.length > CAMPAIGN_MAX_RECIPIENTS) {
    throw appError('CAMPAIGN_AUDIENCE_TOO_LARGE', { max: CAMPAIGN_MAX_RECIPIENTS }, 'audience');
  }
  await enqueueEmail(
    scope,
    recipients.map((recipient) => {
      const email = renderCampaignEmail(scope.tenantId, campaign, {
        leadId: recipient.lead_id,
        name: recipient.name,
      });
      return {
        to: recipient.email,
        subject: email.subject,
        text: email.text,
        html: email.html,
        kind: 'campaign',
        dedupKey: `campaign:${id}:${recipient.lead_id}`,
      };
    }),
  );
  return { sent: recipients.length };
}
