import { sql, type Transaction } from 'kysely';
import type { CrmDatabase } from '../connection';
import type { Database, IndustryProfile } from '../tables';

/**
 * A year of survey answers on each demo business, as its industry plugin's surveys would have
 * collected them: the periodic NPS, CSAT and needs surveys in every period of the last twelve
 * months to their tier audience, the CSAT after each closed ticket, won deal and first order,
 * and this period's invitations still waiting for an answer, sent in waves so that every
 * month has its answers. Scores lean with the tier (the top tier happiest) and rise gently
 * over the year, so the business's NPS goes from 35 toward 42 whatever its tier mix and its
 * satisfaction sits near 90–93 %, with passives and a few detractors in every month (the
 * shares drawn per survey, tier and month from a low-discrepancy sequence: no month of
 * promoters only); every unhappy answer has its follow-up — closed long ago,
 * analysed and waiting for the check-back, or still to be analysed — with the owner's tasks.
 *
 * Runs after the tiers are derived (the responses keep the customer's tier). Rows are drawn in
 * memory from a fixed seed and written with a few multi-row inserts per table.
 */

/** A plugin survey as the seed needs it (the SDK's `SurveyDefinition`, loosely). */
export type DemoPluginSurvey = {
  key: string;
  kind: 'nps' | 'csat' | 'needs' | 'custom';
  schedule: { after: string; delayDays?: unknown } | { every: string };
  audience?: { tiers?: readonly string[] };
  questions: readonly {
    key: string;
    type: string;
    scale?: { min: number; max: number };
    options?: readonly { value: string }[];
  }[];
};

type Customer = {
  id: string;
  tier: string | null;
  owner_user_id: string | null;
  email: string | null;
  phone: string | null;
  contact_id: string | null;
  first_deal_at: Date | null;
};
type Occasion = { id: string; customer_id: string; at: Date };

const DAY = 86_400_000;
const ZONE_OFFSET = 8 * 3_600_000;
const YEAR_DAYS = 365;

/** What unhappy, middling and happy customers write, per business. */
const COMMENTS: Record<string, { low: string[]; middle: string[]; high: string[] }> = {
  b2b: {
    high: [
      '交期稳定，质量可靠，技术支持响应很快。',
      '工程师现场调试很专业，产线一次验收通过。',
      '合作三年了，备件供应一直很及时。',
      '方案贴合我们的工艺，节省了不少改造成本。',
    ],
    middle: [
      '产品本身没问题，交期偶尔会推迟几天。',
      '价格偏高，希望年度框架能有更多优惠。',
      '技术文档可以再详细一些。',
      '整体满意，售后电话有时打不通。',
    ],
    low: [
      '上一批轴承公差超标，影响了我们排产。',
      '报修后两天才有人联系，太慢了。',
      '发票问题来回沟通了好几次才解决。',
      '交期一拖再拖，已经在考虑其他供应商。',
    ],
  },
  retail: {
    high: [
      '衣服质量很好，店员很耐心。',
      '物流很快，包装也很用心。',
      '会员活动很实惠，会推荐给朋友。',
      '退换货很方便，客服态度好。',
    ],
    middle: [
      '款式不错，就是尺码偏小。',
      '价格有点贵，等活动再买。',
      '快递慢了两天，其他都还好。',
      '门店人太多，试衣要排队。',
    ],
    low: [
      '衣服穿两次就起球，很失望。',
      '客服一直不回复退货申请。',
      '积分没到账，问了几次都没解决。',
      '店员态度很差，不会再去了。',
    ],
  },
  'corporate-banking': {
    high: [
      '客户经理专业负责，业务办理很高效。',
      '网银操作方便，代发工资很顺利。',
      '贷款审批比预期快，解决了资金周转。',
      '对公服务很到位，有问题随时响应。',
    ],
    middle: [
      '手续费比其他行略高。',
      '柜面等候时间有点长。',
      '企业手机银行功能还不够全。',
      '整体满意，希望审批材料能精简。',
    ],
    low: [
      '跨行转账手续费扣错了，沟通很久才退回。',
      '开户等了两个多小时，效率太低。',
      'U 盾经常识别不了，影响付款。',
      '客户经理换了三次，每次都要重新介绍情况。',
    ],
  },
};

