import { ApartmentOutlined, InboxOutlined, UserAddOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../lib/api-types';
import { formatDate, formatDateTime } from '../../lib/format';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC, useTRPCClient } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useTiers } from '../industry/tiers';

type Entity = 'lead' | 'customer';
type PoolItem = RouterOutputs['pool']['list']['items'][number];
type Filters = Omit<RouterInputs['pool']['list'], 'entity' | 'cursor' | 'limit'>;

const GRADES = ['A', 'B', 'C', 'D'];
const REASONS = ['unreachable', 'no_need', 'no_budget', 'not_decision_maker', 'duplicate', 'other'] as const;
const SOURCES = ['web_form', 'import', 'manual', 'api', 'event', 'referral'] as const;
const VIA = ['release', 'recycle', 'assign'] as const;
const VIA_COLOR = {
  release: 'orange',
  recycle: 'red',
  assign: 'default',
  claim: 'blue',
  pool_assign: 'blue',
} as const;

/**
 * One list of the 公海: filters, the records newest arrival first, claim (one or the selected,
 * within today's remaining claims) and, for managers, assign to a team member or by the rules.
 */
export function PoolTable({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canAssign = useCan('pool.assign');
  const { tiers, tierLabel, language } = useTiers();
  const [filters, setFilters] = useState<Filters>({});
  const [selected, setSelected] = useState<string[]>([]);
  const [assigning, setAssigning] = useState<string[] | null>(null);

  const summary = useQuery(trpc.pool.summary.queryOptions());
  const client = useTRPCClient();
  const input = { entity, ...filters, limit: 20 };
  // Not infiniteQueryOptions(): it adds a `direction` to the input, which the procedure's strict
  // schema refuses.
  const list = useInfiniteQuery({
    queryKey: trpc.pool.list.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) =>
      client.pool.list.query({ ...input, ...(pageParam ? { cursor: pageParam } : {}) }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  const refresh = async () => {
    setSelected([]);
    await queryClient.invalidateQueries(trpc.pool.pathFilter());
  };
  const claim = useMutation(
    trpc.pool.claim.mutationOptions({
      onSuccess: async ({ claimed, remaining }) => {
        void message.success(t('pool.claimed', { count: claimed, remaining }));
        await refresh();
      },
      onError: async (error) => {
        showError(error);
        await refresh();
      },
    }),
  );
  const runRules = useMutation(
    trpc.assignment.run.mutationOptions({
      onSuccess: async (result) => {
        void message.success(t('pool.ruleResult', result));
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );

  const remaining = summary.data?.remaining ?? 0;
  const columns: ColumnsType<PoolItem> = [
    {
      key: 'name',
      title: t('pool.columns.name'),
      // A width of its own: the fixed columns beside it took all of the table's width and
      // left the name one character wide.
      width: 200,
      ellipsis: true,
      render: (_: unknown, item) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{item.name}</Typography.Text>
          {item.company && item.company !== item.name ? (
            <Typography.Text type="secondary">{item.company}</Typography.Text>
          ) : null}
        </Space>
      ),
    },
    entity === 'lead'
      ? {
          key: 'grade',
          dataIndex: 'grade',
          title: t('pool.columns.grade'),
          width: 70,
          render: (grade: string | null) => (grade ? <Tag color="geekblue">{grade}</Tag> : '—'),
        }
      : {
          key: 'tier',
          dataIndex: 'tier',
          title: t('pool.columns.tier'),
          width: 110,
          render: (tier: string | null) => (tier ? <Tag color="purple">{tierLabel(tier)}</Tag> : '—'),
        },
    ...(entity === 'lead'
      ? [
          {
            key: 'source',
            dataIndex: 'source',
            title: t('pool.columns.source'),
            width: 100,
            render: (source: PoolItem['source']) =>
              source ? t(`assignmentSettings.sources.${source}`) : '—',
          },
        ]
      : []),
    {
      key: 'region',
      dataIndex: 'region',
      title: t('pool.columns.region'),
      width: 90,
      render: (value) => value ?? '—',
    },
    {
      key: 'industry',
      dataIndex: 'industry',
      title: t('pool.columns.industry'),
      width: 100,
      render: (value) => value ?? '—',
    },
    {
      key: 'via',
      title: t('pool.columns.via'),
      width: 200,
      render: (_: unknown, item) =>
        item.via ? (
          <Space direction="vertical" size={0}>
            <Tag color={VIA_COLOR[item.via]}>
              {item.via === 'release' && item.reason
                ? t(`pool.reasons.${item.reason}`)
                : t(`pool.via.${item.via}`)}
            </Tag>
            {item.note ? (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 180 }}>
                {item.note}
              </Typography.Text>
            ) : null}
          </Space>
        ) : (
          '—'
        ),
    },
    {
      key: 'previousOwner',
      dataIndex: 'previousOwnerName',
      title: t('pool.columns.previousOwner'),
      width: 110,
      render: (value) => value ?? '—',
    },
    {
      key: 'releasedAt',
      dataIndex: 'releasedAt',
      title: t('pool.columns.releasedAt'),
      width: 160,
      render: (value: string | null) => (value ? formatDateTime(value) : '—'),
    },
    {
      key: 'lastContact',
      dataIndex: 'lastContactAt',
      title: t('pool.columns.lastContact'),
      width: 110,
      render: (value: string | null) => (value ? formatDate(value) : '—'),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: canAssign ? 170 : 90,
      fixed: 'right',
      render: (_: unknown, item) => (
        <Flex gap={4}>
          <Button
            size="small"
            type="primary"
            ghost
            data-testid={`pool-claim-${item.id}`}
            disabled={remaining < 1}
            loading={claim.isPending && claim.variables?.ids.includes(item.id)}
            onClick={() => claim.mutate({ entity, ids: [item.id] })}
          >
            {t('pool.claim')}
          </Button>
          {canAssign ? (
            <Button size="small" type="link" onClick={() => setAssigning([item.id])}>
              {t('pool.assign')}
            </Button>
          ) : null}
        </Flex>
      ),
    },
  ];

  const set = (patch: Partial<Filters>) => {
    setSelected([]);
    setFilters((current) => ({ ...current, ...patch }));
  };

  return (
    <Card styles={{ body: { padding: 0 } }}>
      <Flex wrap gap={8} style={{ padding: 16 }} align="center">
        <Input.Search
          allowClear
          placeholder={t('pool.filters.search')}
          style={{ width: 240 }}
          onSearch={(value) => set({ search: value.trim() || undefined })}
        />
        {entity === 'lead' ? (
          <Select
            mode="multiple"
            allowClear
            placeholder={t('pool.filters.grades')}
            style={{ minWidth: 140 }}
            options={GRADES.map((grade) => ({ value: grade, label: grade }))}
            onChange={(grades: string[]) => set({ grades: grades.length ? grades : undefined })}
          />
        ) : (
          <Select
            mode="multiple"
            allowClear
            placeholder={t('pool.filters.tiers')}
            style={{ minWidth: 160 }}
            options={tiers.map((tier) => ({ value: tier.key, label: tier.labels[language] }))}
            onChange={(keys: string[]) => set({ tiers: keys.length ? keys : undefined })}
          />
        )}
        {entity === 'lead' ? (
          <Select
            mode="multiple"
            allowClear
            placeholder={t('pool.filters.sources')}
            style={{ minWidth: 140 }}
            options={SOURCES.map((source) => ({
              value: source,
              label: t(`assignmentSettings.sources.${source}`),
            }))}
            onChange={(sources: (typeof SOURCES)[number][]) =>
              set({ sources: sources.length ? sources : undefined })
            }
          />
        ) : null}
        <Select
          allowClear
          placeholder={t('pool.filters.via')}
          style={{ minWidth: 150 }}
          options={VIA.map((via) => ({ value: via, label: t(`pool.via.${via}`) }))}
          onChange={(via: (typeof VIA)[number] | undefined) => set({ via })}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('pool.filters.reasons')}
          style={{ minWidth: 150 }}
          options={REASONS.map((reason) => ({ value: reason, label: t(`pool.reasons.${reason}`) }))}
          onChange={(reasons: (typeof REASONS)[number][]) =>
            set({ reasons: reasons.length ? reasons : undefined })
          }
        />
        <Input
          allowClear
          placeholder={t('pool.filters.industry')}
          style={{ width: 120 }}
          onPressEnter={(event) => set({ industry: event.currentTarget.value.trim() || undefined })}
          onChange={(event) => {
            if (!event.target.value) set({ industry: undefined });
          }}
        />
        <Input
          allowClear
          placeholder={t('pool.filters.region')}
          style={{ width: 110 }}
          onPressEnter={(event) => set({ region: event.currentTarget.value.trim() || undefined })}
          onChange={(event) => {
            if (!event.target.value) set({ region: undefined });
          }}
        />
        <Flex gap={8} style={{ marginInlineStart: 'auto' }}>
          {canAssign ? (
            <>
              <Tooltip title={t('assignmentSettings.subtitle')}>
                <Button
                  icon={<ApartmentOutlined />}
                  disabled={selected.length === 0}
                  loading={runRules.isPending}
                  onClick={() => runRules.mutate({ entity, ids: selected })}
                >
                  {t('pool.runRules')}
                </Button>
              </Tooltip>
              <Button
                icon={<UserAddOutlined />}
                disabled={selected.length === 0}
                onClick={() => setAssigning(selected)}
              >
                {t('pool.assign')}
              </Button>
            </>
          ) : null}
          <Button
            type="primary"
            icon={<InboxOutlined />}
            data-testid="pool-claim-selected"
            disabled={selected.length === 0 || selected.length > remaining}
            loading={claim.isPending && (claim.variables?.ids.length ?? 0) > 1}
            onClick={() => claim.mutate({ entity, ids: selected })}
          >
            {t('pool.claimSelected', { count: selected.length })}
          </Button>
        </Flex>
      </Flex>
      <Table<PoolItem>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 1420 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{ emptyText: <Empty description={t('pool.empty')} /> }}
      />
      {list.hasNextPage ? (
        <Flex justify="center" style={{ padding: 12 }}>
          <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      ) : null}
      {assigning ? (
        <AssignModal
          entity={entity}
          ids={assigning}
          onClose={async (done) => {
            setAssigning(null);
            if (done) await refresh();
          }}
        />
      ) : null}
    </Card>
  );
}

/** A manager picks a member of their team (an admin anyone) to give the records to. */
function AssignModal(props: { entity: Entity; ids: string[]; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const { tenant, me } = useShell();
  const members = useQuery(trpc.members.list.queryOptions());
  const [userId, setUserId] = useState<string | null>(null);
  const myTeam = members.data?.find((member) => member.userId === me.user.id)?.teamId ?? null;
  const everyone = tenant.role === 'owner' || tenant.role === 'admin';
  const options = (members.data ?? [])
    .filter(
      (member) => everyone || member.userId === me.user.id || (myTeam !== null && member.teamId === myTeam),
    )
    .map((member) => ({
      value: member.userId,
      label: member.teamName ? `${member.name} · ${member.teamName}` : member.name,
    }));
  const assign = useMutation(
    trpc.pool.assign.mutationOptions({
      onSuccess: ({ assigned }) => {
        void message.success(t('pool.assigned', { count: assigned }));
        props.onClose(true);
      },
      onError: (error) => showError(error),
    }),
  );
  return (
    <Modal
      open
      title={t('pool.assignTitle')}
      okButtonProps={{ disabled: userId === null, loading: assign.isPending }}
      onOk={() => userId && assign.mutate({ entity: props.entity, ids: props.ids, userId })}
      onCancel={() => props.onClose(false)}
    >
      <Select
        showSearch
        optionFilterProp="label"
        style={{ width: '100%' }}
        placeholder={t('pool.assignMember')}
        loading={members.isLoading}
        options={options}
        onChange={(value: string) => setUserId(value)}
      />
    </Modal>
  );
}
