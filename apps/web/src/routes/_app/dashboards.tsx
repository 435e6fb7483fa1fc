import { ReloadOutlined } from '@ant-design/icons';
import { DASHBOARDS, type Dashboard, KPI_CATALOGUE, type KpiKey, type LeadSource } from '@crm/domain';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, useNavigate } from '@tanstack/react-router';
import {
  App,
  Button,
  Col,
  DatePicker,
  Flex,
  InputNumber,
  Modal,
  Row,
  Segmented,
  Select,
  Skeleton,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { KpiCard, type KpiFigure } from '../../features/dashboards/KpiCard';
import { formatKpiValue, kpiText } from '../../features/dashboards/kpi-format';
import { PERIOD_PRESETS, presetOf, presetPeriod } from '../../features/dashboards/periods';
import { useTiers } from '../../features/industry/tiers';
import { usePipeline } from '../../features/opportunities/pipeline-labels';
import type { Role } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { dayShape, listOf, matching, oneOf, searchOf, uuid } from '../../lib/search-params';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

const searchSchema = searchOf({
  board: oneOf(DASHBOARDS),
  from: dayShape,
  to: dayShape,
  tiers: listOf(matching(/^[a-z][a-z0-9_-]{0,62}$/, 63), 12),
  owner: uuid,
  team: uuid,
});
type DashboardSearch = ReturnType<typeof searchSchema.parse>;

/** The dashboard each role opens first. */
const DEFAULT_BOARD: Record<Role, Dashboard> = {
  owner: 'management',
  admin: 'management',
  analyst: 'management',
  viewer: 'management',
  sales_manager: 'sales',
  sales_rep: 'sales',
  service_agent: 'service',
  marketing: 'operations',
};

export const Route = createFileRoute('/_app/dashboards')({
  validateSearch: (search): DashboardSearch => searchSchema.parse(search),
  component: DashboardsPage,
});

function DashboardsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const { tenant } = useShell();
  const { tiers, tierLabel, language } = useTiers();
  const { stageLabel } = usePipeline();
  const canSetTargets = useCan('tenant.update');
  const [editing, setEditing] = useState<KpiFigure | null>(null);

  const board = search.board ?? DEFAULT_BOARD[tenant.role];
  const fallback = presetPeriod('last12Months');
  const period =
    search.from && search.to && search.from < search.to ? { from: search.from, to: search.to } : fallback;
  const preset = presetOf(period);
  const setSearch = (patch: Partial<DashboardSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true });

  const input = {
    dashboard: board,
    from: period.from,
    to: period.to,
    tiers: search.tiers?.length ? search.tiers : undefined,
    ownerUserId: search.owner,
    teamId: search.team,
  };
  const figures = useQuery({ ...trpc.dashboards.get.queryOptions(input), placeholderData: keepPreviousData });
  // The teams and owners this member may filter by: all for those who see every record, the
  // team's for a manager, none for a rep (whose figures are their own).
  const options = useQuery({ ...trpc.dashboards.filters.queryOptions(), staleTime: 5 * 60_000 });
  const owners = (options.data?.owners ?? []).filter((owner) => !search.team || owner.teamId === search.team);

  const drill = (key: KpiKey, segment: string | undefined) => {
    const definition = KPI_CATALOGUE.find((entry) => entry.key === key);
    if (definition?.drill === 'tasks') return void navigate({ to: '/tasks' });
    if (definition?.drill === 'tickets') return void navigate({ to: '/tickets' });
    if (definition?.drill === 'opportunities')
      return void navigate({
        to: '/opportunities',
        search: {
          view: 'table',
          ...(definition.breakdown === 'pipeline_stage' && segment ? { stage: segment } : {}),
        },
      });
    if (definition?.drill === 'leads') {
      // The leads created in the period, of the bar's source, grade, owner or funnel step.
      const by = definition.breakdown;
      const last = dayjs(period.to).subtract(1, 'day').format('YYYY-MM-DD');
      return void navigate({
        to: '/leads',
        search: {
          createdFrom: period.from,
          createdTo: last,
          ...(by === 'source' && segment ? { sources: [segment as LeadSource] } : {}),
          ...(by === 'grade' && segment ? { grades: [segment] } : {}),
          ...(by === 'owner' && segment ? { owner: segment } : {}),
          ...(by === 'owner' && segment === '' ? { owner: 'unassigned' } : {}),
          ...(by === 'funnel' && segment === 'converted' ? { status: 'converted' as const } : {}),
          ...(by !== 'owner' && search.owner ? { owner: search.owner } : {}),
        },
      });
    }
    void navigate({
      to: '/customers',
      search: {
        f: {
          kpi: { key, from: period.from, to: period.to, ...(segment === undefined ? {} : { segment }) },
          ...(search.tiers?.length ? { tiers: search.tiers } : {}),
          ...(search.owner ? { ownerUserIds: [search.owner] } : {}),
        },
      },
    });
  };

  const data = figures.data;
  return (
    <>
      <PageHeader
        title={t('dashboards.title')}
        subtitle={t('dashboards.subtitle')}
        extra={
          <Flex gap={8} align="center">
            {data ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="dashboards-updated">
                {t('dashboards.updated', { time: dayjs(data.computedAt).format('HH:mm:ss') })}
              </Typography.Text>
            ) : null}
            <Tooltip title={t('dashboards.refresh')}>
              <Button
                aria-label={t('dashboards.refresh')}
                icon={<ReloadOutlined spin={figures.isFetching} />}
                onClick={() => void figures.refetch()}
              />
            </Tooltip>
          </Flex>
        }
      />
      <Tabs
        activeKey={board}
        onChange={(key) => setSearch({ board: key as Dashboard })}
        items={DASHBOARDS.map((key) => ({ key, label: t(`dashboards.boards.${key}`) }))}
        data-testid="dashboards-tabs"
      />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented
          value={preset ?? ''}
          onChange={(value) => setSearch(presetPeriod(value as (typeof PERIOD_PRESETS)[number]))}
          options={PERIOD_PRESETS.map((key) => ({ value: key, label: t(`dashboards.period.${key}`) }))}
          data-testid="dashboards-period"
          aria-label={t('dashboards.periodLabel')}
        />
        <DatePicker.RangePicker
          aria-label={t('dashboards.period.label')}
          allowClear={false}
          value={[dayjs(period.from), dayjs(period.to).subtract(1, 'day')]}
          onChange={(range) => {
            const [start, end] = range ?? [];
            if (start && end)
              setSearch({ from: start.format('YYYY-MM-DD'), to: end.add(1, 'day').format('YYYY-MM-DD') });
          }}
        />
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t('dashboards.filters.tiers')}
          value={search.tiers ?? []}
          onChange={(value: string[]) => setSearch({ tiers: value.length > 0 ? value : undefined })}
          options={tiers.map((tier) => ({ value: tier.key, label: tierLabel(tier.key) }))}
          data-testid="dashboards-tiers"
        />
        {(options.data?.teams.length ?? 0) > 1 ? (
          <Select
            allowClear
            style={{ minWidth: 160 }}
            placeholder={t('dashboards.filters.team')}
            aria-label={t('dashboards.filters.teamLabel')}
            value={search.team}
            onChange={(value: string | undefined) => setSearch({ team: value, owner: undefined })}
            options={(options.data?.teams ?? []).map((team) => ({ value: team.id, label: team.name }))}
            data-testid="dashboards-team"
          />
        ) : null}
        {(options.data?.owners.length ?? 0) > 0 ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ minWidth: 160 }}
            placeholder={t('dashboards.filters.owner')}
            aria-label={t('dashboards.filters.ownerLabel')}
            value={search.owner}
            onChange={(value: string | undefined) => setSearch({ owner: value })}
            options={owners.map((owner) => ({ value: owner.userId, label: owner.name }))}
            data-testid="dashboards-owner"
          />
        ) : null}
      </Flex>
      {!data ? (
        <Row gutter={[16, 16]}>
          {[0, 1, 2, 3, 4, 5].map((index) => (
            <Col key={index} xs={24} lg={12} xxl={8}>
              <Skeleton active paragraph={{ rows: 6 }} />
            </Col>
          ))}
        </Row>
      ) : (
        <Row gutter={[16, 16]} data-testid="dashboards-grid">
          {data.kpis.map((figure) => (
            <Col key={figure.key} xs={24} lg={12} xxl={8}>
              <KpiCard
                figure={figure}
                currency={data.currency}
                language={language}
                tierLabel={tierLabel}
                stageLabel={stageLabel}
                onDrill={drill}
                onEditTarget={canSetTargets ? setEditing : undefined}
                fileStem={`${board}-${period.from}-${period.to}`}
              />
            </Col>
          ))}
        </Row>
      )}
      <TargetModal figure={editing} currency={data?.currency ?? 'CNY'} onClose={() => setEditing(null)} />
    </>
  );
}

