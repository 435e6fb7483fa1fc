/**
 * BM3's data: `rows` customers written twice from the same generator, in one pass, to temp
 * files — the file a user would import (UTF-8 CSV with the forms Chinese spreadsheets hold:
 * 企业/个人, phones with spaces or full-width digits, dates as 2015年3月8日 or 2015/3/8,
 * amounts as 12.5万元 or ￥1,234.50, tags, an address, a primary contact), and the same rows in
 * PostgreSQL's own CSV form for the customers columns (what the bare COPY loads).
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

const CITIES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '南京',
  '成都',
  '武汉',
  '西安',
  '苏州',
  '天津',
  '重庆',
  '长沙',
  '郑州',
  '青岛',
  '宁波',
  '厦门',
  '合肥',
  '济南',
  '福州',
];
/** Distinct characters: two customers' pairs of them never coincide. */
const WORDS = [
  ...new Set(
    '瑞丰华信恒达鼎盛博远嘉禾正泰天合金源宏图卓越汇通新元中科联创同方永安康润德启明腾飞东海纳凯旋星辰珠蓝长青万',
  ),
];
const INDUSTRIES = [
  '科技',
  '贸易',
  '实业',
  '电子',
  '医药',
  '食品',
  '物流',
  '建材',
  '服装',
  '餐饮管理',
  '信息技术',
  '新能源',
  '环保',
  '文化传播',
  '机械制造',
];
const SUFFIXES = ['有限公司', '股份有限公司', '有限责任公司'];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红文辉鹏飞宇浩然欣怡子涵梓轩思雨佳琪晨阳'.split(
    '',
  );
const INDUSTRY_LABELS = [
  '制造业',
  '批发零售',
  '信息技术',
  '金融',
  '医疗健康',
  '教育',
  '餐饮',
  '物流',
  '房地产',
  '能源',
];
const TAGS = [
  '重点客户',
  '价格敏感',
  '华东',
  '华北',
  '华南',
  '展会获客',
  '老客户',
  '待回访',
  '高潜力',
  '渠道',
];
const NEEDS = [
  '希望年底前完成设备更新，预算已批，关注交付周期和售后响应速度',
  '计划扩大华东区域门店，需要统一的会员管理和积分方案',
  '对价格较敏感，倾向分期付款，要求提供三家以上报价对比',
  '现有系统老旧，想把客户资料和订单数据迁移到新平台',
  '关注数据安全与合规，需要私有化部署和等保三级材料',
];
const STREETS = [
  '中山路',
  '人民路',
  '解放路',
  '建设路',
  '和平路',
  '长江路',
  '科技园路',
  '滨江大道',
  '文三路',
  '南京西路',
];
const FULL_WIDTH = (text: string) =>
  text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));

/** A small deterministic PRNG: the same rows every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export const IMPORT_HEADER = [
  '客户名称',
  '客户类型',
  '客户编号',
  '手机',
  '邮箱',
  '行业',
  '成立日期',
  '计划采购金额',
  '标签',
  '地址',
  '联系人',
  '联系人电话',
  '需求',
];
export const IMPORT_MAPPING: Record<string, string> = {
  客户名称: 'name',
  客户类型: 'kind',
  客户编号: 'customer_number',
  手机: 'phone',
  邮箱: 'email',
  行业: 'industry',
  成立日期: 'founded_on',
  计划采购金额: 'purchase_plan_amount',
  标签: 'tags',
  地址: 'address',
  联系人: 'contact.name',
  联系人电话: 'contact.phone',
  需求: 'explicit_needs',
};
/** The customers columns the bare COPY loads (tenant_id first). */
export const COPY_COLUMNS = [
  'tenant_id',
  'name',
  'kind',
  'customer_number',
  'phone',
  'email',
  'industry',
  'founded_on',
  'purchase_plan_amount',
  'addresses',
  'explicit_needs',
];

