import { DeleteOutlined, LogoutOutlined, StopOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import {
  App,
  Avatar,
  Button,
  Card,
  Empty,
  Flex,
  Popconfirm,
  Result,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListCount, lengthCount } from '../../../features/lists/ListCount';
import { emptyOrSkeleton } from '../../../features/lists/ListSkeleton';
import { InviteModal } from '../../../features/members/InviteModal';
import { RoleTag } from '../../../features/members/RoleTag';
import { TeamsCard } from '../../../features/members/TeamsCard';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import { INVITABLE_ROLES, type Invitation, type Member, type Role } from '../../../lib/api-types';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan, useShell } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/members')({
  component: MembersPage,
});

function MembersPage() {
  const { t } = useTranslation();
  const canRead = useCan('members.read');
  const canInvite = useCan('members.invite');
  const [inviting, setInviting] = useState(false);

  return (
    <>
      <SettingsPageHeader
        title={t('members.title')}
        subtitle={t('members.subtitle')}
        extra={
          canInvite ? (
            <Button
              data-testid="members-invite"
              type="primary"
              icon={<UserAddOutlined />}
              onClick={() => setInviting(true)}
            >
              {t('members.invitations.invite')}
            </Button>
          ) : null
        }
      />
      {canRead ? (
        <Flex vertical gap={16}>
          <MembersTable />
          <TeamsCard />
          {canInvite ? <InvitationsTable /> : null}
        </Flex>
      ) : (
        <Card>
          <Result status="403" title={t('errors.forbiddenTitle')} subTitle={t('members.noPermission')} />
        </Card>
      )}
      {canInvite ? <InviteModal open={inviting} onClose={() => setInviting(false)} /> : null}
    </>
  );
}

