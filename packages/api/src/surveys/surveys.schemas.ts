import { dateInput, userText } from '@crm/domain';
import { KEY_PATTERN, QUESTION_TYPES, SURVEY_KINDS } from '@crm/plugin-sdk';
import { z } from 'zod';

export const SURVEY_CHANNELS = ['email', 'sms', 'link'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];
export const SURVEY_CAUSES = ['service', 'product_mismatch', 'price', 'other'] as const;
export type SurveyCause = (typeof SURVEY_CAUSES)[number];
export const SURVEY_GROUPINGS = ['month', 'tier', 'owner', 'survey'] as const;
export type SurveyGrouping = (typeof SURVEY_GROUPINGS)[number];

const labels = z.strictObject({
  'zh-CN': userText({ required: true, max: 300 }),
  en: userText({ max: 300 }).optional(),
});

/** A question of a tenant's survey, in the SDK's form (checked by `checkSurveyForm`). */
export const surveyQuestionInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN),
  type: z.enum(QUESTION_TYPES),
  labels,
  required: z.boolean().optional(),
  options: z
    .array(z.strictObject({ value: z.string().regex(KEY_PATTERN), labels }))
    .max(20)
    .optional(),
  scale: z.strictObject({ min: z.number().int(), max: z.number().int() }).optional(),
  profile: z
    .strictObject({
      field: z.string().max(60),
      values: z.record(z.string().max(60), z.string().max(60)).optional(),
    })
    .optional(),
});
export type SurveyQuestionInput = z.infer<typeof surveyQuestionInput>;

export const saveSurveyInput = z.strictObject({
  /** Absent: a new survey. */
  id: z.uuid().optional(),
  kind: z.enum(SURVEY_KINDS),
  title: userText({ required: true, max: 100 }),
  description: userText({ multiline: true, max: 1000 }).nullish(),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  questions: z.array(surveyQuestionInput).min(1).max(50),
});
export type SaveSurveyInput = z.infer<typeof saveSurveyInput>;

export const surveyKeyInput = z.strictObject({ key: z.string().regex(KEY_PATTERN) });

const labelsOutput = z.object({ 'zh-CN': z.string(), en: z.string() });

export const surveyQuestionOutput = z.object({
  key: z.string(),
  type: z.enum(QUESTION_TYPES),
  labels: labelsOutput,
  required: z.boolean(),
  options: z.array(z.object({ value: z.string(), labels: labelsOutput })),
  scale: z.object({ min: z.number(), max: z.number() }).nullable(),
  profile: z.object({ field: z.string(), values: z.record(z.string(), z.string()).optional() }).nullable(),
});
export type SurveyQuestionOutput = z.infer<typeof surveyQuestionOutput>;

export const scheduleOutput = z
  .union([z.object({ after: z.string(), delayDays: z.number() }), z.object({ every: z.string() })])
  .nullable();

/** A survey as the list and the designer show it: the plugin's (read-only) or the tenant's. */
export const surveyOutput = z.object({
  key: z.string(),
  id: z.uuid().nullable(),
  source: z.enum(['plugin', 'tenant']),
  kind: z.enum(SURVEY_KINDS),
  title: labelsOutput,
  description: labelsOutput.nullable(),
  locale: z.enum(['zh-CN', 'en']).nullable(),
  questions: z.array(surveyQuestionOutput),
  schedule: scheduleOutput,
  audienceTiers: z.array(z.string()),
  enabled: z.boolean(),
  invited: z.number().int(),
  responded: z.number().int(),
});
export type SurveyOutput = z.infer<typeof surveyOutput>;

export const surveyListOutput = z.object({ items: z.array(surveyOutput) });
export type SurveyListOutput = z.infer<typeof surveyListOutput>;

export const setSurveyEnabledInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN),
  enabled: z.boolean(),
});

export const surveySettingsOutput = z.object({
  frequencyCapDays: z.number().int(),
  linkValidDays: z.number().int(),
  disabledKeys: z.array(z.string()),
});
export type SurveySettingsOutput = z.infer<typeof surveySettingsOutput>;

export const updateSurveySettingsInput = z.strictObject({
  frequencyCapDays: z.number().int().min(0).max(365),
  linkValidDays: z.number().int().min(1).max(365),
});

export const inviteInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN),
  customerIds: z.array(z.uuid()).min(1).max(500),
  /** A link for the rep to paste into WeChat, or sent by email or SMS. */
  channel: z.enum(SURVEY_CHANNELS),
});
export type InviteInput = z.infer<typeof inviteInput>;

