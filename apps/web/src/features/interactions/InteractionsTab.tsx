import { ArrowRightOutlined, PlusOutlined, UserOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Avatar, Button, Divider, Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Fragment, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, Interaction } from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { TabPanel } from '../customers/TabPanel';
import { ComplaintTicketButton, useTicketsByInteraction } from '../tickets/ComplaintTicketButton';
import { INTERACTION_ICONS, InteractionKindTag, SentimentTag } from './InteractionTags';
import { LogInteractionModal } from './LogInteractionModal';

const STEP = 50;
const MAX = 200;

type Props = { customer: Customer; archived: boolean };

/** Calls, visits, messages… newest first, with who logged them; 记录沟通 logs one in two clicks. */
export function InteractionsTab({ customer, archived }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canWrite = useCan('interactions.write') && !archived;
  const [logging, setLogging] = useState(false);
  // interactions.list takes a limit, not a cursor: show more by asking for more.
  const [limit, setLimit] = useState(STEP);
  const interactions = useQuery({
    ...trpc.interactions.list.queryOptions({ customerId: customer.id, limit }),
    placeholderData: keepPreviousData,
  });
  const items = interactions.data ?? [];
  const hasComplaint = items.some((interaction) => interaction.sentiment === 'complaint');
  const tickets = useTicketsByInteraction(customer.id, hasComplaint);

  let body: ReactNode;
  if (interactions.isPending) {
    body = <Skeleton active paragraph={{ rows: 4 }} />;
  } else if (interactions.isError) {
    body = (
      <Typography.Text type="danger">
        {errorMessage(interactions.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
      </Typography.Text>
    );
  } else if (items.length === 0) {
    body = (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('interactions.empty')}>
        {canWrite ? <Typography.Text type="secondary">{t('interactions.emptyHint')}</Typography.Text> : null}
      </Empty>
    );
  } else {
    body = (
      <div data-testid="interactions-list">
        {items.map((interaction, index) => (
          <Fragment key={interaction.id}>
            {index > 0 ? <Divider style={{ margin: '16px 0' }} /> : null}
            <InteractionItem interaction={interaction} ticket={tickets.get(interaction.id) ?? null} />
          </Fragment>
        ))}
        {items.length === limit && limit < MAX ? (
          <Flex justify="center" style={{ marginTop: 16 }}>
            <Button
              loading={interactions.isFetching}
              onClick={() => setLimit((current) => Math.min(current + STEP, MAX))}
            >
              {t('common.loadMore')}
            </Button>
          </Flex>
        ) : null}
      </div>
    );
  }

  return (
    <TabPanel
      extra={
        canWrite ? (
          <Button
            data-testid="interaction-new"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setLogging(true)}
          >
            {t('interactions.new')}
          </Button>
        ) : null
      }
    >
      {body}
      {canWrite ? (
        <LogInteractionModal open={logging} onClose={() => setLogging(false)} customerId={customer.id} />
      ) : null}
    </TabPanel>
  );
}

function InteractionItem({
  interaction,
  ticket,
}: {
  interaction: Interaction;
  ticket: { id: string; number: number } | null;
}) {
  const { t } = useTranslation();
  const overdue = interaction.nextStepDue !== null && dayjs(interaction.nextStepDue).isBefore(dayjs(), 'day');
  return (
    <Flex gap={12} align="flex-start" data-testid="interaction-item">
      <Avatar size={36} style={{ background: '#e6f4ff', color: '#1677ff', flex: 'none' }}>
        {INTERACTION_ICONS[interaction.kind]}
      </Avatar>
      <Flex vertical gap={6} style={{ minWidth: 0, flex: 1 }}>
        <Flex gap={8} align="center" wrap>
          <InteractionKindTag kind={interaction.kind} />
          <SentimentTag sentiment={interaction.sentiment} />
          <Typography.Text type="secondary">{formatDateTime(interaction.occurredAt)}</Typography.Text>
          {interaction.userName ? (
            <Typography.Text type="secondary">
              · {t('interactions.by', { name: interaction.userName })}
            </Typography.Text>
          ) : null}
          {interaction.contactName ? (
            <Tag icon={<UserOutlined />} style={{ marginInlineEnd: 0 }}>
              {t('interactions.with', { name: interaction.contactName })}
            </Tag>
          ) : null}
          {interaction.sentiment === 'complaint' ? (
            <ComplaintTicketButton interaction={interaction} ticket={ticket} />
          ) : null}
        </Flex>
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {interaction.summary}
        </Typography.Paragraph>
        {interaction.outcome ? (
          <Typography.Text>
            <Typography.Text type="secondary">
              {t('interactions.outcome')}
              {t('common.colon')}
            </Typography.Text>
            {interaction.outcome}
          </Typography.Text>
        ) : null}
        {interaction.nextStep ? (
          <Typography.Text>
            <ArrowRightOutlined style={{ color: '#1677ff', marginInlineEnd: 6 }} />
            <Typography.Text type="secondary">
              {t('interactions.nextStep')}
              {t('common.colon')}
            </Typography.Text>
            {interaction.nextStep}
            {interaction.nextStepDue ? (
              <Tag color={overdue ? 'red' : 'default'} style={{ marginInlineStart: 8 }}>
                {t('interactions.due', { date: formatDate(interaction.nextStepDue) })}
              </Tag>
            ) : null}
          </Typography.Text>
        ) : null}
      </Flex>
    </Flex>
  );
}
