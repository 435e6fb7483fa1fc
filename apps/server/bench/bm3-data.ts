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
