import type { CustomFieldDefinition, ImportEntity } from '@crm/db';
import ExcelJS from 'exceljs';
import type { Locale } from '../i18n';
import { type Target, targetsFor } from './targets';

/**
 * Import templates (导入模板): for each kind of import, a CSV or Excel file whose headers are
 * the target fields' labels in the user's language (so the upload maps every column by itself)
 * and two or three example rows that import cleanly as they are — the tenant's custom fields
 * included, the downloading member as the owner, dates relative to the day of download.
 */

export const TEMPLATE_FORMATS = ['csv', 'xlsx'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export type TemplateContext = {
  locale: Locale;
  /** The tenant's industry profile: business-only profiles get no individual customer. */
  industry: string | null;
  currency: string;
  /** The downloading member's email: the example rows' owner / handler. */
  email: string;
  definitions: CustomFieldDefinition[];
  /** Customers the order and interaction examples name; the customer template's when none. */
  customerNames: string[];
  /** Today in Beijing, YYYY-MM-DD. */
  today: string;
};

export type TemplateFile = { fileName: string; contentType: string; bytes: Uint8Array };

/** Industry profiles whose customers are organisations only (no individuals). */
const BUSINESS_ONLY = new Set(['b2b', 'corporate-banking']);

type Text = { zh: string; en: string };
const t = (zh: string, en: string): Text => ({ zh, en });
/** An example value: the same in both languages, or one per language. */
type Example = string | Text | null;

const EXAMPLE_COMPANY = t('杭州示例科技有限公司', 'Hangzhou Example Technology Co., Ltd.');
const EXAMPLE_PERSON = t('李娜', 'Li Na');
const EXAMPLE_SECOND_COMPANY = t('上海示例贸易有限公司', 'Shanghai Example Trading Co., Ltd.');

function daysBefore(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** The customer template's columns and their example values, one per example row. */
function customerExamples(context: TemplateContext): { rows: number; values: Record<string, Example[]> } {
  const withPerson = !BUSINESS_ONLY.has(context.industry ?? '');
  const { email, today } = context;
  const second = withPerson ? EXAMPLE_PERSON : EXAMPLE_SECOND_COMPANY;
  const values: Record<string, Example[]> = {
    name: [EXAMPLE_COMPANY, second],
    kind: [t('企业', 'Company'), withPerson ? t('个人', 'Person') : t('企业', 'Company')],
    customer_number: ['KH-0001', 'KH-0002'],
    credit_code: ['91330106MA27XK5P2M', null],
    phone: ['0571-87654321', withPerson ? '13912345678' : '021-62345678'],
    email: ['contact@example.com', withPerson ? 'li.na@example.com' : 'trade@example.com'],
    industry: [t('软件和信息技术服务', 'Software'), withPerson ? null : t('批发和零售', 'Wholesale')],
    owner: [email, email],
    'address.province': [t('浙江省', 'Zhejiang'), t('上海市', 'Shanghai')],
    'address.city': [t('杭州市', 'Hangzhou'), t('上海市', 'Shanghai')],
    'address.district': [t('西湖区', 'Xihu'), t('浦东新区', 'Pudong')],
    address: [t('文三路 100 号', '100 Wensan Road'), t('世纪大道 1 号', '1 Century Avenue')],
    'contact.name': [t('王磊', 'Wang Lei'), withPerson ? null : t('陈静', 'Chen Jing')],
    'contact.title': [
      t('采购经理', 'Purchasing manager'),
      withPerson ? null : t('总经理', 'General manager'),
    ],
    'contact.phone': ['13800138000', withPerson ? null : '13700137000'],
    'contact.email': ['wang.lei@example.com', withPerson ? null : 'chen.jing@example.com'],
    'contact.birthday': ['1985-06-18', null],
    birthday: [null, withPerson ? '1990-05-06' : null],
    anniversary_on: [null, withPerson ? '2015-10-01' : null],
    founded_on: ['2015-03-08', withPerson ? null : '2010-09-01'],
    first_cooperation_on: ['2019-03-05', '2021-07-01'],
    tags: [t('重点客户', 'Key account'), withPerson ? t('会员', 'Member') : null],
    note: [
      t('年底前回访，确认明年采购计划', 'Call back before year end about next year’s purchases'),
      withPerson
        ? t('喜欢电话沟通', 'Prefers phone calls')
        : t('新客户，待首次拜访', 'New customer, first visit due'),
    ],
    'opening.amount_12m': ['500000', withPerson ? '3000' : null],
    'opening.amount_lifetime': ['1200000', withPerson ? '5000' : null],
    'opening.order_count': ['18', withPerson ? '4' : null],
    'opening.last_deal_on': [daysBefore(today, 30), withPerson ? daysBefore(today, 60) : null],
  };
  return { rows: 2, values };
}

function orderExamples(context: TemplateContext): { rows: number; values: Record<string, Example[]> } {
  const [first, second] = referencedCustomers(context);
  const stamp = context.today.replaceAll('-', '');
  return {
    rows: 3,
    values: {
      order_number: [`SO-${stamp}-001`, `SO-${stamp}-001`, `SO-${stamp}-002`],
      'customer.name': [first, first, second],
      ordered_at: [
        `${daysBefore(context.today, 20)} 10:30`,
        `${daysBefore(context.today, 20)} 10:30`,
        `${daysBefore(context.today, 5)} 15:00`,
      ],
      amount: ['128000', '128000', '2680'],
      currency: [context.currency, context.currency, context.currency],
      profit: ['32000', '32000', '800'],
      payment_method: [
        t('对公转账', 'Bank transfer'),
        t('对公转账', 'Bank transfer'),
        t('微信支付', 'WeChat Pay'),
      ],
      status: [t('已完成', 'Completed'), t('已完成', 'Completed'), t('已完成', 'Completed')],
      note: [t('年度框架合同首批', 'First delivery of the yearly contract'), null, null],
      'line.product': [
        t('服务器', 'Server'),
        t('安装服务', 'Installation'),
        t('办公耗材', 'Office supplies'),
      ],
      'line.quantity': ['2', '1', '10'],
      'line.unit_price': ['60000', '8000', '268'],
    },
  };
}

function interactionExamples(context: TemplateContext): { rows: number; values: Record<string, Example[]> } {
  const [first, second] = referencedCustomers(context);
  return {
    rows: 2,
    values: {
      'customer.name': [first, second],
      kind: [t('拜访', 'Visit'), t('电话', 'Call')],
      occurred_at: [`${daysBefore(context.today, 7)} 14:00`, `${daysBefore(context.today, 2)} 09:30`],
      summary: [
        t(
          '上门演示新版本，客户对报表功能感兴趣',
          'On-site demo of the new version; interested in the reports',
        ),
        t('电话确认到货时间', 'Called to confirm the delivery date'),
      ],
      outcome: [
        t('同意安排技术交流', 'Agreed to a technical session'),
        t('下周三到货', 'Arrives next Wednesday'),
      ],
      next_step: [t('发送方案和报价', 'Send the proposal and quote'), null],
      next_step_due: [daysBefore(context.today, -7), null],
      sentiment: [t('表扬', 'Praise'), t('中性', 'Neutral')],
      user: [context.email, context.email],
    },
  };
}

/** The customers the order and interaction examples name. */
function referencedCustomers(context: TemplateContext): [Example, Example] {
  const [first, second] = context.customerNames;
  if (first) return [first, second ?? first];
  return [
    EXAMPLE_COMPANY,
    BUSINESS_ONLY.has(context.industry ?? '') ? EXAMPLE_SECOND_COMPANY : EXAMPLE_PERSON,
  ];
}

function leadExamples(context: TemplateContext): { rows: number; values: Record<string, Example[]> } {
  return {
    rows: 2,
    values: {
      person_name: [t('王磊', 'Wang Lei'), t('陈静', 'Chen Jing')],
      company_name: [t('苏州示例精密机械有限公司', 'Suzhou Example Precision Co., Ltd.'), null],
      job_title: [t('采购经理', 'Purchasing manager'), null],
      phone: ['13700000001', '13700000002'],
      email: ['wanglei@example.com', null],
      region: [t('江苏', 'Jiangsu'), t('上海', 'Shanghai')],
      industry: [t('制造业', 'Manufacturing'), null],
      source: [t('活动', 'Event'), t('转介绍', 'Referral')],
      campaign: [t('春季展会', 'Spring trade show'), null],
      intent: [t('询价', 'Asked for a price'), t('仅浏览', 'Only browsed')],
      needs: [t('产线扩产；质检自动化', 'Line expansion; automated inspection'), null],
      budget: ['500000', null],
      expected_close_on: [daysBefore(context.today, -60), null],
      decision_maker_reached: [t('是', 'Yes'), t('否', 'No')],
      owner: [context.email, null],
    },
  };
}

/** An example value of a custom field, by its type. */
function customExample(definition: CustomFieldDefinition, locale: Locale): string {
  const option = definition.options[0];
  const label = option ? (locale === 'en' ? option.labelEn : option.labelZh) : '';
  switch (definition.type) {
    case 'number':
      return '3';
    case 'money':
      return '10000';
    case 'date':
      return '2024-03-05';
    case 'boolean':
      return locale === 'en' ? 'yes' : '是';
    case 'enum':
    case 'multi_enum':
      return label;
    default:
      return locale === 'en' ? 'Example' : '示例';
  }
}

/** The template's header row and example rows. */
export function templateTable(kind: ImportEntity, context: TemplateContext): string[][] {
  const { locale } = context;
  const targets = targetsFor(kind, context.definitions);
  const examples =
    kind === 'customers'
      ? customerExamples(context)
      : kind === 'orders'
        ? orderExamples(context)
        : kind === 'leads'
          ? leadExamples(context)
          : interactionExamples(context);
  const label = (target: Target) => (locale === 'en' ? target.en : target.zh);
  const columns: { header: string; values: string[] }[] = [];
  for (const target of targets) {
    let values: string[];
    if (target.type === 'custom' && target.definition) {
      const value = customExample(target.definition, locale);
      values = Array.from({ length: examples.rows }, () => value);
    } else {
      const given = examples.values[target.key];
      if (!given) continue;
      values = given.map((example) =>
        example === null
          ? ''
          : typeof example === 'string'
            ? example
            : locale === 'en'
              ? example.en
              : example.zh,
      );
    }
    columns.push({ header: label(target), values });
  }
  return [
    columns.map((column) => column.header),
    ...Array.from({ length: examples.rows }, (_, row) => columns.map((column) => column.values[row] ?? '')),
  ];
}

const FILE_NAMES: Record<ImportEntity, Text> = {
  customers: t('客户导入模板', 'customers-import-template'),
  orders: t('订单导入模板', 'orders-import-template'),
  interactions: t('互动记录导入模板', 'interactions-import-template'),
  leads: t('线索导入模板', 'leads-import-template'),
};

/** The template as a file: CSV in UTF-8 with a BOM (Excel opens it right), or .xlsx with text cells. */
export async function templateFile(
  kind: ImportEntity,
  format: TemplateFormat,
  context: TemplateContext,
): Promise<TemplateFile> {
  const table = templateTable(kind, context);
  const name = context.locale === 'en' ? FILE_NAMES[kind].en : FILE_NAMES[kind].zh;
  if (format === 'csv') {
    const text = `\uFEFF${table.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
    return {
      fileName: `${name}.csv`,
      contentType: 'text/csv; charset=utf-8',
      bytes: new TextEncoder().encode(text),
    };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(context.locale === 'en' ? 'Import' : '导入');
  const [header = [], ...rows] = table;
  // Every cell is text ('@'): phone numbers, card numbers and codes keep their digits.
  sheet.columns = header.map((title) => ({
    header: title,
    width: Math.max(12, Math.min(40, title.length * 2 + 4)),
    style: { numFmt: '@' },
  }));
  for (const row of rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return {
    fileName: `${name}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    bytes: new Uint8Array(buffer as ArrayBuffer),
  };
}

/** One CSV cell, quoted when needed. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
