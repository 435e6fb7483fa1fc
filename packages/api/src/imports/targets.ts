import type { CustomFieldDefinition, ImportEntity } from '@crm/db';

/** How a cell is read for a target field. */
export type TargetType =
  | 'text'
  | 'phone'
  | 'email'
  | 'date'
  | 'datetime'
  | 'money'
  | 'quantity'
  | 'count'
  | 'enum'
  | 'member'
  | 'tags'
  | 'national_id'
  | 'bank_card'
  | 'credit_code'
  | 'custom';

export type EnumOption = { value: string; zh: string; en: string; aliases: string[] };

export type Target = {
  /** The mapping's value: 'name', 'contact.phone', 'custom:<key>', … */
  key: string;
  zh: string;
  en: string;
  type: TargetType;
  required?: boolean;
  /** Longest text the table takes. */
  max?: number;
  options?: EnumOption[];
  /** A custom field's definition (type 'custom'). */
  definition?: CustomFieldDefinition;
};

const option = (value: string, zh: string, en: string, aliases: string[] = []): EnumOption => ({
  value,
  zh,
  en,
  aliases,
});

export const KIND_OPTIONS = [
  option('company', '企业', 'Company', [
    '公司',
    '单位',
    '机构',
    '企业客户',
    'organization',
    'organisation',
    'b2b',
  ]),
  option('person', '个人', 'Person', ['自然人', '个人客户', 'individual', 'b2c']),
];
const BIRTHDAY_CALENDAR_OPTIONS = [
  option('solar', '公历', 'Solar', ['阳历', '新历', '西历', 'gregorian']),
  option('lunar', '农历', 'Lunar', ['阴历', '旧历', '夏历', 'chinese', 'lunar calendar']),
];
const NEED_TYPE_OPTIONS = [
  option('product', '产品', 'Product', ['产品需求']),
  option('service', '服务', 'Service', ['服务需求']),
  option('both', '产品和服务', 'Both', ['两者', '产品+服务', '产品及服务']),
];
const PAYMENT_OPTIONS = [
  option('bank_transfer', '银行转账', 'Bank transfer', ['转账', '对公转账', '汇款', 'transfer']),
  option('alipay', '支付宝', 'Alipay'),
  option('wechat_pay', '微信支付', 'WeChat Pay', ['微信', 'wechat']),
  option('card', '刷卡', 'Card', ['银行卡', '信用卡', 'pos']),
  option('cash', '现金', 'Cash'),
  option('credit', '赊账', 'Credit', ['授信', '挂账', '月结']),
  option('other', '其他', 'Other'),
];
const STATUS_OPTIONS = [
  option('completed', '已完成', 'Completed', ['完成', '成交', '已成交', 'done']),
  option('pending', '待付款', 'Pending', ['待处理', '未付款', '进行中']),
  option('refunded', '已退款', 'Refunded', ['退款']),
  option('void', '已作废', 'Void', ['作废', '取消', '已取消', 'cancelled']),
];
const INTERACTION_KIND_OPTIONS = [
  option('call', '电话', 'Call', ['通话', '来电', '去电', 'phone']),
  option('visit', '拜访', 'Visit', ['上门', '走访', '面访']),
  option('message', '消息', 'Message', ['短信', '微信', 'im', 'sms']),
  option('email', '邮件', 'Email', ['电子邮件']),
  option('meeting', '会议', 'Meeting', ['会面', '开会']),
  option('event', '活动', 'Event', ['展会', '沙龙']),
];
const SENTIMENT_OPTIONS = [
  option('neutral', '中性', 'Neutral', ['一般', '正常']),
  option('praise', '表扬', 'Praise', ['好评', '满意', '称赞']),
  option('complaint', '投诉', 'Complaint', ['差评', '不满', '抱怨']),
];

