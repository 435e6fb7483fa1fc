import { useQuery } from '@tanstack/react-query';
import { createFileRoute, Link } from '@tanstack/react-router';
import {
  Button,
  Card,
  Col,
  Empty,
  Flex,
  List,
  Row,
  Skeleton,
  Statistic,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { formatKpiValue, kpiText, STATUS_COLORS } from '../../features/dashboards/kpi-format';
import { presetPeriod } from '../../features/dashboards/periods';
import { useTiers } from '../../features/industry/tiers';
import type { RouterInputs, RouterOutputs } from '../../lib/api-types';
import { useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';

type Task = RouterOutputs['tasks']['list']['items'][number];
type Lead = RouterOutputs['leads']['list']['items'][number];

/** The member's leads still waiting for a first contact, the nearest deadline first. */
const WAITING_LEADS: RouterInputs['leads']['list'] = {
  owner: 'me',
  statuses: ['new'],
  slaStates: ['overdue', 'due_soon', 'on_track'],
  sort: 'due_asc',
  limit: 6,
};

/** Hours and minutes to a deadline (or past it), as the countdown reads. */
function countdownOf(dueAt: string, now: number): { hours: number; minutes: number; late: boolean } {
  const left = Date.parse(dueAt) - now;
  const minutes = Math.floor(Math.abs(left) / 60_000);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60, late: left < 0 };
}

function LeadList({ leads }: { leads: Lead[] | undefined }) {
  const { t } = useTranslation();
  if (!leads) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (leads.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.noLeads')} />;
  const now = Date.now();
  return (
    <List
      size="small"
      data-testid="workbench-leads"
      dataSource={leads}
      renderItem={(lead) => {
        const countdown = lead.followUpDueAt ? countdownOf(lead.followUpDueAt, now) : null;
        return (
          <List.Item>
            <Flex justify="space-between" gap={12} style={{ width: '100%' }}>
              <Typography.Text ellipsis style={{ minWidth: 0 }}>
                {lead.grade ? <Tag style={{ marginInlineEnd: 6 }}>{lead.grade}</Tag> : null}
                <Link to="/leads" search={{ lead: lead.id }}>
                  {lead.name}
                </Link>
              </Typography.Text>
              {countdown ? (
                <Typography.Text
                  type={countdown.late ? 'danger' : lead.slaState === 'due_soon' ? 'warning' : 'secondary'}
                  style={{ flex: 'none' }}
                  data-testid="workbench-lead-countdown"
                >
                  {t(countdown.late ? 'workbench.leadLate' : 'workbench.leadLeft', countdown)}
                </Typography.Text>
              ) : null}
            </Flex>
          </List.Item>
        );
      }}
    />
  );
}

/**
 * 工作台: the landing page after sign-in. What the member has to do today (tasks due today and
 * overdue, tickets about to breach) and their figures for this month against target — a rep
 * their own, a manager the team's, an admin the company's and its data health. No charts
 * here: the page stays light, the dashboards (with ECharts) load when opened.
 */
export const Route = createFileRoute('/_app/workbench')({
  loader: ({ context }) => {
    const { queryClient, trpc } = context;
    void queryClient.prefetchQuery(trpc.tasks.list.queryOptions({ view: 'today', owner: 'me', limit: 8 }));
    void queryClient.prefetchQuery(trpc.tasks.list.queryOptions({ view: 'overdue', owner: 'me', limit: 8 }));
    void queryClient.prefetchQuery(trpc.dashboards.workbench.queryOptions(presetPeriod('thisMonth')));
  },
  component: WorkbenchPage,
});

function TaskList({ tasks, empty, testId }: { tasks: Task[] | undefined; empty: string; testId: string }) {
  const { t } = useTranslation();
  if (!tasks) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (tasks.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <List
      size="small"
      data-testid={testId}
      dataSource={tasks}
      renderItem={(task) => (
        <List.Item>
          <Flex justify="space-between" gap={12} style={{ width: '100%' }}>
            <Typography.Text ellipsis style={{ minWidth: 0 }}>
              {task.customerId ? (
                <Link to="/customers/$customerId" params={{ customerId: task.customerId }}>
                  {task.customerName}
                </Link>
              ) : null}
              {task.customerId ? ' · ' : ''}
              {task.title}
            </Typography.Text>
            <Typography.Text type={task.overdue ? 'danger' : 'secondary'} style={{ flex: 'none' }}>
              {t('workbench.due', { date: task.dueOn })}
            </Typography.Text>
          </Flex>
        </List.Item>
      )}
    />
  );
}

function WorkbenchPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { me, tenant } = useShell();
  const { language } = useTiers();
  const month = presetPeriod('thisMonth');
  const today = useQuery(trpc.tasks.list.queryOptions({ view: 'today', owner: 'me', limit: 8 }));
  const overdue = useQuery(trpc.tasks.list.queryOptions({ view: 'overdue', owner: 'me', limit: 8 }));
  const tickets = useQuery(trpc.tickets.counts.queryOptions());
  const figures = useQuery(trpc.dashboards.workbench.queryOptions(month));
  const role = tenant.role;
  const worksLeads = role === 'sales_rep' || role === 'sales_manager';
  const leads = useQuery({ ...trpc.leads.list.queryOptions(WAITING_LEADS), enabled: worksLeads });
  const kpiTitle =
    role === 'sales_rep' || role === 'service_agent'
      ? t('workbench.myKpis')
      : role === 'sales_manager'
        ? t('workbench.teamKpis')
        : t('workbench.tenantKpis');

  return (
    <>
      <PageHeader
        title={t('workbench.greeting', { name: me.user.name })}
        subtitle={t('workbench.subtitle')}
        extra={
          <Link to="/dashboards">
            <Button type="primary">{t('workbench.openDashboards')}</Button>
          </Link>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            {worksLeads ? (
              <Card
                size="small"
                title={t('workbench.leads')}
                extra={
                  <Link to="/leads" search={{ owner: 'me', status: 'new', sort: 'due_asc' }}>
                    {t('workbench.viewAll')}
                  </Link>
                }
              >
                <LeadList leads={leads.data?.items} />
              </Card>
            ) : null}
            <Card
              size="small"
              title={t('workbench.todayTasks')}
              extra={<Link to="/tasks">{t('workbench.viewAll')}</Link>}
            >
              <TaskList
                tasks={today.data?.items}
                empty={t('workbench.noTodayTasks')}
                testId="workbench-today"
              />
            </Card>
            <Card
              size="small"
              title={
                <Flex gap={8} align="center">
                  {t('workbench.overdueTasks')}
                  {overdue.data && overdue.data.items.length > 0 ? (
                    <Tag color="error">{overdue.data.items.length}</Tag>
                  ) : null}
                </Flex>
              }
              extra={<Link to="/tasks">{t('workbench.viewAll')}</Link>}
            >
              <TaskList
                tasks={overdue.data?.items}
                empty={t('workbench.noOverdueTasks')}
                testId="workbench-overdue"
              />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16}>
            <Card size="small" title={kpiTitle} data-testid="workbench-kpis">
              {!figures.data ? (
                <Skeleton active paragraph={{ rows: 4 }} />
              ) : (
                <Row gutter={[12, 16]}>
                  {figures.data.kpis.map((figure) => {
                    const { label, definition } = kpiText(figure.key, language);
                    return (
                      <Col key={figure.key} span={12}>
                        <Tooltip title={definition}>
                          <Statistic
                            title={label}
                            value={
                              figure.available
                                ? formatKpiValue(t, figure.unit, figure.value, figures.data.currency)
                                : '—'
                            }
                            styles={{ content: { fontSize: 22 } }}
                          />
                        </Tooltip>
                        <Flex gap={6} align="center" wrap>
                          {figure.status ? (
                            <Tag color={STATUS_COLORS[figure.status]}>
                              {t(`dashboards.status.${figure.status}`)}
                            </Tag>
                          ) : null}
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {figure.target === null
                              ? t('dashboards.noTarget')
                              : t('dashboards.target', {
                                  value: formatKpiValue(t, figure.unit, figure.target, figures.data.currency),
                                })}
                          </Typography.Text>
                        </Flex>
                      </Col>
                    );
                  })}
                </Row>
              )}
            </Card>
            <Card
              size="small"
              title={t('workbench.tickets')}
              extra={<Link to="/tickets">{t('workbench.viewAll')}</Link>}
            >
              <Row gutter={12}>
                <Col span={8}>
                  <Statistic title={t('workbench.ticketsMine')} value={tickets.data?.mine ?? '—'} />
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('workbench.ticketsAtRisk')}
                    value={tickets.data?.atRisk ?? '—'}
                    styles={{ content: { color: tickets.data?.atRisk ? '#faad14' : undefined } }}
                  />
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('workbench.ticketsBreached')}
                    value={tickets.data?.breached ?? '—'}
                    styles={{ content: { color: tickets.data?.breached ? '#ff4d4f' : undefined } }}
                  />
                </Col>
              </Row>
            </Card>
            {figures.data?.health ? (
              <Card size="small" title={t('workbench.health.title')} data-testid="workbench-health">
                <Row gutter={[12, 16]}>
                  <Col span={12}>
                    <Statistic
                      title={t('workbench.health.completenessAverage')}
                      value={formatKpiValue(t, 'percent', figures.data.health.completenessAverage, 'CNY')}
                    />
                  </Col>
                  <Col span={12}>
                    <Statistic
                      title={t('workbench.health.completeShare')}
                      value={formatKpiValue(t, 'percent', figures.data.health.completeShare, 'CNY')}
                    />
                  </Col>
                  <Col span={8}>
                    <Statistic
                      title={t('workbench.health.failedImports')}
                      value={figures.data.health.failedImports7d}
                    />
                  </Col>
                  <Col span={8}>
                    <Statistic
                      title={t('workbench.health.failedExports')}
                      value={figures.data.health.failedExports7d}
                    />
                  </Col>
                  <Col span={8}>
                    <Statistic
                      title={t('workbench.health.importsRunning')}
                      value={figures.data.health.importsRunning}
                    />
                  </Col>
                </Row>
              </Card>
            ) : null}
          </Flex>
        </Col>
      </Row>
    </>
  );
}
