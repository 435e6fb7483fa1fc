import { DeleteOutlined, EditOutlined, PlusOutlined, TagsOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { Alert, App, Button, Card, Col, Empty, Flex, Popconfirm, Row, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListSkeleton } from '../../../features/lists/ListSkeleton';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import { SystemTagsCard } from '../../../features/settings/SystemTagsCard';
import { TagChip } from '../../../features/settings/TagChip';
import { TagFormModal } from '../../../features/settings/TagFormModal';
import type { FreeTag } from '../../../features/settings/types';
import { errorMessage } from '../../../lib/errors';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/tags')({
  component: TagsPage,
});

function TagsPage() {
  const { t } = useTranslation();
  const canManage = useCan('tags.manage');
  // The tag being edited, 'new' for the create form, null when the modal is closed.
  const [editing, setEditing] = useState<FreeTag | 'new' | null>(null);

  return (
    <>
      <SettingsPageHeader
        title={t('customerSettings.tags.title')}
        subtitle={t('customerSettings.tags.subtitle')}
        extra={
          canManage ? (
            <Button
              data-testid="tag-create"
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
            >
              {t('customerSettings.tags.create')}
            </Button>
          ) : null
        }
      />
      {canManage ? null : (
        <Alert
          type="info"
          showIcon
          title={t('customerSettings.tags.readOnly')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <FreeTagsCard canManage={canManage} onEdit={(tag) => setEditing(tag)} />
        </Col>
        <Col xs={24} xl={10}>
          <SystemTagsCard />
        </Col>
      </Row>
      {canManage ? (
        <TagFormModal
          open={editing !== null}
          tag={editing === 'new' || editing === null ? undefined : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

function FreeTagsCard({ canManage, onEdit }: { canManage: boolean; onEdit: (tag: FreeTag) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const tags = useQuery(trpc.tags.list.queryOptions());
  const remove = useMutation(
    trpc.tags.delete.mutationOptions({
      onSuccess: async ({ untagged }, { id }) => {
        const name = tags.data?.find((tag) => tag.id === id)?.name ?? '';
        void message.success(
          untagged > 0
            ? t('customerSettings.tags.deletedUntagged', { name, count: untagged })
            : t('customerSettings.tags.deleted', { name }),
        );
        await queryClient.invalidateQueries(trpc.tags.list.pathFilter());
        // Customers that wore it changed too.
        await queryClient.invalidateQueries(trpc.customers.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );

  const columns: ColumnsType<FreeTag> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('customerSettings.tags.columns.name'),
      width: 200,
      render: (name: string, tag) => <TagChip name={name} color={tag.color} />,
    },
    {
      key: 'description',
      dataIndex: 'description',
      title: t('customerSettings.tags.columns.description'),
      render: (description: string | null) =>
        description ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
    },
    ...(canManage
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 170,
            render: (_: unknown, tag: FreeTag) => (
              <Flex gap={4}>
                <Button
                  type="link"
                  size="small"
                  icon={<EditOutlined />}
                  data-testid="tag-edit"
                  aria-label={`${t('customerSettings.tags.edit')} ${tag.name}`}
                  onClick={() => onEdit(tag)}
                >
                  {t('customerSettings.tags.edit')}
                </Button>
                <Popconfirm
                  title={t('customerSettings.tags.deleteConfirmTitle', { name: tag.name })}
                  description={
                    <div style={{ maxWidth: 280 }}>{t('customerSettings.tags.deleteConfirmContent')}</div>
                  }
                  okText={t('customerSettings.tags.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutateAsync({ id: tag.id }).catch(() => undefined)}
                >
                  <Button
                    type="link"
                    danger
                    size="small"
                    icon={<DeleteOutlined />}
                    data-testid="tag-delete"
                    aria-label={`${t('customerSettings.tags.delete')} ${tag.name}`}
                  >
                    {t('customerSettings.tags.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <span>
          <TagsOutlined style={{ marginInlineEnd: 8, color: '#1f5eff' }} />
          {t('customerSettings.tags.freeTitle')}
        </span>
      }
      extra={
        tags.data ? (
          <Typography.Text type="secondary">
            {t('customerSettings.tags.count', { count: tags.data.length })}
          </Typography.Text>
        ) : null
      }
      styles={{ body: { padding: 0 } }}
    >
      <Typography.Paragraph type="secondary" style={{ margin: '12px 24px' }}>
        {t('customerSettings.tags.freeHint')}
      </Typography.Paragraph>
      <div data-testid="tags-table">
        <Table<FreeTag>
          rowKey="id"
          columns={columns}
          dataSource={tags.data ?? []}
          pagination={false}
          scroll={{ x: 560 }}
          locale={{
            emptyText: tags.isPending ? (
              <ListSkeleton />
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  tags.isError ? (
                    <Typography.Text type="danger">
                      {errorMessage(tags.error, {
                        network: t('errors.network'),
                        unknown: t('errors.unknown'),
                      })}
                    </Typography.Text>
                  ) : (
                    <>
                      <div>{t('customerSettings.tags.empty')}</div>
                      <Typography.Text type="secondary">
                        {t('customerSettings.tags.emptyHint')}
                      </Typography.Text>
                    </>
                  )
                }
              />
            ),
          }}
        />
      </div>
    </Card>
  );
}
