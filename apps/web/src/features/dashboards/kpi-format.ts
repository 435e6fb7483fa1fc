import { type KpiDefinition, type KpiKey, kpiDefinition } from '@crm/domain';
import type { TFunction } from 'i18next';
import { formatMoney } from '../../lib/format';

export type Language = 'zh-CN' | 'en';

/** A KPI's name and definition in the UI language, from the catalogue. */
export function kpiText(key: KpiKey, language: Language): { label: string; definition: string } {
  const definition: KpiDefinition = kpiDefinition(key);
  return { label: definition.label[language], definition: definition.definition[language] };
}

/** A figure in its unit: ¥2,500.00, 66.7 %, 12 小时, 110. */
export function formatKpiValue(
  t: TFunction,
  unit: KpiDefinition['unit'],
  value: number | null,
  currency: string,
): string {
  if (value === null) return '—';
  if (unit === 'currency') return formatMoney(value.toFixed(2), currency);
  const number = value.toLocaleString(undefined, { maximumFractionDigits: 1 });
  return t(`dashboards.value.${unit}`, { value: number });
}

/** A breakdown's key as shown: a tier's name, a stage, a month, an owner, a move, a lead source or grade. */
export function segmentLabel(
  t: TFunction,
  by: string,
  key: string | null,
  label: string | null,
  tierLabel: (key: string | null) => string,
  stageLabel: (key: string | null) => string = (stage) => stage ?? '—',
): string {
  switch (by) {
    case 'source':
      return key === null ? '—' : t(`marketing.leadSources.${key as 'manual'}`, { defaultValue: key });
    case 'grade':
      return key === null ? t('dashboards.none.grade') : t('dashboards.gradeOf', { grade: key });
    case 'funnel':
      return t(`dashboards.funnel.${key as 'created'}`);
    case 'pipeline_stage':
      return stageLabel(key);
    case 'tier':
      return key === null ? t('dashboards.none.tier') : tierLabel(key);
    case 'stage':
      return key ? t(`lifecycle.${key}` as 'lifecycle.new') : '—';
    case 'owner':
      return key === null ? t('dashboards.none.owner') : (label ?? key.slice(0, 8));
    case 'move': {
      const [from = '', to = ''] = (key ?? '>').split('>');
      return `${from === '' ? t('dashboards.none.firstPlacement') : tierLabel(from)} → ${tierLabel(to)}`;
    }
    default:
      return key ?? '—';
  }
}

/** The change from an earlier figure, as text with its sign ('+3.2', '−10 %'); null without one. */
export function changeOf(
  value: number | null,
  earlier: number | null,
  unit: KpiDefinition['unit'],
  /** Percentage points in the page's language (' pp', ' 个百分点'). */
  points = ' pp',
): string | null {
  if (value === null || earlier === null) return null;
  const difference = Math.round((value - earlier) * 10) / 10;
  const sign = difference > 0 ? '+' : difference < 0 ? '−' : '±';
  const magnitude = Math.abs(difference).toLocaleString(undefined, { maximumFractionDigits: 1 });
  return unit === 'percent' ? `${sign}${magnitude}${points}` : `${sign}${magnitude}`;
}

/** A CSV file (UTF-8 with a byte-order mark, so Excel reads Chinese) downloaded by the browser. */
export function downloadCsv(fileName: string, rows: (string | number | null)[][]) {
  const quote = (cell: string | number | null) => {
    const text = cell === null ? '' : String(cell);
    // A leading = + - @ would be read as a formula by spreadsheets.
    const safe = /^[=+\-@]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
    return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const body = `\uFEFF${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
  downloadHref(fileName, URL.createObjectURL(new Blob([body], { type: 'text/csv;charset=utf-8' })), true);
}

export function downloadHref(fileName: string, href: string, revoke = false) {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  if (revoke) setTimeout(() => URL.revokeObjectURL(href), 1000);
}

export const STATUS_COLORS = { green: 'success', amber: 'warning', red: 'error' } as const;
