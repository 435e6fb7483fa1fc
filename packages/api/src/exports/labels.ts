import type { Locale } from '../i18n';

type Labels = Record<string, { 'zh-CN': string; en: string }>;

/** What a person reads in an exported file for each stored code, in both languages. */
export const VALUE_LABELS = {
  kind: {
    person: { 'zh-CN': '个人', en: 'Person' },
    company: { 'zh-CN': '企业', en: 'Company' },
  },
  lifecycleStage: {
    potential: { 'zh-CN': '潜在', en: 'Potential' },
    new: { 'zh-CN': '新客', en: 'New' },
    returning: { 'zh-CN': '回头客', en: 'Returning' },
    loyal: { 'zh-CN': '忠诚', en: 'Loyal' },
    at_risk: { 'zh-CN': '流失预警', en: 'At risk' },
    dormant: { 'zh-CN': '沉睡', en: 'Dormant' },
  },
  valueLevel: {
    high: { 'zh-CN': '高价值', en: 'High value' },
    mid: { 'zh-CN': '中价值', en: 'Mid value' },
    low: { 'zh-CN': '低价值', en: 'Low value' },
  },
  activityLevel: {
    high: { 'zh-CN': '高活跃', en: 'Highly active' },
    mid: { 'zh-CN': '中活跃', en: 'Moderately active' },
    low: { 'zh-CN': '低活跃', en: 'Rarely active' },
  },
  needType: {
    product: { 'zh-CN': '产品需求', en: 'Product' },
    service: { 'zh-CN': '服务需求', en: 'Service' },
    both: { 'zh-CN': '产品+服务需求', en: 'Product and service' },
  },
  orderStatus: {
    completed: { 'zh-CN': '已完成', en: 'Completed' },
    pending: { 'zh-CN': '待完成', en: 'Pending' },
    refunded: { 'zh-CN': '已退款', en: 'Refunded' },
    void: { 'zh-CN': '已作废', en: 'Void' },
  },
  paymentMethod: {
    bank_transfer: { 'zh-CN': '银行转账', en: 'Bank transfer' },
    alipay: { 'zh-CN': '支付宝', en: 'Alipay' },
    wechat_pay: { 'zh-CN': '微信支付', en: 'WeChat Pay' },
    card: { 'zh-CN': '银行卡', en: 'Card' },
    cash: { 'zh-CN': '现金', en: 'Cash' },
    credit: { 'zh-CN': '赊账', en: 'On credit' },
    other: { 'zh-CN': '其他', en: 'Other' },
  },
  interactionKind: {
    call: { 'zh-CN': '电话', en: 'Call' },
    visit: { 'zh-CN': '拜访', en: 'Visit' },
    message: { 'zh-CN': '消息', en: 'Message' },
    email: { 'zh-CN': '邮件', en: 'Email' },
    meeting: { 'zh-CN': '会议', en: 'Meeting' },
    event: { 'zh-CN': '活动', en: 'Event' },
  },
  sentiment: {
    praise: { 'zh-CN': '表扬', en: 'Praise' },
    neutral: { 'zh-CN': '一般', en: 'Neutral' },
    complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  },
  boolean: {
    true: { 'zh-CN': '是', en: 'Yes' },
    false: { 'zh-CN': '否', en: 'No' },
  },
  // The leads' codes as the lead import reads them back (imports/targets.ts).
  leadSource: {
    web_form: { 'zh-CN': '网站表单', en: 'Web form' },
    import: { 'zh-CN': '导入', en: 'Import' },
    manual: { 'zh-CN': '手动录入', en: 'Manual' },
    api: { 'zh-CN': '接口', en: 'API' },
    event: { 'zh-CN': '活动', en: 'Event' },
    referral: { 'zh-CN': '转介绍', en: 'Referral' },
  },
  leadIntent: {
    price: { 'zh-CN': '询价', en: 'Asked for a price' },
    proposal: { 'zh-CN': '索要方案', en: 'Asked for a proposal' },
    visit_booked: { 'zh-CN': '预约拜访', en: 'Booked a visit' },
    features: { 'zh-CN': '咨询功能', en: 'Asked about features' },
    product_question: { 'zh-CN': '产品咨询', en: 'Product question' },
    browsed: { 'zh-CN': '仅浏览', en: 'Only browsed' },
    other: { 'zh-CN': '其他', en: 'Other' },
  },
  leadStatus: {
    new: { 'zh-CN': '新线索', en: 'New' },
    contacted: { 'zh-CN': '已联系', en: 'Contacted' },
    qualified: { 'zh-CN': '已确认', en: 'Qualified' },
    converted: { 'zh-CN': '已转化', en: 'Converted' },
    disqualified: { 'zh-CN': '无效', en: 'Disqualified' },
  },
} satisfies Record<string, Labels>;

