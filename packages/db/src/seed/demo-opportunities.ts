import { sql, type Transaction } from 'kysely';
import type { Database, IndustryProfile } from '../tables';

/*
 * The demo's opportunities (商机, docs/leads-and-pipeline.md "Pipeline"), in the stages of the
 * tenant's plugin: open deals in every open stage (some short of the gate's needs, so moving
 * them on is refused until needs are recorded), deals won in the last months — each with its
 * order recorded from its line items and its customer, the ones that came from the demo's
 * converted leads attached to the lead and its customer — one in after sales, and deals lost
 * with a reason from the plugin's list. Every deal has its stage history. Deterministic and
 * set-based; the customers' facts are derived after the seed like the other demo orders.
 */

type Pipeline = {
  open: { key: string; probability: number }[];
  won: string;
  lost: string;
  afterSales: string | null;
  lostReasons: string[];
  products: [string, number][];
  names: string[];
  needs: string[];
};

const PIPELINES: Partial<Record<IndustryProfile, Pipeline>> = {
  b2b: {
    open: [
      { key: 'b2b_stage_needs', probability: 20 },
      { key: 'b2b_stage_proposal', probability: 40 },
      { key: 'b2b_stage_negotiation', probability: 70 },
    ],
    won: 'b2b_stage_won',
    lost: 'b2b_stage_lost',
    afterSales: 'b2b_stage_after_sales',
    lostReasons: ['b2b_lost_price', 'b2b_lost_competitor', 'b2b_lost_no_budget', 'b2b_lost_no_decision'],
    products: [
      ['数控加工中心 VMC-850', 385_000],
      ['工业机器人 6 轴', 268_000],
      ['产线 MES 系统（年费）', 120_000],
      ['年度维保服务', 36_000],
    ],
    names: [
      '产线自动化改造',
      '新厂区设备采购',
      'MES 系统上线',
      '年度维保续约',
      '检测设备升级',
      '仓储物流改造',
    ],
    needs: ['产线节拍提升 20%', '交期 30 天内', '与现有 ERP 对接', '本地售后 4 小时响应', '分期付款'],
  },
  retail: {
    open: [
      { key: 'retail_stage_intent', probability: 30 },
      { key: 'retail_stage_trial', probability: 60 },
    ],
    won: 'retail_stage_won',
    lost: 'retail_stage_lost',
    afterSales: null,
    lostReasons: [
      'retail_lost_price',
      'retail_lost_stock',
      'retail_lost_elsewhere',
      'retail_lost_no_response',
    ],
    products: [
      ['企业团购礼盒', 298],
      ['会员年卡', 1_280],
      ['定制工服', 460],
      ['节日礼品卡', 500],
    ],
    names: ['中秋团购', '年会礼品采购', '员工工服定制', '会员年卡团办', '门店开业礼品', '客户答谢礼盒'],
    needs: ['礼品包装', '开具增值税发票', '月底前到货'],
  },
  'corporate-banking': {
    open: [
      { key: 'corporate_banking_stage_survey', probability: 20 },
      { key: 'corporate_banking_stage_proposal', probability: 45 },
      { key: 'corporate_banking_stage_approval', probability: 75 },
    ],
    won: 'corporate_banking_stage_won',
    lost: 'corporate_banking_stage_lost',
    afterSales: 'corporate_banking_stage_after',
    lostReasons: [
      'corporate_banking_lost_rate',
      'corporate_banking_lost_rejected',
      'corporate_banking_lost_other_bank',
      'corporate_banking_lost_need_gone',
    ],
    products: [
      ['流动资金贷款', 5_000_000],
      ['跨境结算服务（年费）', 80_000],
      ['代发工资服务（年费）', 30_000],
      ['票据贴现', 2_000_000],
    ],
    names: ['流动资金授信', '跨境结算合作', '代发工资签约', '供应链融资', '票据池合作', '现金管理平台'],
    needs: ['授信额度 500 万', '年化利率 4% 以内', '线上审批', '跨境人民币结算'],
  },
};

type Plan = {
  kind: 'open' | 'won' | 'after_sales' | 'lost';
  /** For open deals: the open stage's index. */
  stage: number;
  /** Days ago it was created, and (closed deals) days ago it was won or lost. */
  createdDaysAgo: number;
  closedDaysAgo: number | null;
  needs: number;
  /** Attach one of the demo's converted leads (and its customer), or one of the first customers. */
  fromLead: boolean;
};

