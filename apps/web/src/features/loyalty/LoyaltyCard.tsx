import { GiftOutlined, ShareAltOutlined, SlidersOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Radio,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDate, formatDateTime } from '../../lib/format';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

type Loyalty = RouterOutputs['loyalty']['customer'];
type Referral = Loyalty['referrals'][number];
type Dialog = 'refer' | 'redeem' | 'adjust' | null;

const STATUS_COLORS: Record<Referral['status'], string> = {
  pending: 'gold',
  rewarded: 'green',
  cancelled: 'default',
};

/**
 * 成长值与转介绍 on the customer page: the balance and what expires soon, who referred the
 * customer, whom it referred (pending until their first order, then rewarded), its discounts,
 * the last entries of its statement, and 记录转介绍 / 兑换积分 / 调整积分 as the member may.
 */
export function LoyaltyCard({ customerId, archived }: { customerId: string; archived: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canWrite = useCan('loyalty.write') && !archived;
  const canManage = useCan('loyalty.manage') && !archived;
  const [dialog, setDialog] = useState<Dialog>(null);
  const loyalty = useQuery(trpc.loyalty.customer.queryOptions({ customerId }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.loyalty.pathFilter()),
      queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: customerId })),
    ]);
  const cancel = useMutation(
    trpc.loyalty.cancelReferral.mutationOptions({
      onSuccess: async () => {
        void message.success(t('loyalty.card.cancelled'));
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );

  if (loyalty.isPending) {
    return (
      <Card size="small" title={t('loyalty.card.title')}>
        <Skeleton active paragraph={{ rows: 2 }} />
      </Card>
    );
  }
  if (loyalty.isError) return null;
  const data = loyalty.data;
  const reward = (referral: { rewardKind: 'points' | 'discount'; rewardValue: number }) =>
    t(`loyalty.reward.${referral.rewardKind}`, { value: referral.rewardValue });

  return (
    <Card
      size="small"
      title={t('loyalty.card.title')}
      data-testid="loyalty-card"
      extra={
        <Space size={4}>
          {canWrite ? (
            <Button
              size="small"
              icon={<ShareAltOutlined />}
              onClick={() => setDialog('refer')}
              data-testid="loyalty-refer"
            >
              {t('loyalty.card.refer')}
            </Button>
          ) : null}
          {canWrite ? (
            <Button
              size="small"
              icon={<GiftOutlined />}
              onClick={() => setDialog('redeem')}
              disabled={data.balance <= 0}
              data-testid="loyalty-redeem"
            >
              {t('loyalty.card.redeem')}
            </Button>
          ) : null}
          {canManage ? (
            <Button
              size="small"
              icon={<SlidersOutlined />}
              onClick={() => setDialog('adjust')}
              data-testid="loyalty-adjust"
            >
              {t('loyalty.card.adjust')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Statistic title={t('loyalty.card.balance')} value={data.balance} data-testid="loyalty-balance" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('loyalty.card.expiringSoon')}
            value={data.expiringSoon}
            valueStyle={data.expiringSoon > 0 ? { color: '#fa8c16' } : undefined}
          />
        </Col>
        <Col xs={24} md={12}>
          <Flex vertical gap={4} style={{ paddingTop: 4 }}>
            {data.referredBy ? (
              <Typography.Text data-testid="loyalty-referred-by">
                <ShareAltOutlined />{' '}
                <Link to="/customers/$customerId" params={{ customerId: data.referredBy.referrerCustomerId }}>
                  {t('loyalty.card.referredBy', { name: data.referredBy.referrerName })}
                </Link>
              </Typography.Text>
            ) : null}
            {data.discounts.map((discount) => (
              <Tag key={discount.referralId} color="magenta" style={{ width: 'fit-content' }}>
                {t('loyalty.card.discount', { percent: discount.percent })}
              </Tag>
            ))}
          </Flex>
        </Col>
      </Row>
      <Row gutter={16} style={{ marginTop: 12 }}>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('loyalty.card.referrals')}</Typography.Text>
          <List
            size="small"
            dataSource={data.referrals}
            locale={{ emptyText: t('loyalty.card.noReferrals') }}
            data-testid="loyalty-referrals"
            renderItem={(referral) => (
              <List.Item
                actions={
                  canManage && referral.status === 'pending'
                    ? [
                        <Button
                          key="cancel"
                          size="small"
                          type="link"
                          loading={cancel.isPending}
                          onClick={() => cancel.mutate({ id: referral.id })}
                        >
                          {t('loyalty.card.cancel')}
                        </Button>,
                      ]
                    : []
                }
              >
                <Flex vertical>
                  <span>
                    {referral.referredCustomerId ? (
                      <Link to="/customers/$customerId" params={{ customerId: referral.referredCustomerId }}>
                        {referral.referredName}
                      </Link>
                    ) : (
                      referral.referredName
                    )}{' '}
                    <Tag color={STATUS_COLORS[referral.status]}>{t(`loyalty.status.${referral.status}`)}</Tag>
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {reward(referral)} · {formatDate(referral.createdAt)}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('loyalty.card.statement')}</Typography.Text>
          <List
            size="small"
            dataSource={data.entries.slice(0, 8)}
            locale={{ emptyText: t('loyalty.card.noEntries') }}
            data-testid="loyalty-entries"
            renderItem={(entry) => (
              <List.Item
                extra={
                  <Typography.Text type={entry.points < 0 ? 'danger' : 'success'} strong>
                    {entry.points > 0 ? `+${entry.points}` : entry.points}
                  </Typography.Text>
                }
              >
                <Flex vertical>
                  <span>
                    {t(`loyalty.kinds.${entry.kind}`)}
                    {entry.reason &&
                    entry.kind !== 'expire' &&
                    entry.kind !== 'referral' &&
                    entry.kind !== 'reversal' ? (
                      <Typography.Text type="secondary"> · {entry.reason}</Typography.Text>
                    ) : null}
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(entry.createdAt)}
                    {entry.createdByName ? ` · ${entry.createdByName}` : ''}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        </Col>
      </Row>
      <ReferDialog
        open={dialog === 'refer'}
        customerId={customerId}
        onClose={() => setDialog(null)}
        onDone={refresh}
      />
      <PointsDialog
        mode={dialog === 'adjust' ? 'adjust' : 'redeem'}
        open={dialog === 'redeem' || dialog === 'adjust'}
        customerId={customerId}
        balance={data.balance}
        onClose={() => setDialog(null)}
        onDone={refresh}
      />
    </Card>
  );
}

function ReferDialog({
  open,
  customerId,
  onClose,
  onDone,
}: {
  open: boolean;
  customerId: string;
  onClose: () => void;
  onDone: () => Promise<unknown>;
}) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{
    referredKind: 'customer' | 'lead';
    referredId: string;
    ruleKey?: string;
    note?: string;
  }>();
  const [search, setSearch] = useState('');
  const referredKind = Form.useWatch('referredKind', form) ?? 'customer';
  const customers = useQuery({
    ...trpc.customers.list.queryOptions({ search: search || undefined, limit: 20 }),
    enabled: open && referredKind === 'customer',
  });
  // A lead's list search needs two characters; without them the latest leads.
  const leads = useQuery({
    ...trpc.leads.list.queryOptions({
      search: search.trim().length >= 2 ? search.trim() : undefined,
      statuses: ['new', 'contacted', 'qualified'],
      sort: 'created_desc',
      limit: 20,
    }),
    enabled: open && referredKind === 'lead',
  });
  const settings = useQuery({ ...trpc.loyalty.settings.queryOptions(), enabled: open });
  useEffect(() => {
    if (open) {
      form.resetFields();
      setSearch('');
    }
  }, [open, form]);
  const candidates =
    referredKind === 'lead'
      ? (leads.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }))
      : (customers.data?.items ?? [])
          .filter((item) => item.id !== customerId)
          .map((item) => ({ value: item.id, label: item.name }));
  const key = useIdempotencyKey(open);
  const refer = useMutation(
    trpc.loyalty.refer.mutationOptions({
      trpc: idempotent(key),
      onSuccess: async () => {
        void message.success(t('loyalty.form.referSaved'));
        onClose();
        await onDone();
      },
      onError: (error) =>
        showError(error, {
          form,
          fields: ['referredId', 'ruleKey', 'note'],
          mapPath: (path) =>
            path === 'referredCustomerId' || path === 'referredLeadId' ? 'referredId' : path,
        }),
    }),
  );
  const rules = settings.data?.rules ?? [];
  return (
    <Modal
      open={open}
      title={t('loyalty.card.refer')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={refer.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'loyalty-refer-save' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ referredKind: 'customer' }}
        onValuesChange={(changed) => {
          if ('referredKind' in changed) {
            form.setFieldValue('referredId', undefined);
            setSearch('');
          }
        }}
        onFinish={(values) =>
          refer.mutate({
            referrerCustomerId: customerId,
            ...(values.referredKind === 'lead'
              ? { referredLeadId: values.referredId }
              : { referredCustomerId: values.referredId }),
            ...(values.ruleKey ? { ruleKey: values.ruleKey } : {}),
            note: values.note?.trim() || null,
          })
        }
      >
        <Form.Item name="referredKind" label={t('loyalty.form.referredKind')}>
          <Radio.Group
            optionType="button"
            data-testid="loyalty-refer-kind"
            options={[
              { value: 'customer', label: t('loyalty.form.kindCustomer') },
              { value: 'lead', label: t('loyalty.form.kindLead') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="referredId"
          label={referredKind === 'lead' ? t('loyalty.form.referredLead') : t('loyalty.form.referred')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            data-testid="loyalty-refer-customer"
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={referredKind === 'lead' ? leads.isFetching : customers.isFetching}
            placeholder={
              referredKind === 'lead'
                ? t('loyalty.form.referredLeadPlaceholder')
                : t('loyalty.form.referredPlaceholder')
            }
            options={candidates}
          />
        </Form.Item>
        <Form.Item name="ruleKey" label={t('loyalty.form.rule')}>
          <Select
            allowClear
            placeholder={
              rules[0] ? (i18n.language === 'en' ? rules[0].labelEn : rules[0].labelZh) : undefined
            }
            options={rules.map((rule) => ({
              value: rule.key,
              label: i18n.language === 'en' ? rule.labelEn : rule.labelZh,
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('loyalty.form.note')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PointsDialog({
  mode,
  open,
  customerId,
  balance,
  onClose,
  onDone,
}: {
  mode: 'redeem' | 'adjust';
  open: boolean;
  customerId: string;
  balance: number;
  onClose: () => void;
  onDone: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ points: number; reason: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const key = useIdempotencyKey(open);
  const options = {
    trpc: idempotent(key),
    onSuccess: async (_: unknown, input: { points: number }) => {
      void message.success(
        mode === 'redeem' ? t('loyalty.form.redeemed', { points: input.points }) : t('loyalty.form.adjusted'),
      );
      onClose();
      await onDone();
    },
    onError: (error: unknown) => showError(error, { form, fields: ['points', 'reason'] }),
  };
  const redeem = useMutation(trpc.loyalty.redeem.mutationOptions(options));
  const adjust = useMutation(trpc.loyalty.adjust.mutationOptions(options));
  return (
    <Modal
      open={open}
      title={mode === 'redeem' ? t('loyalty.card.redeem') : t('loyalty.card.adjust')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={redeem.isPending || adjust.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'loyalty-points-save' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => {
          const input = { customerId, points: values.points, reason: values.reason.trim() };
          if (mode === 'redeem') redeem.mutate(input);
          else adjust.mutate(input);
        }}
      >
        <Form.Item
          name="points"
          label={mode === 'redeem' ? t('loyalty.form.points') : t('loyalty.form.adjustPoints')}
          extra={`${t('loyalty.card.balance')}: ${balance}`}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <InputNumber
            style={{ width: '100%' }}
            precision={0}
            min={mode === 'redeem' ? 1 : -1_000_000}
            max={mode === 'redeem' ? Math.max(balance, 1) : 1_000_000}
            data-testid="loyalty-points"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('loyalty.form.reason')}
          rules={[{ required: true, whitespace: true, message: t('loyalty.form.reasonRequired') }]}
        >
          <Input maxLength={500} data-testid="loyalty-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
