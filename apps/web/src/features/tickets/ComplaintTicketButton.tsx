import { CustomerServiceOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Interaction } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useTicketRefresh } from './ticket-meta';

/**
 * The customer's tickets made from interactions, by interaction id: a complaint that already
 * became a ticket links to it instead of offering the button again.
 */
export function useTicketsByInteraction(customerId: string, enabled: boolean) {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.tickets.list.queryOptions({ view: 'all', customerId, limit: 200 }),
    enabled,
  });
  const byInteraction = new Map<string, { id: string; number: number }>();
  for (const ticket of list.data?.items ?? []) {
    if (ticket.interactionId)
      byInteraction.set(ticket.interactionId, { id: ticket.id, number: ticket.number });
  }
  return byInteraction;
}

/** 转为工单: one click on a complaint interaction; its ticket once it has one. */
export function ComplaintTicketButton({
  interaction,
  ticket,
}: {
  interaction: Interaction;
  ticket: { id: string; number: number } | null;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTicketRefresh();
  const canCreate = useCan('tickets.create');
  const key = useIdempotencyKey(interaction.id);
  const create = useMutation(
    trpc.tickets.createFromInteraction.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async (detail) => {
        void message.success(t('tickets.complaint.done', { number: detail.ticket.number }));
        await refresh(detail.ticket.customerId);
        void navigate({ to: '/tickets/$ticketId', params: { ticketId: detail.ticket.id } });
      },
      onError: async (error) => {
        showError(error);
        await refresh(interaction.customerId);
      },
    }),
  );
  if (ticket) {
    return (
      <Link to="/tickets/$ticketId" params={{ ticketId: ticket.id }} data-testid="complaint-ticket-link">
        <CustomerServiceOutlined /> {t('tickets.complaint.open', { number: ticket.number })}
      </Link>
    );
  }
  if (!canCreate || interaction.sentiment !== 'complaint') return null;
  return (
    <Button
      size="small"
      danger
      icon={<CustomerServiceOutlined />}
      loading={create.isPending}
      onClick={() => create.mutate({ interactionId: interaction.id })}
      data-testid="complaint-ticket"
    >
      {t('tickets.complaint.button')}
    </Button>
  );
}