/** Open deals in each stage, won deals over the last quarter (one in after sales), lost ones. */
function plans(openStages: number, afterSales: boolean): Plan[] {
  const out: Plan[] = [];
  for (let stage = 0; stage < openStages; stage++) {
    // The first deal of the first stage has one need: the gate refuses it until more are recorded.
    for (let n = 0; n < 3; n++) {
      out.push({
        kind: 'open',
        stage,
        createdDaysAgo: 4 + stage * 9 + n * 5,
        closedDaysAgo: null,
        needs: stage === 0 && n === 0 ? 1 : 3 + (n % 2),
        fromLead: stage === 0 && n === 1,
      });
    }
  }
  out.push(
    { kind: 'won', stage: 0, createdDaysAgo: 70, closedDaysAgo: 25, needs: 4, fromLead: true },
    { kind: 'won', stage: 0, createdDaysAgo: 95, closedDaysAgo: 48, needs: 3, fromLead: true },
    { kind: 'won', stage: 0, createdDaysAgo: 50, closedDaysAgo: 9, needs: 3, fromLead: false },
    {
      kind: afterSales ? 'after_sales' : 'won',
      stage: 0,
      createdDaysAgo: 120,
      closedDaysAgo: 75,
      needs: 4,
      fromLead: false,
    },
    { kind: 'lost', stage: 1, createdDaysAgo: 60, closedDaysAgo: 30, needs: 3, fromLead: false },
    { kind: 'lost', stage: 0, createdDaysAgo: 40, closedDaysAgo: 20, needs: 2, fromLead: false },
    { kind: 'lost', stage: 2, createdDaysAgo: 85, closedDaysAgo: 12, needs: 4, fromLead: false },
  );
  return out;
}

const DAY = 86_400_000;

