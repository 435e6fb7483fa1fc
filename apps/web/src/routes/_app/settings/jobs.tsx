import { useQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { Card, Result, Segmented, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { emptyOrSkeleton } from '../../../features/lists/ListSkeleton';
import type { RouterOutputs } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';

type JobRun = RouterOutputs['admin']['jobs'][number];
type JobState = JobRun['state'];

const STATE_COLORS: Record<JobState, string> = {
  created: 'default',
  retry: 'orange',
  active: 'processing',
  completed: 'green',
  cancelled: 'default',
  failed: 'red',
};

export const Route = createFileRoute('/_app/settings/jobs')({
  component: JobsPage,
});

function JobsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const allowed = useCan('jobs.read');
  const [state, setState] = useState<JobState | 'all'>('all');
  const runs = useQuery({
    ...trpc.admin.jobs.queryOptions({ limit: 100, ...(state === 'all' ? {} : { state }) }),
    enabled: allowed,
    refetchInterval: 10_000,
  });

  if (!allowed) return <Result status="403" subTitle={t('jobs.noPermission')} />;

  const columns: ColumnsType<JobRun> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('jobs.columns.name'),
      // The job by its label; its internal name (imports.run) is not shown, not even as a tooltip.
      render: (name: string) => t(`jobs.names.${name}`, { defaultValue: t('jobs.unnamed') }),
    },
    {
      key: 'state',
      dataIndex: 'state',
      title: t('jobs.columns.state'),
      width: 170,
      render: (value: JobState, run) => (
        <>
          <Tag color={STATE_COLORS[value]}>{t(`jobs.states.${value}`)}</Tag>
          {run.overdue && (
            <Tag color="red" title={t('jobs.overdueHint')}>
              {t('jobs.overdue')}
            </Tag>
          )}
        </>
      ),
    },
    {
      key: 'attempts',
      title: t('jobs.columns.attempts'),
      width: 100,
      render: (_: unknown, run) => t('jobs.attemptsOf', { attempts: run.attempts, max: run.maxAttempts }),
    },
    {
      key: 'createdAt',
      dataIndex: 'createdAt',
      title: t('jobs.columns.createdAt'),
      width: 170,
      render: (value: string) => formatDateTime(value),
    },
    {
      key: 'finishedAt',
      dataIndex: 'finishedAt',
      title: t('jobs.columns.finishedAt'),
      width: 170,
      render: (value: string | null) => (value ? formatDateTime(value) : '—'),
    },
    {
      key: 'lastError',
      dataIndex: 'lastError',
      title: t('jobs.columns.lastError'),
      ellipsis: true,
      render: (value: string | null) =>
        value ? <Typography.Text type="danger">{value}</Typography.Text> : '—',
    },
  ];

  return (
    <>
      <PageHeader title={t('jobs.title')} subtitle={t('jobs.subtitle')} />
      <Card
        styles={{ body: { padding: 0 } }}
        title={
          <Segmented<JobState | 'all'>
            aria-label={t('jobs.stateLabel')}
            value={state}
            onChange={setState}
            options={(['all', 'active', 'retry', 'failed', 'completed'] as const).map((value) => ({
              value,
              label: value === 'all' ? t('jobs.all') : t(`jobs.states.${value}`),
            }))}
          />
        }
      >
        <Table<JobRun>
          data-testid="jobs-table"
          rowKey="id"
          columns={columns}
          dataSource={runs.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: emptyOrSkeleton(runs.isLoading, t('jobs.empty')) }}
        />
      </Card>
    </>
  );
}
