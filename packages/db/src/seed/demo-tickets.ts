import type { TicketPriority, TicketStatus, TicketType } from '@crm/domain';
import type { Transaction } from 'kysely';
import type { Database, IndustryProfile } from '../tables';

/**
 * Tickets (工单) of each business, written the way its service desk writes them, with the
 * category keys of its industry profile.
 */
type TicketTemplate = { type: TicketType; category: string; subject: string; description: string };

const TEMPLATES: Record<string, TicketTemplate[]> = {
  retail: [
    {
      type: 'complaint',
      category: 'retail_product_quality',
      subject: '新买的羊绒大衣起球严重',
      description: '顾客反映上周购买的羊绒大衣穿了两次就大面积起球，要求退货或换新。',
    },
    {
      type: 'complaint',
      category: 'retail_delivery',
      subject: '快递三天未送达，物流信息不更新',
      description: '订单已发货三天，物流停在中转站，顾客着急送礼。',
    },
    {
      type: 'service_request',
      category: 'retail_return_exchange',
      subject: '申请换大一码',
      description: '顾客购买的运动鞋偏小，申请换大一码，鞋盒与吊牌完好。',
    },
    {
      type: 'question',
      category: 'retail_membership',
      subject: '会员积分没有到账',
      description: '顾客 11 月的两笔消费积分未到账，询问原因。',
    },
    {
      type: 'complaint',
      category: 'retail_store_service',
      subject: '门店店员服务态度差',
      description: '顾客周末到店试衣，店员不耐烦，未提供尺码建议。',
    },
    {
      type: 'feedback',
      category: 'retail_pricing',
      subject: '建议会员日增加满减活动',
      description: '老顾客建议会员日除折扣外增加满减，方便凑单。',
    },
    {
      type: 'question',
      category: 'retail_pricing',
      subject: '双十二价格保护怎么申请',
      description: '顾客 12 月初购买的商品双十二降价，询问是否可以补差价。',
    },
  ],
  b2b: [
    {
      type: 'complaint',
      category: 'b2b_product_quality',
      subject: '第二批轴承尺寸公差超标',
      description: '客户来料检验发现 12 月批次轴承内径公差超出图纸要求，已暂停上线。',
    },
    {
      type: 'service_request',
      category: 'b2b_installation',
      subject: '新产线设备安装调试',
      description: '客户新厂房产线设备已到货，需安排工程师上门安装调试。',
    },
    {
      type: 'complaint',
      category: 'b2b_delivery',
      subject: '交期延误影响客户排产',
      description: '原定 12 月 3 日到货的备件推迟，客户产线排产受影响。',
    },
    {
      type: 'question',
      category: 'b2b_technical_support',
      subject: 'PLC 程序升级后报警',
      description: '客户升级控制程序后设备频繁报警，需要远程技术支持。',
    },
    {
      type: 'service_request',
      category: 'b2b_billing',
      subject: '发票税号开错需重开',
      description: '客户财务反馈 11 月发票税号有误，需要红冲重开。',
    },
    {
      type: 'feedback',
      category: 'b2b_contract',
      subject: '希望年度框架合同改为季度结算',
      description: '客户采购部建议明年框架合同改为季度结算。',
    },
    {
      type: 'complaint',
      category: 'b2b_technical_support',
      subject: '售后工程师响应太慢',
      description: '客户反映设备故障报修后 48 小时无人联系。',
    },
  ],
  'corporate-banking': [
    {
      type: 'complaint',
      category: 'corporate_banking_fees',
      subject: '跨行转账手续费扣收有误',
      description: '企业反映 11 月跨行转账手续费按标准价扣收，未享受协议优惠。',
    },
    {
      type: 'service_request',
      category: 'corporate_banking_account',
      subject: '变更预留印鉴',
      description: '企业法人变更，需要变更预留印鉴并更新授权人。',
    },
    {
      type: 'question',
      category: 'corporate_banking_online_banking',
      subject: '网银 U 盾无法识别',
      description: '财务人员更换电脑后 U 盾无法识别，无法付款。',
    },
    {
      type: 'complaint',
      category: 'corporate_banking_service_attitude',
      subject: '柜面办理时间过长',
      description: '企业经办人反映办理对公开户等候两个多小时。',
    },
    {
      type: 'service_request',
      category: 'corporate_banking_loan',
      subject: '申请提前还款',
      description: '企业资金回笼，申请提前归还部分流动资金贷款。',
    },
    {
      type: 'feedback',
      category: 'corporate_banking_online_banking',
      subject: '建议网银支持批量代发导入模板',
      description: '企业建议网银代发工资支持 Excel 模板直接导入。',
    },
    {
      type: 'question',
      category: 'corporate_banking_account',
      subject: '回单打印不完整',
      description: '企业财务打印电子回单缺少附言信息。',
    },
  ],
};