const CUSTOMER_REFERENCE: Target[] = [
  { key: 'customer.number', zh: '客户编号', en: 'Customer number', type: 'text', max: 64 },
  { key: 'customer.credit_code', zh: '统一社会信用代码', en: 'Credit code', type: 'text', max: 18 },
  { key: 'customer.phone', zh: '客户电话', en: 'Customer phone', type: 'phone', max: 40 },
  { key: 'customer.name', zh: '客户名称', en: 'Customer name', type: 'text', max: 200 },
];

const CUSTOMER_TARGETS: Target[] = [
  { key: 'name', zh: '客户名称', en: 'Name', type: 'text', required: true, max: 200 },
  { key: 'kind', zh: '客户类型', en: 'Kind', type: 'enum', options: KIND_OPTIONS },
  { key: 'customer_number', zh: '客户编号', en: 'Customer number', type: 'text', max: 64 },
  { key: 'credit_code', zh: '统一社会信用代码', en: 'Credit code', type: 'credit_code' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'phone', max: 40 },
  { key: 'email', zh: '邮箱', en: 'Email', type: 'email', max: 254 },
  { key: 'industry', zh: '行业', en: 'Industry', type: 'text', max: 100 },
  { key: 'owner', zh: '负责人', en: 'Owner', type: 'member' },
  { key: 'birthday', zh: '生日', en: 'Birthday', type: 'date' },
  {
    key: 'birthday_calendar',
    zh: '生日历法',
    en: 'Birthday calendar',
    type: 'enum',
    options: BIRTHDAY_CALENDAR_OPTIONS,
  },
  { key: 'founded_on', zh: '成立日期', en: 'Founded on', type: 'date' },
  { key: 'address', zh: '详细地址', en: 'Street address', type: 'text', max: 200 },
  { key: 'address.province', zh: '省份', en: 'Province', type: 'text', max: 50 },
  { key: 'address.city', zh: '城市', en: 'City', type: 'text', max: 50 },
  { key: 'address.district', zh: '区县', en: 'District', type: 'text', max: 50 },
  { key: 'first_cooperation_on', zh: '首次合作时间', en: 'First cooperation date', type: 'date' },
  { key: 'anniversary_on', zh: '纪念日', en: 'Anniversary', type: 'date' },
  { key: 'note', zh: '备注', en: 'Note', type: 'text', max: 4000 },
  { key: 'opening.amount_12m', zh: '近12个月交易额', en: 'Revenue, last 12 months', type: 'money' },
  { key: 'opening.amount_lifetime', zh: '累计交易额', en: 'Lifetime revenue', type: 'money' },
  { key: 'opening.order_count', zh: '订单数', en: 'Order count', type: 'count' },
  { key: 'opening.last_deal_on', zh: '最近交易日期', en: 'Last deal date', type: 'date' },
  { key: 'opening.as_of', zh: '期初数据截止日期', en: 'Figures as of', type: 'date' },
  { key: 'need_type', zh: '需求类型', en: 'Need type', type: 'enum', options: NEED_TYPE_OPTIONS },
  { key: 'explicit_needs', zh: '显性需求', en: 'Explicit needs', type: 'text', max: 4000 },
  { key: 'implicit_needs', zh: '隐性需求', en: 'Implicit needs', type: 'text', max: 4000 },
  { key: 'pain_points', zh: '痛点', en: 'Pain points', type: 'text', max: 4000 },
  { key: 'purchase_plan', zh: '采购计划', en: 'Purchase plan', type: 'text', max: 4000 },
  { key: 'purchase_plan_amount', zh: '计划采购金额', en: 'Planned amount', type: 'money' },
  { key: 'purchase_plan_expected_on', zh: '预计采购日期', en: 'Expected purchase date', type: 'date' },
  { key: 'tags', zh: '标签', en: 'Tags', type: 'tags' },
  { key: 'contact.name', zh: '联系人', en: 'Contact name', type: 'text', max: 100 },
  { key: 'contact.title', zh: '联系人职务', en: 'Contact title', type: 'text', max: 100 },
  { key: 'contact.phone', zh: '联系人电话', en: 'Contact phone', type: 'phone', max: 40 },
  { key: 'contact.email', zh: '联系人邮箱', en: 'Contact email', type: 'email', max: 254 },
  { key: 'contact.birthday', zh: '联系人生日', en: 'Contact birthday', type: 'date' },
  { key: 'contact.anniversary', zh: '联系人纪念日', en: 'Contact anniversary', type: 'date' },
  { key: 'national_id', zh: '身份证号', en: 'National ID number', type: 'national_id' },
  { key: 'bank_card', zh: '银行卡号', en: 'Bank card number', type: 'bank_card' },
];

