import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { App, Button, Card, Empty, Flex, Form, Input, Modal, Result, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { appCodeOf } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useTRPC, useTRPCClient } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { type Plan, usePlanLabels } from './plan-labels';

type Decision = { plan: Plan; action: 'approve' | 'reject' };

/** The managers' inbox (审批): plans waiting for approval whose customers they see, oldest first. */
export function ApprovalsTable() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { cadenceLabel, intervalLabel, typeLabel, goals, tierLabel } = usePlanLabels();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const client = useTRPCClient();
  // Not infiniteQueryOptions(): it adds a `direction` to the input, which the procedure's strict
  // input refuses. Same query key, so invalidating the procedure still refreshes it.
  const input = { limit: 50 };
  const pages = useInfiniteQuery({
    queryKey: trpc.plans.approvals.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) =>
      client.plans.approvals.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

  if (appCodeOf(pages.error) === 'FORBIDDEN') {
    return <Result status="403" subTitle={t('plans.approvals.forbidden')} />;
  }
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const total = pages.data?.pages[0]?.total ?? 0;

  const columns: ColumnsType<Plan> = [
    {
      title: t('plans.approvals.customer'),
      key: 'customer',
      render: (_, plan) => (
        <Link to="/customers/$customerId" params={{ customerId: plan.customerId }}>
          {plan.customerName}
        </Link>
      ),
    },
    {
      title: t('plans.approvals.owner'),
      key: 'owner',
      render: (_, plan) =>
        plan.owner?.name ?? (
          <Typography.Text type="secondary">{t('plans.approvals.unowned')}</Typography.Text>
        ),
    },
    { title: t('plans.approvals.tier'), key: 'tier', render: (_, plan) => <Tag>{tierLabel(plan)}</Tag> },
    {
      title: t('plans.approvals.cadence'),
      key: 'cadence',
      render: (_, plan) => (
        <Flex vertical>
          <Typography.Text>{cadenceLabel(plan)}</Typography.Text>
          <Typography.Text type="secondary">
            {intervalLabel(plan)} · {typeLabel(plan)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('plans.approvals.goals'),
      key: 'goals',
      render: (_, plan) => (
        <Flex gap={4} wrap>
          {goals(plan).map((goal) => (
            <Tag key={goal} color="blue">
              {goal}
            </Tag>
          ))}
        </Flex>
      ),
    },
    {
      title: t('plans.approvals.submittedAt'),
      key: 'submittedAt',
      render: (_, plan) => formatDateTime(plan.submittedAt),
    },
    {
      title: t('plans.approvals.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, plan) => (
        <Flex gap={8}>
          <Button
            type="primary"
            size="small"
            icon={<CheckOutlined />}
            data-testid="plan-approve"
            onClick={() => setDeciding({ plan, action: 'approve' })}
          >
            {t('plans.approvals.approve')}
          </Button>
          <Button
            danger
            size="small"
            icon={<CloseOutlined />}
            data-testid="plan-reject"
            onClick={() => setDeciding({ plan, action: 'reject' })}
          >
            {t('plans.approvals.reject')}
          </Button>
        </Flex>
      ),
    },
  ];

  return (
    <Card
      title={t('plans.approvals.nav')}
      extra={
        <Typography.Text type="secondary">{t('plans.approvals.total', { count: total })}</Typography.Text>
      }
    >
      <Table<Plan>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={pages.isPending}
        pagination={false}
        data-testid="plan-approvals"
        locale={{ emptyText: <Empty description={t('plans.approvals.empty')} /> }}
        scroll={{ x: 'max-content' }}
      />
      {pages.hasNextPage ? (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
            {t('plans.approvals.more')}
          </Button>
        </Flex>
      ) : null}
      <DecisionModal decision={deciding} onClose={() => setDeciding(null)} />
    </Card>
  );
}

function DecisionModal({ decision, onClose }: { decision: Decision | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ comment?: string }>();
  const done = async () => {
    form.resetFields();
    onClose();
    await queryClient.invalidateQueries(trpc.plans.pathFilter());
  };
  const approve = useMutation(
    trpc.plans.approve.mutationOptions({
      onSuccess: async (result) => {
        void message.success(t('plans.approvals.approved', { count: result.tasksAdded }));
        await done();
      },
      onError: (error) => showError(error, { form }),
    }),
  );
  const reject = useMutation(
    trpc.plans.reject.mutationOptions({
      onSuccess: async () => {
        void message.success(t('plans.approvals.rejected'));
        await done();
      },
      onError: (error) => showError(error, { form }),
    }),
  );
  const rejecting = decision?.action === 'reject';
  const submit = async () => {
    if (!decision) return;
    const values = await form.validateFields();
    const comment = values.comment?.trim();
    if (rejecting) reject.mutate({ planId: decision.plan.id, comment: comment ?? '' });
    else approve.mutate({ planId: decision.plan.id, ...(comment ? { comment } : {}) });
  };
  return (
    <Modal
      open={decision !== null}
      title={
        decision
          ? t(rejecting ? 'plans.approvals.rejectTitle' : 'plans.approvals.approveTitle', {
              customer: decision.plan.customerName,
            })
          : ''
      }
      okText={t(rejecting ? 'plans.approvals.reject' : 'plans.approvals.approve')}
      okButtonProps={
        {
          danger: rejecting,
          loading: approve.isPending || reject.isPending,
          'data-testid': 'plan-decide',
        } as never
      }
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="comment"
          label={t('plans.approvals.comment')}
          rules={
            rejecting
              ? [{ required: true, whitespace: true, message: t('plans.approvals.commentRequired') }]
              : []
          }
        >
          <Input.TextArea
            maxLength={1000}
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t(rejecting ? 'plans.approvals.commentRequired' : 'plans.approvals.commentOptional')}
            data-testid="plan-comment"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