/** The everyday tickets of the past year (no dates in their words: they recur all year). */
const HISTORY_TEMPLATES: Record<string, TicketTemplate[]> = {
  retail: [
    {
      type: 'complaint',
      category: 'retail_product_quality',
      subject: '衣服洗后缩水',
      description: '顾客反映新买的针织衫洗过一次明显缩水，要求退换。',
    },
    {
      type: 'complaint',
      category: 'retail_delivery',
      subject: '快递延迟未送达',
      description: '订单发货后物流多日未更新，顾客催问送达时间。',
    },
    {
      type: 'service_request',
      category: 'retail_return_exchange',
      subject: '申请换货',
      description: '顾客购买的商品尺码不合适，申请换货，吊牌完好。',
    },
    {
      type: 'question',
      category: 'retail_membership',
      subject: '会员积分查询',
      description: '顾客询问近期消费积分的到账时间和使用规则。',
    },
    {
      type: 'complaint',
      category: 'retail_store_service',
      subject: '门店结账排队时间长',
      description: '顾客反映周末门店只开一个收银台，排队二十多分钟。',
    },
    {
      type: 'question',
      category: 'retail_pricing',
      subject: '活动价格咨询',
      description: '顾客询问会员日折扣能否与优惠券同时使用。',
    },
  ],
  b2b: [
    {
      type: 'complaint',
      category: 'b2b_product_quality',
      subject: '来料检验发现外观划伤',
      description: '客户来料检验发现部分零件表面划伤，要求确认处理方案。',
    },
    {
      type: 'service_request',
      category: 'b2b_installation',
      subject: '设备安装调试',
      description: '客户新设备到货，需安排工程师上门安装调试。',
    },
    {
      type: 'complaint',
      category: 'b2b_delivery',
      subject: '备件到货延迟',
      description: '客户订购的备件未按约定日期到货，影响设备检修计划。',
    },
    {
      type: 'question',
      category: 'b2b_technical_support',
      subject: '设备参数设置咨询',
      description: '客户工程师咨询设备参数设置，需要远程协助。',
    },
    {
      type: 'service_request',
      category: 'b2b_billing',
      subject: '申请补开发票',
      description: '客户财务需要补开上月的增值税专用发票。',
    },
    {
      type: 'question',
      category: 'b2b_contract',
      subject: '合同条款确认',
      description: '客户采购部询问框架合同中的付款周期和质保条款。',
    },
  ],
  'corporate-banking': [
    {
      type: 'complaint',
      category: 'corporate_banking_fees',
      subject: '手续费扣收有疑问',
      description: '企业对账时发现一笔手续费与协议价格不符，要求核实。',
    },
    {
      type: 'service_request',
      category: 'corporate_banking_account',
      subject: '变更账户联系人',
      description: '企业财务负责人变更，申请更新账户联系人和预留手机号。',
    },
    {
      type: 'question',
      category: 'corporate_banking_online_banking',
      subject: '网银登录异常',
      description: '企业财务人员登录网银提示证书过期，无法付款。',
    },
    {
      type: 'complaint',
      category: 'corporate_banking_service_attitude',
      subject: '柜面等候时间长',
      description: '企业经办人反映办理业务排队时间过长。',
    },
    {
      type: 'service_request',
      category: 'corporate_banking_loan',
      subject: '申请贷款展期',
      description: '企业因回款延迟，申请流动资金贷款展期。',
    },
    {
      type: 'question',
      category: 'corporate_banking_account',
      subject: '电子回单下载',
      description: '企业财务询问如何批量下载电子回单。',
    },
  ],
};