const ORDER_TARGETS: Target[] = [
  ...CUSTOMER_REFERENCE,
  { key: 'order_number', zh: '订单号', en: 'Order number', type: 'text', max: 64 },
  { key: 'ordered_at', zh: '下单时间', en: 'Ordered at', type: 'datetime', required: true },
  { key: 'amount', zh: '订单金额', en: 'Amount', type: 'money', required: true },
  { key: 'currency', zh: '币种', en: 'Currency', type: 'text', max: 3 },
  { key: 'profit', zh: '利润', en: 'Profit', type: 'money' },
  { key: 'payment_method', zh: '支付方式', en: 'Payment method', type: 'enum', options: PAYMENT_OPTIONS },
  { key: 'status', zh: '订单状态', en: 'Status', type: 'enum', options: STATUS_OPTIONS },
  { key: 'note', zh: '备注', en: 'Note', type: 'text', max: 2000 },
  { key: 'line.product', zh: '产品', en: 'Product', type: 'text', max: 200 },
  { key: 'line.quantity', zh: '数量', en: 'Quantity', type: 'quantity' },
  { key: 'line.unit_price', zh: '单价', en: 'Unit price', type: 'money' },
];

const INTERACTION_TARGETS: Target[] = [
  ...CUSTOMER_REFERENCE,
  { key: 'contact.name', zh: '联系人', en: 'Contact', type: 'text', max: 100 },
  {
    key: 'kind',
    zh: '互动方式',
    en: 'Kind',
    type: 'enum',
    required: true,
    options: INTERACTION_KIND_OPTIONS,
  },
  { key: 'occurred_at', zh: '互动时间', en: 'Occurred at', type: 'datetime', required: true },
  { key: 'summary', zh: '内容摘要', en: 'Summary', type: 'text', required: true, max: 4000 },
  { key: 'outcome', zh: '结果', en: 'Outcome', type: 'text', max: 2000 },
  { key: 'next_step', zh: '下一步', en: 'Next step', type: 'text', max: 1000 },
  { key: 'next_step_due', zh: '下一步日期', en: 'Next step due', type: 'date' },
  { key: 'sentiment', zh: '客户态度', en: 'Sentiment', type: 'enum', options: SENTIMENT_OPTIONS },
  { key: 'user', zh: '跟进人', en: 'Handled by', type: 'member' },
];

const LEAD_SOURCE_OPTIONS = [
  option('import', '导入', 'Import', ['批量导入', 'excel']),
  option('web_form', '网站表单', 'Web form', ['表单', '官网', '网站', 'website', 'form']),
  option('manual', '手动录入', 'Manual', ['手动', '手工录入', '录入']),
  option('api', '接口', 'API', ['开放平台', '系统对接']),
  option('event', '活动', 'Event', ['展会', '会议', '沙龙', '市场活动', 'trade show', 'exhibition']),
  option('referral', '转介绍', 'Referral', ['推荐', '介绍', '老客户推荐', 'referred']),
];
const LEAD_INTENT_OPTIONS = [
  option('price', '询价', 'Asked for a price', ['了解价格', '报价', '价格', 'price']),
  option('proposal', '索要方案', 'Asked for a proposal', ['获取报价', '方案', '要方案', 'proposal', 'quote']),
  option('visit_booked', '预约拜访', 'Booked a visit', ['预约', '约见', '到访', 'visit']),
  option('features', '咨询功能', 'Asked about features', ['咨询产品功能', '功能', 'features']),
  option('product_question', '产品咨询', 'Product question', ['咨询产品', '产品问题', 'question']),
  option('browsed', '仅浏览', 'Only browsed', ['先了解看看', '浏览', '了解', 'browsing']),
  option('other', '其他', 'Other'),
];
const YES_NO_OPTIONS = [
  option('true', '是', 'Yes', ['已接触', '有', 'y', '1', 'true']),
  option('false', '否', 'No', ['未接触', '没有', '无', 'n', '0', 'false']),
];

