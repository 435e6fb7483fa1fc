/**
 * Column auto-mapping: which target field each header of an uploaded file most likely holds,
 * from the words Chinese and English spreadsheets and other CRMs' exports (Salesforce, HubSpot,
 * 纷享销客, 销售易) use for it. Comparison ignores case, width, spaces and punctuation.
 */
import { matchKey } from '@crm/domain';

export type ImportEntityName = 'customers' | 'orders' | 'interactions';

/** What the mapper needs of a target field: its key and labels (custom fields' labels too). */
export type MappableTarget = { key: string; zh: string; en: string };

export type ColumnSuggestion = {
  /** The column's 0-based position in the file. */
  index: number;
  header: string;
  /** The target field's key, or null when nothing fits well enough. */
  target: string | null;
  /** 0–1: 1 for an exact synonym, less for a partial match. */
  confidence: number;
};

/** Below this a header is left unmapped rather than guessed. */
export const MIN_CONFIDENCE = 0.5;

const CUSTOMER_REFERENCE_SYNONYMS: Record<string, string[]> = {
  'customer.number': [
    '客户编号',
    '客户编码',
    '客户代码',
    '客户号',
    '客户ID',
    '会员编号',
    '会员号',
    'customer number',
    'customer no',
    'customer id',
    'account number',
    'account id',
  ],
  'customer.credit_code': [
    '统一社会信用代码',
    '社会信用代码',
    '信用代码',
    '税号',
    '纳税人识别号',
    'USCC',
    'credit code',
  ],
  'customer.phone': [
    '客户电话',
    '客户手机',
    '客户手机号',
    '电话',
    '手机',
    '手机号',
    '手机号码',
    '联系电话',
    '电话号码',
    '买家电话',
    '会员手机号',
    'phone',
    'mobile',
    'phone number',
    'customer phone',
  ],
  'customer.name': [
    '客户名称',
    '客户',
    '客户名',
    '客户姓名',
    '公司名称',
    '企业名称',
    '单位名称',
    '购买方',
    '购货单位',
    '买方',
    '买家',
    '会员姓名',
    '所属客户',
    '关联客户',
    'customer',
    'customer name',
    'account',
    'account name',
    'company',
    'company name',
    'associated company',
    'buyer',
  ],
};