/**
 * Where each demo ticket stands, in hours before now (calendar time, 24 h to the first reply
 * and 72 h to resolution): every status, on track, at risk, breached (and escalated to the
 * manager), paused while waiting on the customer, resolved on time and late, closed over the
 * past months (for the KPIs), one reopened. The scan of the SLA clock acts on the open ones
 * on the demo's first minutes: warnings, breaches and escalations, as tasks and notifications.
 */
type Slot = {
  status: TicketStatus;
  ageH: number;
  priority: TicketPriority;
  assigned: boolean;
  /** Hours after opening of the first reply. */
  respondedH?: number;
  /** Hours after opening of the move to waiting on the customer (paused since). */
  pausedH?: number;
  /** Hours after opening of the resolution. */
  resolvedH?: number;
  /** Hours after resolution of the closing. */
  closedAfterH?: number;
  reopened?: boolean;
  /** Open long past its resolution target: the clock's warning, breach and escalation already happened. */
  escalated?: boolean;
};
const SLOTS: Slot[] = [
  { status: 'new', ageH: 2, priority: 'normal', assigned: false },
  { status: 'new', ageH: 5, priority: 'high', assigned: true },
  { status: 'new', ageH: 20, priority: 'normal', assigned: true },
  { status: 'new', ageH: 30, priority: 'normal', assigned: false },
  { status: 'new', ageH: 40, priority: 'high', assigned: true },
  { status: 'in_progress', ageH: 10, priority: 'normal', assigned: true, respondedH: 1 },
  { status: 'in_progress', ageH: 61, priority: 'normal', assigned: true, respondedH: 3 },
  { status: 'in_progress', ageH: 80, priority: 'urgent', assigned: true, respondedH: 6 },
  { status: 'in_progress', ageH: 120, priority: 'high', assigned: true, respondedH: 30 },
  { status: 'waiting_on_customer', ageH: 26, priority: 'normal', assigned: true, respondedH: 2, pausedH: 4 },
  { status: 'waiting_on_customer', ageH: 70, priority: 'low', assigned: true, respondedH: 5, pausedH: 20 },
  { status: 'resolved', ageH: 30, priority: 'normal', assigned: true, respondedH: 2, resolvedH: 20 },
  { status: 'resolved', ageH: 100, priority: 'high', assigned: true, respondedH: 28, resolvedH: 90 },
  {
    status: 'closed',
    ageH: 200,
    priority: 'normal',
    assigned: true,
    respondedH: 3,
    resolvedH: 40,
    closedAfterH: 48,
  },
  {
    status: 'closed',
    ageH: 400,
    priority: 'normal',
    assigned: true,
    respondedH: 5,
    resolvedH: 30,
    closedAfterH: 24,
  },
  {
    status: 'closed',
    ageH: 700,
    priority: 'high',
    assigned: true,
    respondedH: 1,
    resolvedH: 20,
    closedAfterH: 48,
  },
  {
    status: 'closed',
    ageH: 1100,
    priority: 'normal',
    assigned: true,
    respondedH: 20,
    resolvedH: 60,
    closedAfterH: 72,
  },
  {
    status: 'closed',
    ageH: 1500,
    priority: 'low',
    assigned: true,
    respondedH: 30,
    resolvedH: 100,
    closedAfterH: 24,
  },
  {
    status: 'closed',
    ageH: 1900,
    priority: 'normal',
    assigned: true,
    respondedH: 4,
    resolvedH: 50,
    closedAfterH: 48,
  },
  {
    status: 'closed',
    ageH: 2100,
    priority: 'urgent',
    assigned: true,
    respondedH: 1,
    resolvedH: 8,
    closedAfterH: 24,
  },
  {
    status: 'in_progress',
    ageH: 150,
    priority: 'normal',
    assigned: true,
    respondedH: 2,
    resolvedH: 30,
    reopened: true,
  },
];