/** What a customer suggests when asked what to improve (a happy one too). */
const SUGGESTIONS: Record<string, string[]> = {
  b2b: [
    '希望提供更详细的技术文档。',
    '备件库存能再充足一些。',
    '希望交期更稳定。',
    '希望每年安排一次现场培训。',
  ],
  retail: [
    '希望增加大码款式。',
    '会员日能多一些满减活动。',
    '周末门店可以多安排几位店员。',
    '快递能再快一点就更好了。',
  ],
  'corporate-banking': [
    '希望精简开户和变更的材料。',
    '企业手机银行希望支持批量付款。',
    '希望柜面增加午间服务窗口。',
    '跨行手续费能再优惠一些。',
  ],
};
/** Questions that ask what to improve rather than why. */
const SUGGESTION_KEYS = new Set(['improve', 'suggestions']);

const CAUSES = ['service', 'product_mismatch', 'price', 'other'] as const;
const ANALYSIS: Record<(typeof CAUSES)[number], { text: string; improvement: string; result: string }> = {
  service: {
    text: '客户反映响应慢，报修后未在承诺时间内联系。',
    improvement: '指定专属客服，报修 4 小时内回电，并每周回顾未结工单。',
    result: '客户表示近期响应明显变快，愿意继续合作。',
  },
  product_mismatch: {
    text: '到货产品与客户的使用场景不完全匹配。',
    improvement: '安排技术人员上门确认需求，调换为合适型号。',
    result: '已更换型号，客户试用后确认满足要求。',
  },
  price: {
    text: '客户认为价格高于同类供应商。',
    improvement: '按年度用量重新报价，并说明服务与质保的差异。',
    result: '客户接受新报价，下季度继续采购。',
  },
  other: {
    text: '客户对开票和对账流程不满意。',
    improvement: '财务对接人每月主动发送对账单。',
    result: '客户确认本月对账顺利。',
  },
};

/** A small seeded generator (mulberry32): the same demo every time, independent of other seeds. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    chance: (share: number) => next() < share,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T,
  };
}

/** The Beijing calendar day of a moment, 'YYYY-MM-DD'. */
function dayOf(at: number): string {
  return new Date(at + ZONE_OFFSET).toISOString().slice(0, 10);
}
/** Midnight in Beijing of a 'YYYY-MM-DD' day, as epoch milliseconds. */
function startOf(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - ZONE_OFFSET;
}

/** The days of a periodic survey's period (a month counted as 30). */
function periodDays(every: string): number {
  return every === 'quarter' ? 90 : every === 'half_year' ? 182 : every === 'month' ? 30 : 365;
}

/** The periods of a periodic survey that began in the last year, with their labels as the scheduler writes them. */
function periodsOf(every: string, now: number): { label: string; start: string }[] {
  const months = every === 'quarter' ? 3 : every === 'half_year' ? 6 : every === 'month' ? 1 : 12;
  const today = dayOf(now);
  const [year, month] = today.split('-').map(Number) as [number, number];
  const periods: { label: string; start: string }[] = [];
  let index = Math.floor((year * 12 + month - 1) / months) * months;
  while (true) {
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    const start = `${y}-${String(m).padStart(2, '0')}-01`;
    if (startOf(start) < now - YEAR_DAYS * DAY) break;
    const label =
      months === 3
        ? `${y}Q${(m - 1) / 3 + 1}`
        : months === 6
          ? `${y}H${m <= 6 ? 1 : 2}`
          : months === 1
            ? `${y}M${String(m).padStart(2, '0')}`
            : `${y}`;
    periods.push({ label, start });
    index -= months;
  }
  return periods;
}

/** Where a tier sits among the plugin's tiers: 0 the top, 1 the bottom (unknown: the middle). */
function standingOf(tier: string | null, tiers: readonly string[]): number {
  const index = tier ? tiers.indexOf(tier) : -1;
  if (index < 0 || tiers.length < 2) return 0.5;
  return index / (tiers.length - 1);
}

