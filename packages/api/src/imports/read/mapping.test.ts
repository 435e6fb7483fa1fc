import { describe, expect, it } from 'vitest';
import { targetsFor } from '../targets';
import { type ImportEntityName, type MappableTarget, suggestMapping } from './mapping';

/** The import flow's target keys and labels (as the wizard lists them). */
const TARGETS: Record<ImportEntityName, MappableTarget[]> = {
  customers: [
    { key: 'name', zh: '客户名称', en: 'Name' },
    { key: 'kind', zh: '客户类型', en: 'Kind' },
    { key: 'customer_number', zh: '客户编号', en: 'Customer number' },
    { key: 'credit_code', zh: '统一社会信用代码', en: 'Credit code' },
    { key: 'phone', zh: '电话', en: 'Phone' },
    { key: 'email', zh: '邮箱', en: 'Email' },
    { key: 'industry', zh: '行业', en: 'Industry' },
    { key: 'owner', zh: '负责人', en: 'Owner' },
    { key: 'birthday', zh: '生日', en: 'Birthday' },
    { key: 'founded_on', zh: '成立日期', en: 'Founded on' },
    { key: 'address', zh: '地址', en: 'Address' },
    { key: 'need_type', zh: '需求类型', en: 'Need type' },
    { key: 'explicit_needs', zh: '显性需求', en: 'Explicit needs' },
    { key: 'implicit_needs', zh: '隐性需求', en: 'Implicit needs' },
    { key: 'pain_points', zh: '痛点', en: 'Pain points' },
    { key: 'purchase_plan', zh: '采购计划', en: 'Purchase plan' },
    { key: 'purchase_plan_amount', zh: '计划采购金额', en: 'Planned amount' },
    { key: 'purchase_plan_expected_on', zh: '预计采购日期', en: 'Expected purchase date' },
    { key: 'tags', zh: '标签', en: 'Tags' },
    { key: 'contact.name', zh: '联系人', en: 'Contact name' },
    { key: 'contact.title', zh: '联系人职务', en: 'Contact title' },
    { key: 'contact.phone', zh: '联系人电话', en: 'Contact phone' },
    { key: 'contact.email', zh: '联系人邮箱', en: 'Contact email' },
    { key: 'national_id', zh: '身份证号', en: 'National ID number' },
    { key: 'bank_card', zh: '银行卡号', en: 'Bank card number' },
    { key: 'custom:level', zh: '客户等级', en: 'Customer level' },
    { key: 'custom:source_channel', zh: '获客渠道', en: 'Acquisition channel' },
  ],
  orders: [
    { key: 'customer.number', zh: '客户编号', en: 'Customer number' },
    { key: 'customer.credit_code', zh: '统一社会信用代码', en: 'Credit code' },
    { key: 'customer.phone', zh: '客户电话', en: 'Customer phone' },
    { key: 'customer.name', zh: '客户名称', en: 'Customer name' },
    { key: 'order_number', zh: '订单号', en: 'Order number' },
    { key: 'ordered_at', zh: '下单时间', en: 'Ordered at' },
    { key: 'amount', zh: '订单金额', en: 'Amount' },
    { key: 'currency', zh: '币种', en: 'Currency' },
    { key: 'profit', zh: '利润', en: 'Profit' },
    { key: 'payment_method', zh: '支付方式', en: 'Payment method' },
    { key: 'status', zh: '订单状态', en: 'Status' },
    { key: 'note', zh: '备注', en: 'Note' },
    { key: 'line.product', zh: '产品', en: 'Product' },
    { key: 'line.quantity', zh: '数量', en: 'Quantity' },
    { key: 'line.unit_price', zh: '单价', en: 'Unit price' },
  ],
  interactions: [
    { key: 'customer.number', zh: '客户编号', en: 'Customer number' },
    { key: 'customer.credit_code', zh: '统一社会信用代码', en: 'Credit code' },
    { key: 'customer.phone', zh: '客户电话', en: 'Customer phone' },
    { key: 'customer.name', zh: '客户名称', en: 'Customer name' },
    { key: 'contact.name', zh: '联系人', en: 'Contact' },
    { key: 'kind', zh: '沟通方式', en: 'Kind' },
    { key: 'occurred_at', zh: '沟通时间', en: 'Occurred at' },
    { key: 'summary', zh: '沟通内容', en: 'Summary' },
    { key: 'outcome', zh: '结果', en: 'Outcome' },
    { key: 'next_step', zh: '下一步', en: 'Next step' },
    { key: 'next_step_due', zh: '下一步日期', en: 'Next step due' },
    { key: 'sentiment', zh: '客户态度', en: 'Sentiment' },
    { key: 'user', zh: '跟进人', en: 'Handled by' },
  ],
  leads: targetsFor('leads'),
};

