import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Flex, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../lib/api-types';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { TicketFormModal } from './TicketFormModal';
import { TicketsTable } from './TicketsTable';

/** The customer's tickets on its 360 page: the open ones, all on request, and 新建工单 about it. */
export function CustomerTicketsTab({ customer, archived }: { customer: Customer; archived: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canCreate = useCan('tickets.create');
  const [showDone, setShowDone] = useState(false);
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    ...trpc.tickets.list.queryOptions({
      view: showDone ? 'all' : 'open',
      customerId: customer.id,
      limit: 100,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <div data-testid="customer-tickets" style={{ paddingTop: 8 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
        <Flex align="center" gap={8}>
          <Switch size="small" checked={showDone} onChange={setShowDone} />
          <Typography.Text>{t('tickets.showDone')}</Typography.Text>
        </Flex>
        {canCreate && !archived ? (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-ticket-new">
            {t('tickets.new')}
          </Button>
        ) : null}
      </Flex>
      <TicketsTable
        tickets={list.data?.items ?? []}
        pending={list.isPending}
        loading={list.isFetching && !list.isPending}
        emptyText={t('tickets.customerEmpty')}
        showCustomer={false}
      />
      {canCreate ? (
        <TicketFormModal
          open={creating}
          onClose={() => setCreating(false)}
          customer={{ id: customer.id, name: customer.name }}
        />
      ) : null}
    </div>
  );
}