/** The business's NPS at the start of the year and at its end (the seeds' target: 35 toward 42). */
const NPS_FROM = 35;
const NPS_TO = 42;
/** How far the top tier's NPS sits above the business's, and the bottom tier's below. */
const NPS_TIER_SPREAD = 22;
/** The share of passives (7–8) in every tier. */
const PASSIVES = 0.3;

/**
 * Where an answer falls, 0–1, per survey, tier and month: a low-discrepancy sequence (the
 * golden ratio's) from a seeded start, so even a month's dozen answers of a tier show shares
 * close to their targets, as a real business's do over many answers — independent draws gave
 * months of 100 % and of 0.
 */
function answerDraws(random: ReturnType<typeof generator>) {
  const buckets = new Map<string, { start: number; count: number }>();
  return (bucket: string): number => {
    let state = buckets.get(bucket);
    if (!state) {
      state = { start: random.next(), count: 0 };
      buckets.set(bucket, state);
    }
    state.count += 1;
    return (state.start + state.count * 0.618_033_988_75) % 1;
  };
}

/**
 * An NPS answer: the tier's NPS is the business's (35 at the start of the year, 42 at its end,
 * `progress` 0 → 1) shifted by the tier (`tilt` −1 bottom … 1 top, less the answers' mean tilt,
 * so the business's figure holds whatever its tier mix), with a third passives; `draw` 0–1.
 */
function npsScore(
  draw: number,
  tilt: number,
  progress: number,
  random: ReturnType<typeof generator>,
): number {
  const nps = NPS_FROM + (NPS_TO - NPS_FROM) * progress + NPS_TIER_SPREAD * tilt;
  const promoters = Math.min(0.95, Math.max(0.05, (1 - PASSIVES + nps / 100) / 2));
  const detractors = Math.max(0.02, 1 - PASSIVES - promoters);
  if (draw < promoters) return random.next() < 0.55 ? 9 : 10;
  if (draw < 1 - detractors) return random.next() < 0.5 ? 7 : 8;
  return [3, 4, 5, 5, 6, 6, 6][Math.floor(random.next() * 7)] as number;
}

/**
 * A 1–5 satisfaction: 4–5 (satisfied) for about 95 % of the top tier and 89 % of the bottom,
 * a point better at the end of the year; 1–2 for a few; `draw` 0–1.
 */
function csatScore(
  draw: number,
  standing: number,
  progress: number,
  random: ReturnType<typeof generator>,
): number {
  const low = 0.02 + 0.03 * standing - 0.005 * progress;
  const middle = 0.025 + 0.035 * standing - 0.005 * progress;
  const top = 0.55 - 0.2 * standing;
  if (draw < low) return random.next() < 0.35 ? 1 : 2;
  if (draw < low + middle) return 3;
  if (draw < low + middle + top) return 5;
  return 4;
}

/**
 * The demo tenants' survey invitations, responses and follow-ups (see the top of this file).
 * `tenants`: the seeded tenants with their industry; `plugins`: the loaded industry plugins
 * (their surveys and tier order). Returns the number of responses written.
 */
export async function seedDemoSurveys(
  database: CrmDatabase,
  tenants: readonly { id: string; industry: IndustryProfile }[],
  plugins: readonly {
    id: string;
    surveys?: readonly DemoPluginSurvey[];
    tierModel?: { tiers: readonly { key: string }[] };
  }[],
  now = Date.now(),
): Promise<number> {
  let written = 0;
  for (const tenant of tenants) {
    const plugin = plugins.find((candidate) => candidate.id === tenant.industry);
    const surveys = plugin?.surveys ?? [];
    if (surveys.length === 0) continue;
    const tiers = (plugin?.tierModel?.tiers ?? []).map((tier) => tier.key);
    written += await database.withTenant(tenant.id, (trx) =>
      seedTenant(trx, tenant.id, tenant.industry, surveys, tiers, now),
    );
  }
  return written;
}

