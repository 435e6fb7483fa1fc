import { Link } from '@tanstack/react-router';
import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useCategoryLabel } from './TicketCategoryLabel';
import { SlaBadge, TicketPriorityTag, TicketStatusTag } from './ticket-meta';

type Props = {
  tickets: Ticket[];
  pending: boolean;
  loading?: boolean;
  emptyText: string;
  showCustomer?: boolean;
};

/** Tickets as rows: number and subject (to the detail), customer, type and category, priority, status, SLA, assignee. */
export function TicketsTable({ tickets, pending, loading = false, emptyText, showCustomer = true }: Props) {
  const { t } = useTranslation();
  const categoryLabel = useCategoryLabel();
  const columns: ColumnsType<Ticket> = [
    {
      key: 'subject',
      title: t('tickets.subject'),
      render: (_, ticket) => (
        <Link to="/tickets/$ticketId" params={{ ticketId: ticket.id }} data-testid="ticket-link">
          <Typography.Text type="secondary">#{ticket.number}</Typography.Text> {ticket.subject}
        </Link>
      ),
    },
    ...(showCustomer
      ? [
          {
            key: 'customer',
            title: t('tickets.customer'),
            render: (_: unknown, ticket: Ticket) => (
              <Link to="/customers/$customerId" params={{ customerId: ticket.customerId }}>
                {ticket.customerName}
              </Link>
            ),
          },
        ]
      : []),
    {
      key: 'type',
      title: t('tickets.type'),
      render: (_, ticket) => (
        <span>
          {t(`tickets.types.${ticket.type}`)}
          {ticket.category ? (
            <Typography.Text type="secondary"> · {categoryLabel(ticket.category)}</Typography.Text>
          ) : null}
        </span>
      ),
    },
    {
      key: 'priority',
      title: t('tickets.priority'),
      render: (_, ticket) => <TicketPriorityTag priority={ticket.priority} />,
    },
    {
      key: 'status',
      title: t('tickets.status'),
      render: (_, ticket) => <TicketStatusTag status={ticket.status} />,
    },
    { key: 'sla', title: t('tickets.sla'), render: (_, ticket) => <SlaBadge sla={ticket.sla} /> },
    {
      key: 'assignee',
      title: t('tickets.assignee'),
      render: (_, ticket) =>
        ticket.assigneeName ?? <Typography.Text type="secondary">{t('tickets.unassigned')}</Typography.Text>,
    },
    {
      key: 'createdAt',
      title: t('tickets.createdAt'),
      render: (_, ticket) => formatDateTime(ticket.createdAt),
    },
  ];
  return (
    <Table<Ticket>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={tickets}
      loading={pending || loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText }}
      data-testid="tickets-table"
    />
  );
}
