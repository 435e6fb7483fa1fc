import {
  ApartmentOutlined,
  ApiOutlined,
  BellOutlined,
  BranchesOutlined,
  CalendarOutlined,
  ClusterOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DesktopOutlined,
  EditOutlined,
  GiftOutlined,
  InboxOutlined,
  MailOutlined,
  ProfileOutlined,
  RightOutlined,
  ScheduleOutlined,
  TagsOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createFileRoute, Link } from '@tanstack/react-router';
import { App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { useIndustryName } from '../../../lib/industry-profiles';
import { useCan, useShell } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/')({
  component: SettingsPage,
});

function SettingsPage() {
  const { t } = useTranslation();
  const industryName = useIndustryName();
  const { tenant } = useShell();
  const canRename = useCan('tenant.update');
  const canSeeJobs = useCan('jobs.read');
  const canConfigurePool = useCan('pool.configure');
  const canManagePlatform = useCan('platform.manage');
  const [renaming, setRenaming] = useState(false);

  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card
            title={
              <span>
                <ApartmentOutlined style={{ marginInlineEnd: 8, color: '#1f5eff' }} />
                {t('settings.org.title')}
              </span>
            }
            extra={
              canRename ? (
                <Button type="link" icon={<EditOutlined />} onClick={() => setRenaming(true)}>
                  {t('settings.org.rename')}
                </Button>
              ) : null
            }
            style={{ height: '100%' }}
          >
            <Typography.Paragraph type="secondary">{t('settings.org.description')}</Typography.Paragraph>
            <Descriptions
              column={1}
              items={[
                { key: 'name', label: t('org.name'), children: tenant.name },
                { key: 'industry', label: t('industry.label'), children: industryName(tenant.industry) },
                {
                  key: 'role',
                  label: t('settings.org.yourRole'),
                  children: <Tag color="blue">{t(`roles.${tenant.role}`)}</Tag>,
                },
              ]}
            />
          </Card>
        </Col>
        <SettingsLinkCard
          icon={<TeamOutlined />}
          area="members"
          to="/settings/members"
          title={t('settings.members.title')}
          description={t('settings.members.description')}
          open={t('settings.members.open')}
          primary
        />
        <SettingsLinkCard
          icon={<TagsOutlined />}
          area="tags"
          to="/settings/tags"
          title={t('customerSettings.links.tags.title')}
          description={t('customerSettings.links.tags.description')}
          open={t('customerSettings.links.tags.open')}
        />
        <SettingsLinkCard
          icon={<ProfileOutlined />}
          area="custom-fields"
          to="/settings/custom-fields"
          title={t('customerSettings.links.customFields.title')}
          description={t('customerSettings.links.customFields.description')}
          open={t('customerSettings.links.customFields.open')}
        />
        <SettingsLinkCard
          icon={<ControlOutlined />}
          area="customer-rules"
          to="/settings/customer-rules"
          title={t('customerSettings.links.customerRules.title')}
          description={t('customerSettings.links.customerRules.description')}
          open={t('customerSettings.links.customerRules.open')}
        />
        <SettingsLinkCard
          icon={<ClusterOutlined />}
          area="industry"
          to="/settings/industry"
          title={t('industryConfig.title')}
          description={t('industryConfig.link.description')}
          open={t('industryConfig.link.open')}
        />
        <SettingsLinkCard
          icon={<CalendarOutlined />}
          area="calendar"
          to="/settings/calendar"
          title={t('workCalendar.title')}
          description={t('workCalendar.link.description')}
          open={t('workCalendar.link.open')}
        />
        {canConfigurePool ? (
          <SettingsLinkCard
            icon={<BranchesOutlined />}
            area="assignment"
            to="/settings/assignment"
            title={t('assignmentSettings.title')}
            description={t('assignmentSettings.link.description')}
            open={t('assignmentSettings.link.open')}
          />
        ) : null}
        {canConfigurePool ? (
          <SettingsLinkCard
            icon={<InboxOutlined />}
            area="pool"
            to="/settings/pool"
            title={t('poolSettings.title')}
            description={t('poolSettings.link.description')}
            open={t('poolSettings.link.open')}
          />
        ) : null}
        <SettingsLinkCard
          icon={<CustomerServiceOutlined />}
          area="tickets"
          to="/settings/tickets"
          title={t('tickets.settings.title')}
          description={t('tickets.settings.description')}
          open={t('tickets.settings.open')}
        />
        <SettingsLinkCard
          icon={<GiftOutlined />}
          area="loyalty"
          to="/settings/loyalty"
          title={t('loyalty.settings.title')}
          description={t('loyalty.settings.description')}
          open={t('loyalty.settings.open')}
        />
        <SettingsLinkCard
          icon={<DesktopOutlined />}
          area="sessions"
          to="/settings/sessions"
          title={t('settings.sessions.title')}
          description={t('settings.sessions.description')}
          open={t('settings.sessions.open')}
        />
        <SettingsLinkCard
          icon={<BellOutlined />}
          area="notifications"
          to="/settings/notifications"
          title={t('notifications.link.title')}
          description={t('notifications.link.description')}
          open={t('notifications.link.open')}
        />
        {canManagePlatform ? (
          <SettingsLinkCard
            icon={<ApiOutlined />}
            area="platform"
            to="/settings/platform"
            title={t('platform.title')}
            description={t('platform.link.description')}
            open={t('platform.link.open')}
          />
        ) : null}
        {canSeeJobs ? (
          <SettingsLinkCard
            icon={<MailOutlined />}
            area="email"
            to="/settings/email"
            title={t('email.link.title')}
            description={t('email.link.description')}
            open={t('email.link.open')}
          />
        ) : null}
        {canSeeJobs ? (
          <SettingsLinkCard
            icon={<ScheduleOutlined />}
            area="jobs"
            to="/settings/jobs"
            title={t('settings.jobs.title')}
            description={t('settings.jobs.description')}
            open={t('settings.jobs.open')}
          />
        ) : null}
      </Row>
      {canRename ? (
        <RenameModal open={renaming} onClose={() => setRenaming(false)} name={tenant.name} />
      ) : null}
    </>
  );
}