const FIRST_RESPONSE_MINUTES = 24 * 60;
const RESOLUTION_MINUTES = 72 * 60;
const WARN = 0.8;
const ESCALATE = 1.5;
const HOUR = 3_600_000;

/** A small seeded generator (mulberry32): the same demo every time. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

/**
 * The past year's everyday tickets, 18–26 a month, as a service desk near its targets handles
 * them: most answered within hours and resolved within two days, about one in thirty answered
 * after the 24 h and one in forty resolved after the 72 h, closed a day or three after
 * resolution; those of the last few days still resolved, not yet closed. A few older ones are
 * still open, as at any desk (one every other month from two months back: a customer who never
 * sent what was asked for, or a case past its 72 h and escalated months ago), so a past month
 * reads 95–100 % closed, about 98 % over them; with the open ones above, about 95 % of the
 * year's tickets end resolved or closed.
 */
function historySlots(random: ReturnType<typeof generator>): Slot[] {
  const slots: Slot[] = [];
  for (let month = 0; month < 12; month += 1) {
    const count = random.int(18, 26);
    for (let index = 0; index < count; index += 1) {
      const ageH = Math.round((month * 30 + 4 + random.next() * 30) * 24);
      const respondedH = random.next() < 0.03 ? random.int(25, 40) : random.int(1, 14);
      const resolvedH = random.next() < 0.025 ? random.int(76, 110) : respondedH + random.int(3, 48);
      const closedAfterH = random.int(24, 72);
      if (resolvedH >= ageH) continue;
      const closed = resolvedH + closedAfterH < ageH;
      const draw = random.next();
      if (index === 0 && month >= 2 && month % 2 === 0) {
        slots.push(
          month % 4 === 2
            ? {
                status: 'waiting_on_customer',
                ageH,
                priority: 'normal',
                assigned: true,
                respondedH,
                pausedH: respondedH + closedAfterH,
              }
            : { status: 'in_progress', ageH, priority: 'high', assigned: true, respondedH, escalated: true },
        );
        continue;
      }
      slots.push({
        status: closed ? 'closed' : 'resolved',
        ageH,
        priority: draw < 0.08 ? 'urgent' : draw < 0.3 ? 'high' : draw < 0.9 ? 'normal' : 'low',
        assigned: true,
        respondedH,
        resolvedH,
        ...(closed ? { closedAfterH } : {}),
      });
    }
  }
  return slots;
}

/**
 * The tenant's demo tickets on its customers, one insert for the tickets and one for their
 * timelines (opened, first reply, status moves), each ticket's SLA columns as opening and
 * working it in the product would have left them.
 */
