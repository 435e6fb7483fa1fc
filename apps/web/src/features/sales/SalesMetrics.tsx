import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Card,
  Col,
  DatePicker,
  Flex,
  Row,
  Segmented,
  Skeleton,
  Statistic,
  Table,
  Tabs,
  Tooltip,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatMoney } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { PERIOD_PRESETS, type Period, presetOf, presetPeriod } from '../dashboards/periods';
import { usePipeline } from '../opportunities/pipeline-labels';

type Metrics = RouterOutputs['sales']['metrics'];
type Conversion = Metrics['leadConversion']['total'];

const percent = (value: number | null) => (value === null ? '—' : `${value}%`);

/** Business minutes as hours (one decimal) — how the follow-up limits are written. */
const hours = (minutes: number | null) => (minutes === null ? '—' : `${Math.round(minutes / 6) / 10}`);

/**
 * 销售指标: the sales metrics of a period over the leads and deals the member sees — lead
 * conversion, time to first contact against the grade's limit, win rate, the average won deal,
 * the sales cycle, the open pipeline and stage conversion, lost reasons and each rep's results.
 * The period lives in the page's URL (`from`, `to`).
 */
export function SalesMetrics({ period, onPeriod }: { period: Period; onPeriod: (period: Period) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { stageLabel, reasonLabel } = usePipeline();
  const metrics = useQuery({
    ...trpc.sales.metrics.queryOptions(period),
    placeholderData: keepPreviousData,
  });
  const preset = presetOf(period);
  const data = metrics.data;
  const money = (value: number | null) => (value === null || !data ? '—' : formatMoney(value, data.currency));

  const conversionColumns = (keyTitle: string, label: (row: Conversion) => string) => [
    { title: keyTitle, key: 'key', render: (_: unknown, row: Conversion) => label(row) },
    { title: t('sales.leads'), dataIndex: 'leads', key: 'leads', align: 'right' as const },
    { title: t('sales.converted'), dataIndex: 'converted', key: 'converted', align: 'right' as const },
    {
      title: t('sales.conversionRate'),
      key: 'rate',
      align: 'right' as const,
      render: (_: unknown, row: Conversion) => percent(row.rate),
    },
  ];

  return (
    <div data-testid="sales-metrics">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented
          value={preset ?? ''}
          onChange={(value) => onPeriod(presetPeriod(value as (typeof PERIOD_PRESETS)[number]))}
          options={PERIOD_PRESETS.map((key) => ({ value: key, label: t(`dashboards.period.${key}`) }))}
          aria-label={t('dashboards.periodLabel')}
        />
        <DatePicker.RangePicker
          aria-label={t('dashboards.period.label')}
          allowClear={false}
          value={[dayjs(period.from), dayjs(period.to).subtract(1, 'day')]}
          onChange={(range) => {
            const [start, end] = range ?? [];
            if (start && end)
              onPeriod({ from: start.format('YYYY-MM-DD'), to: end.add(1, 'day').format('YYYY-MM-DD') });
          }}
        />
      </Flex>
      {metrics.isError ? <Alert type="error" showIcon message={metrics.error.message} /> : null}
      {!data ? (
        <Skeleton active />
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {[
              {
                key: 'conversion',
                title: t('sales.leadConversion'),
                help: t('sales.help.leadConversion'),
                value: percent(data.leadConversion.total.rate),
                note: t('sales.ofLeads', {
                  converted: data.leadConversion.total.converted,
                  count: data.leadConversion.total.leads,
                }),
              },
              {
                key: 'highValue',
                title: t('sales.highValueConversion', { grade: data.leadConversion.highValue?.key ?? 'A' }),
                help: t('sales.help.highValue'),
                value: percent(data.leadConversion.highValue?.rate ?? null),
                note: t('sales.ofLeads', {
                  converted: data.leadConversion.highValue?.converted ?? 0,
                  count: data.leadConversion.highValue?.leads ?? 0,
                }),
              },
              {
                key: 'firstContact',
                title: t('sales.firstContactOnTime'),
                help: t('sales.help.firstContact'),
                value: percent(data.firstContact.total.withinSlaRate),
                note: t('sales.medianHours', { hours: hours(data.firstContact.total.medianMinutes) }),
              },
              {
                key: 'winRate',
                title: t('sales.winRate'),
                help: t('sales.help.winRate'),
                value: percent(data.deals.winRate),
                note: t('sales.wonLost', { won: data.deals.won, lost: data.deals.lost }),
              },
              {
                key: 'wonAmount',
                title: t('sales.wonAmount'),
                help: t('sales.help.wonAmount'),
                value: money(data.deals.wonAmount),
                note: t('sales.averageWon', { amount: money(data.deals.averageWonAmount) }),
              },
              {
                key: 'cycle',
                title: t('sales.salesCycle'),
                help: t('sales.help.salesCycle'),
                value:
                  data.deals.salesCycleDays === null
                    ? '—'
                    : t('sales.days', { count: data.deals.salesCycleDays }),
                note:
                  data.deals.salesCycleMedianDays === null
                    ? '—'
                    : t('sales.medianDays', { count: data.deals.salesCycleMedianDays }),
              },
            ].map((card) => (
              <Col key={card.key} xs={12} md={8} xl={4}>
                <Card size="small" data-testid={`sales-card-${card.key}`}>
                  <Tooltip title={card.help}>
                    <Statistic title={card.title} value={card.value} />
                  </Tooltip>
                  <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{card.note}</div>
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('sales.pipelineTitle')} extra={t('sales.pipelineNote')}>
                <Table
                  size="small"
                  rowKey="stage"
                  pagination={false}
                  dataSource={data.pipeline.map((row) => ({
                    ...row,
                    conversion: data.stageConversion.find((entry) => entry.stage === row.stage),
                  }))}
                  columns={[
                    {
                      title: t('opportunities.stage'),
                      key: 'stage',
                      render: (_, row) => stageLabel(row.stage),
                    },
                    { title: t('sales.deals'), dataIndex: 'deals', key: 'deals', align: 'right' },
                    {
                      title: t('sales.amount'),
                      key: 'amount',
                      align: 'right',
                      render: (_, row) => money(row.amount),
                    },
                    {
                      title: t('sales.weightedAmount'),
                      key: 'weighted',
                      align: 'right',
                      render: (_, row) => money(row.weightedAmount),
                    },
                    {
                      title: (
                        <Tooltip title={t('sales.help.stageConversion')}>
                          {t('sales.stageConversion')}
                        </Tooltip>
                      ),
                      key: 'conversion',
                      align: 'right',
                      render: (_, row) =>
                        row.conversion
                          ? t('sales.rateOf', {
                              rate: percent(row.conversion.rate),
                              part: row.conversion.movedOn,
                              whole: row.conversion.reached,
                            })
                          : '—',
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('sales.leadConversionTitle')}>
                <Tabs
                  size="small"
                  items={[
                    {
                      key: 'source',
                      label: t('sales.bySource'),
                      children: (
                        <Table
                          size="small"
                          rowKey={(row) => row.key ?? ''}
                          pagination={false}
                          dataSource={data.leadConversion.bySource}
                          columns={conversionColumns(t('leads.source'), (row) =>
                            row.key
                              ? t(`marketing.leadSources.${row.key}` as 'marketing.leadSources.manual')
                              : '—',
                          )}
                        />
                      ),
                    },
                    {
                      key: 'grade',
                      label: t('sales.byGrade'),
                      children: (
                        <Table
                          size="small"
                          rowKey={(row) => row.key ?? ''}
                          pagination={false}
                          dataSource={data.leadConversion.byGrade}
                          columns={conversionColumns(
                            t('leads.grade'),
                            (row) => row.key ?? t('sales.noGrade'),
                          )}
                        />
                      ),
                    },
                    {
                      key: 'month',
                      label: t('sales.byMonth'),
                      children: (
                        <Table
                          size="small"
                          rowKey={(row) => row.key ?? ''}
                          pagination={false}
                          dataSource={data.leadConversion.byMonth}
                          columns={conversionColumns(t('sales.month'), (row) => row.key ?? '—')}
                        />
                      ),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('sales.firstContactTitle')}>
                <Table
                  size="small"
                  rowKey={(row) => row.grade ?? ''}
                  pagination={false}
                  dataSource={data.firstContact.byGrade}
                  columns={[
                    {
                      title: t('leads.grade'),
                      key: 'grade',
                      render: (_, row) => row.grade ?? t('sales.noGrade'),
                    },
                    {
                      title: t('sales.slaHours'),
                      key: 'sla',
                      align: 'right',
                      render: (_, row) => (row.slaHours === null ? '—' : row.slaHours),
                    },
                    { title: t('sales.leads'), dataIndex: 'leads', key: 'leads', align: 'right' },
                    { title: t('sales.contacted'), dataIndex: 'contacted', key: 'contacted', align: 'right' },
                    {
                      title: t('sales.withinSla'),
                      key: 'within',
                      align: 'right',
                      render: (_, row) => percent(row.withinSlaRate),
                    },
                    { title: t('sales.breached'), dataIndex: 'breached', key: 'breached', align: 'right' },
                    {
                      title: t('sales.medianFirstContact'),
                      key: 'median',
                      align: 'right',
                      render: (_, row) => hours(row.medianMinutes),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('sales.lostReasonsTitle')}>
                <Table
                  size="small"
                  rowKey="reason"
                  pagination={false}
                  locale={{ emptyText: t('sales.noLost') }}
                  dataSource={data.lostReasons}
                  columns={[
                    {
                      title: t('opportunities.lostReason'),
                      key: 'reason',
                      render: (_, row) => reasonLabel(row.reason),
                    },
                    { title: t('sales.deals'), dataIndex: 'deals', key: 'deals', align: 'right' },
                    {
                      title: t('sales.amount'),
                      key: 'amount',
                      align: 'right',
                      render: (_, row) => money(row.amount),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col span={24}>
              <Card size="small" title={t('sales.repsTitle')}>
                <Table
                  size="small"
                  rowKey={(row) => row.userId ?? ''}
                  pagination={false}
                  scroll={{ x: 800 }}
                  dataSource={data.reps}
                  data-testid="sales-reps"
                  columns={[
                    {
                      title: t('opportunities.owner'),
                      key: 'name',
                      render: (_, row) => row.name ?? t('leads.unassigned'),
                    },
                    { title: t('sales.leads'), dataIndex: 'leads', key: 'leads', align: 'right' },
                    {
                      title: t('sales.conversionRate'),
                      key: 'conversion',
                      align: 'right',
                      render: (_, row) => percent(row.conversionRate),
                    },
                    { title: t('sales.won'), dataIndex: 'won', key: 'won', align: 'right' },
                    { title: t('sales.lost'), dataIndex: 'lost', key: 'lost', align: 'right' },
                    {
                      title: t('sales.winRate'),
                      key: 'winRate',
                      align: 'right',
                      render: (_, row) => percent(row.winRate),
                    },
                    {
                      title: t('sales.wonAmount'),
                      key: 'wonAmount',
                      align: 'right',
                      render: (_, row) => money(row.wonAmount),
                    },
                    {
                      title: t('sales.openPipeline'),
                      key: 'open',
                      align: 'right',
                      render: (_, row) =>
                        t('sales.amountOf', { amount: money(row.openAmount), n: row.openDeals }),
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <div style={{ marginTop: 12, fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
            {t('sales.footnote', { currency: data.currency })}
          </div>
        </>
      )}
    </div>
  );
}