const LEAD_TARGETS: Target[] = [
  { key: 'person_name', zh: '联系人姓名', en: 'Contact name', type: 'text', max: 100 },
  { key: 'company_name', zh: '公司名称', en: 'Company', type: 'text', max: 200 },
  { key: 'job_title', zh: '职务', en: 'Job title', type: 'text', max: 100 },
  { key: 'phone', zh: '手机', en: 'Phone', type: 'phone', max: 40 },
  { key: 'email', zh: '邮箱', en: 'Email', type: 'email', max: 254 },
  { key: 'wechat', zh: '微信', en: 'WeChat', type: 'text', max: 100 },
  { key: 'region', zh: '地区', en: 'Region', type: 'text', max: 100 },
  { key: 'industry', zh: '行业', en: 'Industry', type: 'text', max: 100 },
  { key: 'company_size', zh: '公司规模（人）', en: 'Company size', type: 'count' },
  { key: 'source', zh: '来源', en: 'Source', type: 'enum', options: LEAD_SOURCE_OPTIONS },
  { key: 'campaign', zh: '营销活动', en: 'Campaign', type: 'text', max: 200 },
  { key: 'intent', zh: '意向', en: 'Intent', type: 'enum', options: LEAD_INTENT_OPTIONS },
  { key: 'needs', zh: '需求', en: 'Needs', type: 'text', max: 4000 },
  { key: 'budget', zh: '预算', en: 'Budget', type: 'money' },
  { key: 'expected_close_on', zh: '预计成交日期', en: 'Expected close date', type: 'date' },
  {
    key: 'decision_maker_reached',
    zh: '已接触决策人',
    en: 'Decision maker reached',
    type: 'enum',
    options: YES_NO_OPTIONS,
  },
  { key: 'notes', zh: '备注', en: 'Notes', type: 'text', max: 4000 },
  { key: 'owner', zh: '负责人', en: 'Owner', type: 'member' },
];

/** The fields a column can be mapped to, custom fields (customers only) included. */
export function targetsFor(entity: ImportEntity, customFields: CustomFieldDefinition[] = []): Target[] {
  if (entity === 'orders') return ORDER_TARGETS;
  if (entity === 'interactions') return INTERACTION_TARGETS;
  if (entity === 'leads') return LEAD_TARGETS;
  return [
    ...CUSTOMER_TARGETS,
    ...customFields
      .filter((field) => !field.archived_at)
      .map(
        (definition): Target => ({
          key: `custom:${definition.key}`,
          zh: definition.label_zh,
          en: definition.label_en,
          type: 'custom',
          required: definition.required,
          definition,
        }),
      ),
  ];
}

/** An option by its value, label or alias, case- and width-insensitively. */
export function matchOption(options: EnumOption[], text: string): EnumOption | undefined {
  const wanted = text.normalize('NFKC').trim().toLowerCase();
  return options.find(
    (candidate) =>
      candidate.value === wanted ||
      candidate.zh === wanted ||
      candidate.en.toLowerCase() === wanted ||
      candidate.aliases.some((alias) => alias.toLowerCase() === wanted),
  );
}
