import { FormOutlined, LinkOutlined, MailOutlined, MessageOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

type LeadEvent = RouterOutputs['leadEvents']['list']['items'][number];

const ICONS: Record<LeadEvent['kind'], ReactNode> = {
  email_open: <MailOutlined />,
  link_click: <LinkOutlined />,
  form_submit: <FormOutlined />,
  reply: <MessageOutlined />,
};

/** 行为记录: a lead's opens, clicks, form submissions and replies, newest first (its timeline). */
export function LeadEventsCard({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const events = useInfiniteQuery({
    queryKey: [...trpc.leadEvents.list.queryKey(), { leadId }],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      queryClient.fetchQuery(
        trpc.leadEvents.list.queryOptions({ leadId, limit: 20, ...(pageParam ? { cursor: pageParam } : {}) }),
      ),
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card title={t('marketing.events.title')} loading={events.isPending} data-testid="lead-events">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('marketing.events.empty')} />
      ) : (
        <Timeline
          items={items.map((event) => ({
            key: event.id,
            dot: ICONS[event.kind],
            children: (
              <>
                <Typography.Text>{t(`marketing.events.kinds.${event.kind}`)}</Typography.Text>
                {event.campaignName || event.formName ? (
                  <Typography.Text type="secondary">{` · ${event.campaignName ?? event.formName}`}</Typography.Text>
                ) : null}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(event.occurredAt)}
                    {event.targetUrl ? ` · ${event.targetUrl}` : ''}
                  </Typography.Text>
                </div>
              </>
            ),
          }))}
        />
      )}
      {events.hasNextPage ? (
        <Button block onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      ) : null}
    </Card>
  );
}