/** Column headers, by entity and column key. */
export const HEADER_LABELS = {
  customers: {
    name: { 'zh-CN': '名称', en: 'Name' },
    kind: { 'zh-CN': '类型', en: 'Type' },
    stage: { 'zh-CN': '生命周期', en: 'Lifecycle stage' },
    tags: { 'zh-CN': '标签', en: 'Tags' },
    valueLevel: { 'zh-CN': '价值等级', en: 'Value level' },
    activityLevel: { 'zh-CN': '活跃度', en: 'Activity' },
    needType: { 'zh-CN': '需求类型', en: 'Need type' },
    amount12m: { 'zh-CN': '近12个月金额', en: 'Amount (12 months)' },
    amountLifetime: { 'zh-CN': '累计金额', en: 'Lifetime amount' },
    orderCount: { 'zh-CN': '订单数', en: 'Orders' },
    lastDealAt: { 'zh-CN': '最近成交', en: 'Last deal' },
    completeness: { 'zh-CN': '资料完整度', en: 'Completeness' },
    phone: { 'zh-CN': '电话', en: 'Phone' },
    email: { 'zh-CN': '邮箱', en: 'Email' },
    industry: { 'zh-CN': '行业', en: 'Industry' },
    owner: { 'zh-CN': '负责人', en: 'Owner' },
    createdAt: { 'zh-CN': '创建时间', en: 'Created' },
    updatedAt: { 'zh-CN': '更新时间', en: 'Updated' },
    customerNumber: { 'zh-CN': '客户编号', en: 'Customer number' },
    nationalId: { 'zh-CN': '身份证号', en: 'National ID' },
    bankCard: { 'zh-CN': '银行卡号', en: 'Bank card' },
    // What an import brings (docs/imports.md): headed so that the import maps them back.
    firstCooperationOn: { 'zh-CN': '首次合作时间', en: 'First cooperation date' },
    anniversaryOn: { 'zh-CN': '纪念日', en: 'Anniversary' },
    openingAmount12m: { 'zh-CN': '期初近12个月交易额', en: 'Opening revenue, last 12 months' },
    openingAmountLifetime: { 'zh-CN': '期初累计交易额', en: 'Opening lifetime revenue' },
    openingOrderCount: { 'zh-CN': '期初订单数', en: 'Opening order count' },
    openingLastDealOn: { 'zh-CN': '期初最近交易日期', en: 'Opening last deal date' },
    openingAsOf: { 'zh-CN': '期初数据截止日期', en: 'Figures as of' },
  },
  orders: {
    orderedAt: { 'zh-CN': '下单时间', en: 'Ordered at' },
    orderNumber: { 'zh-CN': '订单号', en: 'Order number' },
    customer: { 'zh-CN': '客户', en: 'Customer' },
    owner: { 'zh-CN': '客户负责人', en: 'Customer owner' },
    amount: { 'zh-CN': '金额', en: 'Amount' },
    currency: { 'zh-CN': '币种', en: 'Currency' },
    profit: { 'zh-CN': '利润', en: 'Profit' },
    paymentMethod: { 'zh-CN': '支付方式', en: 'Payment method' },
    status: { 'zh-CN': '状态', en: 'Status' },
    lines: { 'zh-CN': '商品明细', en: 'Items' },
    note: { 'zh-CN': '备注', en: 'Note' },
  },
  // Headed as the lead import recognises them, so an exported list imports again.
  leads: {
    personName: { 'zh-CN': '联系人姓名', en: 'Contact name' },
    companyName: { 'zh-CN': '公司名称', en: 'Company' },
    jobTitle: { 'zh-CN': '职务', en: 'Job title' },
    phone: { 'zh-CN': '手机', en: 'Phone' },
    email: { 'zh-CN': '邮箱', en: 'Email' },
    wechat: { 'zh-CN': '微信', en: 'WeChat' },
    region: { 'zh-CN': '地区', en: 'Region' },
    industry: { 'zh-CN': '行业', en: 'Industry' },
    companySize: { 'zh-CN': '公司规模（人）', en: 'Company size' },
    source: { 'zh-CN': '来源', en: 'Source' },
    campaign: { 'zh-CN': '营销活动', en: 'Campaign' },
    intent: { 'zh-CN': '意向', en: 'Intent' },
    needs: { 'zh-CN': '需求', en: 'Needs' },
    budget: { 'zh-CN': '预算', en: 'Budget' },
    expectedCloseOn: { 'zh-CN': '预计成交日期', en: 'Expected close date' },
    decisionMakerReached: { 'zh-CN': '已接触决策人', en: 'Decision maker reached' },
    grade: { 'zh-CN': '等级', en: 'Grade' },
    status: { 'zh-CN': '状态', en: 'Status' },
    followUpDueAt: { 'zh-CN': '跟进时限', en: 'Follow up by' },
    firstContactAt: { 'zh-CN': '首次联系时间', en: 'First contact' },
    owner: { 'zh-CN': '负责人', en: 'Owner' },
    team: { 'zh-CN': '团队', en: 'Team' },
    createdAt: { 'zh-CN': '创建时间', en: 'Created' },
    notes: { 'zh-CN': '备注', en: 'Notes' },
  },
  interactions: {
    occurredAt: { 'zh-CN': '时间', en: 'When' },
    customer: { 'zh-CN': '客户', en: 'Customer' },
    contact: { 'zh-CN': '联系人', en: 'Contact' },
    kind: { 'zh-CN': '沟通方式', en: 'Channel' },
    user: { 'zh-CN': '记录人', en: 'Logged by' },
    summary: { 'zh-CN': '沟通内容', en: 'Summary' },
    outcome: { 'zh-CN': '结果', en: 'Outcome' },
    nextStep: { 'zh-CN': '下一步', en: 'Next step' },
    nextStepDue: { 'zh-CN': '下一步截止', en: 'Next step due' },
    sentiment: { 'zh-CN': '客户态度', en: 'Sentiment' },
  },
} satisfies Record<string, Labels>;

/** The file name's first word. */
export const ENTITY_FILE_NAMES = {
  customers: { 'zh-CN': '客户', en: 'customers' },
  orders: { 'zh-CN': '订单', en: 'orders' },
  interactions: { 'zh-CN': '互动记录', en: 'interactions' },
  leads: { 'zh-CN': '线索', en: 'leads' },
} as const;

export function labelOf(labels: Labels, code: string, locale: Locale): string {
  return labels[code]?.[locale] ?? code;
}
