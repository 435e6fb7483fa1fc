import { useMutation, useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Dropdown,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEAD_DISQUALIFY_REASONS, type LeadDetail, type LeadTimelineItem } from '../../lib/api-types';
import { formatDateTime, formatMoney } from '../../lib/format';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { ReleaseButton } from '../pool/ReleaseButton';
import { ConvertLeadModal } from './ConvertLeadModal';
import { LeadFormModal } from './LeadFormModal';
import { GradeExplanation, LeadGradeTag, LeadSlaTag, LeadStatusTag, useLeadRefresh } from './lead-meta';

const CONTACT_KINDS = ['call', 'visit', 'message', 'email', 'meeting'] as const;
const OPEN = ['new', 'contacted', 'qualified'] as const;

function duration(t: TFunction, minutes: number): string {
  return t('leads.minutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/** One entry of the timeline in words. */
function TimelineText({ item }: { item: LeadTimelineItem }) {
  const { t } = useTranslation();
  const status = (value: string | null) => (value ? t(`marketing.leadStatuses.${value as 'new'}`) : '—');
  switch (item.type) {
    case 'grade':
      return (
        <div>
          <Typography.Text strong>
            {item.fromGrade
              ? t('leads.timeline.grade', { from: item.fromGrade, to: item.toGrade ?? '—' })
              : t('leads.timeline.gradeFirst', { to: item.toGrade ?? '—' })}
          </Typography.Text>{' '}
          <Typography.Text type="secondary">
            {item.byKind === 'grade_rule'
              ? t('leads.timeline.byRule')
              : item.byKind === 'regrade_rule'
                ? t('leads.timeline.byRegrade')
                : t('leads.timeline.byUser')}
          </Typography.Text>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>
            <GradeExplanation reason={item.reason} />
          </div>
        </div>
      );
    case 'history': {
      const way = item.reason && item.kind === 'owner' ? item.reason : null;
      const text =
        item.kind === 'created'
          ? item.toOwnerName
            ? t('leads.timeline.createdFor', { owner: item.toOwnerName })
            : t('leads.timeline.created')
          : item.kind === 'status'
            ? t('leads.timeline.status', { from: status(item.fromStatus), to: status(item.toStatus) })
            : item.fromOwnerName === null && item.toOwnerName === null
              ? t('leads.timeline.ownerNone')
              : t('leads.timeline.owner', {
                  from: item.fromOwnerName ?? t('leads.unassigned'),
                  to: item.toOwnerName ?? t('leads.unassigned'),
                });
      const reason =
        item.kind === 'status' && item.reason
          ? t(`leads.disqualify.reasons.${item.reason as 'other'}`, { defaultValue: item.reason })
          : way
            ? t(`leads.timeline.ownerWays.${way as 'manual'}`, { defaultValue: way })
            : null;
      return (
        <div>
          <Typography.Text>{text}</Typography.Text>
          {reason ? <Tag style={{ marginInlineStart: 6 }}>{reason}</Tag> : null}
          {item.note ? <div style={{ color: 'rgba(0,0,0,0.55)' }}>{item.note}</div> : null}
          {item.byName ? <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{item.byName}</div> : null}
        </div>
      );
    }
    case 'activity':
      return (
        <div>
          <Typography.Text strong>
            {t('leads.timeline.activity', { kind: t(`leads.contact.kinds.${item.kind as 'call'}`) })}
          </Typography.Text>
          {item.summary ? <div>{item.summary}</div> : null}
          {item.byName ? <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{item.byName}</div> : null}
        </div>
      );
    case 'event':
      return (
        <div>
          <Typography.Text>{t(`marketing.events.kinds.${item.kind as 'email_open'}`)}</Typography.Text>
          {item.campaignName || item.formName ? (
            <Typography.Text type="secondary"> · {item.campaignName ?? item.formName}</Typography.Text>
          ) : null}
        </div>
      );
  }
}

const DOT_COLORS: Record<LeadTimelineItem['type'], string> = {
  grade: 'red',
  history: 'blue',
  activity: 'green',
  event: 'gray',
};

/** 记录跟进: how, when, what was said. */
function LogContactModal({ lead, open, onClose }: { lead: LeadDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useLeadRefresh();
  const [form] = Form.useForm<{
    kind: string;
    occurredAt: dayjs.Dayjs;
    summary?: string;
    markContacted: boolean;
  }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ kind: 'call', occurredAt: dayjs(), summary: '', markContacted: true });
  }, [open, form]);
  const key = useIdempotencyKey(open);
  const log = useMutation(
    trpc.leads.logContact.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async () => {
        void message.success(t('leads.contact.logged'));
        onClose();
        await refresh();
      },
      onError: (error) => showError(error, { form, fields: ['kind', 'occurredAt', 'summary'] }),
    }),
  );
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('leads.contact.title')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: log.isPending, 'data-testid': 'lead-contact-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          log.mutate({
            id: lead.id,
            kind: values.kind as (typeof CONTACT_KINDS)[number],
            occurredAt: values.occurredAt.toISOString(),
            summary: values.summary?.trim() || null,
            markContacted: values.markContacted,
          })
        }
      >
        <Form.Item name="kind" label={t('leads.contact.kind')}>
          <Select
            options={CONTACT_KINDS.map((kind) => ({ value: kind, label: t(`leads.contact.kinds.${kind}`) }))}
          />
        </Form.Item>
        <Form.Item name="occurredAt" label={t('leads.contact.occurredAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="summary" label={t('leads.contact.summary')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="lead-contact-summary" />
        </Form.Item>
        {lead.status === 'new' ? (
          <Form.Item name="markContacted" valuePropName="checked">
            <Checkbox>{t('leads.contact.markContacted')}</Checkbox>
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** 标为无效: a reason from the list and a note. */
function DisqualifyModal({ lead, open, onClose }: { lead: LeadDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useLeadRefresh();
  const [form] = Form.useForm<{ reason: (typeof LEAD_DISQUALIFY_REASONS)[number]; note?: string }>();
  const disqualify = useMutation(
    trpc.leads.disqualify.mutationOptions({
      onSuccess: async () => {
        void message.success(t('leads.disqualify.done'));
        onClose();
        await refresh();
      },
      onError: (error) => showError(error, { form, fields: ['reason', 'note'] }),
    }),
  );
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('leads.disqualify.title')}
      onOk={() => form.submit()}
      okButtonProps={{ danger: true, loading: disqualify.isPending, 'data-testid': 'lead-disqualify-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          disqualify.mutate({ id: lead.id, reason: values.reason, note: values.note?.trim() || null })
        }
      >
        <Form.Item
          name="reason"
          label={t('leads.disqualify.reason')}
          rules={[{ required: true, message: t('leads.disqualify.reason') }]}
        >
          <Select
            data-testid="lead-disqualify-reason"
            options={LEAD_DISQUALIFY_REASONS.map((reason) => ({
              value: reason,
              label: t(`leads.disqualify.reasons.${reason}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('leads.disqualify.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 转交: another owner (members the manager can see). */
function ReassignModal({ lead, open, onClose }: { lead: LeadDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useLeadRefresh();
  const canReadMembers = useCan('members.read');
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: open && canReadMembers });
  const [form] = Form.useForm<{ ownerUserId: string; note?: string }>();
  const reassign = useMutation(
    trpc.leads.reassign.mutationOptions({
      onSuccess: async () => {
        void message.success(t('leads.reassign.done'));
        onClose();
        await refresh();
      },
      onError: (error) => showError(error, { form, fields: ['ownerUserId', 'note'] }),
    }),
  );
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('leads.reassign.title')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: reassign.isPending }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          reassign.mutate({ id: lead.id, ownerUserId: values.ownerUserId, note: values.note?.trim() || null })
        }
      >
        <Form.Item
          name="ownerUserId"
          label={t('leads.reassign.to')}
          rules={[{ required: true, message: t('leads.reassign.to') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={(members.data ?? [])
              .filter((member) => member.userId !== lead.ownerUserId)
              .map((member) => ({ value: member.userId, label: member.name }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('leads.reassign.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A lead's detail: overview with its grade's explanation and follow-up clock, the actions, the timeline. */
export function LeadDrawer({ leadId, onClose }: { leadId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const showError = useShowError();
  const refresh = useLeadRefresh();
  const canWrite = useCan('leads.write');
  const canManage = useCan('leads.manage');
  const canConvert = useCan('opportunities.write');
  const [modal, setModal] = useState<'edit' | 'contact' | 'disqualify' | 'reassign' | 'convert' | null>(null);
  const detail = useQuery({ ...trpc.leads.get.queryOptions({ id: leadId ?? '' }), enabled: leadId !== null });
  const move = useMutation(
    trpc.leads.move.mutationOptions({ onSuccess: () => refresh(), onError: (error) => showError(error) }),
  );
  const lead = detail.data;
  const open = lead ? (OPEN as readonly string[]).includes(lead.status) : false;

  const moves = lead
    ? lead.status === 'disqualified'
      ? canManage
        ? (['contacted'] as const)
        : []
      : OPEN.filter((to) => to !== lead.status)
    : [];

  return (
    <Drawer
      open={leadId !== null}
      onClose={onClose}
      width={640}
      title={
        lead ? (
          <Space>
            <LeadGradeTag lead={lead} />
            <span data-testid="lead-drawer-title">{lead.name}</span>
            <LeadStatusTag status={lead.status} />
          </Space>
        ) : null
      }
      extra={
        lead && canWrite && lead.status !== 'converted' ? (
          <Space>
            {open ? (
              <Button type="primary" onClick={() => setModal('contact')} data-testid="lead-log-contact">
                {t('leads.actions.logContact')}
              </Button>
            ) : null}
            {open && canConvert ? (
              <Button onClick={() => setModal('convert')} data-testid="lead-convert">
                {t('leads.actions.convert')}
              </Button>
            ) : null}
            {open ? (
              <ReleaseButton
                entity="lead"
                id={lead.id}
                ownerUserId={lead.ownerUserId}
                onReleased={async () => {
                  // A rep no longer sees it: it is in the 公海 now.
                  onClose();
                  await refresh();
                }}
              />
            ) : null}
            <Dropdown
              menu={{
                items: [
                  { key: 'edit', label: t('leads.actions.edit') },
                  ...moves.map((to) => ({
                    key: `move:${to}`,
                    label:
                      lead.status === 'disqualified'
                        ? t('leads.actions.reopen')
                        : t('leads.actions.moveTo', { status: t(`marketing.leadStatuses.${to}`) }),
                  })),
                  ...(canManage ? [{ key: 'reassign', label: t('leads.actions.reassign') }] : []),
                  ...(canManage && open
                    ? [{ key: 'disqualify', label: t('leads.actions.disqualify'), danger: true }]
                    : []),
                ],
                onClick: ({ key }) => {
                  if (key.startsWith('move:'))
                    move.mutate({ id: lead.id, to: key.slice(5) as (typeof OPEN)[number] });
                  else setModal(key as 'edit' | 'reassign' | 'disqualify');
                },
              }}
            >
              <Button data-testid="lead-actions">···</Button>
            </Dropdown>
          </Space>
        ) : null
      }
    >
      {detail.isPending ? (
        <Flex justify="center">
          <Spin />
        </Flex>
      ) : lead ? (
        <Tabs
          items={[
            {
              key: 'overview',
              label: t('leads.detail.overview'),
              children: (
                <>
                  <Flex gap={8} wrap style={{ marginBottom: 12 }} align="center">
                    <LeadSlaTag lead={lead} />
                    {lead.followUpDueAt ? (
                      <Typography.Text type={lead.slaState === 'overdue' ? 'danger' : 'secondary'}>
                        {lead.slaState === 'overdue'
                          ? t('leads.dueOverdue', { time: formatDateTime(lead.followUpDueAt) })
                          : t('leads.due', { time: formatDateTime(lead.followUpDueAt) })}
                      </Typography.Text>
                    ) : null}
                  </Flex>
                  {lead.firstContactAt && lead.firstContactMinutes !== null ? (
                    <Typography.Paragraph type="secondary">
                      {t('leads.firstContact', {
                        time: formatDateTime(lead.firstContactAt),
                        duration: duration(t, lead.firstContactMinutes),
                      })}
                    </Typography.Paragraph>
                  ) : null}
                  {lead.status === 'disqualified' && lead.disqualifyReason ? (
                    <Typography.Paragraph type="warning">
                      {t('leads.detail.disqualified', {
                        reason: t(`leads.disqualify.reasons.${lead.disqualifyReason}`),
                      })}
                      {lead.disqualifyNote ? `（${lead.disqualifyNote}）` : ''}
                    </Typography.Paragraph>
                  ) : null}
                  {lead.convertedAt ? (
                    <Typography.Paragraph type="success">
                      {t('leads.detail.converted', { time: formatDateTime(lead.convertedAt) })}
                    </Typography.Paragraph>
                  ) : null}
                  {lead.gradeReason ? (
                    <div
                      style={{
                        background: '#fafafa',
                        padding: '8px 12px',
                        borderRadius: 6,
                        marginBottom: 12,
                      }}
                    >
                      <GradeExplanation reason={lead.gradeReason} />
                    </div>
                  ) : null}
                  <Descriptions column={2} size="small" bordered>
                    <Descriptions.Item label={t('leads.person')}>{lead.personName ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('leads.company')}>
                      {lead.companyName ?? '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('leads.phone')}>{lead.phone ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('leads.email')}>{lead.email ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('leads.source')}>
                      {t(`marketing.leadSources.${lead.source}`)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('leads.campaign')}>{lead.campaign ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('leads.intent')}>
                      {lead.intent ? t(`marketing.intents.${lead.intent}`) : '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('leads.budget')}>
                      {lead.budget ? formatMoney(lead.budget, lead.currency) : '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('leads.owner')}>
                      {lead.ownerName ?? t('leads.unassigned')}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('leads.team')}>{lead.teamName ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('leads.expectedCloseOn')}>
                      {lead.expectedCloseOn ?? '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('leads.createdAt')}>
                      {formatDateTime(lead.createdAt)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('leads.needs')} span={2}>
                      {lead.needs.length > 0 ? lead.needs.map((need) => <Tag key={need}>{need}</Tag>) : '—'}
                    </Descriptions.Item>
                    {lead.followUpTask ? (
                      <Descriptions.Item label={t('leads.detail.followUpTask')} span={2}>
                        {t(`leads.detail.taskStatus.${lead.followUpTask.status as 'open'}`)}
                        {lead.followUpTask.dueAt ? ` · ${formatDateTime(lead.followUpTask.dueAt)}` : ''}
                        {lead.followUpTask.ownerName ? ` · ${lead.followUpTask.ownerName}` : ''}
                      </Descriptions.Item>
                    ) : null}
                    {lead.notes ? (
                      <Descriptions.Item label={t('leads.notes')} span={2}>
                        {lead.notes}
                      </Descriptions.Item>
                    ) : null}
                  </Descriptions>
                </>
              ),
            },
            {
              key: 'timeline',
              label: t('leads.detail.timeline'),
              children:
                lead.timeline.length === 0 ? (
                  <Empty description={t('leads.timeline.empty')} />
                ) : (
                  <Timeline
                    data-testid="lead-timeline"
                    items={lead.timeline.map((item) => ({
                      key: `${item.type}:${item.id}`,
                      color: DOT_COLORS[item.type],
                      children: (
                        <div>
                          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
                            {formatDateTime(item.at)}
                          </div>
                          <TimelineText item={item} />
                        </div>
                      ),
                    }))}
                  />
                ),
            },
          ]}
        />
      ) : null}
      {lead ? (
        <>
          <LeadFormModal open={modal === 'edit'} lead={lead} onClose={() => setModal(null)} />
          <LogContactModal lead={lead} open={modal === 'contact'} onClose={() => setModal(null)} />
          <DisqualifyModal lead={lead} open={modal === 'disqualify'} onClose={() => setModal(null)} />
          <ReassignModal lead={lead} open={modal === 'reassign'} onClose={() => setModal(null)} />
          {canConvert ? (
            <ConvertLeadModal lead={lead} open={modal === 'convert'} onClose={() => setModal(null)} />
          ) : null}
        </>
      ) : null}
    </Drawer>
  );
}
