import { z } from 'zod';
import { KEY_PATTERN } from './keys';
import { type Labels, labelsShape } from './labels';
import type { NumberRef } from './setting-paths';
import { numberRefSchema } from './tiering';

/*
 * Everything a plugin contributes is declarative data. Numbers a tenant's admin may tune
 * (SLA hours, survey delays, cadence intervals, reminder offsets, lifecycle days) are
 * `NumberRef`s: a literal or `{ setting: 'path' }` into the plugin's settings; `P` is the
 * union of the plugin's numeric settings paths (`string` once erased).
 *
 * Everything a plugin contributes is declarative data: the core stores it, validates it,
 * compiles it to SQL, explains it and previews it. Keys a plugin contributes (custom fields,
 * surveys, lead grades, cadences, reminders) start with the plugin's key prefix
 * (`keyPrefixOf('corporate-banking')` = `corporate_banking_`) and match the core's key format
 * `^[a-z][a-z0-9_]{0,39}$`, so the same key is used in every layer (database, API, web, exports).
 */

export { CUSTOM_KEY_PATTERN, KEY_PATTERN, KEY_SOURCE } from './keys';

// ---------------------------------------------------------------------------------------------
// Custom fields

/** The core's custom field types (`custom_field_definitions.type`). */
export const CUSTOM_FIELD_TYPES = [
  'text',
  'number',
  'money',
  'date',
  'enum',
  'multi_enum',
  'boolean',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Check digits the core knows how to verify. */
export const CHECK_DIGITS = ['credit-code', 'national-id', 'luhn'] as const;
export type CheckDigit = (typeof CHECK_DIGITS)[number];

export type Option = { value: string; labels: Labels };

/**
 * The bounds of a custom field's values. The server enforces them on every path (the form,
 * the API, imports), the form shows them and checks them while the user types. Every rule
 * is optional; a field without `validation` takes any value of its type.
 */
export type CustomFieldValidation = {
  /** 统一社会信用代码 (GB 32100), 居民身份证号 (GB 11643) or a Luhn-checked number (bank cards). */
  checkDigit?: CheckDigit;
  /** A regular expression the whole value must match (text fields), e.g. `^[A-Z]{2}[0-9]{6}$`. */
  pattern?: string;
  /**
   * What the user is told when the value does not match `pattern`, shown after the field's
   * name: `{ 'zh-CN': '须为 2 位大写字母加 6 位数字', en: 'must be two capital letters and six digits' }`.
   * Without it the message says only that the format is wrong.
   */
  patternMessage?: Labels;
  /** Length of text fields, in characters (at most 1000). */
  minLength?: number;
  maxLength?: number;
  /** Bounds of number and money fields, inclusive. */
  min?: number;
  max?: number;
  /** Whole numbers only (number fields): head counts, years, scores. */
  integer?: boolean;
  /**
   * A star rating (number fields): a whole number from `min` (default 1) to `max` (default 5,
   * at most 10), entered as stars. Tier models read it as `rating:<key>`.
   */
  rating?: boolean;
};

/** A customer's kind: a person (个人) or a company (企业). */
export const CUSTOMER_KIND_VALUES = ['person', 'company'] as const;
export type CustomerKindValue = (typeof CUSTOMER_KIND_VALUES)[number];

/**
 * The core's own customer fields. A plugin's custom field may not repeat one of them — by
 * key (after the plugin's prefix: `b2b_credit_code` repeats `credit_code`) or by label in
 * either language — or the form, the profile, imports and exports would offer it twice.
 */
export const CORE_CUSTOMER_FIELDS: readonly { key: string; labels: Labels }[] = [
  { key: 'name', labels: { 'zh-CN': '客户名称', en: 'Customer name' } },
  { key: 'phone', labels: { 'zh-CN': '电话', en: 'Phone' } },
  { key: 'email', labels: { 'zh-CN': '邮箱', en: 'Email' } },
  { key: 'credit_code', labels: { 'zh-CN': '统一社会信用代码', en: 'Unified social credit code' } },
  { key: 'national_id', labels: { 'zh-CN': '身份证号', en: 'National ID number' } },
  { key: 'bank_card', labels: { 'zh-CN': '银行卡号', en: 'Bank card number' } },
  { key: 'customer_number', labels: { 'zh-CN': '客户编号', en: 'Customer number' } },
  { key: 'industry', labels: { 'zh-CN': '所属行业', en: 'Industry' } },
  { key: 'birthday', labels: { 'zh-CN': '生日', en: 'Birthday' } },
  { key: 'founded_on', labels: { 'zh-CN': '成立日期', en: 'Founded on' } },
  { key: 'owner', labels: { 'zh-CN': '负责人', en: 'Owner' } },
  { key: 'tags', labels: { 'zh-CN': '标签', en: 'Tags' } },
];

/** A label compared the way people read it: no spaces or punctuation, case-insensitive. */
export function labelKey(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}]/gu, '');
}