function MembersTable() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const { me } = useShell();
  const canManage = useCan('members.manage');
  const members = useQuery(trpc.members.list.queryOptions());
  const canManageTeams = useCan('teams.manage');
  const teams = useQuery({ ...trpc.teams.list.queryOptions(), enabled: canManageTeams });
  const assignTeam = useMutation(
    trpc.teams.assign.mutationOptions({
      onSuccess: async ({ userId }) => {
        const name = members.data?.find((member) => member.userId === userId)?.name ?? '';
        void message.success(t('teams.assigned', { name }));
        await refresh();
        await queryClient.invalidateQueries(trpc.teams.list.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );

  const refresh = () => queryClient.invalidateQueries(trpc.members.list.pathFilter());
  const updateRole = useMutation(
    trpc.members.updateRole.mutationOptions({
      onSuccess: async ({ userId, role }) => {
        const name = members.data?.find((member) => member.userId === userId)?.name ?? '';
        void message.success(t('members.roleChanged', { name, role: t(`roles.${role}`) }));
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async ({ userId }) => {
        const name = members.data?.find((member) => member.userId === userId)?.name ?? '';
        void message.success(t('members.removed', { name }));
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );

  const signOut = useMutation(
    trpc.members.signOut.mutationOptions({
      onSuccess: ({ signedOut }, { userId }) => {
        const name = members.data?.find((member) => member.userId === userId)?.name ?? '';
        void message.success(t('members.signedOut', { name, count: signedOut }));
      },
      onError: (error) => showError(error),
    }),
  );

  const editable = (member: Member) => canManage && member.role !== 'owner' && member.userId !== me.user.id;

  const columns: ColumnsType<Member> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('members.columns.name'),
      render: (name: string, member) => (
        <Flex align="center" gap={10}>
          <Avatar size={28} style={{ background: '#e6edff', color: '#1f5eff', flex: 'none' }}>
            {name.trim().slice(0, 1).toUpperCase()}
          </Avatar>
          <Typography.Text strong>{name}</Typography.Text>
          {member.userId === me.user.id ? <Tag>{t('members.you')}</Tag> : null}
        </Flex>
      ),
    },
    { key: 'email', dataIndex: 'email', title: t('members.columns.email'), ellipsis: true },
    {
      key: 'role',
      dataIndex: 'role',
      title: t('members.columns.role'),
      width: 190,
      render: (role: Role, member) =>
        editable(member) ? (
          <Select<Role>
            size="small"
            style={{ width: 150 }}
            aria-label={t('members.columns.role')}
            value={role}
            loading={updateRole.isPending && updateRole.variables?.userId === member.userId}
            onChange={(next) => {
              if (next !== 'owner') updateRole.mutate({ userId: member.userId, role: next });
            }}
            options={INVITABLE_ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))}
          />
        ) : (
          <RoleTag role={role} />
        ),
    },
    {
      key: 'team',
      title: t('teams.column'),
      width: 170,
      render: (_: unknown, member: Member) =>
        canManageTeams ? (
          <Select<string>
            size="small"
            style={{ width: 140 }}
            aria-label={t('teams.column')}
            value={member.teamId ?? ''}
            loading={assignTeam.isPending && assignTeam.variables?.userId === member.userId}
            onChange={(teamId) =>
              assignTeam.mutate({ userId: member.userId, teamId: teamId === '' ? null : teamId })
            }
            options={[
              { value: '', label: t('teams.none') },
              ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
            ]}
          />
        ) : (
          (member.teamName ?? t('teams.none'))
        ),
    },
    {
      key: 'joinedAt',
      dataIndex: 'joinedAt',
      title: t('members.columns.joinedAt'),
      width: 170,
      render: (value: string) => formatDateTime(value),
    },
    ...(canManage
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 200,
            render: (_: unknown, member: Member) =>
              editable(member) ? (
                <Flex gap={4}>
                  <Popconfirm
                    title={t('members.signOutConfirmTitle', { name: member.name })}
                    description={<div style={{ maxWidth: 280 }}>{t('members.signOutConfirmContent')}</div>}
                    okText={t('members.signOut')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => signOut.mutateAsync({ userId: member.userId }).catch(() => undefined)}
                  >
                    <Button type="link" size="small" icon={<LogoutOutlined />} data-testid="member-sign-out">
                      {t('members.signOut')}
                    </Button>
                  </Popconfirm>
                  <Popconfirm
                    title={t('members.removeConfirmTitle', { name: member.name })}
                    description={<div style={{ maxWidth: 280 }}>{t('members.removeConfirmContent')}</div>}
                    okText={t('members.remove')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => remove.mutateAsync({ userId: member.userId }).catch(() => undefined)}
                  >
                    <Button type="link" danger size="small" icon={<DeleteOutlined />}>
                      {t('members.remove')}
                    </Button>
                  </Popconfirm>
                </Flex>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('members.listTitle')}
      extra={members.isError ? null : <ListCount noun="members" count={lengthCount(members.data)} />}
      styles={{ body: { padding: 0 } }}
    >
      <div data-testid="members-table">
        <Table<Member>
          rowKey="userId"
          columns={columns}
          dataSource={members.data ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{
            emptyText: emptyOrSkeleton(
              members.isPending,
              members.isError ? (
                <Typography.Text type="danger">
                  {errorMessage(members.error, {
                    network: t('errors.network'),
                    unknown: t('errors.unknown'),
                  })}
                </Typography.Text>
              ) : undefined,
            ),
          }}
        />
      </div>
    </Card>
  );
}

function InvitationsTable() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const invitations = useQuery(trpc.members.invitations.list.queryOptions());
  const revoke = useMutation(
    trpc.members.invitations.revoke.mutationOptions({
      onSuccess: async () => {
        void message.success(t('members.invitations.revoked'));
        await queryClient.invalidateQueries(trpc.members.invitations.list.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );

  const columns: ColumnsType<Invitation> = [
    {
      key: 'email',
      dataIndex: 'email',
      title: t('members.columns.email'),
      ellipsis: true,
      render: (email: string | null) =>
        email ?? <Typography.Text type="secondary">{t('members.invitations.anyone')}</Typography.Text>,
    },
    {
      key: 'role',
      dataIndex: 'role',
      title: t('members.invitations.role'),
      width: 140,
      render: (role: Role) => <RoleTag role={role} />,
    },
    {
      key: 'invitedBy',
      dataIndex: 'invitedBy',
      title: t('members.invitations.invitedBy'),
      width: 140,
      render: (name: string | null) => name ?? t('common.none'),
    },
    {
      key: 'createdAt',
      dataIndex: 'createdAt',
      title: t('members.invitations.createdAt'),
      width: 170,
      render: (value: string) => formatDateTime(value),
    },
    {
      key: 'expiresAt',
      dataIndex: 'expiresAt',
      title: t('members.invitations.expiresAt'),
      width: 170,
      render: (value: string) => formatDateTime(value),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      render: (_: unknown, invitation) => (
        <Popconfirm
          title={t('members.invitations.revokeConfirmTitle')}
          description={t('members.invitations.revokeConfirmContent')}
          okText={t('members.invitations.revoke')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onConfirm={() => revoke.mutateAsync({ id: invitation.id }).catch(() => undefined)}
        >
          <Button type="link" danger size="small" icon={<StopOutlined />}>
            {t('members.invitations.revoke')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card title={t('members.invitations.title')} styles={{ body: { padding: 0 } }}>
      <div data-testid="invitations-table">
        <Table<Invitation>
          rowKey="id"
          columns={columns}
          dataSource={invitations.data ?? []}
          loading={invitations.isPending}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  invitations.isError
                    ? errorMessage(invitations.error, {
                        network: t('errors.network'),
                        unknown: t('errors.unknown'),
                      })
                    : t('members.invitations.empty')
                }
              />
            ),
          }}
        />
      </div>
    </Card>
  );
}