export async function seedDemoOpportunities(
  trx: Transaction<Database>,
  tenantId: string,
  industry: IndustryProfile,
  sellers: readonly string[],
  now: number,
): Promise<void> {
  const pipeline = PIPELINES[industry];
  if (!pipeline || sellers.length === 0) return;
  const leads = await trx
    .selectFrom('leads')
    .select(['id', 'converted_customer_id', 'owner_user_id', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'converted')
    .where('converted_customer_id', 'is not', null)
    .orderBy('created_at')
    .execute();
  const customers = await trx
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('archived_at', 'is', null)
    .where('kind', '=', 'company')
    .orderBy('created_at')
    .limit(20)
    .execute();
  let leadIndex = 0;
  const rows = plans(pipeline.open.length, pipeline.afterSales !== null).map((plan, index) => {
    const lead = plan.fromLead ? leads[leadIndex++] : undefined;
    const stage =
      plan.kind === 'open'
        ? (pipeline.open[plan.stage] ?? { key: pipeline.won, probability: 0 })
        : plan.kind === 'lost'
          ? { key: pipeline.lost, probability: 0 }
          : plan.kind === 'after_sales'
            ? { key: pipeline.afterSales ?? pipeline.won, probability: 100 }
            : { key: pipeline.won, probability: 100 };
    const [product, price] = pipeline.products[index % pipeline.products.length] ?? ['—', 0];
    const [second, secondPrice] = pipeline.products[(index + 1) % pipeline.products.length] ?? ['—', 0];
    const quantity = 1 + (index % 3);
    const lines = [
      { product, quantity, unit_price: price },
      ...(index % 2 === 0 ? [{ product: second, quantity: 1, unit_price: secondPrice }] : []),
    ];
    const amount = lines.reduce((sum, line) => sum + line.quantity * line.unit_price, 0);
    const created = now - plan.createdDaysAgo * DAY - index * 3_600_000;
    const closed = plan.closedDaysAgo === null ? null : now - plan.closedDaysAgo * DAY - index * 3_600_000;
    // Open stages passed on the way: every open stage before the one it is in (a lost deal's
    // `stage` is where it was lost); won deals went through them all.
    const passed =
      plan.kind === 'open' || plan.kind === 'lost' ? pipeline.open.slice(0, plan.stage + 1) : pipeline.open;
    const steps = passed.map((open) => open.key);
    if (plan.kind === 'lost') steps.push(pipeline.lost);
    if (plan.kind === 'won' || plan.kind === 'after_sales') steps.push(pipeline.won);
    if (plan.kind === 'after_sales' && pipeline.afterSales) steps.push(pipeline.afterSales);
    const end = closed ?? now - (plan.stage + 1) * DAY;
    const history = steps.map((step, position) => ({
      to_stage: step,
      to_kind:
        step === pipeline.won
          ? 'won'
          : step === pipeline.lost
            ? 'lost'
            : step === pipeline.afterSales
              ? 'after_sales'
              : 'open',
      at: new Date(created + ((end - created) * position) / Math.max(1, steps.length)).toISOString(),
    }));
    const customerId =
      lead?.converted_customer_id ?? customers[index % Math.max(1, customers.length)]?.id ?? null;
    return {
      ordinal: index,
      name: `${pipeline.names[index % pipeline.names.length]}${index >= pipeline.names.length ? ` ${Math.floor(index / pipeline.names.length) + 1} 期` : ''}`,
      customer_id:
        plan.kind === 'won' || plan.kind === 'after_sales' || lead || index % 3 !== 0 ? customerId : null,
      lead_id: lead?.id ?? null,
      // The last seller (the demo's rep, after the manager) gets the first deals, the gate's example first.
      owner_user_id: lead?.owner_user_id ?? sellers[(sellers.length - 1 + index) % sellers.length],
      stage: stage.key,
      stage_kind: plan.kind,
      stage_entered_at: history[history.length - 1]?.at ?? new Date(created).toISOString(),
      amount,
      probability: stage.probability,
      needs: pipeline.needs.slice(0, Math.min(plan.needs, pipeline.needs.length)),
      lost_reason: plan.kind === 'lost' ? pipeline.lostReasons[index % pipeline.lostReasons.length] : null,
      lost_note: plan.kind === 'lost' ? '客户最终决定暂缓，半年后再联系' : null,
      won_at:
        plan.kind === 'won' || plan.kind === 'after_sales' ? new Date(closed ?? now).toISOString() : null,
      lost_at: plan.kind === 'lost' ? new Date(closed ?? now).toISOString() : null,
      expected_close_on: new Date((closed ?? now + (20 + index * 3) * DAY) + 8 * 3_600_000)
        .toISOString()
        .slice(0, 10),
      created_at: new Date(created).toISOString(),
      lines,
      history,
    };
  });

  await sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
        ordinal int, name text, customer_id uuid, lead_id uuid, owner_user_id uuid, stage text, stage_kind text,
        stage_entered_at timestamptz, amount numeric, probability int, needs text[], lost_reason text, lost_note text,
        won_at timestamptz, lost_at timestamptz, expected_close_on date, created_at timestamptz, lines jsonb,
        history jsonb)
    ),
    orders_made as (
      insert into orders (tenant_id, customer_id, order_number, ordered_at, currency, amount, payment_method, status,
        note, created_by, created_at)
      select ${tenantId}, i.customer_id, 'SO-DEMO-' || lpad(i.ordinal::text, 4, '0'), i.won_at, 'CNY', i.amount,
        'bank_transfer', 'completed', '商机赢单：' || i.name, i.owner_user_id, i.won_at
      from input i where i.won_at is not null and i.customer_id is not null
      returning id, order_number
    ),
    order_lines_made as (
      insert into order_lines (tenant_id, order_id, line_no, product, quantity, unit_price)
      select ${tenantId}, o.id, l.position::int, l.line->>'product', (l.line->>'quantity')::numeric,
        (l.line->>'unit_price')::numeric
      from input i
      join orders_made o on o.order_number = 'SO-DEMO-' || lpad(i.ordinal::text, 4, '0')
      cross join lateral jsonb_array_elements(i.lines) with ordinality as l(line, position)
    ),
    inserted as (
      insert into opportunities (tenant_id, name, customer_id, lead_id, owner_user_id, team_id, stage, stage_kind,
        stage_entered_at, amount, currency, expected_close_on, probability, needs, lost_reason, lost_note, won_at,
        lost_at, order_id, created_by, created_at, updated_at)
      select ${tenantId}, i.name, i.customer_id, i.lead_id, i.owner_user_id, m.team_id, i.stage, i.stage_kind,
        i.stage_entered_at, i.amount, 'CNY', i.expected_close_on, i.probability, i.needs, i.lost_reason, i.lost_note,
        i.won_at, i.lost_at, o.id, i.owner_user_id, i.created_at, i.stage_entered_at
      from input i
      left join memberships m on m.tenant_id = ${tenantId} and m.user_id = i.owner_user_id
      left join orders_made o on o.order_number = 'SO-DEMO-' || lpad(i.ordinal::text, 4, '0')
      order by i.ordinal
      returning id, name, created_at
    ),
    joined as (
      select n.id, i.* from inserted n join input i on i.name = n.name and i.created_at = n.created_at
    ),
    lines as (
      insert into opportunity_lines (tenant_id, opportunity_id, position, product, quantity, unit_price)
      select ${tenantId}, j.id, l.position::int - 1, l.line->>'product', (l.line->>'quantity')::numeric,
        (l.line->>'unit_price')::numeric
      from joined j cross join lateral jsonb_array_elements(j.lines) with ordinality as l(line, position)
    )
    insert into opportunity_stage_history (tenant_id, opportunity_id, from_stage, to_stage, to_kind, seconds_in_from,
      changed_by, changed_at)
    select ${tenantId}, j.id, lag(h.step->>'to_stage') over w, h.step->>'to_stage', h.step->>'to_kind',
      extract(epoch from (h.step->>'at')::timestamptz - lag((h.step->>'at')::timestamptz) over w)::bigint,
      j.owner_user_id, (h.step->>'at')::timestamptz
    from joined j cross join lateral jsonb_array_elements(j.history) with ordinality as h(step, position)
    window w as (partition by j.id order by h.position)`.execute(trx);
}
