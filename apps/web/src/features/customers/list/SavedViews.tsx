import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Form, Input, Modal, Select, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerQuery, SavedView } from '../../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../../lib/idempotency';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

type Props = {
  activeId: string | undefined;
  /** The list as it is now: what saving stores. */
  current: { query: CustomerQuery; columns: string[] };
  onSelect: (view: SavedView | null) => void;
};

/** 视图: pick one of my views or a shared one, save the current list as a view, update or delete it. */
export function SavedViews({ activeId, current, onSelect }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const canShare = useCan('views.share');
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const views = useQuery(trpc.views.list.queryOptions());
  const active = views.data?.find((view) => view.id === activeId);
  const refresh = () => queryClient.invalidateQueries(trpc.views.list.pathFilter());

  const idempotencyKey = useIdempotencyKey(saving);
  const create = useMutation(
    trpc.views.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async (view) => {
        void message.success(t('lists.views.saved', { name: view.name }));
        setSaving(false);
        await refresh();
        onSelect(view);
      },
      onError: (error) => showError(error, { form, fields: ['name'] }),
    }),
  );
  const update = useMutation(
    trpc.views.update.mutationOptions({
      onSuccess: async (view) => {
        void message.success(t('lists.views.saved', { name: view.name }));
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );
  const remove = useMutation(
    trpc.views.delete.mutationOptions({
      onSuccess: async () => {
        void message.success(t('lists.views.deleted'));
        onSelect(null);
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );
  const changeable = active && (active.mine || canShare);

  const option = (view: SavedView) => ({
    value: view.id,
    label: view.name,
    title: view.mine ? view.name : t('lists.views.sharedBy', { name: view.ownerName ?? '' }),
  });
  const mine = (views.data ?? []).filter((view) => view.mine);
  const shared = (views.data ?? []).filter((view) => !view.mine);

  return (
    <Flex gap={8} align="center" wrap>
      <Select
        data-testid="views-select"
        aria-label={t('lists.views.label')}
        style={{ width: 200 }}
        value={activeId ?? 'all'}
        loading={views.isPending}
        onChange={(id: string) =>
          onSelect(id === 'all' ? null : (views.data?.find((view) => view.id === id) ?? null))
        }
        options={[
          { value: 'all', label: t('lists.views.all') },
          ...(mine.length > 0 ? [{ label: t('lists.views.mine'), options: mine.map(option) }] : []),
          ...(shared.length > 0 ? [{ label: t('lists.views.shared'), options: shared.map(option) }] : []),
        ]}
      />
      {changeable ? (
        <Tooltip title={t('lists.views.save')}>
          <Button
            data-testid="views-update"
            icon={<SaveOutlined />}
            aria-label={t('lists.views.save')}
            loading={update.isPending}
            onClick={() => update.mutate({ id: active.id, query: current.query, columns: current.columns })}
          />
        </Tooltip>
      ) : null}
      {changeable ? (
        <Tooltip title={t('lists.views.delete')}>
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('lists.views.delete')}
            onClick={() =>
              modal.confirm({
                title: t('lists.views.deleteConfirm', { name: active.name }),
                okButtonProps: { danger: true },
                okText: t('common.delete'),
                cancelText: t('common.cancel'),
                onOk: () => remove.mutateAsync({ id: active.id }).catch(() => undefined),
              })
            }
          />
        </Tooltip>
      ) : null}
      <Button data-testid="views-save-as" onClick={() => setSaving(true)}>
        {t('lists.views.saveAs')}
      </Button>
      <Modal
        open={saving}
        title={t('lists.views.saveAs')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setSaving(false)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ shared: false }}
          onFinish={(values) =>
            create.mutate({
              name: values.name,
              shared: values.shared,
              query: current.query,
              columns: current.columns,
            })
          }
        >
          <Form.Item
            name="name"
            label={t('lists.views.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input
              data-testid="view-name"
              maxLength={50}
              placeholder={t('lists.views.namePlaceholder')}
              autoFocus
            />
          </Form.Item>
          {canShare ? (
            <Form.Item
              name="shared"
              valuePropName="checked"
              extra={<Typography.Text type="secondary">{t('lists.views.shareHint')}</Typography.Text>}
            >
              <Checkbox data-testid="view-shared">{t('lists.views.share')}</Checkbox>
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </Flex>
  );
}