const SYNONYMS: Record<ImportEntityName, Record<string, string[]>> = {
  customers: {
    name: [
      '客户名称',
      '客户名',
      '客户',
      '名称',
      '公司名称',
      '公司名',
      '公司',
      '企业名称',
      '企业名',
      '企业',
      '单位名称',
      '单位',
      '机构名称',
      '组织名称',
      '客户姓名',
      '姓名',
      '户名',
      'name',
      'customer',
      'customer name',
      'company',
      'company name',
      'account',
      'account name',
      'organization',
      'organisation',
      'organization name',
      'full name',
    ],
    kind: ['客户类型', '客户性质', '客户类别', '客户种类', '类型', '性质', 'customer type', 'kind', 'type'],
    customer_number: [
      '客户编号',
      '客户编码',
      '客户代码',
      '客户号',
      '客户ID',
      '编号',
      '会员编号',
      '会员号',
      '会员卡号',
      'customer number',
      'customer no',
      'customer id',
      'account number',
      'record id',
      'id',
    ],
    credit_code: [
      '统一社会信用代码',
      '社会信用代码',
      '信用代码',
      '统一信用代码',
      '税号',
      '纳税人识别号',
      'USCC',
      'credit code',
      'unified social credit code',
      'tax id',
    ],
    phone: [
      '电话',
      '手机',
      '手机号',
      '手机号码',
      '联系电话',
      '电话号码',
      '联系方式',
      '移动电话',
      '客户电话',
      '客户手机',
      '座机',
      '固话',
      '办公电话',
      '公司电话',
      'phone',
      'mobile',
      'telephone',
      'tel',
      'phone number',
      'mobile phone',
      'mobile phone number',
      'cell phone',
      'business phone',
    ],
    email: ['邮箱', '电子邮件', '电子邮箱', '邮件', '邮箱地址', 'Email', 'E-mail', 'mail', 'email address'],
    industry: ['行业', '所属行业', '行业类型', '行业分类', '客户行业', 'industry', 'sector'],
    owner: [
      '负责人',
      '销售',
      '销售负责人',
      '客户经理',
      '归属销售',
      '所属销售',
      '业务员',
      '销售代表',
      '客户负责人',
      '所有人',
      '客户所有人',
      '拥有者',
      '跟进人',
      '负责销售',
      'owner',
      'account owner',
      'company owner',
      'contact owner',
      'sales rep',
      'salesperson',
      'assigned to',
      'record owner',
    ],
    birthday: [
      '生日',
      '出生日期',
      '出生年月日',
      '生日日期',
      'birthday',
      'birth date',
      'date of birth',
      'DOB',
    ],
    birthday_calendar: [
      '生日历法',
      '历法',
      '生日类型',
      '农历/公历',
      '公历/农历',
      'birthday calendar',
      'calendar',
    ],
    founded_on: [
      '成立日期',
      '成立时间',
      '注册日期',
      '注册时间',
      '创立日期',
      'founded',
      'founded on',
      'date founded',
      'founded date',
      'incorporation date',
    ],
    address: [
      '地址',
      '详细地址',
      '通讯地址',
      '联系地址',
      '公司地址',
      '办公地址',
      '注册地址',
      '所在地',
      '客户地址',
      'address',
      'street address',
      'street',
      'billing street',
      'billing address',
      'mailing address',
    ],
    'address.province': [
      '省',
      '省份',
      '所在省',
      '所在省份',
      '省/直辖市',
      'province',
      'state',
      'state/province',
      'billing state',
      'billing state/province',
    ],
    'address.city': ['市', '城市', '所在城市', '地级市', '所在市', 'city', 'billing city'],
    'address.district': ['区', '区县', '县区', '区/县', '县', '所在区县', '所在区', 'district', 'county'],
    first_cooperation_on: [
      '首次合作时间',
      '首次合作日期',
      '合作开始时间',
      '合作开始日期',
      '开始合作时间',
      '首次成交时间',
      '首次成交日期',
      '首次购买时间',
      '首次购买日期',
      '成为客户时间',
      '成为客户日期',
      'first cooperation date',
      'customer since',
      'first purchase date',
      'first deal date',
    ],
    anniversary_on: ['纪念日', '结婚纪念日', '周年纪念日', '纪念日期', 'anniversary', 'wedding anniversary'],
    note: [
      '备注',
      '客户备注',
      '备注信息',
      '附注',
      '说明',
      'note',
      'notes',
      'remark',
      'remarks',
      'comment',
      'comments',
      'description',
    ],
    'opening.amount_12m': [
      '期初近12个月交易额',
      'opening revenue, last 12 months',
      '近12个月交易额',
      '近12个月交易金额',
      '近12个月销售额',
      '近12个月消费金额',
      '近12个月金额',
      '最近12个月交易额',
      '近一年交易额',
      '近一年销售额',
      '近一年消费金额',
      '近1年交易额',
      'revenue last 12 months',
      'last 12 months revenue',
      'sales last 12 months',
      'amount last 12 months',
      '12 month revenue',
      'revenue, last 12 months',
    ],
    'opening.amount_lifetime': [
      '期初累计交易额',
      'opening lifetime revenue',
      '累计交易额',
      '累计交易金额',
      '累计销售额',
      '累计消费',
      '累计消费金额',
      '累计金额',
      '历史交易额',
      '总交易额',
      '交易总额',
      '消费总额',
      'lifetime revenue',
      'total revenue',
      'lifetime value',
      'total spent',
      'total sales',
    ],
    'opening.order_count': [
      '期初订单数',
      'opening order count',
      '订单数',
      '订单数量',
      '累计订单数',
      '订单总数',
      '交易次数',
      '购买次数',
      '成交次数',
      '下单次数',
      '消费次数',
      'order count',
      'orders',
      'number of orders',
      'total orders',
      'purchase count',
    ],
    'opening.last_deal_on': [
      '期初最近交易日期',
      'opening last deal date',
      '最近交易日期',
      '最近交易时间',
      '最后交易日期',
      '最后交易时间',
      '最近成交日期',
      '最近成交时间',
      '最近购买日期',
      '最近购买时间',
      '最后购买时间',
      '最近下单时间',
      '最近消费时间',
      '上次交易日期',
      'last deal date',
      'last purchase date',
      'last order date',
    ],
    'opening.as_of': [
      '期初数据截止日期',
      '数据截止日期',
      '截止日期',
      '统计截止日期',
      '统计日期',
      'as of',
      'as of date',
      'figures as of',
    ],
    need_type: ['需求类型', 'need type'],
    explicit_needs: ['需求', '客户需求', '显性需求', '明确需求', 'needs', 'requirements', 'explicit needs'],
    implicit_needs: ['隐性需求', '潜在需求', 'implicit needs', 'latent needs'],
    pain_points: ['痛点', '客户痛点', 'pain points'],
    purchase_plan: ['采购计划', '购买计划', 'purchase plan'],
    purchase_plan_amount: [
      '计划采购金额',
      '采购预算',
      '预算',
      '预算金额',
      'budget',
      'planned amount',
      'purchase budget',
    ],
    purchase_plan_expected_on: [
      '预计采购日期',
      '预计采购时间',
      '计划采购日期',
      '预计购买日期',
      'expected purchase date',
    ],
    tags: ['标签', '客户标签', 'tags', 'tag', 'labels'],
    'contact.name': [
      '联系人',
      '联系人姓名',
      '联系人名称',
      '主要联系人',
      '首要联系人',
      '对接人',
      'contact',
      'contact name',
      'primary contact',
    ],
    'contact.title': [
      '职务',
      '职位',
      '联系人职务',
      '联系人职位',
      '岗位',
      '头衔',
      'title',
      'job title',
      'position',
    ],
    'contact.phone': [
      '联系人电话',
      '联系人手机',
      '联系人手机号',
      '联系人联系方式',
      '对接人电话',
      'contact phone',
      'contact mobile',
    ],
    'contact.email': ['联系人邮箱', '联系人邮件', '联系人电子邮件', 'contact email'],
    'contact.birthday': ['联系人生日', '联系人出生日期', 'contact birthday', 'contact date of birth'],
    'contact.anniversary': ['联系人纪念日', 'contact anniversary'],
    national_id: [
      '身份证',
      '身份证号',
      '身份证号码',
      '公民身份号码',
      '证件号码',
      '证件号',
      'ID card',
      'ID number',
      'national ID',
      'national ID number',
    ],
    bank_card: [
      '银行卡号',
      '银行卡',
      '银行账号',
      '卡号',
      '开户账号',
      '收款账号',
      'bank card',
      'bank card number',
      'card number',
      'bank account',
    ],
  },
  orders: {
    ...CUSTOMER_REFERENCE_SYNONYMS,
    order_number: [
      '订单号',
      '订单编号',
      '单号',
      '订单ID',
      '销售单号',
      '合同编号',
      '合同号',
      '单据编号',
      '流水号',
      'order number',
      'order no',
      'order id',
      'order #',
      'invoice number',
    ],
    ordered_at: [
      '下单时间',
      '下单日期',
      '成交日期',
      '成交时间',
      '订单日期',
      '订单时间',
      '购买日期',
      '购买时间',
      '交易时间',
      '交易日期',
      '销售日期',
      '签约日期',
      '付款时间',
      '日期',
      '时间',
      'order date',
      'ordered at',
      'date',
      'close date',
      'purchase date',
      'created date',
    ],
    amount: [
      '金额',
      '订单金额',
      '实付金额',
      '成交金额',
      '总金额',
      '合计金额',
      '合计',
      '总价',
      '实收金额',
      '销售额',
      '销售金额',
      '应付金额',
      '付款金额',
      '订单总额',
      '交易金额',
      '合同金额',
      'amount',
      'total',
      'order total',
      'total amount',
      'order amount',
      'grand total',
    ],
    currency: ['币种', '货币', '币别', '货币类型', 'currency'],
    profit: ['利润', '毛利', '毛利润', '利润额', '净利润', 'profit', 'margin', 'gross profit'],
    payment_method: [
      '支付方式',
      '付款方式',
      '结算方式',
      '收款方式',
      'payment method',
      'payment',
      'payment type',
    ],
    status: ['订单状态', '状态', '交易状态', 'status', 'order status'],
    note: [
      '备注',
      '说明',
      '订单备注',
      '附言',
      'note',
      'notes',
      'remark',
      'remarks',
      'comment',
      'description',
    ],
    'line.product': [
      '产品',
      '商品',
      '产品名称',
      '商品名称',
      '品名',
      '货品名称',
      '产品名',
      'product',
      'product name',
      'item',
      'item name',
    ],
    'line.quantity': ['数量', '购买数量', '件数', '销售数量', 'qty', 'quantity'],
    'line.unit_price': ['单价', '价格', '售价', '销售单价', '成交单价', 'unit price', 'price'],
  },
  interactions: {
    ...CUSTOMER_REFERENCE_SYNONYMS,
    'contact.name': ['联系人', '联系人姓名', '对接人', '沟通对象', '拜访对象', 'contact', 'contact name'],
    kind: [
      '沟通方式',
      '跟进方式',
      '互动方式',
      '联系方式',
      '沟通类型',
      '跟进类型',
      '活动类型',
      '类型',
      '方式',
      'type',
      'kind',
      'activity type',
      'channel',
      'interaction type',
    ],
    occurred_at: [
      '沟通时间',
      '跟进时间',
      '联系时间',
      '互动时间',
      '拜访时间',
      '发生时间',
      '沟通日期',
      '跟进日期',
      '拜访日期',
      '时间',
      '日期',
      'date',
      'time',
      'occurred at',
      'activity date',
      'timestamp',
    ],
    summary: [
      '沟通内容',
      '跟进内容',
      '跟进记录',
      '沟通记录',
      '内容',
      '摘要',
      '内容摘要',
      '记录',
      '详情',
      '描述',
      'summary',
      'notes',
      'note',
      'content',
      'description',
      'details',
      'body',
    ],
    outcome: ['结果', '沟通结果', '跟进结果', '成果', '结论', 'outcome', 'result'],
    next_step: [
      '下一步',
      '下一步计划',
      '后续计划',
      '跟进计划',
      '下次跟进内容',
      '待办',
      'next step',
      'next steps',
      'follow up',
    ],
    next_step_due: [
      '下次跟进时间',
      '下次跟进日期',
      '下一步日期',
      '下一步时间',
      '计划跟进日期',
      '下次联系时间',
      'next step due',
      'due date',
      'follow up date',
    ],
    sentiment: ['客户态度', '态度', '情绪', '满意度', '评价', 'sentiment', 'mood', 'satisfaction'],
    user: [
      '跟进人',
      '记录人',
      '负责人',
      '销售',
      '经办人',
      '创建人',
      '员工',
      'owner',
      'user',
      'logged by',
      'sales rep',
      'assigned to',
      'activity owner',
    ],
  },
};

