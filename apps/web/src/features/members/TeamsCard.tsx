import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Team = RouterOutputs['teams']['list'][number];

/** Teams decide what a sales manager sees; owners and admins keep them here. */
export function TeamsCard() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canManage = useCan('teams.manage');
  const teams = useQuery(trpc.teams.list.queryOptions());
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [form] = Form.useForm<{ name: string }>();

  const refresh = async () => {
    await queryClient.invalidateQueries(trpc.teams.list.pathFilter());
    await queryClient.invalidateQueries(trpc.members.list.pathFilter());
  };
  const onError = (error: unknown) => showError(error, { form });
  const create = useMutation(trpc.teams.create.mutationOptions({ onError }));
  const rename = useMutation(trpc.teams.rename.mutationOptions({ onError }));
  const remove = useMutation(
    trpc.teams.delete.mutationOptions({
      onSuccess: async () => {
        void message.success(t('teams.deleted'));
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );

  const save = async ({ name }: { name: string }) => {
    if (editing === 'new') await create.mutateAsync({ name });
    else if (editing) await rename.mutateAsync({ id: editing.id, name });
    void message.success(t('teams.saved'));
    setEditing(null);
    await refresh();
  };

  return (
    <Card
      title={t('teams.title')}
      extra={
        canManage ? (
          <Button
            data-testid="team-new"
            icon={<PlusOutlined />}
            onClick={() => {
              form.setFieldsValue({ name: '' });
              setEditing('new');
            }}
          >
            {t('teams.new')}
          </Button>
        ) : null
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<Team>
        data-testid="teams-table"
        rowKey="id"
        loading={teams.isLoading}
        dataSource={teams.data ?? []}
        pagination={false}
        locale={{ emptyText: t('teams.empty') }}
        columns={[
          { key: 'name', dataIndex: 'name', title: t('teams.name') },
          { key: 'memberCount', dataIndex: 'memberCount', title: t('teams.memberCount'), width: 120 },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  width: 200,
                  render: (_: unknown, team: Team) => (
                    <>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => {
                          form.setFieldsValue({ name: team.name });
                          setEditing(team);
                        }}
                      >
                        {t('teams.rename')}
                      </Button>
                      <Popconfirm
                        title={t('teams.deleteConfirm', { name: team.name })}
                        okText={t('teams.delete')}
                        okButtonProps={{ danger: true }}
                        cancelText={t('common.cancel')}
                        onConfirm={() => remove.mutateAsync({ id: team.id }).catch(() => undefined)}
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                          {t('teams.delete')}
                        </Button>
                      </Popconfirm>
                    </>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('teams.new') : t('teams.rename')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending || rename.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(values) => save(values).catch(() => undefined)}>
          <Form.Item
            name="name"
            label={t('teams.name')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input data-testid="team-name" maxLength={100} placeholder={t('teams.namePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