/** The core field a custom field repeats (by key after `prefix`, or by a label), if any. */
export function coreFieldShadowedBy(
  field: { key: string; labels: Labels },
  prefix = '',
): { key: string; labels: Labels } | undefined {
  const bare = prefix && field.key.startsWith(prefix) ? field.key.slice(prefix.length) : field.key;
  const labels = new Set([labelKey(field.labels['zh-CN']), labelKey(field.labels.en)]);
  return CORE_CUSTOMER_FIELDS.find(
    (core) =>
      core.key === bare ||
      core.key === field.key ||
      labels.has(labelKey(core.labels['zh-CN'])) ||
      labels.has(labelKey(core.labels.en)),
  );
}

export type CustomFieldDefinition = {
  /** Prefixed by the plugin: `corporate_banking_credit_code`. */
  key: string;
  type: CustomFieldType;
  labels: Labels;
  help?: Labels;
  /** Choices of `enum` and `multi_enum` fields. */
  options?: readonly Option[];
  required?: boolean;
  /** Stored encrypted, shown masked, revealed on request and audited (text fields only). */
  sensitive?: boolean;
  validation?: CustomFieldValidation;
};

const optionShape = z.strictObject({ value: z.string().min(1).max(50), labels: labelsShape });

export const customFieldShape = z.strictObject({
  key: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  labels: labelsShape,
  help: labelsShape.optional(),
  options: z.array(optionShape).optional(),
  required: z.boolean().optional(),
  sensitive: z.boolean().optional(),
  validation: z
    .object({
      checkDigit: z.enum(CHECK_DIGITS).optional(),
      pattern: z.string().optional(),
      patternMessage: labelsShape.optional(),
      minLength: z.number().int().min(0).max(1000).optional(),
      maxLength: z.number().int().min(1).max(1000).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().optional(),
      rating: z.boolean().optional(),
    })
    .strict()
    .optional(),
});

// ---------------------------------------------------------------------------------------------
// Lead grades (线索等级)

/** Lead facts a grading rule may test; `custom:<key>` tests a custom field of the lead. */
export const LEAD_FIELDS = [
  'source',
  'budget',
  'expected_close_days',
  'company_size',
  'industry',
  'region',
  'intent',
  'decision_maker_reached',
  'interactions_30d',
] as const;
export type LeadField = (typeof LEAD_FIELDS)[number] | `custom:${string}`;

export const LEAD_COMPARISONS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'present', 'absent'] as const;
export type LeadComparison = (typeof LEAD_COMPARISONS)[number];

export type LeadConditionValue<P extends string = string> =
  | string
  | boolean
  | readonly string[]
  | NumberRef<P>;

/**
 * Behaviour a lead shows through its events (lead_events, docs/leads-and-pipeline.md):
 * emails opened, links clicked, forms submitted, replies — or any of them.
 */
export const LEAD_ACTIVITIES = ['email_open', 'link_click', 'form_submit', 'reply', 'any_activity'] as const;
export type LeadActivity = (typeof LEAD_ACTIVITIES)[number];

/** Comparisons of a behaviour count or a number of days. */
export const BEHAVIOUR_COMPARISONS = ['eq', 'gt', 'gte', 'lt', 'lte'] as const;
export type BehaviourComparison = (typeof BEHAVIOUR_COMPARISONS)[number];

