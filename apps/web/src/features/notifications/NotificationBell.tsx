import { BellOutlined, SettingOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useRouter } from '@tanstack/react-router';
import { Badge, Button, Empty, Flex, List, Popover, Segmented, Spin, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Notification = RouterOutputs['notifications']['list']['items'][number];

/**
 * How often the bell asks for its count while the page is visible (TanStack Query does not
 * poll a hidden tab). The answer is a count and a version; the list is fetched only when the
 * panel opens, and again only when the version changes.
 */
const POLL_MS = 30_000;
const PAGE_SIZE = 15;

/** The bell in the header: the unread count, live; a panel with the member's notifications. */
export function NotificationBell() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const showError = useShowError();
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);

  const unread = useQuery({
    ...trpc.notifications.unreadCount.queryOptions(),
    refetchInterval: POLL_MS,
  });
  const version = unread.data?.version;

  const list = useInfiniteQuery({
    queryKey: [...trpc.notifications.list.queryKey(), { unreadOnly }],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      queryClient.fetchQuery(
        trpc.notifications.list.queryOptions({
          unreadOnly,
          limit: PAGE_SIZE,
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
      ),
    getNextPageParam: (page) => page.nextCursor,
    enabled: open,
    staleTime: Number.POSITIVE_INFINITY,
  });

  // Something changed (a new notification, one read elsewhere): the list is stale now.
  const seen = useRef(version);
  useEffect(() => {
    if (version === undefined || seen.current === version) return;
    seen.current = version;
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() });
  }, [version, queryClient, trpc]);

  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: (result) => {
        queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), result.unread);
        seen.current = result.unread.version;
        void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() });
      },
      onError: (error) => showError(error),
    }),
  );

  const count = unread.data?.count ?? 0;
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  function openNotification(item: Notification) {
    if (!item.readAt) markRead.mutate({ ids: [item.id] });
    if (item.link) {
      setOpen(false);
      router.history.push(item.link);
    }
  }

  const panel = (
    <div style={{ width: 360, maxWidth: 'calc(100vw - 32px)' }} data-testid="notification-panel">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Segmented
          size="small"
          aria-label={t('notifications.bell.filterLabel')}
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(value) => setUnreadOnly(value === 'unread')}
          options={[
            { value: 'all', label: t('email.allStatuses') },
            { value: 'unread', label: t('notifications.bell.unreadOnly') },
          ]}
        />
        <Button
          size="small"
          type="link"
          disabled={count === 0}
          loading={markRead.isPending}
          data-testid="notifications-mark-all"
          onClick={() => markRead.mutate({ all: true })}
        >
          {t('notifications.bell.markAllRead')}
        </Button>
      </Flex>
      <div style={{ maxHeight: 420, overflowY: 'auto' }}>
        {list.isPending ? (
          <Flex justify="center" style={{ padding: 24 }}>
            <Spin />
          </Flex>
        ) : items.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={unreadOnly ? t('notifications.bell.emptyUnread') : t('notifications.bell.empty')}
          />
        ) : (
          <List
            size="small"
            dataSource={items}
            renderItem={(item) => (
              <List.Item
                data-testid="notification-item"
                style={{
                  cursor: item.link ? 'pointer' : 'default',
                  background: item.readAt ? undefined : '#f0f5ff',
                  paddingInline: 8,
                  borderRadius: 6,
                }}
                onClick={() => openNotification(item)}
                actions={
                  item.readAt
                    ? []
                    : [
                        <Tooltip key="read" title={t('notifications.bell.markRead')}>
                          <Button
                            size="small"
                            type="text"
                            aria-label={t('notifications.bell.markRead')}
                            onClick={(event) => {
                              event.stopPropagation();
                              markRead.mutate({ ids: [item.id] });
                            }}
                          >
                            <Badge status="processing" />
                          </Button>
                        </Tooltip>,
                      ]
                }
              >
                <List.Item.Meta
                  title={
                    <Typography.Text strong={!item.readAt} style={{ fontSize: 13 }}>
                      {item.title}
                    </Typography.Text>
                  }
                  description={
                    <>
                      {item.body ? (
                        <Typography.Paragraph
                          type="secondary"
                          ellipsis={{ rows: 2 }}
                          style={{ marginBottom: 0, fontSize: 12 }}
                        >
                          {item.body}
                        </Typography.Paragraph>
                      ) : null}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        <Tooltip title={dayjs(item.createdAt).format('YYYY-MM-DD HH:mm')}>
                          {dayjs(item.createdAt).fromNow()}
                        </Tooltip>
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        )}
        {list.hasNextPage ? (
          <Flex justify="center" style={{ paddingBlock: 8 }}>
            <Button size="small" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t('notifications.bell.loadMore')}
            </Button>
          </Flex>
        ) : null}
      </div>
      <Flex justify="flex-end" style={{ borderTop: '1px solid #f0f0f0', paddingTop: 8, marginTop: 8 }}>
        <Link
          to="/settings/notifications"
          onClick={() => setOpen(false)}
          data-testid="notification-settings-link"
        >
          <SettingOutlined /> {t('notifications.bell.settings')}
        </Link>
      </Flex>
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      title={t('notifications.bell.title')}
      content={panel}
      arrow={false}
    >
      <Button
        type="text"
        data-testid="notification-bell"
        aria-label={
          count > 0 ? t('notifications.bell.unreadCount', { count }) : t('notifications.bell.label')
        }
        icon={
          <Badge count={count} overflowCount={99} size="small" data-testid="notification-count">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
