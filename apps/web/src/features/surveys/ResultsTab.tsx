import { useQuery } from '@tanstack/react-query';
import {
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  List,
  Row,
  Select,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useTiers } from '../industry/tiers';
import { EChart } from './EChart';
import { useAnswerText, useBilingual } from './survey-meta';

type Grouping = 'month' | 'tier' | 'owner' | 'survey';

/** 结果分析: NPS and CSAT by month and tier (ECharts), the table per group, and the verbatim answers. */
export function ResultsTab() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const label = useBilingual();
  const answerText = useAnswerText();
  const { tiers: tierModel, tierLabel } = useTiers();
  // Tiers in the model's order (top tier first), customers without a tier last.
  const tierRank = useCallback(
    (key: string | null) => {
      const index = tierModel.findIndex((tier) => tier.key === key);
      return index < 0 ? tierModel.length : index;
    },
    [tierModel],
  );
  const [key, setKey] = useState<string | undefined>(undefined);
  const [by, setBy] = useState<Grouping>('tier');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([
    dayjs().subtract(11, 'month').startOf('month'),
    dayjs(),
  ]);
  const period = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const surveys = useQuery(trpc.surveys.list.queryOptions());
  const monthly = useQuery(trpc.surveys.results.queryOptions({ ...period, key, by: 'month' }));
  const grouped = useQuery(trpc.surveys.results.queryOptions({ ...period, key, by }));
  const tierMonthly = useQuery(
    trpc.surveys.results.queryOptions({ ...period, key, by: 'tier', thenBy: 'month' }),
  );
  const verbatim = useQuery(trpc.surveys.responses.queryOptions({ key, limit: 30 }));
  const surveyOf = (surveyKey: string) => surveys.data?.items.find((survey) => survey.key === surveyKey);

  const monthOption = useMemo(() => {
    const rows = monthly.data?.rows ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('surveys.results.nps'), t('surveys.results.csat')] },
      grid: { left: 40, right: 40, bottom: 30, top: 40 },
      xAxis: { type: 'category', data: rows.map((row) => row.group) },
      yAxis: [
        { type: 'value', min: -100, max: 100 },
        { type: 'value', min: 0, max: 100 },
      ],
      series: [
        { name: t('surveys.results.nps'), type: 'line', smooth: true, data: rows.map((row) => row.nps) },
        {
          name: t('surveys.results.csat'),
          type: 'line',
          smooth: true,
          yAxisIndex: 1,
          data: rows.map((row) => row.csat),
        },
      ],
    };
  }, [monthly.data, t]);

  const tierOption = useMemo(() => {
    const rows = tierMonthly.data?.rows ?? [];
    const months = [...new Set(rows.map((row) => row.subgroup ?? ''))].sort();
    const tiers = [...new Set(rows.map((row) => row.group))].sort((a, b) => tierRank(a) - tierRank(b));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: tiers.map((tier) => tierLabel(tier)) },
      grid: { left: 40, right: 20, bottom: 30, top: 40 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', min: -100, max: 100 },
      series: tiers.map((tier) => ({
        name: tierLabel(tier),
        type: 'bar',
        data: months.map(
          (month) => rows.find((row) => row.group === tier && row.subgroup === month)?.nps ?? null,
        ),
      })),
    };
  }, [tierMonthly.data, tierLabel, tierRank]);

  const totals = grouped.data?.totals;
  const percent = (value: number | null | undefined) =>
    value === null || value === undefined ? t('surveys.results.none') : `${value}%`;
  const groupName = (row: { group: string | null; label: string | null }) =>
    by === 'tier'
      ? tierLabel(row.group)
      : by === 'survey'
        ? label(surveyOf(row.group ?? '')?.title) || row.group
        : (row.label ?? row.group ?? t('surveys.results.none'));

  return (
    <Flex vertical gap={16}>
      <Flex gap={12} wrap align="center">
        <Select
          style={{ width: 240 }}
          value={key ?? ''}
          aria-label={t('surveys.results.survey')}
          onChange={(value) => setKey(value || undefined)}
          options={[
            { value: '', label: t('surveys.results.allSurveys') },
            ...(surveys.data?.items ?? []).map((survey) => ({
              value: survey.key,
              label: label(survey.title),
            })),
          ]}
        />
        <DatePicker.RangePicker
          allowClear={false}
          value={range}
          aria-label={t('surveys.results.period')}
          onChange={(value) => value?.[0] && value[1] && setRange([value[0], value[1]])}
        />
        <Select
          style={{ width: 160 }}
          value={by}
          aria-label={t('surveys.results.by')}
          onChange={setBy}
          options={(['tier', 'month', 'owner', 'survey'] as const).map((value) => ({
            value,
            label: t(`surveys.results.byOptions.${value}`),
          }))}
        />
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('surveys.results.nps')}
              value={totals?.nps ?? t('surveys.results.none')}
              data-testid="results-nps"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('surveys.results.csat')} value={percent(totals?.csat)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('surveys.results.responseRate')}
              value={percent(totals?.responseRate)}
              suffix={
                totals ? `· ${t('surveys.results.responsesCount', { count: totals.responses })}` : undefined
              }
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('surveys.results.closedLoop')}
              value={percent(grouped.data?.followUps.closedLoopRate)}
            />
          </Card>
        </Col>
      </Row>
      {monthly.data && monthly.data.rows.length === 0 ? (
        <Empty description={t('surveys.results.noData')} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('surveys.results.npsByMonth')}>
              <EChart option={monthOption} label={t('surveys.results.npsByMonth')} />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('surveys.results.npsByTier')}>
              <EChart option={tierOption} label={t('surveys.results.npsByTier')} />
            </Card>
          </Col>
        </Row>
      )}
      <Table
        rowKey={(row) => `${row.group ?? ''}`}
        size="small"
        loading={grouped.isPending}
        dataSource={
          by === 'tier'
            ? [...(grouped.data?.rows ?? [])].sort((a, b) => tierRank(a.group) - tierRank(b.group))
            : (grouped.data?.rows ?? [])
        }
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { key: 'group', title: t(`surveys.results.byOptions.${by}`), render: (_, row) => groupName(row) },
          { key: 'responses', title: t('surveys.results.responses'), dataIndex: 'responses', align: 'right' },
          { key: 'promoters', title: t('surveys.results.promoters'), dataIndex: 'promoters', align: 'right' },
          { key: 'passives', title: t('surveys.results.passives'), dataIndex: 'passives', align: 'right' },
          {
            key: 'detractors',
            title: t('surveys.results.detractors'),
            dataIndex: 'detractors',
            align: 'right',
          },
          {
            key: 'nps',
            title: t('surveys.results.nps'),
            align: 'right',
            render: (_, row) => row.nps ?? t('surveys.results.none'),
          },
          {
            key: 'csat',
            title: t('surveys.results.csat'),
            align: 'right',
            render: (_, row) => percent(row.csat),
          },
          {
            key: 'rate',
            title: t('surveys.results.responseRate'),
            align: 'right',
            render: (_, row) => percent(row.responseRate),
          },
        ]}
      />
      <Card size="small" title={t('surveys.results.verbatim')}>
        <List
          loading={verbatim.isPending}
          dataSource={(verbatim.data?.items ?? []).filter((response) =>
            Object.values(response.answers).some((value) => typeof value === 'string' && value.length > 1),
          )}
          locale={{ emptyText: t('surveys.results.noData') }}
          renderItem={(response) => {
            const survey = surveyOf(response.surveyKey);
            const texts = (survey?.questions ?? []).filter(
              (question) => question.type === 'text' && typeof response.answers[question.key] === 'string',
            );
            return (
              <List.Item>
                <Flex vertical gap={2} style={{ width: '100%' }}>
                  <Flex gap={8} wrap align="center">
                    <Typography.Text strong>{response.customerName}</Typography.Text>
                    {response.tier ? <Tag>{tierLabel(response.tier)}</Tag> : null}
                    {response.score !== null ? (
                      <Tag color={response.low ? 'red' : 'green'}>
                        {t('surveys.timeline.score', { score: response.score })}
                      </Tag>
                    ) : null}
                    <Typography.Text type="secondary">
                      {label(survey?.title)} · {formatDate(response.respondedAt)}
                    </Typography.Text>
                  </Flex>
                  {texts.map((question) => (
                    <Typography.Paragraph key={question.key} style={{ margin: 0 }}>
                      <Typography.Text type="secondary">
                        {/* A question that ends in its own mark (？) takes no colon after it. */}
                        {/[？?：:]$/.test(label(question.labels))
                          ? label(question.labels)
                          : `${label(question.labels)}${t('common.colon')}`}
                      </Typography.Text>
                      “{answerText(response.answers[question.key])}”
                    </Typography.Paragraph>
                  ))}
                </Flex>
              </List.Item>
            );
          }}
        />
      </Card>
    </Flex>
  );
}