/** header → suggested target key (null when left unmapped). */
function suggest(entity: ImportEntityName, headers: string[]): Record<string, string | null> {
  return Object.fromEntries(
    suggestMapping(headers, entity, TARGETS[entity]).map((suggestion) => [
      suggestion.header,
      suggestion.target,
    ]),
  );
}

describe('suggestMapping', () => {
  it('maps a lead list from a trade show sheet and an English CRM export', () => {
    expect(
      suggest('leads', [
        '姓名',
        '公司名称',
        '职位',
        '手机号',
        '微信号',
        '所在地区',
        '线索来源',
        '意向',
        '客户需求',
        '预算',
        '负责人',
        '备注',
      ]),
    ).toEqual({
      姓名: 'person_name',
      公司名称: 'company_name',
      职位: 'job_title',
      手机号: 'phone',
      微信号: 'wechat',
      所在地区: 'region',
      线索来源: 'source',
      意向: 'intent',
      客户需求: 'needs',
      预算: 'budget',
      负责人: 'owner',
      备注: 'notes',
    });
    expect(suggest('leads', ['Full Name', 'Company Name', 'Email', 'Lead Source', 'Lead Owner'])).toEqual({
      'Full Name': 'person_name',
      'Company Name': 'company_name',
      Email: 'email',
      'Lead Source': 'source',
      'Lead Owner': 'owner',
    });
  });

  it('maps a 纷享销客 customer export', () => {
    expect(
      suggest('customers', [
        '客户名称',
        '客户编号',
        '客户级别',
        '负责人',
        '负责人主属部门',
        '电话',
        '邮件',
        '详细地址',
        '行业',
        '来源',
        '备注',
        '创建时间',
        '最后跟进时间',
        '统一社会信用代码',
      ]),
    ).toEqual({
      客户名称: 'name',
      客户编号: 'customer_number',
      客户级别: null,
      负责人: 'owner',
      负责人主属部门: null,
      电话: 'phone',
      邮件: 'email',
      详细地址: 'address',
      行业: 'industry',
      来源: null,
      备注: null,
      创建时间: null,
      最后跟进时间: null,
      统一社会信用代码: 'credit_code',
    });
  });

  it('maps a Chinese Excel sheet with required markers, units in brackets and custom fields', () => {
    expect(
      suggest('customers', [
        '序号',
        '客户名称*',
        '客户类型（必填）',
        '手机号码',
        '联系人',
        '职务',
        '联系人手机',
        '电子邮箱',
        '成立时间',
        '出生日期',
        '通讯地址',
        '客户标签',
        '身份证号码',
        '银行卡号',
        '客户经理',
        '采购预算(万元)',
        '客户等级',
        '获客渠道',
      ]),
    ).toEqual({
      序号: null,
      '客户名称*': 'name',
      '客户类型（必填）': 'kind',
      手机号码: 'phone',
      联系人: 'contact.name',
      职务: 'contact.title',
      联系人手机: 'contact.phone',
      电子邮箱: 'email',
      成立时间: 'founded_on',
      出生日期: 'birthday',
      通讯地址: 'address',
      客户标签: 'tags',
      身份证号码: 'national_id',
      银行卡号: 'bank_card',
      客户经理: 'owner',
      '采购预算(万元)': 'purchase_plan_amount',
      客户等级: 'custom:level',
      获客渠道: 'custom:source_channel',
    });
  });

  it('maps a HubSpot companies export', () => {
    expect(
      suggest('customers', [
        'Record ID',
        'Company name',
        'Company Domain Name',
        'Phone Number',
        'Industry',
        'Street Address',
        'City',
        'Create Date',
        'Company owner',
        'Annual Revenue',
        'Type',
      ]),
    ).toEqual({
      'Record ID': 'customer_number',
      'Company name': 'name',
      'Company Domain Name': null,
      'Phone Number': 'phone',
      Industry: 'industry',
      'Street Address': 'address',
      City: null,
      'Create Date': null,
      'Company owner': 'owner',
      'Annual Revenue': null,
      Type: 'kind',
    });
  });

  it('maps a HubSpot contacts export, one column per target', () => {
    const mapping = suggest('customers', [
      'First Name',
      'Last Name',
      'Email',
      'Phone Number',
      'Mobile Phone Number',
      'Job Title',
      'Contact owner',
    ]);
    expect(mapping).toEqual({
      'First Name': null,
      'Last Name': null,
      Email: 'email',
      'Phone Number': 'phone',
      'Mobile Phone Number': null,
      'Job Title': 'contact.title',
      'Contact owner': 'owner',
    });
  });

  it('maps a Salesforce accounts export', () => {
    expect(
      suggest('customers', [
        'Account Name',
        'Account Number',
        'Phone',
        'Industry',
        'Billing Street',
        'Account Owner',
      ]),
    ).toEqual({
      'Account Name': 'name',
      'Account Number': 'customer_number',
      Phone: 'phone',
      Industry: 'industry',
      'Billing Street': 'address',
      'Account Owner': 'owner',
    });
  });

  it('maps an orders sheet with product columns', () => {
    expect(
      suggest('orders', [
        '订单编号',
        '客户名称',
        '客户手机',
        '下单时间',
        '商品名称',
        '数量',
        '单价',
        '实付金额(元)',
        '毛利',
        '币种',
        '付款方式',
        '订单状态',
        '备注',
      ]),
    ).toEqual({
      订单编号: 'order_number',
      客户名称: 'customer.name',
      客户手机: 'customer.phone',
      下单时间: 'ordered_at',
      商品名称: 'line.product',
      数量: 'line.quantity',
      单价: 'line.unit_price',
      '实付金额(元)': 'amount',
      毛利: 'profit',
      币种: 'currency',
      付款方式: 'payment_method',
      订单状态: 'status',
      备注: 'note',
    });
  });

  it('maps an interactions log', () => {
    expect(
      suggest('interactions', [
        '客户',
        '客户编号',
        '联系人',
        '跟进方式',
        '跟进时间',
        '跟进内容',
        '跟进结果',
        '下一步计划',
        '下次跟进时间',
        '跟进人',
        '客户态度',
      ]),
    ).toEqual({
      客户: 'customer.name',
      客户编号: 'customer.number',
      联系人: 'contact.name',
      跟进方式: 'kind',
      跟进时间: 'occurred_at',
      跟进内容: 'summary',
      跟进结果: 'outcome',
      下一步计划: 'next_step',
      下次跟进时间: 'next_step_due',
      跟进人: 'user',
      客户态度: 'sentiment',
    });
  });

  it('ignores case, width, spaces and punctuation', () => {
    expect(suggest('customers', ['ＥＭＡＩＬ', ' 客户 名称 ', 'e_mail'])).toEqual({
      ＥＭＡＩＬ: 'email',
      ' 客户 名称 ': 'name',
      // The same target twice: the first column has it.
      e_mail: null,
    });
    expect(suggest('customers', ['e_mail'])).toEqual({ e_mail: 'email' });
  });

  it('gives each target to one column only, the better match first', () => {
    const suggestions = suggestMapping(['电话', '手机', '客户名称', '名称'], 'customers', TARGETS.customers);
    expect(suggestions.map((suggestion) => suggestion.target)).toEqual(['phone', null, 'name', null]);
    expect(suggestions[0]).toEqual({ index: 0, header: '电话', target: 'phone', confidence: 1 });
  });

  it('gives the opening figures to the columns that name them, over the derived figures beside them', () => {
    const targets: MappableTarget[] = [
      { key: 'name', zh: '客户名称', en: 'Name' },
      { key: 'opening.amount_12m', zh: '近12个月交易额', en: 'Revenue, last 12 months' },
      { key: 'opening.order_count', zh: '订单数', en: 'Order count' },
    ];
    // This system's export: the derived figures first, the opening balance after them.
    const zh = suggestMapping(
      ['名称', '近12个月金额', '订单数', '期初近12个月交易额', '期初订单数'],
      'customers',
      targets,
    );
    expect(zh.map((suggestion) => suggestion.target)).toEqual([
      'name',
      null,
      null,
      'opening.amount_12m',
      'opening.order_count',
    ]);
    const en = suggestMapping(['Name', 'Orders', 'Opening order count'], 'customers', targets);
    expect(en.map((suggestion) => suggestion.target)).toEqual(['name', null, 'opening.order_count']);
    // Another system's file with only 订单数 still maps it.
    expect(suggestMapping(['客户名称', '订单数'], 'customers', targets)[1]?.target).toBe(
      'opening.order_count',
    );
  });

  it('rates partial matches lower, and leaves general words alone', () => {
    const [partial, general] = suggestMapping(
      ['客户地址（省市区）', '客户来源'],
      'customers',
      TARGETS.customers,
    );
    expect(partial?.target).toBe('address');
    expect(partial?.confidence).toBeLessThan(1);
    expect(general?.target).toBeNull();
  });

  it('handles empty and unnamed headers', () => {
    expect(suggestMapping([], 'orders', TARGETS.orders)).toEqual([]);
    expect(
      suggestMapping(['', '金额'], 'orders', TARGETS.orders).map((suggestion) => suggestion.target),
    ).toEqual([null, 'amount']);
  });
});
