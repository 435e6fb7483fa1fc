import { EditOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Popconfirm, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { type Campaign, CampaignFormModal } from './CampaignFormModal';

const STATUS_COLOR = { draft: 'default', sending: 'processing', sent: 'success' } as const;

function rate(count: number, of: number): string {
  return of === 0 ? '0%' : `${Math.round((count / of) * 1000) / 10}%`;
}

/** 营销活动: each campaign with sent / opened / clicked / replied; drafts are edited and sent from here. */
export function CampaignsTab() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const campaigns = useQuery(trpc.marketing.campaigns.list.queryOptions());
  const sendKey = useIdempotencyKey(true);
  const send = useMutation(
    trpc.marketing.campaigns.send.mutationOptions({
      trpc: idempotent(sendKey),
      onSuccess: async ({ sent }) => {
        void message.success(t('marketing.campaigns.sentMessage', { count: sent }));
        await queryClient.invalidateQueries(trpc.marketing.campaigns.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );

  const counted = (value: number, campaign: Campaign) =>
    campaign.status === 'draft'
      ? '—'
      : t('marketing.campaigns.rate', { count: value, rate: rate(value, campaign.sent) });

  const columns: ColumnsType<Campaign> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('marketing.campaigns.columns.name'),
      width: 200,
      ellipsis: true,
    },
    { key: 'subject', dataIndex: 'subject', title: t('marketing.campaigns.columns.subject'), ellipsis: true },
    {
      key: 'status',
      dataIndex: 'status',
      title: t('marketing.campaigns.columns.status'),
      width: 100,
      render: (status: Campaign['status']) => (
        <Tag color={STATUS_COLOR[status]}>{t(`marketing.campaigns.status.${status}`)}</Tag>
      ),
    },
    {
      key: 'sent',
      dataIndex: 'sent',
      title: t('marketing.campaigns.columns.sent'),
      width: 90,
      align: 'right',
    },
    {
      key: 'opened',
      dataIndex: 'opened',
      title: t('marketing.campaigns.columns.opened'),
      width: 120,
      align: 'right',
      render: counted,
    },
    {
      key: 'clicked',
      dataIndex: 'clicked',
      title: t('marketing.campaigns.columns.clicked'),
      width: 120,
      align: 'right',
      render: counted,
    },
    {
      key: 'replied',
      dataIndex: 'replied',
      title: t('marketing.campaigns.columns.replied'),
      width: 120,
      align: 'right',
      render: counted,
    },
    {
      key: 'sentAt',
      dataIndex: 'sentAt',
      title: t('marketing.campaigns.columns.sentAt'),
      width: 170,
      render: (value: string | null) => (value ? formatDateTime(value) : '—'),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 170,
      render: (_: unknown, campaign: Campaign) =>
        campaign.status === 'draft' ? (
          <Flex gap={4}>
            <Button
              type="link"
              size="small"
              icon={<EditOutlined />}
              aria-label={`${t('marketing.campaigns.edit')} ${campaign.name}`}
              onClick={() => setEditing(campaign)}
            >
              {t('marketing.campaigns.edit')}
            </Button>
            <SendButton
              campaign={campaign}
              onSend={() => send.mutateAsync({ id: campaign.id }).catch(() => undefined)}
            />
          </Flex>
        ) : null,
    },
  ];

  return (
    <Card
      title={t('marketing.tabs.campaigns')}
      extra={
        <Button
          data-testid="campaign-create"
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
        >
          {t('marketing.campaigns.create')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<Campaign>
        data-testid="campaigns-table"
        rowKey="id"
        size="middle"
        loading={campaigns.isPending}
        dataSource={campaigns.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Empty description={t('marketing.campaigns.empty')} /> }}
      />
      <CampaignFormModal
        open={editing !== null}
        campaign={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}

function SendButton({ campaign, onSend }: { campaign: Campaign; onSend: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const count = useQuery({
    ...trpc.marketing.campaigns.audienceCount.queryOptions({ audience: campaign.audience }),
    enabled: open,
  });
  return (
    <Popconfirm
      open={open}
      onOpenChange={setOpen}
      title={t('marketing.campaigns.send')}
      description={
        <div style={{ maxWidth: 300 }}>
          {t('marketing.campaigns.sendConfirm', { name: campaign.name, count: count.data?.count ?? 0 })}
        </div>
      }
      okText={t('marketing.campaigns.send')}
      okButtonProps={{
        disabled: !count.data,
        ...({ 'data-testid': 'campaign-send-confirm' } as Record<string, string>),
      }}
      cancelText={t('common.cancel')}
      onConfirm={onSend}
    >
      <Button
        type="link"
        size="small"
        icon={<SendOutlined />}
        data-testid="campaign-send"
        aria-label={`${t('marketing.campaigns.send')} ${campaign.name}`}
      >
        {t('marketing.campaigns.send')}
      </Button>
    </Popconfirm>
  );
}