/**
 * A test on the lead's behaviour: how many events of a kind it had in the last `withinDays`
 * days (`{ behaviour: 'email_open', withinDays: 7, op: 'gte', value: 2 }` — two opens in a
 * week), or how many days have passed since its last activity (its last event, or its
 * creation when it has none): `{ behaviour: 'days_since_last_activity', op: 'gte', value: 30 }`.
 */
export type LeadBehaviourCondition<P extends string = string> =
  | { behaviour: LeadActivity; withinDays: NumberRef<P>; op: BehaviourComparison; value: NumberRef<P> }
  | { behaviour: 'days_since_last_activity'; op: BehaviourComparison; value: NumberRef<P> };

/** A test on one lead field or on its behaviour, or all / any of several tests. */
export type LeadCondition<P extends string = string> =
  | { field: LeadField; op: LeadComparison; value?: LeadConditionValue<P> }
  | LeadBehaviourCondition<P>
  | { all: readonly LeadCondition<P>[] }
  | { any: readonly LeadCondition<P>[] };

const behaviourConditionShape = z.union([
  z.strictObject({
    behaviour: z.enum(LEAD_ACTIVITIES),
    withinDays: numberRefSchema,
    op: z.enum(BEHAVIOUR_COMPARISONS),
    value: numberRefSchema,
  }),
  z.strictObject({
    behaviour: z.literal('days_since_last_activity'),
    op: z.enum(BEHAVIOUR_COMPARISONS),
    value: numberRefSchema,
  }),
]);

export const leadConditionShape: z.ZodType<LeadCondition> = z.lazy(() =>
  z.union([
    z.strictObject({
      field: z.union([z.enum(LEAD_FIELDS), z.templateLiteral(['custom:', z.string()])]),
      op: z.enum(LEAD_COMPARISONS),
      value: z.union([z.string(), numberRefSchema, z.boolean(), z.array(z.string())]).optional(),
    }),
    behaviourConditionShape,
    z.strictObject({ all: z.array(leadConditionShape).min(1) }),
    z.strictObject({ any: z.array(leadConditionShape).min(1) }),
  ]),
);

/** Whether a condition is one test on the lead's behaviour. */
export function isBehaviourCondition(condition: LeadCondition): condition is LeadBehaviourCondition {
  return 'behaviour' in condition;
}

export type LeadGrade<P extends string = string> = {
  /** Prefixed by the plugin: `b2b_lead_a`. */
  key: string;
  /** What users see: A, B, C … */
  grade: string;
  labels: Labels;
  /** Matches the lead; the first grade whose condition holds wins; omitted on the last grade only (the rest). */
  when?: LeadCondition<P>;
  /** 跟进时限: hours within which a rep must follow up a lead of this grade. */
  followUpWithinHours: NumberRef<P>;
};

export const leadGradeShape = z.strictObject({
  key: z.string(),
  grade: z.string().min(1).max(8),
  labels: labelsShape,
  when: leadConditionShape.optional(),
  followUpWithinHours: numberRefSchema,
});

/**
 * How a re-grade rule moves a lead: up (towards the first grade, A) or down by a number of
 * grades, or to one grade (a key of `leadGrades`). A move past the first or last grade stops there.
 */
export type LeadRegradeChange = { up: number } | { down: number } | { to: string };

/**
 * 线索升降级规则: when a lead's behaviour matches `when`, its grade moves by `change`, and the
 * move is written to its grade history with this rule's labels as the reason. Rules are
 * checked in order after every batch of behaviour events and once a day (for the
 * time-based ones, e.g. no activity for 30 days); the first rule that matches a lead moves
 * it. A rule moves one lead at most once per `cooldownDays` (default: the longest window
 * its condition looks at), so two opens and a click within 7 days lift a lead one grade,
 * not one grade per event.
 */
export type LeadRegradeRule<P extends string = string> = {
  /** Prefixed by the plugin: `b2b_regrade_engaged`. */
  key: string;
  /** The rule in words, shown as the reason of the move: 7 天内 2 次打开且 1 次点击 → 升一级. */
  labels: Labels;
  when: LeadCondition<P>;
  change: LeadRegradeChange;
  cooldownDays?: NumberRef<P>;
};

