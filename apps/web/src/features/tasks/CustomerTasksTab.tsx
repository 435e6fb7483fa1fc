import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Flex, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../lib/api-types';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { TaskFormModal } from './TaskFormModal';
import { TasksTable } from './TasksTable';

/** The customer's tasks on its 360 page: the open ones first by due day; closed ones on request. */
export function CustomerTasksTab({ customer, archived }: { customer: Customer; archived: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canWrite = useCan('tasks.write');
  const [showClosed, setShowClosed] = useState(false);
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    ...trpc.tasks.list.queryOptions({
      view: showClosed ? 'all' : 'open',
      owner: 'any',
      customerId: customer.id,
      limit: 100,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <div data-testid="customer-tasks" style={{ paddingTop: 8 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
        <Flex align="center" gap={8}>
          <Switch size="small" checked={showClosed} onChange={setShowClosed} />
          <Typography.Text>{t('tasks.showClosed')}</Typography.Text>
        </Flex>
        {canWrite && !archived ? (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-task-new">
            {t('tasks.new')}
          </Button>
        ) : null}
      </Flex>
      <TasksTable
        tasks={list.data?.items ?? []}
        today={list.data?.today ?? null}
        pending={list.isPending}
        loading={list.isFetching && !list.isPending}
        emptyText={t('tasks.customerEmpty')}
        showCustomer={false}
        showOwner
        showStatus={showClosed}
      />
      <TaskFormModal
        open={creating}
        onClose={() => setCreating(false)}
        customer={{ id: customer.id, name: customer.name }}
      />
    </div>
  );
}
