import { InboxOutlined, RollbackOutlined, SwapOutlined, TagsOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';
import { useTagsById } from '../profile-meta';

type Props = { ids: string[]; archived: boolean; onDone: () => void };

const POOL = '__pool__';

/** 批量操作 on the selected customers: tag, reassign, archive or restore — each all or nothing. */
export function BulkActions({ ids, archived, onDone }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const canTag = useCan('customers.tag');
  const canReassign = useCan('customers.reassign');
  const canArchive = useCan('customers.archive');
  const canReadMembers = useCan('members.read');
  const tags = useTagsById();
  const [dialog, setDialog] = useState<'tag' | 'reassign' | null>(null);
  const [tagForm] = Form.useForm<{ add?: string[]; remove?: string[] }>();
  const [ownerForm] = Form.useForm<{ owner: string }>();
  const members = useQuery({
    ...trpc.members.list.queryOptions(),
    enabled: dialog === 'reassign' && canReadMembers,
  });
  const count = ids.length;

  const finish = async (text: string) => {
    void message.success(text);
    setDialog(null);
    onDone();
    await queryClient.invalidateQueries(trpc.customers.pathFilter());
  };
  const tag = useMutation(
    trpc.customers.tag.mutationOptions({
      onSuccess: (result) => finish(t('lists.bulk.tagged', { count: result.updated })),
      onError: (error) => showError(error, { form: tagForm, fields: ['add', 'remove'] }),
    }),
  );
  const reassign = useMutation(
    trpc.customers.reassign.mutationOptions({
      onSuccess: (result) => finish(t('lists.bulk.reassigned', { count: result.reassigned })),
      onError: (error) => showError(error),
    }),
  );
  const archive = useMutation(
    trpc.customers.archiveMany.mutationOptions({
      onSuccess: (result, input) =>
        finish(
          t(input.archived === false ? 'lists.bulk.restored' : 'lists.bulk.archived', {
            count: result.updated,
          }),
        ),
      onError: (error) => showError(error),
    }),
  );
  const tagOptions = [...tags.values()].map((item) => ({ value: item.id, label: item.name }));

  return (
    <>
      <Alert
        type="info"
        data-testid="bulk-bar"
        style={{ margin: '0 16px 12px' }}
        title={
          <Flex justify="space-between" align="center" wrap gap={8}>
            <span data-testid="bulk-count">{t('lists.bulk.selected', { count })}</span>
            <Flex gap={8} wrap>
              {canTag ? (
                <Button
                  size="small"
                  icon={<TagsOutlined />}
                  data-testid="bulk-tag"
                  onClick={() => setDialog('tag')}
                >
                  {t('lists.bulk.tag')}
                </Button>
              ) : null}
              {canReassign && canReadMembers ? (
                <Button
                  size="small"
                  icon={<SwapOutlined />}
                  data-testid="bulk-reassign"
                  onClick={() => setDialog('reassign')}
                >
                  {t('lists.bulk.reassign')}
                </Button>
              ) : null}
              {canArchive ? (
                <Button
                  size="small"
                  danger={!archived}
                  icon={archived ? <RollbackOutlined /> : <InboxOutlined />}
                  data-testid="bulk-archive"
                  onClick={() =>
                    modal.confirm({
                      title: t(archived ? 'lists.bulk.restoreConfirm' : 'lists.bulk.archiveConfirm', {
                        count,
                      }),
                      okText: t(archived ? 'lists.bulk.restore' : 'lists.bulk.archive'),
                      okButtonProps: { danger: !archived },
                      cancelText: t('common.cancel'),
                      onOk: () => archive.mutateAsync({ ids, archived: !archived }).catch(() => undefined),
                    })
                  }
                >
                  {t(archived ? 'lists.bulk.restore' : 'lists.bulk.archive')}
                </Button>
              ) : null}
              <Button size="small" type="link" onClick={onDone}>
                {t('lists.bulk.clear')}
              </Button>
            </Flex>
          </Flex>
        }
      />
      <Modal
        open={dialog === 'tag'}
        title={t('lists.bulk.tagTitle', { count })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={tag.isPending}
        onOk={() => tagForm.submit()}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        <Form
          form={tagForm}
          layout="vertical"
          onFinish={(values) => tag.mutate({ ids, add: values.add ?? [], remove: values.remove ?? [] })}
        >
          <Form.Item name="add" label={t('lists.bulk.add')}>
            <Select
              mode="multiple"
              data-testid="bulk-tag-add"
              options={tagOptions}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          <Form.Item name="remove" label={t('lists.bulk.remove')}>
            <Select mode="multiple" options={tagOptions} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={dialog === 'reassign'}
        title={t('lists.bulk.reassignTitle', { count })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={reassign.isPending}
        onOk={() => ownerForm.submit()}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        <Form
          form={ownerForm}
          layout="vertical"
          onFinish={(values) =>
            reassign.mutate({ ids, ownerUserId: values.owner === POOL ? null : values.owner })
          }
        >
          <Form.Item
            name="owner"
            label={t('lists.bulk.newOwner')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={members.isPending}
              options={[
                { value: POOL, label: t('lists.bulk.toPool') },
                ...(members.data ?? []).map((member) => ({ value: member.userId, label: member.name })),
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