export const leadRegradeRuleShape = z.strictObject({
  key: z.string(),
  labels: labelsShape,
  when: leadConditionShape,
  change: z.union([
    z.strictObject({ up: z.number() }),
    z.strictObject({ down: z.number() }),
    z.strictObject({ to: z.string() }),
  ]),
  cooldownDays: numberRefSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// Surveys (回访问卷, 满意度, 净推荐值)

export const SURVEY_KINDS = ['nps', 'csat', 'needs', 'custom'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const QUESTION_TYPES = [
  'nps',
  'rating',
  'single_choice',
  'multi_choice',
  'text',
  'number',
  'yes_no',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * The customer's needs fields an answer may write (a needs survey's mapping): the stated
 * needs (明确需求) and the needs the rep infers (潜在需求) as text, the need type
 * (产品 / 服务 / 两者), or a custom field of the plugin (`custom:<key>`).
 */
export const SURVEY_PROFILE_FIELDS = ['explicit_needs', 'implicit_needs', 'need_type'] as const;
export type SurveyProfileField = (typeof SURVEY_PROFILE_FIELDS)[number] | `custom:${string}`;

/** The need types a `need_type` mapping may give (`customers.need_type`). */
export const NEED_TYPE_VALUES = ['product', 'service', 'both'] as const;
export type NeedTypeValue = (typeof NEED_TYPE_VALUES)[number];

/**
 * Where an answer goes on the customer's profile when the response arrives.
 * - `explicit_needs` / `implicit_needs`: a text, single or multi choice answer, written as
 *   the text or the chosen options' labels in the tenant's language;
 * - `need_type`: a single choice answer, each option mapped by `values` to `product`,
 *   `service` or `both` (an option left out changes nothing);
 * - `custom:<key>`: the plugin's custom field of the matching type — number (`number`,
 *   `rating`, `nps` answers), enum (single choice, the option values, or mapped by `values`),
 *   multi_enum (multi choice), boolean (yes/no), text (text).
 */
export type SurveyProfileMapping = {
  field: SurveyProfileField;
  values?: Readonly<Record<string, string>>;
};

export type SurveyQuestion = {
  /** Unique within its survey (not prefixed: the survey's key already is). */
  key: string;
  type: QuestionType;
  labels: Labels;
  required?: boolean;
  /** Choices of `single_choice` and `multi_choice` questions. */
  options?: readonly Option[];
  /**
   * Scale of a `rating` question, e.g. 1–5 (default) or 0–100. `nps` questions are always
   * 0–10. The first rating question of a `csat` survey is its score: a score in the lowest
   * quarter of the scale (1–2 of 1–5) is low and opens a follow-up task.
   */
  scale?: { min: number; max: number };
  /** Where the answer goes on the customer's profile (needs fields). */
  profile?: SurveyProfileMapping;
};

/** Events a survey may follow: a customer's first order, any order, a won deal, a closed ticket. */
export const SURVEY_EVENTS = ['first_order', 'order', 'deal_won', 'ticket_closed'] as const;
export type SurveyEvent = (typeof SURVEY_EVENTS)[number];
/** Periods of a periodic survey. */
export const SURVEY_PERIODS = ['month', 'quarter', 'half_year', 'year'] as const;
export type SurveyPeriod = (typeof SURVEY_PERIODS)[number];

/** When a survey is sent: some days after an event, or every period. */
export type SurveySchedule<P extends string = string> =
  | { after: SurveyEvent; delayDays: NumberRef<P> }
  | { every: SurveyPeriod };

export type Audience = {
  /** Tier keys of the plugin's tier model; omitted: every customer. */
  tiers?: readonly string[];
};

export type SurveyDefinition<P extends string = string> = {
  /** Prefixed by the plugin: `retail_csat_after_purchase`. */
  key: string;
  kind: SurveyKind;
  labels: Labels;
  /** For the tenant's staff (the survey list): who gets it and why. Never shown to the customer. */
  description?: Labels;
  questions: readonly SurveyQuestion[];
  schedule: SurveySchedule<P>;
  audience?: Audience;
};

const audienceShape = z.strictObject({ tiers: z.array(z.string()).optional() });

export const surveyShape = z.strictObject({
  key: z.string(),
  kind: z.enum(SURVEY_KINDS),
  labels: labelsShape,
  description: labelsShape.optional(),
  questions: z
    .array(
      z.strictObject({
        key: z.string().regex(KEY_PATTERN),
        type: z.enum(QUESTION_TYPES),
        labels: labelsShape,
        required: z.boolean().optional(),
        options: z.array(optionShape).optional(),
        scale: z.strictObject({ min: z.number().int(), max: z.number().int() }).optional(),
        profile: z
          .strictObject({
            field: z.string(),
            values: z.record(z.string(), z.string()).optional(),
          })
          .optional(),
      }),
    )
    .min(1),
  schedule: z.union([
    z.strictObject({
      after: z.enum(SURVEY_EVENTS),
      delayDays: numberRefSchema,
    }),
    z.strictObject({ every: z.enum(SURVEY_PERIODS) }),
  ]),
  audience: audienceShape.optional(),
});

// ---------------------------------------------------------------------------------------------
// Tickets (工单): categories and SLA policies

/** A ticket's priority, as the core keeps it. */
export const TICKET_PRIORITY_VALUES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriorityValue = (typeof TICKET_PRIORITY_VALUES)[number];

/** A category of tickets the tenant starts with: `retail_product_quality` (商品质量). */
export type TicketCategory = { key: string; labels: Labels };

/**
 * SLA targets for tickets of a priority, of customers in some tiers, both, or neither (the
 * catch-all): first response and resolution within so many hours, in working or calendar
 * time (the tenant's work calendar default when omitted). The most specific policy applies
 * (tier and priority, then tier, then priority, then the catch-all); the tenant's own
 * policies come before the plugin's, and 24 h / 72 h before nothing.
 */
export type TicketSlaPolicyDefinition<P extends string = string> = {
  priority?: TicketPriorityValue;
  /** Tier keys of the plugin's tier model; omitted: every tier. */
  tiers?: readonly string[];
  firstResponseHours: NumberRef<P>;
  resolutionHours: NumberRef<P>;
  mode?: 'business' | 'calendar';
};

export type TicketsDefinition<P extends string = string> = {
  categories?: readonly TicketCategory[];
  slaPolicies?: readonly TicketSlaPolicyDefinition<P>[];
  /** Warn the assignee when this share of a target has run (default 80 %). */
  warnAtPercent?: NumberRef<P>;
  /** Tell the manager when this share has run (default 125 %: a quarter past the breach). */
  escalateAtPercent?: NumberRef<P>;
};

export const ticketsShape = z.strictObject({
  categories: z.array(z.strictObject({ key: z.string(), labels: labelsShape })).optional(),
  slaPolicies: z
    .array(
      z.strictObject({
        priority: z.enum(TICKET_PRIORITY_VALUES).optional(),
        tiers: z.array(z.string()).optional(),
        firstResponseHours: numberRefSchema,
        resolutionHours: numberRefSchema,
        mode: z.enum(['business', 'calendar']).optional(),
      }),
    )
    .optional(),
  warnAtPercent: numberRefSchema.optional(),
  escalateAtPercent: numberRefSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// 公海 (public pool): recycle rules per lead grade and customer tier

/**
 * When an owned lead or customer returns to the 公海 for lack of follow-up: after so many
 * days without a logged contact (a lead) or an interaction or deal (a customer), counted from
 * the last one or from the assignment; `null` never (战略客户). A grade or tier not listed uses
 * the default; without a default, it is never recycled. The tenant's admin overrides any of
 * these in 设置 → 公海.
 */
export type PoolDefinition<P extends string = string> = {
  /** Per lead grade (a key of `leadGrades`). */
  leads?: readonly { grade: string; recycleAfterDays: NumberRef<P> | null }[];
  leadDefaultDays?: NumberRef<P> | null;
  /** Per customer tier (a key of the tier model). */
  customers?: readonly { tier: string; recycleAfterDays: NumberRef<P> | null }[];
  customerDefaultDays?: NumberRef<P> | null;
  /** Tell the owner so many days before the recycle (default 3). */
  warnDaysBefore?: NumberRef<P>;
  /** Claims a member may make from the pool per day (default 10). */
  dailyClaimLimit?: NumberRef<P>;
};

export const poolShape = z.strictObject({
  leads: z
    .array(z.strictObject({ grade: z.string(), recycleAfterDays: numberRefSchema.nullable() }))
    .optional(),
  leadDefaultDays: numberRefSchema.nullable().optional(),
  customers: z
    .array(z.strictObject({ tier: z.string(), recycleAfterDays: numberRefSchema.nullable() }))
    .optional(),
  customerDefaultDays: numberRefSchema.nullable().optional(),
  warnDaysBefore: numberRefSchema.optional(),
  dailyClaimLimit: numberRefSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// Referrals and growth points (转介绍, 成长值)

/** What a referral earns the referrer: growth points, or a discount (percent off) on their next purchase. */
export const REFERRAL_REWARD_KINDS = ['points', 'discount'] as const;
export type ReferralRewardKind = (typeof REFERRAL_REWARD_KINDS)[number];

/**
 * A referral rule: when the referred customer's first order is recorded, the referrer earns
 * `value` points, or a discount of `value` percent. The first rule is the default.
 */
export type ReferralRuleDefinition<P extends string = string> = {
  key: string;
  labels: Labels;
  reward: ReferralRewardKind;
  value: NumberRef<P>;
};

/**
 * Growth points (成长值) and referrals: points earned per yuan of a completed order, how many
 * months points stay before they expire (0: never), and the referral rules. The tenant's
 * settings override each of these.
 */
export type LoyaltyDefinition<P extends string = string> = {
  pointsPerYuan?: NumberRef<P>;
  expiryMonths?: NumberRef<P>;
  referralRules?: readonly ReferralRuleDefinition<P>[];
};

export const loyaltyShape = z.strictObject({
  pointsPerYuan: numberRefSchema.optional(),
  expiryMonths: numberRefSchema.optional(),
  referralRules: z
    .array(
      z.strictObject({
        key: z.string(),
        labels: labelsShape,
        reward: z.enum(REFERRAL_REWARD_KINDS),
        value: numberRefSchema,
      }),
    )
    .optional(),
});

// ---------------------------------------------------------------------------------------------
// Contact cadences (联系频率 / 维护节奏)

export const CHANNELS = [
  'visit',
  'video_call',
  'phone',
  'online',
  'wechat',
  'email',
  'sms',
  'content',
] as const;
export type Channel = (typeof CHANNELS)[number];

export type Interval<P extends string = string> = { every: NumberRef<P>; unit: 'day' | 'week' | 'month' };

export type Cadence<P extends string = string> = {
  /** Prefixed by the plugin: `b2b_strategic_monthly`. */
  key: string;
  /** A tier key of the plugin's tier model. */
  tier: string;
  /** Several cadences may serve one tier (monthly visit + quarterly needs review). */
  channels: readonly Channel[];
  interval: Interval<P>;
  /** The action as a task title: 月度拜访或视频会议. */
  labels: Labels;
  /** What the plan aims at, shown on the customer's plan card: 年度增购 ≥ 20%. Optional. */
  goals?: readonly Labels[];
  /** Plans of this cadence wait for a manager's approval before they make tasks. Optional (no). */
  requiresApproval?: boolean;
};

const intervalShape = z.strictObject({
  every: numberRefSchema,
  unit: z.enum(['day', 'week', 'month']),
});

export const cadenceShape = z.strictObject({
  key: z.string(),
  tier: z.string(),
  channels: z.array(z.enum(CHANNELS)).min(1),
  interval: intervalShape,
  labels: labelsShape,
  goals: z.array(labelsShape).max(10).optional(),
  requiresApproval: z.boolean().optional(),
});

// ---------------------------------------------------------------------------------------------
// Reminders (提醒)

export const HOLIDAYS = [
  'new_year',
  'spring_festival',
  'lantern_festival',
  'dragon_boat',
  'mid_autumn',
  'national_day',
] as const;
export type Holiday = (typeof HOLIDAYS)[number];

/** What a reminder is relative to; `offsetDays` is negative before, positive after. */
export type ReminderTrigger<P extends string = string> =
  | { on: 'birthday'; offsetDays: NumberRef<P> }
  | { on: 'first_order'; offsetDays: NumberRef<P> }
  | { on: 'holiday'; holiday: Holiday; offsetDays: NumberRef<P> }
  /** A date custom field of the plugin (policy expiry, loan maturity …). */
  | { on: 'date_field'; field: string; offsetDays: NumberRef<P> };

export type Reminder<P extends string = string> = {
  /** Prefixed by the plugin: `retail_birthday_greeting`. */
  key: string;
  trigger: ReminderTrigger<P>;
  channels?: readonly Channel[];
  /** The task title: 生日问候. */
  labels: Labels;
  audience?: Audience;
};

const offsetDays = numberRefSchema;

export const reminderShape = z.strictObject({
  key: z.string(),
  trigger: z.union([
    z.strictObject({ on: z.literal('birthday'), offsetDays }),
    z.strictObject({ on: z.literal('first_order'), offsetDays }),
    z.strictObject({ on: z.literal('holiday'), holiday: z.enum(HOLIDAYS), offsetDays }),
    z.strictObject({ on: z.literal('date_field'), field: z.string(), offsetDays }),
  ]),
  channels: z.array(z.enum(CHANNELS)).optional(),
  labels: labelsShape,
  audience: audienceShape.optional(),
});

// ---------------------------------------------------------------------------------------------
// Lifecycle thresholds (生命周期)

export type LifecycleThresholds<P extends string = string> = {
  /** Days without an order after which a customer is 有流失风险. */
  atRiskDays: NumberRef<P>;
  /** Days without an order after which a customer is 沉睡. */
  dormantDays: NumberRef<P>;
  /** Orders from which a customer is 忠诚. */
  loyalOrders: NumberRef<P>;
};

export const lifecycleShape = z.strictObject({
  atRiskDays: numberRefSchema,
  dormantDays: numberRefSchema,
  loyalOrders: numberRefSchema,
});

// ---------------------------------------------------------------------------------------------
// Pipeline (商机阶段): stages, their standard actions and gates, lost reasons

/**
 * What a stage means to the core: `open` stages are the pipeline a deal moves through (in
 * the order declared), `won` (赢单) and `lost` (输单) close it, and `after_sales` (售后)
 * follows a won deal. A pipeline has at least one open stage, exactly one won stage and one
 * lost stage; an after-sales stage is optional.
 */
export const PIPELINE_STAGE_KINDS = ['open', 'won', 'lost', 'after_sales'] as const;
export type PipelineStageKind = (typeof PIPELINE_STAGE_KINDS)[number];

/** What a gate may require to be filled in on the opportunity. */
export const OPPORTUNITY_FIELDS = [
  'amount',
  'expected_close_on',
  'contact',
  'line_items',
  'competitors',
  'decision_chain',
] as const;
export type OpportunityField = (typeof OPPORTUNITY_FIELDS)[number];

/**
 * A standard action (标准动作) of a stage: an item of the stage's checklist. With
 * `dueWithinHours`, entering the stage puts an SLA task on the owner's list, due that many
 * hours later on the tenant's work calendar (a proposal within 48 h); ticking the action
 * off closes the task.
 */
export type StageAction<P extends string = string> = {
  /** Prefixed by the plugin: `b2b_action_proposal_sent`. */
  key: string;
  labels: Labels;
  dueWithinHours?: NumberRef<P>;
};

/**
 * A gate (关卡) checked when a deal leaves its stage forward (to a later open stage or to
 * won): at least `minNeeds` core needs recorded, these standard actions of the stage ticked
 * off, or these fields filled in. A move that fails a gate is refused with the gate's rule
 * named; moving back and losing a deal pass no gate.
 */
export type StageGate<P extends string = string> =
  | { minNeeds: NumberRef<P> }
  | { actionsDone: readonly string[] }
  | { fieldsPresent: readonly OpportunityField[] };

export type PipelineStage<P extends string = string> = {
  /** Prefixed by the plugin: `b2b_stage_needs`. */
  key: string;
  kind: PipelineStageKind;
  labels: Labels;
  /** The win probability (0–100 %) a deal takes on entering the stage. */
  probability: NumberRef<P>;
  actions?: readonly StageAction<P>[];
  gates?: readonly StageGate<P>[];
};

/** A reason a deal was lost (输单原因): the tenant starts with the plugin's and may add or hide some. */
export type LostReason = { key: string; labels: Labels };

export type PipelineDefinition<P extends string = string> = {
  stages: readonly PipelineStage<P>[];
  lostReasons?: readonly LostReason[];
};

const stageGateShape = z.union([
  z.strictObject({ minNeeds: numberRefSchema }),
  z.strictObject({ actionsDone: z.array(z.string()).min(1) }),
  z.strictObject({ fieldsPresent: z.array(z.enum(OPPORTUNITY_FIELDS)).min(1) }),
]);

export const pipelineShape = z.strictObject({
  stages: z
    .array(
      z.strictObject({
        key: z.string(),
        kind: z.enum(PIPELINE_STAGE_KINDS),
        labels: labelsShape,
        probability: numberRefSchema,
        actions: z
          .array(
            z.strictObject({
              key: z.string(),
              labels: labelsShape,
              dueWithinHours: numberRefSchema.optional(),
            }),
          )
          .optional(),
        gates: z.array(stageGateShape).optional(),
      }),
    )
    .min(3),
  lostReasons: z.array(z.strictObject({ key: z.string(), labels: labelsShape })).optional(),
});

/**
 * The dashboards' KPIs a plugin may give a target, with their units (the core's KPI catalogue,
 * packages/domain dashboards/kpis.ts; a core test keeps the two equal). Percentages are
 * 0–100, NPS −100–100, times in hours or days, money in the tenant's currency.
 */
export const KPI_TARGET_UNITS = {
  customers_total: 'count',
  customers_by_stage: 'count',
  new_customers: 'count',
  tier_moves: 'count',
  repurchase_rate: 'percent',
  retention_rate: 'percent',
  churn_rate: 'percent',
  average_order_value: 'currency',
  revenue_by_tier: 'currency',
  cross_sell_share: 'percent',
  completeness_average: 'percent',
  completeness_share: 'percent',
  stale_profiles: 'percent',
  customers_per_rep: 'count',
  plan_task_completion: 'percent',
  contact_cadence_compliance: 'percent',
  task_sla_compliance: 'percent',
  overdue_tasks: 'count',
  ticket_closure_rate: 'percent',
  ticket_first_response_hours: 'hours',
  ticket_resolution_hours: 'hours',
  ticket_sla_compliance: 'percent',
  lead_funnel: 'count',
  lead_conversion_rate: 'percent',
  lead_conversion_by_grade: 'percent',
  lead_conversion_by_rep: 'percent',
  lead_first_contact_hours: 'hours',
  lead_sla_compliance: 'percent',
  sales_cycle_days: 'days',
  win_rate: 'percent',
  pipeline_value: 'currency',
  nps: 'count',
  csat: 'percent',
} as const;
export type KpiTargetKey = keyof typeof KPI_TARGET_UNITS;
export const KPI_TARGET_KEYS = Object.keys(KPI_TARGET_UNITS) as [KpiTargetKey, ...KpiTargetKey[]];

/**
 * 指标目标: the industry's targets for the dashboards' KPIs (e.g. `{ retention_rate: 90,
 * lead_conversion_rate: 18.75 }`). They replace the core's defaults for tenants on the
 * profile; a tenant's admin may still set their own.
 */
export type KpiTargets = Readonly<Partial<Record<KpiTargetKey, number>>>;

export const kpiTargetsShape = z.partialRecord(z.enum(KPI_TARGET_KEYS), z.number());
