import {
  DownloadOutlined,
  LeftOutlined,
  PaperClipOutlined,
  UploadOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createFileRoute, Link } from '@tanstack/react-router';
import {
  Alert,
  App,
  Avatar,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  List,
  Modal,
  Result,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { formatSize } from '../../../features/imports/upload';
import { useCategoryLabel } from '../../../features/tickets/TicketCategoryLabel';
import {
  formatSpan,
  formatTarget,
  SlaBadge,
  TicketPriorityTag,
  TicketStatusTag,
  useTicketRefresh,
} from '../../../features/tickets/ticket-meta';
import { currentLanguage } from '../../../i18n';
import type { Ticket, TicketDetail, TicketEvent } from '../../../lib/api-types';
import { appCodeOf } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { idempotent, useIdempotencyKey } from '../../../lib/idempotency';
import { useCan, useShell } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/tickets/$ticketId')({
  component: TicketPage,
});

function TicketPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { ticketId } = Route.useParams();
  const detail = useQuery(trpc.tickets.get.queryOptions({ id: ticketId }));

  const back = (
    <Link to="/tickets">
      <LeftOutlined /> {t('tickets.detail.back')}
    </Link>
  );
  if (detail.isPending) return <Skeleton active />;
  if (detail.isError) {
    return (
      <Result
        status={appCodeOf(detail.error) === 'TICKET_NOT_FOUND' ? '404' : 'error'}
        title={t('tickets.detail.notFound')}
        extra={back}
      />
    );
  }
  return <TicketView detail={detail.data} back={back} />;
}