/**
 * Headers that name a target unmistakably: among headers that match it equally well they
 * win. This system's customer export heads the opening balance so (期初订单数), beside the
 * derived figures (订单数) that other systems' files use for it.
 */
const PREFERRED: Record<ImportEntityName, Record<string, string[]>> = {
  customers: {
    'opening.amount_12m': ['期初近12个月交易额', 'Opening revenue, last 12 months'],
    'opening.amount_lifetime': ['期初累计交易额', 'Opening lifetime revenue'],
    'opening.order_count': ['期初订单数', 'Opening order count'],
    'opening.last_deal_on': ['期初最近交易日期', 'Opening last deal date'],
  },
  orders: {},
  interactions: {},
};

/** The synonyms of a target for an entity (its labels included), as comparison keys. */
function targetWords(entity: ImportEntityName, target: MappableTarget): string[] {
  const words = [target.zh, target.en, ...(SYNONYMS[entity][target.key] ?? [])];
  if (target.key.startsWith('custom:')) words.push(target.key.slice('custom:'.length));
  return [...new Set(words.map(matchKey).filter((word) => word !== ''))];
}

/** Header decorations that do not change its meaning: units and notes in brackets, markers of required. */
function stripDecorations(header: string): string {
  return header
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[*＊]/g, '')
    .replace(/(必填|选填|可选)$/, '');
}

