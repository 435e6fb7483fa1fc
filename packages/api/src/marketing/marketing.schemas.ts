import { LEAD_INTENTS, LEAD_SOURCES, LEAD_STATUSES, userText } from '@crm/domain';
import { z } from 'zod';

/** Hosted lead forms (线索表单) and campaigns (营销活动): inputs and outputs. */

const LOCALES = ['zh-CN', 'en'] as const;

export const formIdInput = z.strictObject({ id: z.uuid() });

const formFields = {
  name: userText({ required: true, max: 100 }),
  title: userText({ required: true, max: 100 }),
  intro: userText({ multiline: true, max: 1000 }).nullish(),
  locale: z.enum(LOCALES).default('zh-CN'),
  intents: z.array(z.enum(LEAD_INTENTS)).min(1).max(10),
  askCompany: z.boolean().default(true),
  campaignId: z.uuid().nullish(),
};

export const createFormInput = z.strictObject(formFields);
export type CreateFormInput = z.infer<typeof createFormInput>;

export const updateFormInput = z.strictObject({
  id: z.uuid(),
  ...formFields,
  active: z.boolean(),
});
export type UpdateFormInput = z.infer<typeof updateFormInput>;

export const formOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  title: z.string(),
  intro: z.string().nullable(),
  locale: z.enum(LOCALES),
  intents: z.array(z.enum(LEAD_INTENTS)),
  askCompany: z.boolean(),
  campaignId: z.uuid().nullable(),
  active: z.boolean(),
  submissions: z.number().int(),
  /** The hosted page (public, signed). */
  url: z.string(),
  /** What an admin pastes into a web page to embed the form. */
  snippet: z.string(),
  createdAt: z.iso.datetime(),
});
export type FormOutput = z.infer<typeof formOutput>;

/** Which leads a campaign goes to: open leads with an email, narrowed by these (each: any of). */
export const campaignAudience = z.strictObject({
  grades: z.array(z.string().min(1).max(8)).max(10).optional(),
  statuses: z.array(z.enum(LEAD_STATUSES)).max(5).optional(),
  sources: z.array(z.enum(LEAD_SOURCES)).max(10).optional(),
});
export type CampaignAudience = z.infer<typeof campaignAudience>;

export const campaignIdInput = z.strictObject({ id: z.uuid() });

const campaignFields = {
  name: userText({ required: true, max: 100 }),
  subject: userText({ required: true, max: 200 }),
  body: userText({ required: true, multiline: true, max: 20000 }),
  audience: campaignAudience.default({}),
};

export const createCampaignInput = z.strictObject(campaignFields);
export type CreateCampaignInput = z.infer<typeof createCampaignInput>;

export const updateCampaignInput = z.strictObject({ id: z.uuid(), ...campaignFields });
export type UpdateCampaignInput = z.infer<typeof updateCampaignInput>;

export const audienceCountInput = z.strictObject({ audience: campaignAudience });
export const audienceCountOutput = z.object({ count: z.number().int() });

export const CAMPAIGN_STATUSES = ['draft', 'sending', 'sent'] as const;

export const campaignOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  subject: z.string(),
  body: z.string(),
  audience: campaignAudience,
  status: z.enum(CAMPAIGN_STATUSES),
  sentAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** Leads it went to, and how many of them opened, clicked, replied (each lead once). */
  sent: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  replied: z.number().int(),
});
export type CampaignOutput = z.infer<typeof campaignOutput>;

export const sendCampaignOutput = z.object({ sent: z.number().int() });

/** The most leads one campaign is sent to from the web app. */
export const CAMPAIGN_MAX_RECIPIENTS = 5000;
