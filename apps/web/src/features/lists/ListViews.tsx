import { DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Form, Input, Modal, Select, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type SearchView = RouterOutputs['views']['searches'][number];
type SaveInput = RouterInputs['views']['saveSearch'];

/** Two filter sets are the same view when they hold the same non-empty values, in any key order. */
function sameSearch(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const normal = (value: Record<string, unknown>) =>
    JSON.stringify(
      Object.keys(value)
        .filter((key) => value[key] !== undefined && value[key] !== '')
        .sort()
        .map((key) => [key, value[key]]),
    );
  return normal(a) === normal(b);
}

type Props<L extends SaveInput['list']> = {
  list: L;
  /** The list's filters as the URL holds them now: what saving stores. */
  current: Extract<SaveInput, { list: L }>['search'];
  /** Opens a view: the page replaces its filters with the view's. */
  onApply: (search: Record<string, unknown>) => void;
};

/**
 * 视图 of the 线索 and 商机 lists: pick one of my views or a shared one, save the filters as a
 * view (saving under an existing name changes it), delete one. A view is the one selected while
 * the list's filters are exactly its filters.
 */
export function ListViews<L extends SaveInput['list']>({ list, current, onApply }: Props<L>) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const canShare = useCan('views.share');
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const views = useQuery(trpc.views.searches.queryOptions({ list }));
  const active = views.data?.find((view) => sameSearch(view.search, current as Record<string, unknown>));
  const refresh = () => queryClient.invalidateQueries(trpc.views.searches.pathFilter());

  const idempotencyKey = useIdempotencyKey(saving);
  const save = useMutation(
    trpc.views.saveSearch.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async (view) => {
        void message.success(t('lists.views.saved', { name: view.name }));
        setSaving(false);
        await refresh();
      },
      onError: (error) => showError(error, { form, fields: ['name'] }),
    }),
  );
  const remove = useMutation(
    trpc.views.delete.mutationOptions({
      onSuccess: async () => {
        void message.success(t('lists.views.deleted'));
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );
  const changeable = active && (active.mine || canShare);
  const option = (view: SearchView) => ({
    value: view.id,
    label: view.name,
    title: view.mine ? view.name : t('lists.views.sharedBy', { name: view.ownerName ?? '' }),
  });
  const mine = (views.data ?? []).filter((view) => view.mine);
  const shared = (views.data ?? []).filter((view) => !view.mine);

  return (
    <Flex gap={8} align="center" wrap>
      <Select
        data-testid={`${list}-views-select`}
        aria-label={t('lists.views.label')}
        style={{ width: 180 }}
        value={active?.id ?? 'all'}
        loading={views.isPending}
        onChange={(id: string) => {
          if (id === 'all') onApply({});
          else onApply(views.data?.find((view) => view.id === id)?.search ?? {});
        }}
        options={[
          { value: 'all', label: t(`listViews.all.${list}`) },
          ...(mine.length > 0 ? [{ label: t('lists.views.mine'), options: mine.map(option) }] : []),
          ...(shared.length > 0 ? [{ label: t('lists.views.shared'), options: shared.map(option) }] : []),
        ]}
      />
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
      <Button data-testid={`${list}-views-save`} onClick={() => setSaving(true)}>
        {t('lists.views.saveAs')}
      </Button>
      <Modal
        open={saving}
        title={t('lists.views.saveAs')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setSaving(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('listViews.hint')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ shared: false }}
          onFinish={(values) =>
            save.mutate({ list, name: values.name, shared: values.shared, search: current } as SaveInput)
          }
        >
          <Form.Item
            name="name"
            label={t('lists.views.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input
              data-testid="list-view-name"
              maxLength={50}
              placeholder={t(`listViews.namePlaceholder.${list}`)}
              autoFocus
            />
          </Form.Item>
          {canShare ? (
            <Form.Item
              name="shared"
              valuePropName="checked"
              extra={<Typography.Text type="secondary">{t(`listViews.shareHint.${list}`)}</Typography.Text>}
            >
              <Checkbox>{t('lists.views.share')}</Checkbox>
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </Flex>
  );
}