/** 设置目标: the tenant's own target for a KPI, or back to the industry profile's. */
function TargetModal({
  figure,
  currency,
  onClose,
}: {
  figure: KpiFigure | null;
  currency: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const { language } = useTiers();
  const [value, setValue] = useState<number | null>(null);
  const key = useIdempotencyKey(figure);
  const targets = useQuery({ ...trpc.dashboards.targets.queryOptions(), enabled: figure !== null });
  const save = useMutation(
    trpc.dashboards.setTarget.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async () => {
        void message.success(t('dashboards.targets.saved'));
        await queryClient.invalidateQueries({ queryKey: trpc.dashboards.pathKey() });
        onClose();
      },
      onError: (error) => showError(error),
    }),
  );
  if (!figure) return null;
  const entry = targets.data?.find((target) => target.key === figure.key);
  const current = value ?? figure.target;
  return (
    <Modal
      open
      title={t('dashboards.targets.title', { kpi: kpiText(figure.key, language).label })}
      onCancel={onClose}
      footer={[
        <Button
          key="reset"
          disabled={entry?.tenantTarget === null}
          onClick={() => save.mutate({ key: figure.key, target: null })}
        >
          {t('dashboards.targets.reset')}
        </Button>,
        <Button
          key="save"
          type="primary"
          loading={save.isPending}
          disabled={current === null}
          onClick={() => save.mutate({ key: figure.key, target: current })}
        >
          {t('dashboards.targets.save')}
        </Button>,
      ]}
    >
      <Flex vertical gap={8}>
        <Typography.Text>{t('dashboards.targets.value')}</Typography.Text>
        <InputNumber
          style={{ width: 200 }}
          value={current}
          onChange={(next) => setValue(typeof next === 'number' ? next : null)}
          step={figure.unit === 'percent' ? 1 : undefined}
          data-testid="kpi-target-input"
        />
        <Typography.Text type="secondary">
          {entry?.defaultTarget === null || entry === undefined
            ? t('dashboards.targets.noDefault')
            : t('dashboards.targets.defaultIs', {
                value: formatKpiValue(t, figure.unit, entry.defaultTarget, currency),
              })}
        </Typography.Text>
      </Flex>
    </Modal>
  );
}
