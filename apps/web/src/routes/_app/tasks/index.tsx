import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { Badge, Button, Card, Flex, Input, Select, Tabs } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeysetPager, useKeysetPages } from '../../../components/KeysetPager';
import { PageHeader } from '../../../components/PageHeader';
import { TaskBulkActions } from '../../../features/tasks/TaskBulkActions';
import { TaskFormModal } from '../../../features/tasks/TaskFormModal';
import { TasksTable } from '../../../features/tasks/TasksTable';
import { TASK_TYPE_ICONS } from '../../../features/tasks/task-meta';
import { useAssignableMembers } from '../../../features/tasks/use-assignable-members';
import {
  TASK_PRIORITIES,
  TASK_SOURCES,
  TASK_TYPES,
  type TaskSort,
  type TaskView,
} from '../../../lib/api-types';
import { either, listOf, oneOf, searchOf, text, uuid } from '../../../lib/search-params';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';

/** The tabs of 我的任务, in order; the counted ones show their number from tasks.counts. */
export const MY_TASK_VIEWS = ['today', 'overdue', 'next7', 'done'] as const satisfies readonly TaskView[];
const SORTS = ['due', 'priority', 'created'] as const satisfies readonly TaskSort[];

/** The filters live in the URL, so a filtered list survives a reload and can be shared. */
const searchSchema = searchOf({
  view: oneOf(MY_TASK_VIEWS),
  owner: either(oneOf(['me', 'any', 'unassigned']), uuid),
  q: text(100),
  types: listOf(oneOf(TASK_TYPES)),
  sources: listOf(oneOf(TASK_SOURCES)),
  priorities: listOf(oneOf(TASK_PRIORITIES)),
  sort: oneOf(SORTS),
});
type TasksSearch = ReturnType<typeof searchSchema.parse>;

export const Route = createFileRoute('/_app/tasks/')({
  validateSearch: (search): TasksSearch => searchSchema.parse(search),
  component: MyTasksPage,
});

const PAGE_SIZE = 50;

function MyTasksPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate({ from: Route.fullPath });
  const search = Route.useSearch();
  const canWrite = useCan('tasks.write');
  const canManage = useCan('tasks.manage');
  const owners = useAssignableMembers();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [typed, setTyped] = useState(search.q ?? '');
  const view = search.view ?? 'today';
  const owner = search.owner ?? 'me';
  const setSearch = (patch: Partial<TasksSearch>) =>
    navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true });

  // Typing searches after a pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((search.q ?? '') !== typed) void setSearch({ q: typed || undefined });
    }, 300);
    return () => clearTimeout(timer);
  });

  const filters = useMemo(
    () => ({
      view,
      owner,
      search: search.q || undefined,
      types: search.types?.length ? search.types : undefined,
      sources: search.sources?.length ? search.sources : undefined,
      priorities: search.priorities?.length ? search.priorities : undefined,
      sort: view === 'done' ? undefined : search.sort,
    }),
    [view, owner, search],
  );
  const filterKey = JSON.stringify(filters);
  const pages = useKeysetPages(filterKey);
  const cursor = pages.cursor;
  const list = useQuery({
    ...trpc.tasks.list.queryOptions({ ...filters, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery(trpc.tasks.counts.queryOptions({ owner }));
  const nextCursor = list.data?.nextCursor ?? null;
  // A selection belongs to the rows on screen.
  useEffect(() => setSelected([]), [filterKey, cursor]);

  const countOf = (key: (typeof MY_TASK_VIEWS)[number]) =>
    key === 'done' ? null : (counts.data?.[key] ?? null);
  const ownerOptions = [
    { value: 'me', label: t('tasks.owner.me') },
    ...(canManage
      ? [
          { value: 'any', label: t('tasks.owner.any') },
          { value: 'unassigned', label: t('tasks.owner.unassigned') },
        ]
      : []),
    ...owners.filter((member) => member.value !== undefined),
  ];

  return (
    <>
      <PageHeader
        title={t('tasks.title')}
        subtitle={t('tasks.subtitle')}
        extra={
          canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="task-new"
            >
              {t('tasks.new')}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={view}
          onChange={(key) =>
            void setSearch({ view: key === 'today' ? undefined : (key as TasksSearch['view']) })
          }
          items={MY_TASK_VIEWS.map((key) => {
            const count = countOf(key);
            return {
              key,
              label: (
                <span data-testid={`task-view-${key}`}>
                  {t(`tasks.views.${key}`)}
                  {count !== null ? (
                    <Badge
                      count={count}
                      showZero
                      overflowCount={999}
                      color={key === 'overdue' && count > 0 ? 'red' : '#8c8c8c'}
                      style={{ marginInlineStart: 6, boxShadow: 'none' }}
                      data-testid={`task-count-${key}`}
                    />
                  ) : null}
                </span>
              ),
            };
          })}
        />
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            style={{ width: 220 }}
            placeholder={t('tasks.filters.search')}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            style={{ minWidth: 180 }}
            placeholder={t('tasks.filters.types')}
            value={search.types ?? []}
            onChange={(value) => void setSearch({ types: value.length ? value : undefined })}
            options={TASK_TYPES.map((type) => ({
              value: type,
              label: (
                <span>
                  {TASK_TYPE_ICONS[type]} {t(`tasks.type.${type}`)}
                </span>
              ),
            }))}
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            style={{ minWidth: 150 }}
            placeholder={t('tasks.filters.sources')}
            value={search.sources ?? []}
            onChange={(value) => void setSearch({ sources: value.length ? value : undefined })}
            options={TASK_SOURCES.map((source) => ({ value: source, label: t(`tasks.source.${source}`) }))}
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            style={{ minWidth: 140 }}
            placeholder={t('tasks.filters.priorities')}
            value={search.priorities ?? []}
            onChange={(value) => void setSearch({ priorities: value.length ? value : undefined })}
            options={TASK_PRIORITIES.map((priority) => ({
              value: priority,
              label: t(`tasks.priority.${priority}`),
            }))}
          />
          {view !== 'done' ? (
            <Select
              style={{ width: 140 }}
              value={search.sort ?? 'due'}
              onChange={(value) => void setSearch({ sort: value === 'due' ? undefined : value })}
              options={SORTS.map((sort) => ({ value: sort, label: t(`tasks.sort.${sort}`) }))}
            />
          ) : null}
          {canManage ? (
            <Select
              data-testid="task-owner-filter"
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 160 }}
              value={owner}
              onChange={(value) => void setSearch({ owner: value === 'me' ? undefined : value })}
              options={ownerOptions}
            />
          ) : null}
        </Flex>
        {canManage && selected.length > 0 ? (
          <div style={{ marginBottom: 12 }}>
            <TaskBulkActions ids={selected} onDone={() => setSelected([])} />
          </div>
        ) : null}
        <TasksTable
          tasks={list.data?.items ?? []}
          today={list.data?.today ?? null}
          pending={list.isPending}
          loading={list.isFetching && !list.isPending}
          emptyText={t(`tasks.empty.${view}`)}
          showOwner={owner !== 'me'}
          showStatus={view === 'done'}
          selection={canManage && view !== 'done' ? { selected, onChange: setSelected } : undefined}
        />
        <KeysetPager pages={pages} nextCursor={nextCursor} />
      </Card>
      <TaskFormModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