function RenameModal({ open, onClose, name }: { open: boolean; onClose: () => void; name: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ name: string }>();
  const rename = useMutation(
    trpc.tenants.update.mutationOptions({
      onSuccess: async () => {
        void message.success(t('settings.org.renamed'));
        onClose();
        await Promise.all([
          queryClient.invalidateQueries(trpc.tenants.current.pathFilter()),
          queryClient.invalidateQueries(trpc.tenants.list.pathFilter()),
        ]);
      },
      onError: (error) => showError(error, { form, fields: ['name'] }),
    }),
  );
  return (
    <Modal
      open={open}
      title={t('settings.org.rename')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={rename.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ name }}
        onFinish={(values) => rename.mutate(values)}
      >
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A settings area: what it is for, and the way in (texts already translated by the caller). */
function SettingsLinkCard(props: {
  icon: ReactNode;
  /** Names the link's data-testid: settings-<area>-link. */
  area:
    | 'members'
    | 'sessions'
    | 'jobs'
    | 'tags'
    | 'custom-fields'
    | 'customer-rules'
    | 'industry'
    | 'calendar'
    | 'notifications'
    | 'email'
    | 'tickets'
    | 'loyalty'
    | 'assignment'
    | 'pool'
    | 'platform';
  to:
    | '/settings/members'
    | '/settings/sessions'
    | '/settings/jobs'
    | '/settings/tags'
    | '/settings/custom-fields'
    | '/settings/customer-rules'
    | '/settings/industry'
    | '/settings/calendar'
    | '/settings/notifications'
    | '/settings/email'
    | '/settings/tickets'
    | '/settings/loyalty'
    | '/settings/assignment'
    | '/settings/pool'
    | '/settings/platform';
  title: string;
  description: string;
  open: string;
  primary?: boolean;
}) {
  return (
    <Col xs={24} lg={12}>
      <Card
        title={
          <span>
            <span style={{ marginInlineEnd: 8, color: '#1f5eff' }}>{props.icon}</span>
            {props.title}
          </span>
        }
        style={{ height: '100%' }}
      >
        <Typography.Paragraph type="secondary">{props.description}</Typography.Paragraph>
        <Link to={props.to} data-testid={`settings-${props.area}-link`}>
          <Button type={props.primary ? 'primary' : 'default'}>
            {props.open} <RightOutlined />
          </Button>
        </Link>
      </Card>
    </Col>
  );
}