/** Words too general to count when they are only part of a header (客户 in 客户来源). */
const EXACT_ONLY = new Set(
  [
    '客户',
    '名称',
    '公司',
    '企业',
    '单位',
    '类型',
    '性质',
    '日期',
    '时间',
    '状态',
    '方式',
    '内容',
    '记录',
    '编号',
    '描述',
    '说明',
    '结果',
    '销售',
    '员工',
    '态度',
    '评价',
    '需求',
    '合计',
    '单号',
    '标签',
    'name',
    'type',
    'kind',
    'date',
    'time',
    'mail',
    'note',
    'notes',
    'title',
    'total',
    'price',
    'item',
    'status',
    'number',
    'account',
    'company',
    'contact',
    'customer',
    'description',
  ].map(matchKey),
);

/** Whether a word may match as part of a longer header: Chinese of 2+ characters, or an English word of 4+ letters. */
function matchesAsPart(word: string): boolean {
  if (EXACT_ONLY.has(word)) return false;
  return /[^\p{ASCII}]/u.test(word) ? word.length >= 2 : word.length >= 4;
}

/** How well a header matches a target's words: 1 exact, 0.9 exact once decorations go, less for a part. */
function score(headerKey: string, strippedKey: string, words: string[]): number {
  let best = 0;
  for (const word of words) {
    if (word === headerKey) return 1;
    if (word === strippedKey) {
      best = Math.max(best, 0.9);
      continue;
    }
    const subject = strippedKey || headerKey;
    // Only a header that says more than a synonym (客户地址（省市区）, 实收金额合计) counts as a part
    // match: a header that says less (手机 against 联系人手机) is too vague to guess from.
    if (matchesAsPart(word) && subject.includes(word)) {
      best = Math.max(best, 0.45 + 0.4 * (word.length / subject.length));
    }
  }
  return Math.min(best, 0.85);
}