export async function seedDemoTickets(
  trx: Transaction<Database>,
  tenantId: string,
  industry: IndustryProfile,
  agents: string[],
  now: number,
): Promise<void> {
  const templates = TEMPLATES[industry] ?? TEMPLATES.b2b ?? [];
  if (agents.length === 0 || templates.length === 0) return;
  const customers = await trx
    .selectFrom('customers')
    .select(['id'])
    .where('tenant_id', '=', tenantId)
    .where('archived_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (customers.length === 0) return;
  const random = generator(20261207 + industry.length);
  const history = historySlots(random).map((slot) => ({
    slot,
    template: HISTORY_TEMPLATES[industry]?.[random.int(0, 5)] ?? templates[0],
    customer: customers[random.int(0, customers.length - 1)],
  }));
  // The showcase tickets stay on the first customers (the same ones on every start).
  const showcaseCustomers = Math.min(customers.length, SLOTS.length * 3);
  const showcase = SLOTS.map((slot, index) => ({
    slot,
    template: templates[index % templates.length],
    customer: customers[(index * 3) % showcaseCustomers],
  }));
  // Numbered in the order they were opened, as the desk numbered them.
  const all = [...history, ...showcase].sort((a, b) => b.slot.ageH - a.slot.ageH);
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  const rows = all.map((entry, index) => {
    const { slot } = entry;
    const template = entry.template as TicketTemplate;
    const customer = entry.customer as { id: string };
    const opened = now - slot.ageH * HOUR;
    const responded = slot.respondedH === undefined ? null : opened + slot.respondedH * HOUR;
    const resolved = slot.resolvedH === undefined ? null : opened + slot.resolvedH * HOUR;
    const paused = slot.pausedH === undefined ? null : opened + slot.pausedH * HOUR;
    const closed =
      slot.closedAfterH === undefined || resolved === null ? null : resolved + slot.closedAfterH * HOUR;
    const reopenedAt = slot.reopened && resolved !== null ? resolved + 20 * HOUR : null;
    // The clock stood still while waiting on the customer (open pause) and, for the reopened
    // one, while it stood resolved.
    const pauses = [
      ...(paused !== null ? [{ from: iso(paused), to: null }] : []),
      ...(reopenedAt !== null ? [{ from: iso(resolved), to: iso(reopenedAt) }] : []),
    ];
    const stoodStill = reopenedAt !== null && resolved !== null ? reopenedAt - resolved : 0;
    const running = slot.status === 'new' || slot.status === 'in_progress';
    const at = (minutes: number, share: number) => opened + stoodStill + minutes * 60_000 * share;
    const milestones = (minutes: number, live: boolean) =>
      live
        ? { warn: at(minutes, WARN), due: at(minutes, 1), escalate: at(minutes, ESCALATE) }
        : { warn: null, due: null, escalate: null };
    const first = milestones(FIRST_RESPONSE_MINUTES, running && responded === null);
    const resolution = milestones(RESOLUTION_MINUTES, running);
    // The scan acts on the earliest milestone reached and warns, breaches and escalates on its first run.
    const next = slot.escalated
      ? []
      : [first.warn, resolution.warn].filter((value): value is number => value !== null);
    const elapsedResolution = resolved === null ? null : resolved - opened;
    const closedStatus = slot.reopened ? 'in_progress' : slot.status;
    return {
      tenant_id: tenantId,
      number: index + 1,
      type: template.type,
      category: template.category,
      subject: template.subject,
      description: template.description,
      customer_id: customer.id,
      priority: slot.priority,
      channel: (['phone', 'wechat', 'email', 'web', 'visit'] as const)[index % 5] as string,
      status: closedStatus,
      assignee_user_id: slot.assigned ? (agents[index % agents.length] as string) : null,
      source: 'manual',
      sla_mode: 'calendar',
      sla_policy: 'default',
      first_response_minutes: FIRST_RESPONSE_MINUTES,
      resolution_minutes: RESOLUTION_MINUTES,
      sla_started_at: iso(opened),
      sla_pauses: JSON.stringify(pauses),
      sla_paused_at: iso(paused),
      first_response_warn_at: iso(first.warn),
      first_response_due_at: iso(first.due),
      first_response_escalate_at: iso(first.escalate),
      resolution_warn_at: iso(resolution.warn),
      resolution_due_at: iso(resolution.due),
      resolution_escalate_at: iso(resolution.escalate),
      first_response_breached: responded !== null && responded - opened > FIRST_RESPONSE_MINUTES * 60_000,
      resolution_breached:
        slot.escalated === true ||
        (!slot.reopened && elapsedResolution !== null && elapsedResolution > RESOLUTION_MINUTES * 60_000),
      first_response_stage: 0,
      resolution_stage: slot.escalated ? 3 : 0,
      sla_next_at: next.length > 0 ? iso(Math.min(...next)) : null,
      first_responded_at: iso(responded),
      first_response_ms: responded === null ? null : responded - opened,
      resolved_at: slot.reopened ? null : iso(resolved),
      resolution_ms: slot.reopened ? null : elapsedResolution,
      closed_at: slot.reopened ? null : iso(closed),
      reopened_count: slot.reopened ? 1 : 0,
      created_by: agents[0] as string,
      created_at: iso(opened) as string,
      updated_at: iso(closed ?? reopenedAt ?? resolved ?? paused ?? responded ?? opened) as string,
      // For the timeline below.
      events: [
        { kind: 'created', at: opened, from: null, to: null, body: null },
        ...(responded !== null
          ? [
              { kind: 'status', at: responded - 60_000, from: 'new', to: 'in_progress', body: null },
              {
                kind: 'reply',
                at: responded,
                from: null,
                to: null,
                body: '您好，已收到您的反馈，我们正在核实处理，稍后给您答复。',
              },
            ]
          : []),
        ...(slot.escalated &&
        resolution.warn !== null &&
        resolution.due !== null &&
        resolution.escalate !== null
          ? [
              { kind: 'sla_warning', at: resolution.warn, from: null, to: null, body: null },
              { kind: 'sla_breach', at: resolution.due, from: null, to: null, body: null },
              { kind: 'sla_escalated', at: resolution.escalate, from: null, to: null, body: null },
            ]
          : []),
        ...(paused !== null
          ? [
              {
                kind: 'status',
                at: paused,
                from: 'in_progress',
                to: 'waiting_on_customer',
                body: '请客户补充照片和订单号',
              },
            ]
          : []),
        ...(resolved !== null
          ? [
              {
                kind: 'status',
                at: resolved,
                from: 'in_progress',
                to: 'resolved',
                body: '已处理完毕，客户确认',
              },
            ]
          : []),
        ...(reopenedAt !== null
          ? [
              {
                kind: 'status',
                at: reopenedAt,
                from: 'resolved',
                to: 'in_progress',
                body: '客户反馈问题再次出现',
              },
            ]
          : []),
        ...(closed !== null
          ? [{ kind: 'status', at: closed, from: 'resolved', to: 'closed', body: null }]
          : []),
      ],
    };
  });
  const inserted = await trx
    .insertInto('tickets')
    .values(rows.map(({ events: _events, ...row }) => row) as never)
    .onConflict((conflict) => conflict.doNothing())
    .returning(['id', 'number', 'assignee_user_id'])
    .execute();
  const byNumber = new Map(inserted.map((row) => [row.number, row]));
  const events = rows.flatMap((row) => {
    const ticket = byNumber.get(row.number);
    if (!ticket) return [];
    return row.events.map((event) => ({
      tenant_id: tenantId,
      ticket_id: ticket.id,
      kind: event.kind,
      // The SLA scan writes its warnings, breaches and escalations as no one.
      author_user_id: event.kind.startsWith('sla_') ? null : (ticket.assignee_user_id ?? row.created_by),
      body: event.body,
      from_status: event.from,
      to_status: event.to,
      data: JSON.stringify(
        event.kind === 'created'
          ? { source: 'manual' }
          : event.kind.startsWith('sla_')
            ? { clock: 'resolution', due: row.resolution_due_at, notified: 1 }
            : {},
      ),
      created_at: iso(event.at) as string,
    }));
  });
  if (events.length > 0)
    await trx
      .insertInto('ticket_events')
      .values(events as never)
      .execute();
}