function TicketView({ detail, back }: { detail: TicketDetail; back: React.ReactNode }) {
  const { t } = useTranslation();
  const { ticket } = detail;
  const { me } = useShell();
  const categoryLabel = useCategoryLabel();
  const others = ticket.assigneeUserId !== null && ticket.assigneeUserId !== me.user.id;
  return (
    <>
      <PageHeader
        top={back}
        title={
          <span data-testid="ticket-title">
            <Typography.Text type="secondary">#{ticket.number}</Typography.Text> {ticket.subject}
          </span>
        }
        tags={
          <Space size={6} wrap>
            <TicketStatusTag status={ticket.status} />
            <TicketPriorityTag priority={ticket.priority} />
            <SlaBadge sla={ticket.sla} />
          </Space>
        }
        extra={<StatusMoves detail={detail} />}
      />
      {!detail.canWork && others ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('tickets.detail.notYours', { name: ticket.assigneeName ?? '' })}
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            <Card title={t('tickets.detail.description')} size="small">
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {detail.description ?? '—'}
              </Typography.Paragraph>
            </Card>
            {detail.canWork && ticket.status !== 'closed' ? <Composer ticket={ticket} /> : null}
            <Card title={t('tickets.detail.timeline')} size="small">
              <List
                dataSource={[...detail.events].reverse()}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                renderItem={(event) => <EventItem event={event} ticket={ticket} />}
                data-testid="ticket-events"
              />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            <Card size="small">
              <Descriptions
                column={1}
                size="small"
                items={[
                  {
                    key: 'customer',
                    label: t('tickets.customer'),
                    children: (
                      <Link to="/customers/$customerId" params={{ customerId: ticket.customerId }}>
                        {ticket.customerName}
                      </Link>
                    ),
                  },
                  { key: 'contact', label: t('tickets.contact'), children: ticket.contactName ?? '—' },
                  { key: 'type', label: t('tickets.type'), children: t(`tickets.types.${ticket.type}`) },
                  {
                    key: 'category',
                    label: t('tickets.category'),
                    children: ticket.category ? categoryLabel(ticket.category) : t('tickets.noCategory'),
                  },
                  {
                    key: 'channel',
                    label: t('tickets.channel'),
                    children: t(`tickets.channels.${ticket.channel}`),
                  },
                  {
                    key: 'assignee',
                    label: t('tickets.assignee'),
                    children: <Assignee detail={detail} />,
                  },
                  {
                    key: 'createdAt',
                    label: t('tickets.createdAt'),
                    children: formatDateTime(ticket.createdAt),
                  },
                  ...(ticket.interactionId
                    ? [{ key: 'source', label: '', children: t('tickets.detail.fromInteraction') }]
                    : []),
                ]}
              />
            </Card>
            <SlaCard ticket={ticket} />
            <Attachments detail={detail} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}

/** The statuses it may move to now, each a button; a comment is asked for on the way. */
function StatusMoves({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTicketRefresh();
  const [to, setTo] = useState<Ticket['status'] | null>(null);
  const [comment, setComment] = useState('');
  const move = useMutation(
    trpc.tickets.move.mutationOptions({
      onSuccess: async (next) => {
        void message.success(
          t('tickets.detail.moved', { status: t(`tickets.statuses.${next.ticket.status}`) }),
        );
        setTo(null);
        setComment('');
        await refresh(next.ticket.customerId);
      },
      onError: (error) => showError(error),
    }),
  );
  if (!detail.canWork || detail.moves.length === 0) return null;
  const done = detail.ticket.status === 'resolved' || detail.ticket.status === 'closed';
  const labelOf = (status: Ticket['status']) =>
    done && status === 'in_progress' ? t('tickets.detail.reopen') : t(`tickets.statuses.${status}`);
  return (
    <>
      <Space wrap>
        <Typography.Text type="secondary">{t('tickets.detail.moveTo')}</Typography.Text>
        {detail.moves.map((status) => (
          <Button
            key={status}
            type={status === 'resolved' ? 'primary' : 'default'}
            onClick={() => setTo(status)}
            data-testid={`ticket-move-${status}`}
          >
            {labelOf(status)}
          </Button>
        ))}
      </Space>
      <Modal
        open={to !== null}
        title={to ? `${t('tickets.detail.moveTo')}「${labelOf(to)}」` : ''}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={move.isPending}
        okButtonProps={{ 'data-testid': 'ticket-move-confirm' } as never}
        onCancel={() => setTo(null)}
        onOk={() => to && move.mutate({ id: detail.ticket.id, to, comment: comment.trim() || null })}
        destroyOnHidden
      >
        <Input.TextArea
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder={t('tickets.detail.comment')}
          maxLength={2000}
          autoSize={{ minRows: 2, maxRows: 6 }}
          data-testid="ticket-move-comment"
        />
      </Modal>
    </>
  );
}

const REPLY_KINDS = ['reply', 'note', 'customer_reply'] as const;

/** Reply to the customer, an internal note, or log the customer's own reply. */
function Composer({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTicketRefresh();
  const [kind, setKind] = useState<(typeof REPLY_KINDS)[number]>('reply');
  const [body, setBody] = useState('');
  const [generation, setGeneration] = useState(0);
  const key = useIdempotencyKey(generation);
  const reply = useMutation(
    trpc.tickets.reply.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async () => {
        void message.success(t('tickets.detail.sent'));
        setBody('');
        setGeneration((value) => value + 1);
        await refresh(ticket.customerId);
      },
      onError: (error) => showError(error),
    }),
  );
  const placeholders = {
    reply: t('tickets.detail.replyPlaceholder'),
    note: t('tickets.detail.notePlaceholder'),
    customer_reply: t('tickets.detail.customerReplyPlaceholder'),
  };
  const labels = {
    reply: t('tickets.detail.reply'),
    note: t('tickets.detail.note'),
    customer_reply: t('tickets.detail.customerReply'),
  };
  return (
    <Card size="small" data-testid="ticket-composer">
      <Flex vertical gap={8}>
        <Segmented
          value={kind}
          onChange={(value) => setKind(value as typeof kind)}
          options={REPLY_KINDS.map((value) => ({ value, label: labels[value] }))}
          data-testid="ticket-reply-kind"
          aria-label={t('tickets.replyKindLabel')}
        />
        <Input.TextArea
          value={body}
          onChange={(event) => setBody(event.target.value)}
          placeholder={placeholders[kind]}
          maxLength={10000}
          autoSize={{ minRows: 3, maxRows: 10 }}
          data-testid="ticket-reply-body"
        />
        <Flex justify="flex-end">
          <Button
            type="primary"
            disabled={body.trim() === ''}
            loading={reply.isPending}
            onClick={() => reply.mutate({ id: ticket.id, kind, body: body.trim() })}
            data-testid="ticket-reply-send"
          >
            {t('tickets.detail.send')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

function EventItem({ event, ticket }: { event: TicketEvent; ticket: Ticket }) {
  const { t } = useTranslation();
  const who = event.authorName ?? (event.kind === 'customer_reply' ? null : t('tickets.events.system'));
  const clock =
    typeof event.data.clock === 'string' ? t(`tickets.slaClock.${event.data.clock as 'resolution'}`) : '';
  const attachment = typeof event.data.attachment === 'string' ? event.data.attachment : null;
  let what: string;
  switch (event.kind) {
    case 'status':
      what = t('tickets.events.status', {
        from: event.fromStatus ? t(`tickets.statuses.${event.fromStatus as 'new'}`) : '',
        to: event.toStatus ? t(`tickets.statuses.${event.toStatus as 'new'}`) : '',
      });
      break;
    case 'assigned':
      // Who it went to: the member who took it, or the current assignee by name (the event keeps ids only).
      if (!event.data.to) what = t('tickets.events.unassigned');
      else if (event.data.to === event.authorUserId) what = t('tickets.events.took');
      else if (event.data.to === ticket.assigneeUserId && ticket.assigneeName)
        what = t('tickets.events.assignedTo', { name: ticket.assigneeName });
      else what = t('tickets.events.assigned');
      break;
    case 'sla_warning':
    case 'sla_breach':
    case 'sla_escalated':
      what = t(`tickets.events.${event.kind}`, { clock });
      break;
    case 'note':
      what = attachment ? t('tickets.events.attachment', { name: attachment }) : t('tickets.events.note');
      if (typeof event.data.attachmentsRefused === 'string')
        what = t('tickets.events.attachmentsRefused', {
          names: event.data.attachmentsRefused,
          megabytes: Number(event.data.megabytes ?? 10),
        });
      break;
    case 'created':
      what = event.data.source === 'email' ? t('tickets.events.createdByEmail') : t('tickets.events.created');
      break;
    default:
      what = t(`tickets.events.${event.kind}`);
  }
  const bubble = event.kind === 'reply' ? '#e6f4ff' : event.kind === 'customer_reply' ? '#f6ffed' : '#fafafa';
  const danger = event.kind === 'sla_breach' || event.kind === 'sla_escalated';
  return (
    <List.Item data-testid="ticket-event" data-kind={event.kind}>
      <Flex gap={10} align="flex-start" style={{ width: '100%' }}>
        <Avatar size={28} icon={<UserOutlined />} style={{ flex: 'none' }} />
        <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
          <span>
            {who ? <Typography.Text strong>{who} </Typography.Text> : null}
            <Typography.Text type={danger ? 'danger' : undefined}>{what}</Typography.Text>
            <Typography.Text type="secondary"> · {formatDateTime(event.createdAt)}</Typography.Text>
          </span>
          {event.body ? (
            <div style={{ background: bubble, borderRadius: 6, padding: '6px 10px', whiteSpace: 'pre-wrap' }}>
              {event.body}
            </div>
          ) : null}
        </Flex>
      </Flex>
    </List.Item>
  );
}

/** Who works it: take it from the queue, give it back, or (tickets.manage) assign anyone in reach. */
function Assignee({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { me } = useShell();
  const canReadMembers = useCan('members.read');
  const showError = useShowError();
  const refresh = useTicketRefresh();
  const { ticket } = detail;
  const members = useQuery({
    ...trpc.members.list.queryOptions(),
    enabled: detail.canAssign && canReadMembers,
  });
  const assign = useMutation(
    trpc.tickets.assign.mutationOptions({
      onSuccess: async (next) => refresh(next.ticket.customerId),
      onError: (error) => showError(error),
    }),
  );
  const closed = ticket.status === 'closed';
  if (detail.canAssign && !closed) {
    return (
      <Select
        size="small"
        style={{ minWidth: 160 }}
        value={ticket.assigneeUserId ?? '__queue__'}
        loading={assign.isPending}
        showSearch={{ optionFilterProp: 'label' }}
        onChange={(value) =>
          assign.mutate({ id: ticket.id, assigneeUserId: value === '__queue__' ? null : value })
        }
        options={[
          { value: '__queue__', label: t('tickets.unassigned') },
          ...(members.data ?? []).map((member) => ({ value: member.userId, label: member.name })),
          ...(ticket.assigneeUserId &&
          !(members.data ?? []).some((member) => member.userId === ticket.assigneeUserId)
            ? [{ value: ticket.assigneeUserId, label: ticket.assigneeName ?? '' }]
            : []),
        ]}
        data-testid="ticket-assign"
      />
    );
  }
  return (
    <Space size={6}>
      <span>{ticket.assigneeName ?? t('tickets.unassigned')}</span>
      {detail.canWork && !closed && ticket.assigneeUserId === null ? (
        <Button
          size="small"
          type="link"
          loading={assign.isPending}
          onClick={() => assign.mutate({ id: ticket.id, assigneeUserId: me.user.id })}
          data-testid="ticket-take"
        >
          {t('tickets.detail.take')}
        </Button>
      ) : null}
      {detail.canWork && !closed && ticket.assigneeUserId === me.user.id ? (
        <Button
          size="small"
          type="link"
          loading={assign.isPending}
          onClick={() => assign.mutate({ id: ticket.id, assigneeUserId: null })}
        >
          {t('tickets.detail.release')}
        </Button>
      ) : null}
    </Space>
  );
}

/** The SLA clocks: which runs, its deadline and time left, the targets and where they came from. */
function SlaCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { sla } = ticket;
  const source = sla.policy.split(':')[0] as 'default' | 'plugin' | 'tenant';
  const scope = sla.policy.includes(':') ? sla.policy.slice(sla.policy.indexOf(':') + 1) : '';
  const resolved = (ticket.status === 'resolved' || ticket.status === 'closed') && ticket.resolvedAt !== null;
  const mark = (breached: boolean) =>
    breached ? <Typography.Text type="danger"> · {t('tickets.slaStates.breached')}</Typography.Text> : null;
  return (
    <Card
      title={t('tickets.detail.slaTitle')}
      size="small"
      extra={<SlaBadge sla={sla} />}
      data-testid="ticket-sla-card"
    >
      <Descriptions
        column={1}
        size="small"
        items={[
          {
            key: 'policy',
            label: t('tickets.detail.policy'),
            children: (
              <span>
                {t(`tickets.detail.policySource.${source}`)}
                {scope ? <Typography.Text type="secondary"> ({scope})</Typography.Text> : null}
              </span>
            ),
          },
          {
            key: 'targets',
            label: t('tickets.sla'),
            children: `${t('tickets.detail.targets', {
              first: formatTarget(t, sla.firstResponseMinutes),
              resolution: formatTarget(t, sla.resolutionMinutes),
            })} · ${t(`tickets.detail.mode.${sla.mode}`)}`,
          },
          {
            key: 'first',
            label: sla.firstRespondedAt
              ? t('tickets.detail.firstRespondedAt')
              : t('tickets.detail.firstResponseDue'),
            children: (
              <span data-testid="ticket-sla-first">
                {formatDateTime(sla.firstRespondedAt ?? sla.firstResponseDueAt) || '—'}
                {mark(sla.firstResponseBreached)}
              </span>
            ),
          },
          {
            key: 'resolution',
            // Once resolved the clock has stopped: when it was resolved, not a deadline that no longer runs.
            label: resolved ? t('tickets.detail.resolvedAt') : t('tickets.detail.resolutionDue'),
            children: (
              <span data-testid="ticket-sla-resolution">
                {formatDateTime(resolved ? ticket.resolvedAt : sla.resolutionDueAt) || '—'}
                {mark(sla.resolutionBreached)}
              </span>
            ),
          },
          // Paused means waiting on the customer; a resolved ticket's stopped clock is not a pause.
          ...(sla.pausedAt && ticket.status === 'waiting_on_customer'
            ? [
                {
                  key: 'paused',
                  label: t('tickets.detail.pausedSince'),
                  children: formatDateTime(sla.pausedAt),
                },
              ]
            : []),
          ...(sla.clock && sla.remainingMs !== null
            ? [
                {
                  key: 'left',
                  label: t(`tickets.slaClock.${sla.clock}`),
                  children:
                    sla.remainingMs >= 0
                      ? t('tickets.left', { time: formatSpan(t, sla.remainingMs, sla.mode) })
                      : t('tickets.overdueBy', { time: formatSpan(t, sla.remainingMs, sla.mode) }),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

/** The ticket's files: download any; upload (checked by content on the server) while working it. */
function Attachments({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useTicketRefresh();
  const [uploading, setUploading] = useState(false);
  const { ticket } = detail;
  const upload = async (file: File) => {
    setUploading(true);
    try {
      const response = await fetch(`/api/tickets/${ticket.id}/attachments`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/octet-stream',
          'X-File-Name': encodeURIComponent(file.name),
          'X-Locale': currentLanguage(),
        },
        body: file,
      });
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      if (!response.ok) {
        void message.error(body?.message ?? response.statusText);
        return;
      }
      void message.success(t('tickets.detail.uploaded'));
      await refresh(ticket.customerId);
    } catch {
      void message.error(t('errors.network'));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Card
      title={t('tickets.detail.attachments')}
      size="small"
      data-testid="ticket-attachments"
      extra={
        detail.canWork && ticket.status !== 'closed' ? (
          <Upload
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="ticket-upload">
              {t('tickets.detail.upload')}
            </Button>
          </Upload>
        ) : null
      }
    >
      {detail.attachments.length === 0 ? (
        <Typography.Text type="secondary">{t('tickets.detail.uploadHint')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={detail.attachments}
          renderItem={(file) => (
            <List.Item
              actions={[
                <a
                  key="download"
                  href={`/api/tickets/attachments/${file.id}`}
                  download={file.fileName}
                  aria-label={file.fileName}
                >
                  <DownloadOutlined />
                </a>,
              ]}
            >
              <Flex vertical style={{ minWidth: 0 }}>
                <Typography.Text ellipsis>
                  <PaperClipOutlined /> {file.fileName}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[formatSize(file.size), file.createdByName, formatDateTime(file.createdAt)]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