async function seedTenant(
  trx: Transaction<Database>,
  tenantId: string,
  industry: string,
  surveys: readonly DemoPluginSurvey[],
  tiers: readonly string[],
  now: number,
): Promise<number> {
  const random = generator(20261212 + industry.length);
  const comments = COMMENTS[industry] ?? COMMENTS.b2b;
  const yearAgo = new Date(now - YEAR_DAYS * DAY);
  const { rows: customers } = await sql<Customer>`
    select c.id, t.tier, c.owner_user_id, c.email, c.phone, c.first_deal_at,
      (select k.id from contacts k where k.tenant_id = c.tenant_id and k.customer_id = c.id and k.is_primary limit 1) as contact_id
    from customers c
    left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
    where c.tenant_id = ${tenantId} and c.archived_at is null and c.merged_into is null
    order by c.created_at, c.id`.execute(trx);
  if (customers.length === 0 || !comments) return 0;
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const { rows: closedTickets } = await sql<Occasion>`
    select id, customer_id, closed_at as at from tickets
    where tenant_id = ${tenantId} and closed_at is not null and closed_at > ${yearAgo}`.execute(trx);
  const { rows: wonDeals } = await sql<Occasion>`
    select id, customer_id, won_at as at from opportunities
    where tenant_id = ${tenantId} and won_at is not null and won_at > ${yearAgo}`.execute(trx);

  type Invitation = {
    id: string;
    survey: DemoPluginSurvey;
    customer: Customer;
    occasion: string;
    sendAt: number;
    /** Milliseconds after sending, or null while unanswered. */
    answerAfter: number | null;
    /** A rep's link; else by email, SMS or link as the scheduler chooses. */
    channel?: 'link';
  };
  const invitations: Invitation[] = [];
  const responseRate = (customer: Customer) => 0.72 - 0.4 * standingOf(customer.tier, tiers);
  const invite = (
    survey: DemoPluginSurvey,
    customer: Customer,
    occasion: string,
    sendAt: number,
    rate: number,
    channel?: 'link',
  ) => {
    if (sendAt > now) return;
    // An answer comes within a few days; this week's invitations are partly still open.
    const after = random.int(2, 96) * 3_600_000;
    const answered = random.chance(rate) && sendAt + after < now;
    invitations.push({
      id: crypto.randomUUID(),
      survey,
      customer,
      occasion,
      sendAt,
      answerAfter: answered ? after : null,
      channel,
    });
  };

  for (const survey of surveys) {
    const audience = survey.audience?.tiers;
    const inAudience = (customer: Customer) =>
      !audience || audience.length === 0 || (customer.tier !== null && audience.includes(customer.tier));
    const schedule = survey.schedule;
    if ('every' in schedule) {
      for (const period of periodsOf(schedule.every, now)) {
        for (const customer of customers) {
          // Not every customer was reachable in every period (new customers, the frequency cap).
          if (!inAudience(customer) || !random.chance(0.8)) continue;
          // Sent in waves over the period (the frequency cap holds some back), so answers come
          // in every month; this period's only up to today.
          const start = startOf(period.start);
          const spread = Math.min(periodDays(schedule.every) - 2, Math.floor((now - start) / DAY));
          const sendAt = start + random.int(0, Math.max(0, spread)) * DAY + random.int(9, 17) * 3_600_000;
          invite(
            survey,
            customer,
            `period:${survey.key}:${period.label}:${customer.id}`,
            sendAt,
            responseRate(customer),
          );
        }
      }
      // Between the periods, reps send the NPS or satisfaction survey by hand (a link pasted
      // into WeChat after a visit or a delivery): most buying customers once a year, so answers
      // come in every month.
      if (survey.kind === 'nps' || survey.kind === 'csat') {
        for (const customer of customers) {
          if (!inAudience(customer) || !customer.first_deal_at || !random.chance(0.9)) continue;
          const sendAt = now - random.int(1, YEAR_DAYS) * DAY - random.int(0, 8) * 3_600_000;
          invite(survey, customer, `manual:${crypto.randomUUID()}`, sendAt, responseRate(customer), 'link');
        }
      }
      continue;
    }
    const delayDays = typeof schedule.delayDays === 'number' ? schedule.delayDays : 7;
    const delay = delayDays * DAY + 10 * 3_600_000;
    if (schedule.after === 'ticket_closed') {
      for (const ticket of closedTickets) {
        const customer = byId.get(ticket.customer_id);
        if (customer && inAudience(customer))
          invite(
            survey,
            customer,
            `ticket_closed:${survey.key}:${ticket.id}`,
            ticket.at.getTime() + delay,
            0.8,
          );
      }
    } else if (schedule.after === 'deal_won') {
      for (const deal of wonDeals) {
        const customer = byId.get(deal.customer_id);
        if (customer && inAudience(customer))
          invite(survey, customer, `deal_won:${survey.key}:${deal.id}`, deal.at.getTime() + delay, 0.7);
      }
    } else if (schedule.after === 'first_order') {
      for (const customer of customers) {
        const first = customer.first_deal_at?.getTime();
        if (first && first > yearAgo.getTime() && inAudience(customer))
          invite(
            survey,
            customer,
            `first_order:${survey.key}:${customer.id}`,
            first + delay,
            responseRate(customer),
          );
      }
    }
  }
  if (invitations.length === 0) return 0;

  type Response = {
    id: string;
    invitation: Invitation;
    at: number;
    score: number | null;
    scorePct: number | null;
    low: boolean;
    answers: Record<string, unknown>;
  };
  const responses: Response[] = [];
  const draws = answerDraws(random);
  // The answers' mean tier tilt (top 1, bottom −1), weighted by who answers: the business's
  // NPS is the tiers' around it.
  const answering = invitations.filter((invitation) => invitation.answerAfter !== null);
  const tiltOf = (customer: Customer) => 1 - 2 * standingOf(customer.tier, tiers);
  const meanTilt =
    answering.reduce((sum, invitation) => sum + tiltOf(invitation.customer), 0) /
    Math.max(1, answering.length);
  for (const invitation of invitations) {
    if (invitation.answerAfter === null) continue;
    const { survey, customer } = invitation;
    const at = invitation.sendAt + invitation.answerAfter;
    const progress = Math.min(1, Math.max(0, 1 - (now - at) / (YEAR_DAYS * DAY)));
    const standing = standingOf(customer.tier, tiers);
    const scoreQuestion =
      survey.kind === 'nps'
        ? survey.questions.find((question) => question.type === 'nps')
        : survey.kind === 'csat'
          ? survey.questions.find((question) => question.type === 'rating')
          : undefined;
    const answers: Record<string, unknown> = {};
    let score: number | null = null;
    let scorePct: number | null = null;
    let low = false;
    // How the customer feels, 0–1, for the questions beside the score.
    let mood = 0.8 - 0.3 * standing;
    const bucket = `${survey.key}:${customer.tier ?? ''}:${dayOf(at).slice(0, 7)}`;
    if (scoreQuestion?.type === 'nps') {
      score = npsScore(draws(bucket), tiltOf(customer) - meanTilt, progress, random);
      scorePct = score * 10;
      low = score <= 6;
      mood = score / 10;
    } else if (scoreQuestion) {
      const scale = scoreQuestion.scale ?? { min: 1, max: 5 };
      const fivePoint = csatScore(draws(bucket), standing, progress, random);
      score = Math.round(scale.min + ((fivePoint - 1) / 4) * (scale.max - scale.min));
      scorePct = Math.round(((score - scale.min) / (scale.max - scale.min)) * 10000) / 100;
      low = scorePct <= 25;
      mood = (fivePoint - 1) / 4;
    }
    let commented = false;
    for (const question of survey.questions) {
      if (question === scoreQuestion) {
        answers[question.key] = score;
        continue;
      }
      const options = (question.options ?? []).map((option) => option.value);
      if (question.type === 'rating') {
        const scale = question.scale ?? { min: 1, max: 5 };
        const near = Math.round(scale.min + mood * (scale.max - scale.min)) + random.int(-1, 1);
        answers[question.key] = Math.min(scale.max, Math.max(scale.min, near));
      } else if (question.type === 'nps') {
        answers[question.key] = Math.min(10, Math.max(0, Math.round(mood * 10) + random.int(-1, 1)));
      } else if (question.type === 'yes_no') {
        answers[question.key] = mood >= 0.5 || random.chance(0.3);
      } else if (question.type === 'single_choice' && options.length > 0) {
        answers[question.key] = random.pick(options);
      } else if (question.type === 'multi_choice' && options.length > 0) {
        const chosen = new Set([random.pick(options), ...(random.chance(0.4) ? [random.pick(options)] : [])]);
        answers[question.key] = [...chosen];
      } else if (question.type === 'text' && !commented && (low || random.chance(0.45))) {
        // The first text question, answered by most unhappy customers and some others.
        commented = true;
        answers[question.key] = random.pick(
          low
            ? comments.low
            : SUGGESTION_KEYS.has(question.key)
              ? (SUGGESTIONS[industry] ?? comments.middle)
              : mood >= 0.85
                ? comments.high
                : comments.middle,
        );
      } else if (question.type === 'number') {
        answers[question.key] = random.int(1, 20);
      }
    }
    responses.push({ id: crypto.randomUUID(), invitation, at, score, scorePct, low, answers });
  }

  const iso = (at: number) => new Date(at).toISOString();
  const linkValid = 30 * DAY;
  const chunks = <T>(rows: T[]) =>
    Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));
  const answeredAt = new Map(responses.map((response) => [response.invitation.id, response.at]));
  for (const chunk of chunks(invitations)) {
    await trx
      .insertInto('survey_invitations')
      .values(
        chunk.map((invitation) => {
          const { customer } = invitation;
          const channel = invitation.channel ?? (customer.email ? 'email' : customer.phone ? 'sms' : 'link');
          const answered = answeredAt.get(invitation.id);
          return {
            tenant_id: tenantId,
            id: invitation.id,
            survey_key: invitation.survey.key,
            survey_kind: invitation.survey.kind,
            customer_id: customer.id,
            contact_id: customer.contact_id,
            owner_user_id: customer.owner_user_id,
            tier: customer.tier,
            occasion: invitation.occasion,
            channel,
            status: answered !== undefined ? 'responded' : 'sent',
            send_on: dayOf(invitation.sendAt),
            sent_at: iso(invitation.sendAt),
            expires_at: iso(startOf(dayOf(invitation.sendAt)) + linkValid + DAY),
            responded_at: answered !== undefined ? iso(answered) : null,
            created_by: invitation.channel ? customer.owner_user_id : null,
            created_at: iso(invitation.sendAt),
          };
        }) as never,
      )
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  for (const chunk of chunks(responses)) {
    await trx
      .insertInto('survey_responses')
      .values(
        chunk.map((response) => ({
          tenant_id: tenantId,
          id: response.id,
          invitation_id: response.invitation.id,
          survey_key: response.invitation.survey.key,
          survey_kind: response.invitation.survey.kind,
          customer_id: response.invitation.customer.id,
          contact_id: response.invitation.customer.contact_id,
          owner_user_id: response.invitation.customer.owner_user_id,
          tier: response.invitation.customer.tier,
          answers: JSON.stringify(response.answers),
          score: response.score === null ? null : String(response.score),
          score_pct: response.scorePct === null ? null : String(response.scorePct),
          low: response.low,
          locale: 'zh-CN',
          responded_at: iso(response.at),
        })) as never,
      )
      .execute();
  }

  // The follow-up of each unhappy answer, where its owner has got to with it: answers of the
  // last two weeks still to analyse, of the last six weeks analysed and waiting for the
  // check-back, older ones closed.
  type Task = {
    title: string;
    type: 'call';
    customer_id: string;
    related_kind: 'survey_response';
    related_id: string;
    owner_user_id: string | null;
    due_on: string;
    priority: 'high' | 'normal';
    status: 'open' | 'done';
    status_reason: string | null;
    closed_at: string | null;
    closed_by: string | null;
    source: 'rule';
    source_key: string;
    created_at: string;
    updated_at: string;
  };
  const tasks: Task[] = [];
  const followUps: Record<string, unknown>[] = [];
  // The newest two are still to be analysed and the next two wait for their check-back
  // whatever their age: a demo shows every state, and a few overdue ones.
  const unhappy = responses.filter((candidate) => candidate.low).sort((a, b) => b.at - a.at);
  for (const [rank, response] of unhappy.entries()) {
    const customer = response.invitation.customer;
    const owner = customer.owner_user_id;
    const age = now - response.at;
    const state = age < 14 * DAY || rank < 2 ? 'open' : age < 42 * DAY || rank < 4 ? 'analysed' : 'closed';
    const analysedAt = response.at + random.int(1, 3) * DAY;
    const checkBackOn = dayOf(
      state === 'analysed'
        ? Math.max(analysedAt + 14 * DAY, now + random.int(1, 10) * DAY)
        : analysedAt + 14 * DAY,
    );
    const closedAt = startOf(checkBackOn) + 15 * 3_600_000;
    const cause = random.pick(CAUSES);
    tasks.push({
      title: `满意度回访：客户评分 ${response.score ?? '-'}，请分析原因`,
      type: 'call',
      customer_id: customer.id,
      related_kind: 'survey_response',
      related_id: response.id,
      owner_user_id: owner,
      due_on: dayOf(response.at + 2 * DAY),
      priority: 'high',
      status: state === 'open' ? 'open' : 'done',
      status_reason: state === 'open' ? null : '已完成原因分析',
      closed_at: state === 'open' ? null : iso(analysedAt),
      closed_by: state === 'open' ? null : owner,
      source: 'rule',
      source_key: `survey:follow-up:${response.id}`,
      created_at: iso(response.at),
      updated_at: iso(state === 'open' ? response.at : analysedAt),
    });
    if (state !== 'open') {
      tasks.push({
        title: '改进回访：确认客户对改进是否满意',
        type: 'call',
        customer_id: customer.id,
        related_kind: 'survey_response',
        related_id: response.id,
        owner_user_id: owner,
        due_on: checkBackOn,
        priority: 'normal',
        status: state === 'closed' ? 'done' : 'open',
        status_reason: state === 'closed' ? '已回访确认' : null,
        closed_at: state === 'closed' ? iso(closedAt) : null,
        closed_by: state === 'closed' ? owner : null,
        source: 'rule',
        source_key: `survey:check-back:${response.id}`,
        created_at: iso(analysedAt),
        updated_at: iso(state === 'closed' ? closedAt : analysedAt),
      });
    }
    followUps.push({
      tenant_id: tenantId,
      response_id: response.id,
      customer_id: customer.id,
      owner_user_id: owner,
      status: state,
      cause: state === 'open' ? null : cause,
      cause_text: state === 'open' ? null : ANALYSIS[cause].text,
      improvement: state === 'open' ? null : ANALYSIS[cause].improvement,
      check_back_on: state === 'open' ? null : checkBackOn,
      check_back_result: state === 'closed' ? ANALYSIS[cause].result : null,
      analysed_by: state === 'open' ? null : owner,
      analysed_at: state === 'open' ? null : iso(analysedAt),
      closed_by: state === 'closed' ? owner : null,
      closed_at: state === 'closed' ? iso(closedAt) : null,
      created_at: iso(response.at),
    });
  }
  for (const chunk of chunks(tasks)) {
    await trx
      .insertInto('tasks')
      .values(chunk.map((task) => ({ tenant_id: tenantId, ...task })) as never)
      .execute();
  }
  for (const chunk of chunks(followUps)) {
    await trx
      .insertInto('survey_follow_ups')
      .values(chunk as never)
      .execute();
  }
  // Each follow-up points at its tasks, as the product links them.
  await sql`
    update survey_follow_ups f
    set task_id = t.id, check_back_task_id = b.id
    from tasks t
    left join tasks b on b.tenant_id = t.tenant_id and b.source_key = 'survey:check-back:' || t.related_id
    where f.tenant_id = ${tenantId} and t.tenant_id = ${tenantId}
      and t.source_key = 'survey:follow-up:' || f.response_id`.execute(trx);
  return responses.length;
}