/**
 * The best target for each header, each target used at most once: the strongest pairs are
 * taken first, earlier targets, then a preferred header, then earlier columns winning ties.
 * Headers that match nothing well enough get `target: null`.
 */
export function suggestMapping(
  headers: readonly string[],
  entity: ImportEntityName,
  targets: readonly MappableTarget[],
): ColumnSuggestion[] {
  const words = targets.map((target) => targetWords(entity, target));
  const pairs: { header: number; target: number; score: number }[] = [];
  headers.forEach((header, headerIndex) => {
    const headerKey = matchKey(header);
    if (headerKey === '') return;
    const strippedKey = matchKey(stripDecorations(header));
    targets.forEach((_, targetIndex) => {
      const value = score(headerKey, strippedKey, words[targetIndex] as string[]);
      if (value >= MIN_CONFIDENCE) pairs.push({ header: headerIndex, target: targetIndex, score: value });
    });
  });
  // Of headers that fit one target equally well, one that names it unmistakably wins (期初订单数
  // over 订单数, when this system's export carries the derived figures beside the opening ones).
  const preferredKeys = targets.map((target) => new Set((PREFERRED[entity][target.key] ?? []).map(matchKey)));
  const preferred = (pair: { header: number; target: number }) =>
    preferredKeys[pair.target]?.has(matchKey(headers[pair.header] as string)) ? 1 : 0;
  pairs.sort(
    (a, b) => b.score - a.score || a.target - b.target || preferred(b) - preferred(a) || a.header - b.header,
  );
  const suggestions: ColumnSuggestion[] = headers.map((header, index) => ({
    index,
    header,
    target: null,
    confidence: 0,
  }));
  const usedTargets = new Set<number>();
  for (const pair of pairs) {
    const suggestion = suggestions[pair.header] as ColumnSuggestion;
    if (suggestion.target !== null || usedTargets.has(pair.target)) continue;
    usedTargets.add(pair.target);
    suggestion.target = (targets[pair.target] as MappableTarget).key;
    suggestion.confidence = Math.round(pair.score * 100) / 100;
  }
  return suggestions;
}

/** The synonyms known for an entity's target keys (for docs and tests). */
export function knownSynonyms(entity: ImportEntityName): Readonly<Record<string, readonly string[]>> {
  return SYNONYMS[entity];
}
