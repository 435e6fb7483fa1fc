import { DownloadOutlined, MoreOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { type KpiKey, kpiDefinition, kpiStatus } from '@crm/domain';
import { Button, Card, Dropdown, Empty, Flex, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { EChart, type EChartHandle, type EChartOption } from './EChart';
import {
  changeOf,
  downloadCsv,
  downloadHref,
  formatKpiValue,
  kpiText,
  type Language,
  STATUS_COLORS,
  segmentLabel,
} from './kpi-format';

export type KpiFigure = RouterOutputs['dashboards']['get']['kpis'][number];

const BAR_COLORS = { green: '#52c41a', amber: '#faad14', red: '#ff4d4f' } as const;
const NEUTRAL = '#1677ff';
/** Figures whose breakdown is in the KPI's own unit, so the target line applies to each bar. */
const SAME_UNIT = new Set(['percent', 'hours', 'days', 'currency']);

type Props = {
  figure: KpiFigure;
  currency: string;
  language: Language;
  tierLabel: (key: string | null) => string;
  /** A pipeline stage's name (the tenant's pipeline). */
  stageLabel?: (key: string | null) => string;
  /** A click on the chart or on "show the customers": the breakdown's key, or undefined for all. */
  onDrill?: (key: KpiKey, segment: string | undefined) => void;
  onEditTarget?: (figure: KpiFigure) => void;
  fileStem: string;
};

/** One KPI: the figure against its target and earlier periods, its breakdown as a chart, its exports. */
export function KpiCard({
  figure,
  currency,
  language,
  tierLabel,
  stageLabel,
  onDrill,
  onEditTarget,
  fileStem,
}: Props) {
  const { t } = useTranslation();
  const chart = useRef<EChartHandle>(null);
  const definition = kpiDefinition(figure.key);
  const { label, definition: help } = kpiText(figure.key, language);
  const format = (value: number | null) => formatKpiValue(t, figure.unit, value, currency);
  const labelOf = (key: string | null, ownerName: string | null) =>
    segmentLabel(t, figure.breakdownBy, key, ownerName, tierLabel, stageLabel);
  // A trend per tier: the categories are the months, a line for all and one per tier.
  const trend = useMemo(() => {
    if (!figure.seriesBy) return null;
    const months = [...new Set(figure.breakdown.map((entry) => entry.key))];
    const lines = [...new Set(figure.breakdown.map((entry) => entry.series))].sort((a, b) =>
      a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1,
    );
    return { months, lines };
  }, [figure]);
  const categories = trend
    ? trend.months.map((key) => labelOf(key, null))
    : figure.breakdown.map((entry) => labelOf(entry.key, entry.label));
  const lineName = (series: string | null) =>
    series === null ? t('dashboards.series.all') : tierLabel(series === '' ? null : series);

  const option = useMemo<EChartOption>(() => {
    const horizontal = figure.breakdownBy === 'owner' || figure.breakdownBy === 'move';
    const line = figure.breakdownBy === 'month';
    const withTarget =
      figure.target !== null && (SAME_UNIT.has(figure.unit) || figure.key === 'customers_per_rep');
    const data = figure.breakdown.map((entry) => {
      const status = withTarget ? kpiStatus(entry.value, figure.target, figure.better) : null;
      return { value: entry.value, itemStyle: { color: status ? BAR_COLORS[status] : NEUTRAL } };
    });
    const categoryAxis = {
      type: 'category',
      data: categories,
      axisLabel: { interval: 0, hideOverlap: true, width: horizontal ? 90 : 72, overflow: 'truncate' },
      inverse: horizontal,
    };
    const valueAxis = { type: 'value', splitLine: { lineStyle: { type: 'dashed' } } };
    const markLine = withTarget
      ? {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#8c8c8c', type: 'dashed' },
          label: {
            formatter: t('dashboards.target', { value: format(figure.target) }),
            position: 'insideEndTop',
          },
          data: [horizontal ? { xAxis: figure.target } : { yAxis: figure.target }],
        }
      : undefined;
    const series = trend
      ? trend.lines.map((lineKey, index) => ({
          name: lineName(lineKey),
          type: 'line',
          connectNulls: true,
          data: trend.months.map(
            (month) =>
              figure.breakdown.find((entry) => entry.key === month && entry.series === lineKey)?.value ??
              null,
          ),
          lineStyle: lineKey === null ? { color: NEUTRAL, width: 3 } : { width: 1.5 },
          itemStyle: lineKey === null ? { color: NEUTRAL } : undefined,
          markLine: index === 0 ? markLine : undefined,
        }))
      : [
          {
            name: t('dashboards.series.value'),
            type: line ? 'line' : 'bar',
            data,
            barMaxWidth: 36,
            smooth: line,
            itemStyle: line ? { color: NEUTRAL } : undefined,
            lineStyle: line ? { color: NEUTRAL, width: 2 } : undefined,
            markLine,
          },
        ];
    return {
      grid: { left: 8, right: 24, top: trend ? 36 : 24, bottom: 8, containLabel: true },
      legend: trend ? { top: 0, type: 'scroll', textStyle: { fontSize: 11 } } : undefined,
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value: unknown) => (typeof value === 'number' ? format(value) : '—'),
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series,
    };
  }, [figure, trend, categories.join('|'), language]);

  const status = figure.status;
  const comparisons = [
    [
      t('dashboards.previous'),
      changeOf(figure.value, figure.previous, figure.unit, t('dashboards.percentPoints')),
    ],
    [
      t('dashboards.lastYear'),
      changeOf(figure.value, figure.lastYear, figure.unit, t('dashboards.percentPoints')),
    ],
  ].filter((entry): entry is [string, string] => entry[1] !== null);

  const exportCsv = () =>
    downloadCsv(
      `${fileStem}-${figure.key}.csv`,
      figure.seriesBy
        ? [
            [
              t('dashboards.csv.segment'),
              t('dashboards.csv.series'),
              t('dashboards.csv.value'),
              t('dashboards.csv.count'),
            ],
            ...figure.breakdown.map((entry) => [
              labelOf(entry.key, null),
              lineName(entry.series),
              entry.value,
              entry.count,
            ]),
            [label, t('dashboards.series.all'), figure.value, figure.count],
          ]
        : [
            [t('dashboards.csv.segment'), t('dashboards.csv.value'), t('dashboards.csv.count')],
            ...figure.breakdown.map((entry, index) => [categories[index] ?? '', entry.value, entry.count]),
            [label, figure.value, figure.count],
          ],
    );
  const exportPng = () => {
    const url = chart.current?.pngDataUrl();
    if (url) downloadHref(`${fileStem}-${figure.key}.png`, url);
  };
  const drillable = onDrill !== undefined && definition.drill !== null && figure.available;
  const drillText =
    definition.drill === 'tasks'
      ? t('dashboards.drillTasks')
      : definition.drill === 'tickets'
        ? t('dashboards.drillTickets')
        : definition.drill === 'leads'
          ? t('dashboards.drillLeads')
          : definition.drill === 'opportunities'
            ? t('dashboards.drillOpportunities')
            : t('dashboards.drill');

  return (
    <Card
      size="small"
      data-testid={`kpi-${figure.key}`}
      title={
        <Flex gap={6} align="center">
          <span>{label}</span>
          <Tooltip title={`${t('dashboards.definition')}：${help}`}>
            <QuestionCircleOutlined style={{ color: '#8c8c8c' }} aria-label={t('dashboards.definition')} />
          </Tooltip>
        </Flex>
      }
      extra={
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              ...(drillable ? [{ key: 'drill', label: drillText }] : []),
              {
                key: 'csv',
                label: t('dashboards.exportCsv'),
                icon: <DownloadOutlined />,
                disabled: !figure.available,
              },
              {
                key: 'png',
                label: t('dashboards.exportPng'),
                icon: <DownloadOutlined />,
                disabled: figure.breakdown.length === 0,
              },
              ...(onEditTarget ? [{ key: 'target', label: t('dashboards.targets.edit') }] : []),
            ],
            onClick: ({ key }) => {
              if (key === 'drill') onDrill?.(figure.key, undefined);
              if (key === 'csv') exportCsv();
              if (key === 'png') exportPng();
              if (key === 'target') onEditTarget?.(figure);
            },
          }}
        >
          <Button
            type="text"
            size="small"
            icon={<MoreOutlined />}
            aria-label={label}
            data-testid={`kpi-menu-${figure.key}`}
          />
        </Dropdown>
      }
    >
      <Flex align="baseline" gap={8} wrap>
        <Typography.Text
          strong
          style={{ fontSize: 26, lineHeight: 1.2, cursor: drillable ? 'pointer' : undefined }}
          data-testid={`kpi-value-${figure.key}`}
          onClick={drillable ? () => onDrill?.(figure.key, undefined) : undefined}
        >
          {figure.available ? format(figure.value) : '—'}
        </Typography.Text>
        {status ? <Tag color={STATUS_COLORS[status]}>{t(`dashboards.status.${status}`)}</Tag> : null}
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', minHeight: 20 }}>
        {figure.target === null
          ? t('dashboards.noTarget')
          : t('dashboards.target', { value: format(figure.target) })}
        {comparisons.map(([name, change]) => ` · ${name} ${change}`).join('')}
        {figure.filtered
          ? ''
          : ` · ${definition.source === 'tickets' ? t('dashboards.notFiltered') : t('dashboards.notFilteredByTier')}`}
      </Typography.Text>
      {!figure.available ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('dashboards.unavailable')}
          style={{ height: 200 }}
        />
      ) : figure.breakdown.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={definition.snapshot ? t('dashboards.noDataNow') : t('dashboards.noData')}
          style={{ height: 200 }}
        />
      ) : (
        <EChart
          ref={chart}
          option={option}
          height={220}
          data-testid={`kpi-chart-${figure.key}`}
          onClickIndex={
            drillable
              ? (index, seriesIndex) => {
                  if (trend) {
                    // A point of a tier's line: 'month|tier'; of the line of all: the month.
                    const month = trend.months[index];
                    const lineKey = trend.lines[seriesIndex];
                    if (month === undefined || lineKey === undefined) return;
                    onDrill?.(figure.key, lineKey === null ? (month ?? '') : `${month ?? ''}|${lineKey}`);
                    return;
                  }
                  const entry = figure.breakdown[index];
                  if (entry) onDrill?.(figure.key, entry.key ?? '');
                }
              : undefined
          }
        />
      )}
    </Card>
  );
}