export const invitationOutput = z.object({
  id: z.uuid(),
  surveyKey: z.string(),
  customerId: z.uuid(),
  customerName: z.string(),
  channel: z.enum(SURVEY_CHANNELS),
  status: z.enum(['pending', 'sent', 'failed', 'responded']),
  occasion: z.string(),
  sendOn: z.string(),
  expiresAt: z.string(),
  respondedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type InvitationOutput = z.infer<typeof invitationOutput>;

export const inviteOutput = z.object({
  invited: z.number().int(),
  /** Customers skipped: none of them has an address for the channel. */
  skipped: z.number().int(),
  /** The links of link invitations (to copy into WeChat). */
  links: z.array(z.object({ customerId: z.uuid(), invitationId: z.uuid(), url: z.string() })),
});

export const invitationIdInput = z.strictObject({ id: z.uuid() });
export const linkOutput = z.object({ url: z.string(), expiresAt: z.string() });

export const listInvitationsInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN).optional(),
  customerId: z.uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export const invitationListOutput = z.object({ items: z.array(invitationOutput) });

const day = dateInput;

export const resultsInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN).optional(),
  from: day,
  to: day,
  by: z.enum(SURVEY_GROUPINGS).default('month'),
  /** A second grouping under the first (NPS per tier per month). */
  thenBy: z.enum(SURVEY_GROUPINGS).optional(),
});
export type ResultsInput = z.infer<typeof resultsInput>;

export const scoreRowOutput = z.object({
  group: z.string().nullable(),
  subgroup: z.string().nullable(),
  label: z.string().nullable(),
  responses: z.number().int(),
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
  /** % promoters − % detractors, −100…100; null without NPS answers. */
  nps: z.number().nullable(),
  /** Share of CSAT scores at 75 or more on 0–100 (4–5 of 5); null without CSAT answers. */
  csat: z.number().nullable(),
  averageScore: z.number().nullable(),
  invited: z.number().int(),
  /** Responses ÷ invitations of the same group, %; null when nothing was sent. */
  responseRate: z.number().nullable(),
});
export type ScoreRowOutput = z.infer<typeof scoreRowOutput>;

export const resultsOutput = z.object({
  totals: scoreRowOutput,
  rows: z.array(scoreRowOutput),
  /** Follow-ups of unhappy answers in the period: opened, closed, the closed-loop rate (%). */
  followUps: z.object({
    opened: z.number().int(),
    closed: z.number().int(),
    closedLoopRate: z.number().nullable(),
  }),
});
export type ResultsOutput = z.infer<typeof resultsOutput>;

export const responsesInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN).optional(),
  customerId: z.uuid().optional(),
  lowOnly: z.boolean().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const responseOutput = z.object({
  id: z.uuid(),
  surveyKey: z.string(),
  surveyKind: z.enum(SURVEY_KINDS),
  customerId: z.uuid(),
  customerName: z.string(),
  tier: z.string().nullable(),
  score: z.number().nullable(),
  low: z.boolean(),
  answers: z.record(z.string(), z.unknown()),
  respondedAt: z.string(),
  followUpId: z.uuid().nullable(),
  followUpStatus: z.enum(['open', 'analysed', 'closed']).nullable(),
});
export type ResponseOutput = z.infer<typeof responseOutput>;
export const responseListOutput = z.object({ items: z.array(responseOutput) });

export const customerSatisfactionInput = z.strictObject({ customerId: z.uuid() });
export const customerSatisfactionOutput = z.object({
  lastNps: z.number().nullable(),
  lastNpsAt: z.string().nullable(),
  lastCsat: z.number().nullable(),
  lastCsatAt: z.string().nullable(),
  responses: z.number().int(),
  pendingInvitations: z.number().int(),
  openFollowUps: z.number().int(),
  recent: z.array(responseOutput),
});
export type CustomerSatisfactionOutput = z.infer<typeof customerSatisfactionOutput>;

export const followUpOutput = z.object({
  id: z.uuid(),
  responseId: z.uuid(),
  customerId: z.uuid(),
  customerName: z.string(),
  ownerUserId: z.uuid().nullable(),
  taskId: z.uuid().nullable(),
  status: z.enum(['open', 'analysed', 'closed']),
  cause: z.enum(SURVEY_CAUSES).nullable(),
  causeText: z.string().nullable(),
  improvement: z.string().nullable(),
  checkBackOn: z.string().nullable(),
  checkBackResult: z.string().nullable(),
  surveyKey: z.string(),
  score: z.number().nullable(),
  createdAt: z.string(),
});
export type FollowUpOutput = z.infer<typeof followUpOutput>;
export const followUpListOutput = z.object({ items: z.array(followUpOutput) });
export const listFollowUpsInput = z.strictObject({
  status: z.enum(['open', 'analysed', 'closed']).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const analyseFollowUpInput = z.strictObject({
  id: z.uuid(),
  cause: z.enum(SURVEY_CAUSES),
  causeText: userText({ multiline: true, max: 2000 }).nullish(),
  improvement: userText({ multiline: true, required: true, max: 2000 }),
  checkBackOn: day,
});
export type AnalyseFollowUpInput = z.infer<typeof analyseFollowUpInput>;

export const closeFollowUpInput = z.strictObject({
  id: z.uuid(),
  result: userText({ multiline: true, required: true, max: 2000 }),
});
