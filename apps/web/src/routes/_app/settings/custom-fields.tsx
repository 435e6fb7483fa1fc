import { EditOutlined, PlusOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Popconfirm,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListCount, lengthCount } from '../../../features/lists/ListCount';
import { ListSkeleton } from '../../../features/lists/ListSkeleton';
import { CustomFieldFormDrawer } from '../../../features/settings/CustomFieldFormDrawer';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import { type CustomField, hasOptions, labelIn } from '../../../features/settings/types';
import { errorMessage } from '../../../lib/errors';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/custom-fields')({
  component: CustomFieldsPage,
});

/** How many option names a row shows before "and N more". */
const SHOWN_OPTIONS = 4;

function CustomFieldsPage() {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canManage = useCan('fields.manage');
  const fields = useQuery(trpc.customFields.list.queryOptions());
  const [showArchived, setShowArchived] = useState(false);
  // The field being edited, 'new' for the create form, null when the drawer is closed.
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);

  const archive = useMutation(
    trpc.customFields.archive.mutationOptions({
      onSuccess: async (field) => {
        const label = labelIn(i18n.language, field);
        void message.success(
          field.archived
            ? t('customerSettings.customFields.archived', { label })
            : t('customerSettings.customFields.restored', { label }),
        );
        await Promise.all([
          queryClient.invalidateQueries(trpc.customFields.list.pathFilter()),
          queryClient.invalidateQueries(trpc.settings.customerRules.pathFilter()),
          // Completeness may have moved for every customer.
          queryClient.invalidateQueries(trpc.customers.pathFilter()),
        ]);
      },
      onError: (error) => showError(error),
    }),
  );

  const all = fields.data ?? [];
  const archivedCount = all.filter((field) => field.archived).length;
  const shown = showArchived ? all : all.filter((field) => !field.archived);
  const nextPosition = Math.min(
    1000,
    all.reduce((last, field) => Math.max(last, field.position + 10), 0),
  );
  const language = i18n.language;

  const columns: ColumnsType<CustomField> = [
    {
      key: 'label',
      title: t('customerSettings.customFields.columns.label'),
      render: (_: unknown, field) => (
        <Flex vertical gap={2}>
          <Flex align="center" gap={8} wrap>
            {/* No column of keys (b2b_credit_code): the key shows in the field's edit drawer, for the API. */}
            <Typography.Text strong type={field.archived ? 'secondary' : undefined}>
              {labelIn(language, field)}
            </Typography.Text>
            {field.source === 'plugin' ? (
              <Tag color="purple">{t('customerSettings.customFields.fromPlugin')}</Tag>
            ) : null}
          </Flex>
          {/* The label in the other language, marked as such (lang) for screen readers and spell checks. */}
          <Typography.Text
            type="secondary"
            style={{ fontSize: 12 }}
            lang={language === 'en' ? 'zh-CN' : 'en'}
          >
            {language === 'en' ? field.labelZh : field.labelEn}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'type',
      dataIndex: 'type',
      title: t('customerSettings.customFields.columns.type'),
      width: 130,
      render: (type: CustomField['type']) => t(`customerSettings.customFields.types.${type}`),
    },
    {
      key: 'options',
      title: t('customerSettings.customFields.columns.options'),
      render: (_: unknown, field) =>
        hasOptions(field.type) ? (
          <Flex gap={4} wrap align="center">
            {field.options.slice(0, SHOWN_OPTIONS).map((option) => (
              <Tooltip key={option.value} title={option.value}>
                <Tag style={{ marginInlineEnd: 0 }}>{labelIn(language, option)}</Tag>
              </Tooltip>
            ))}
            {field.options.length > SHOWN_OPTIONS ? (
              <Typography.Text type="secondary">
                {t('customerSettings.customFields.moreOptions', {
                  count: field.options.length - SHOWN_OPTIONS,
                })}
              </Typography.Text>
            ) : null}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    {
      key: 'required',
      dataIndex: 'required',
      title: t('customerSettings.customFields.columns.required'),
      width: 90,
      render: (required: boolean) =>
        required ? (
          <Tag color="red">{t('customerSettings.customFields.requiredYes')}</Tag>
        ) : (
          <Typography.Text type="secondary">{t('customerSettings.customFields.requiredNo')}</Typography.Text>
        ),
    },
    {
      key: 'sensitive',
      dataIndex: 'sensitive',
      title: t('sensitive.settings.column'),
      width: 80,
      render: (sensitive: boolean) =>
        sensitive ? (
          <Tag color="gold" data-testid="custom-field-sensitive-tag">
            {t('sensitive.badge')}
          </Tag>
        ) : null,
    },
    {
      key: 'position',
      dataIndex: 'position',
      title: t('customerSettings.customFields.columns.position'),
      width: 80,
    },
    {
      key: 'status',
      dataIndex: 'archived',
      title: t('customerSettings.customFields.columns.status'),
      width: 100,
      render: (archived: boolean) =>
        archived ? (
          <Tag>{t('customerSettings.customFields.archivedTag')}</Tag>
        ) : (
          <Tag color="green">{t('customerSettings.customFields.active')}</Tag>
        ),
    },
    ...(canManage
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 180,
            render: (_: unknown, field: CustomField) => {
              const label = labelIn(language, field);
              return (
                <Flex gap={4}>
                  <Button
                    type="link"
                    size="small"
                    icon={<EditOutlined />}
                    data-testid="custom-field-edit"
                    aria-label={`${t('customerSettings.customFields.edit')} ${label}`}
                    onClick={() => setEditing(field)}
                  >
                    {t('customerSettings.customFields.edit')}
                  </Button>
                  {field.archived ? (
                    <Button
                      type="link"
                      size="small"
                      icon={<RollbackOutlined />}
                      data-testid="custom-field-restore"
                      aria-label={`${t('customerSettings.customFields.restore')} ${label}`}
                      loading={archive.isPending && archive.variables?.id === field.id}
                      onClick={() => archive.mutate({ id: field.id, archived: false })}
                    >
                      {t('customerSettings.customFields.restore')}
                    </Button>
                  ) : (
                    <Popconfirm
                      title={t('customerSettings.customFields.archiveConfirmTitle', { label })}
                      description={
                        <div style={{ maxWidth: 300 }}>
                          {t('customerSettings.customFields.archiveConfirmContent')}
                        </div>
                      }
                      okText={t('customerSettings.customFields.archive')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('common.cancel')}
                      onConfirm={() =>
                        archive.mutateAsync({ id: field.id, archived: true }).catch(() => undefined)
                      }
                    >
                      <Button
                        type="link"
                        danger
                        size="small"
                        icon={<StopOutlined />}
                        data-testid="custom-field-archive"
                        aria-label={`${t('customerSettings.customFields.archive')} ${label}`}
                      >
                        {t('customerSettings.customFields.archive')}
                      </Button>
                    </Popconfirm>
                  )}
                </Flex>
              );
            },
          },
        ]
      : []),
  ];

  return (
    <>
      <SettingsPageHeader
        title={t('customerSettings.customFields.title')}
        subtitle={t('customerSettings.customFields.subtitle')}
        extra={
          canManage ? (
            <Button
              data-testid="custom-field-create"
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
            >
              {t('customerSettings.customFields.create')}
            </Button>
          ) : null
        }
      />
      {canManage ? null : (
        <Alert
          type="info"
          showIcon
          title={t('customerSettings.customFields.readOnly')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Card
        title={t('customerSettings.customFields.listTitle')}
        extra={
          <Flex align="center" gap={16}>
            {fields.isError ? null : <ListCount noun="fields" count={lengthCount(shown)} />}
            {archivedCount > 0 ? (
              <Flex align="center" gap={8}>
                <Switch
                  id="custom-fields-show-archived"
                  size="small"
                  checked={showArchived}
                  onChange={setShowArchived}
                  data-testid="custom-fields-show-archived"
                />
                <label htmlFor="custom-fields-show-archived">
                  {t('customerSettings.customFields.showArchived', { count: archivedCount })}
                </label>
              </Flex>
            ) : null}
          </Flex>
        }
        styles={{ body: { padding: 0 } }}
      >
        <div data-testid="custom-fields-table">
          <Table<CustomField>
            rowKey="id"
            columns={columns}
            dataSource={shown}
            pagination={false}
            scroll={{ x: 980 }}
            locale={{
              emptyText: fields.isPending ? (
                <ListSkeleton />
              ) : (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    fields.isError ? (
                      <Typography.Text type="danger">
                        {errorMessage(fields.error, {
                          network: t('errors.network'),
                          unknown: t('errors.unknown'),
                        })}
                      </Typography.Text>
                    ) : (
                      <>
                        <div>{t('customerSettings.customFields.empty')}</div>
                        <Typography.Text type="secondary">
                          {t('customerSettings.customFields.emptyHint')}
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
      {canManage ? (
        <CustomFieldFormDrawer
          open={editing !== null}
          field={editing === 'new' || editing === null ? undefined : editing}
          nextPosition={nextPosition}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}