async function write(stream: WriteStream, text: string) {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Writes both files; returns their sizes. */
export async function writeBm3Files(
  rows: number,
  importPath: string,
  copyPath: string,
  tenantId: string,
): Promise<{ importBytes: number; copyBytes: number }> {
  const next = random(20261122);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const importFile = createWriteStream(importPath);
  const copyFile = createWriteStream(copyPath);
  await write(importFile, `${IMPORT_HEADER.join(',')}\r\n`);
  let importBuffer = '';
  let copyBuffer = '';
  for (let i = 0; i < rows; i += 1) {
    const company = i % 3 !== 2;
    // Company names are unique by construction (i picks the word pair, city and industry).
    const word = `${WORDS[i % WORDS.length]}${WORDS[Math.floor(i / WORDS.length) % WORDS.length]}`;
    const rest = Math.floor(i / (WORDS.length * WORDS.length));
    const city = CITIES[rest % CITIES.length] as string;
    const industry = INDUSTRIES[Math.floor(rest / CITIES.length) % INDUSTRIES.length] as string;
    const series = Math.floor(rest / (CITIES.length * INDUSTRIES.length));
    const name = company
      ? `${city}${word}${industry}${series > 0 ? `${series}号` : ''}${pick(SUFFIXES)}`
      : `${pick(SURNAMES)}${pick(GIVEN)}${next() < 0.5 ? pick(GIVEN) : ''}`;
    const number = `KH${String(i + 1).padStart(8, '0')}`;
    const mobile = `1${3 + Math.floor(next() * 7)}${String(i).padStart(9, '0')}`;
    const phoneShown =
      next() < 0.1
        ? FULL_WIDTH(mobile)
        : next() < 0.3
          ? `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`
          : mobile;
    const email = `c${i + 1}@${company ? 'corp' : 'mail'}${i % 97}.example.cn`;
    const emailShown = next() < 0.2 ? email.toUpperCase() : email;
    const industryLabel = pick(INDUSTRY_LABELS);
    const year = 1990 + Math.floor(next() * 34);
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const form = next();
    const dateShown =
      form < 0.4 ? `${year}年${month}月${day}日` : form < 0.7 ? `${year}/${month}/${day}` : iso;
    const cents = Math.floor(next() * 50_000_000);
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const amountForm = next();
    let amountShown: string;
    let amountStored: string;
    if (amountForm < 0.3 && cents % 100_000 === 0) {
      amountShown = `${cents / 1_000_000}万元`;
      amountStored = amount;
    } else if (amountForm < 0.6) {
      amountShown = `￥${Number(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      amountStored = amount;
    } else {
      amountShown = amount;
      amountStored = amount;
    }
    const tags = next() < 0.3 ? [pick(TAGS), ...(next() < 0.3 ? [pick(TAGS)] : [])] : [];
    const street = `${city}市${pick(STREETS)}${1 + Math.floor(next() * 999)}号`;
    const contact = company ? `${pick(SURNAMES)}${pick(GIVEN)}` : '';
    const contactPhone = company ? `1${5 + Math.floor(next() * 4)}${String(rows + i).padStart(9, '0')}` : '';
    const needs = next() < 0.6 ? pick(NEEDS) : '';
    importBuffer += `${[
      name,
      company ? '企业' : '个人',
      number,
      phoneShown,
      emailShown,
      industryLabel,
      dateShown,
      amountShown,
      [...new Set(tags)].join('、'),
      street,
      contact,
      contactPhone,
      needs,
    ]
      .map(csvCell)
      .join(',')}\r\n`;
    copyBuffer += `${[
      tenantId,
      name,
      company ? 'company' : 'person',
      number,
      mobile,
      email,
      industryLabel,
      iso,
      amountStored,
      JSON.stringify([{ street }]),
      needs,
    ]
      .map(csvCell)
      .join(',')}\n`;
    if (importBuffer.length > 1 << 20) {
      await write(importFile, importBuffer);
      await write(copyFile, copyBuffer);
      importBuffer = '';
      copyBuffer = '';
    }
  }
  await write(importFile, importBuffer);
  await write(copyFile, copyBuffer);
  importFile.end();
  copyFile.end();
  await Promise.all([once(importFile, 'finish'), once(copyFile, 'finish')]);
  return { importBytes: importFile.bytesWritten, copyBytes: copyFile.bytesWritten };
}

// ---------------------------------------------------------------------------------------------
// Orders (with lines) and interactions of the customers BM3 imported (KH00000001 …)

const PRODUCTS = [
  '工业传感器',
  '数控机床配件',
  '办公耗材套装',
  '服务器内存条',
  '不锈钢管材',
  '医用防护口罩',
  '有机绿茶礼盒',
  '冷链物流服务',
  '企业版软件授权',
  '年度维保服务',
  '节能变频器',
  '包装纸箱',
  '液压油缸',
  'LED 照明灯具',
  '员工培训课程',
];
/** Payment methods as an exported file shows them, with the stored value. */
const PAYMENTS: [string, string][] = [
  ['对公转账', 'bank_transfer'],
  ['支付宝', 'alipay'],
  ['微信支付', 'wechat_pay'],
  ['刷卡', 'card'],
  ['现金', 'cash'],
  ['月结', 'credit'],
];
const ORDER_STATUSES: [string, string][] = [
  ['已完成', 'completed'],
  ['已完成', 'completed'],
  ['已完成', 'completed'],
  ['已完成', 'completed'],
  ['已完成', 'completed'],
  ['已完成', 'completed'],
  ['已完成', 'completed'],
  ['待付款', 'pending'],
  ['已退款', 'refunded'],
  ['已作废', 'void'],
];
const INTERACTION_KINDS: [string, string][] = [
  ['电话', 'call'],
  ['拜访', 'visit'],
  ['微信', 'message'],
  ['邮件', 'email'],
  ['会议', 'meeting'],
  ['展会', 'event'],
];
const SUMMARIES = [
  '电话沟通年度采购计划，客户确认预算在审批中',
  '上门拜访采购部，演示新产品并留下样品',
  '微信发送报价单，客户反馈价格偏高希望再谈',
  '邮件确认合同条款，法务还在审核付款方式',
  '季度业务回顾会议，讨论续约和扩容',
  '展会现场交流，客户对节能方案感兴趣',
  '回访上次订单的交付情况，客户满意',
  '客户投诉发货延迟，已协调物流加急处理',
];
const OUTCOMES = ['客户同意下周给出答复', '需要补充技术资料', '已发送报价', '', '', ''];
const NEXT_STEPS = ['发送正式报价', '安排技术交流', '跟进合同审批', '预约下次拜访'];
const SENTIMENTS: [string, string][] = [
  ['', 'neutral'],
  ['', 'neutral'],
  ['中性', 'neutral'],
  ['满意', 'praise'],
  ['投诉', 'complaint'],
];

export const ORDER_IMPORT_HEADER = [
  '订单号',
  '客户编号',
  '下单时间',
  '订单金额',
  '支付方式',
  '订单状态',
  '产品',
  '数量',
  '单价',
];
export const ORDER_IMPORT_MAPPING: Record<string, string> = {
  订单号: 'order_number',
  客户编号: 'customer.number',
  下单时间: 'ordered_at',
  订单金额: 'amount',
  支付方式: 'payment_method',
  订单状态: 'status',
  产品: 'line.product',
  数量: 'line.quantity',
  单价: 'line.unit_price',
};
/** The orders columns the bare COPY loads. */
export const ORDER_COPY_COLUMNS = [
  'tenant_id',
  'id',
  'customer_id',
  'order_number',
  'ordered_at',
  'currency',
  'amount',
  'payment_method',
  'status',
  'created_by',
];
export const ORDER_LINE_COPY_COLUMNS = [
  'tenant_id',
  'order_id',
  'line_no',
  'product',
  'quantity',
  'unit_price',
];

export const INTERACTION_IMPORT_HEADER = [
  '客户编号',
  '互动方式',
  '互动时间',
  '内容摘要',
  '结果',
  '下一步',
  '客户态度',
];
export const INTERACTION_IMPORT_MAPPING: Record<string, string> = {
  客户编号: 'customer.number',
  互动方式: 'kind',
  互动时间: 'occurred_at',
  内容摘要: 'summary',
  结果: 'outcome',
  下一步: 'next_step',
  客户态度: 'sentiment',
};
/** The interactions columns the bare COPY loads (the id is the table's default, as on import). */
export const INTERACTION_COPY_COLUMNS = [
  'tenant_id',
  'customer_id',
  'kind',
  'occurred_at',
  'user_id',
  'summary',
  'outcome',
  'next_step',
  'sentiment',
];

/**
 * The ids of the customers BM3 imported, by their number (KH00000001 is index 0): 16 bytes
 * each, so a million take 16 MB.
 */
export class CustomerIds {
  readonly bytes: Buffer;
  constructor(readonly count: number) {
    this.bytes = Buffer.alloc(count * 16);
  }
  set(number: string, id: string) {
    const index = Number(number.slice(2)) - 1;
    if (!(index >= 0 && index < this.count)) throw new Error(`unexpected customer number ${number}`);
    this.bytes.write(id.replaceAll('-', ''), index * 16, 16, 'hex');
  }
  get(index: number): string {
    const hex = this.bytes.toString('hex', index * 16, index * 16 + 16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

const customerNumber = (index: number) => `KH${String(index + 1).padStart(8, '0')}`;
const two = (value: number) => String(value).padStart(2, '0');
/** 2023-06-01 00:00 Beijing time; orders and interactions spread over the 3.5 years after it. */
const HISTORY_START = Date.UTC(2023, 4, 31, 16, 0, 0);
const HISTORY_MS = 3.5 * 365 * 24 * 3600 * 1000;

/** A Beijing time as a spreadsheet shows it (three forms) and as PostgreSQL reads it. */
function beijingTime(millis: number, form: number): { shown: string; stored: string } {
  const at = new Date(millis + 8 * 3600 * 1000);
  const [y, m, d, h, min] = [
    at.getUTCFullYear(),
    at.getUTCMonth() + 1,
    at.getUTCDate(),
    at.getUTCHours(),
    at.getUTCMinutes(),
  ];
  const stored = `${y}-${two(m)}-${two(d)} ${two(h)}:${two(min)}:00+08`;
  const shown =
    form < 0.4
      ? `${y}-${two(m)}-${two(d)} ${two(h)}:${two(min)}:00`
      : form < 0.7
        ? `${y}/${m}/${d} ${two(h)}:${two(min)}`
        : `${y}年${m}月${d}日 ${two(h)}:${two(min)}`;
  return { shown, stored };
}

const yuan = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** Buffered writing of several files at once (1 MB a flush). */
function writers(paths: string[]) {
  const streams = paths.map((path) => createWriteStream(path));
  const buffers = paths.map(() => '');
  return {
    async add(index: number, text: string) {
      buffers[index] += text;
      if ((buffers[index] as string).length > 1 << 20) {
        await write(streams[index] as WriteStream, buffers[index] as string);
        buffers[index] = '';
      }
    },
    async end(): Promise<number[]> {
      for (const [index, stream] of streams.entries()) await write(stream, buffers[index] as string);
      // Listening before ending: a stream may finish while another one drains.
      const finished = streams.map((stream) => once(stream, 'finish'));
      for (const stream of streams) stream.end();
      await Promise.all(finished);
      return streams.map((stream) => stream.bytesWritten);
    },
  };
}

/**
 * `lines` order lines (1 to 4 per order, in time order as another system exports them, each
 * order of a random imported customer) written as the file a user imports — one row per line,
 * the order's number, customer number, time, amount (the sum of its lines), payment and status
 * repeated on each — and in PostgreSQL's CSV form for `orders` and `order_lines`.
 */
export async function writeOrderFiles(
  lines: number,
  customers: CustomerIds,
  paths: { importPath: string; ordersPath: string; linesPath: string },
  tenantId: string,
  userId: string,
): Promise<{ importBytes: number; copyBytes: number; orders: number }> {
  const next = random(20261207);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const out = writers([paths.importPath, paths.ordersPath, paths.linesPath]);
  await out.add(0, `${ORDER_IMPORT_HEADER.join(',')}\r\n`);
  let written = 0;
  let orders = 0;
  while (written < lines) {
    const count = Math.min(lines - written, 1 + Math.floor(next() * 4));
    const customer = Math.floor(next() * customers.count);
    const orderNumber = `SO${String(orders + 1).padStart(9, '0')}`;
    const at = beijingTime(HISTORY_START + Math.floor(((written + next()) / lines) * HISTORY_MS), next());
    const [paymentShown, payment] = pick(PAYMENTS);
    const [statusShown, status] = pick(ORDER_STATUSES);
    const items: { product: string; quantity: number; cents: number }[] = [];
    for (let line = 0; line < count; line += 1)
      items.push({
        product: pick(PRODUCTS),
        quantity: 1 + Math.floor(next() * 20),
        cents: 100 * (10 + Math.floor(next() * 5000)),
      });
    const total = items.reduce((sum, item) => sum + item.quantity * item.cents, 0);
    const amountShown =
      next() < 0.4 ? `￥${(total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}` : yuan(total);
    const id = crypto.randomUUID();
    await out.add(
      1,
      `${[tenantId, id, customers.get(customer), orderNumber, at.stored, 'CNY', yuan(total), payment, status, userId].join(',')}\n`,
    );
    for (const [index, item] of items.entries()) {
      await out.add(
        0,
        `${[
          orderNumber,
          customerNumber(customer),
          at.shown,
          amountShown,
          paymentShown,
          statusShown,
          item.product,
          String(item.quantity),
          yuan(item.cents),
        ]
          .map(csvCell)
          .join(',')}\r\n`,
      );
      await out.add(
        2,
        `${[tenantId, id, index + 1, csvCell(item.product), item.quantity, yuan(item.cents)].join(',')}\n`,
      );
    }
    written += count;
    orders += 1;
  }
  const [importBytes = 0, ordersBytes = 0, linesBytes = 0] = await out.end();
  return { importBytes, copyBytes: ordersBytes + linesBytes, orders };
}

/**
 * `rows` interactions (calls, visits, messages … of random imported customers, in time order;
 * a third with a 下一步 without a date, so no task follows) as the file a user imports and in
 * PostgreSQL's CSV form for `interactions`.
 */
export async function writeInteractionFiles(
  rows: number,
  customers: CustomerIds,
  paths: { importPath: string; copyPath: string },
  tenantId: string,
  userId: string,
): Promise<{ importBytes: number; copyBytes: number }> {
  const next = random(20261208);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const out = writers([paths.importPath, paths.copyPath]);
  await out.add(0, `${INTERACTION_IMPORT_HEADER.join(',')}\r\n`);
  for (let i = 0; i < rows; i += 1) {
    const customer = Math.floor(next() * customers.count);
    const at = beijingTime(HISTORY_START + Math.floor(((i + next()) / rows) * HISTORY_MS), next());
    const [kindShown, kind] = pick(INTERACTION_KINDS);
    const summary = pick(SUMMARIES);
    const outcome = pick(OUTCOMES);
    const nextStep = next() < 0.3 ? pick(NEXT_STEPS) : '';
    const [sentimentShown, sentiment] = pick(SENTIMENTS);
    await out.add(
      0,
      `${[customerNumber(customer), kindShown, at.shown, summary, outcome, nextStep, sentimentShown].map(csvCell).join(',')}\r\n`,
    );
    await out.add(
      1,
      `${[tenantId, customers.get(customer), kind, at.stored, userId, summary, outcome, nextStep, sentiment].map(csvCell).join(',')}\n`,
    );
  }
  const [importBytes = 0, copyBytes = 0] = await out.end();
  return { importBytes, copyBytes };
}
