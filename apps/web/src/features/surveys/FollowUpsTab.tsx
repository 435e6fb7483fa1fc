import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { App, Button, DatePicker, Form, Input, Modal, Segmented, Select, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useBilingual } from './survey-meta';

type FollowUp = RouterOutputs['surveys']['followUps']['items'][number];
type Status = FollowUp['status'];
const STATUS_COLORS = { open: 'red', analysed: 'orange', closed: 'green' } as const;
const CAUSES = ['service', 'product_mismatch', 'price', 'other'] as const;

/** 差评回访: unhappy answers, their cause analysis (原因分析) and the check-back (回访确认). */
export function FollowUpsTab() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const label = useBilingual();
  const [status, setStatus] = useState<Status>('open');
  const [working, setWorking] = useState<FollowUp | null>(null);
  const list = useQuery(trpc.surveys.followUps.queryOptions({ status }));
  const surveys = useQuery(trpc.surveys.list.queryOptions());
  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(value) => setStatus(value as Status)}
        aria-label={t('surveys.followUps.statusLabel')}
        options={(['open', 'analysed', 'closed'] as const).map((value) => ({
          value,
          label: t(`surveys.followUps.status.${value}`),
        }))}
      />
      <Table
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('surveys.followUps.empty') }}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          {
            key: 'customer',
            title: t('surveys.followUps.columns.customer'),
            render: (_, row) => (
              <Link to="/customers/$customerId" params={{ customerId: row.customerId }}>
                {row.customerName}
              </Link>
            ),
          },
          {
            key: 'survey',
            title: t('surveys.followUps.columns.survey'),
            render: (_, row) =>
              label(surveys.data?.items.find((survey) => survey.key === row.surveyKey)?.title) ||
              row.surveyKey,
          },
          {
            key: 'score',
            title: t('surveys.followUps.columns.score'),
            dataIndex: 'score',
            width: 80,
            align: 'right',
          },
          {
            key: 'status',
            title: t('surveys.followUps.columns.status'),
            width: 110,
            render: (_, row) => (
              <Tag color={STATUS_COLORS[row.status]}>{t(`surveys.followUps.status.${row.status}`)}</Tag>
            ),
          },
          {
            key: 'cause',
            title: t('surveys.followUps.cause'),
            width: 120,
            render: (_, row) => (row.cause ? t(`surveys.followUps.causes.${row.cause}`) : ''),
          },
          {
            key: 'created',
            title: t('surveys.followUps.columns.created'),
            width: 120,
            render: (_, row) => formatDate(row.createdAt),
          },
          {
            key: 'checkBack',
            title: t('surveys.followUps.columns.checkBack'),
            width: 120,
            render: (_, row) => (row.checkBackOn ? formatDate(row.checkBackOn) : ''),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 120,
            render: (_, row) =>
              row.status === 'closed' ? null : (
                <Button type="link" size="small" onClick={() => setWorking(row)} data-testid="follow-up-work">
                  {row.status === 'open' ? t('surveys.followUps.analyse') : t('surveys.followUps.close')}
                </Button>
              ),
          },
        ]}
      />
      {working ? <FollowUpModal followUp={working} onClose={() => setWorking(null)} /> : null}
    </>
  );
}

function FollowUpModal({ followUp, onClose }: { followUp: FollowUp; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm();
  const done = {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.surveys.pathKey() });
      message.success(t('surveys.followUps.saved'));
      onClose();
    },
    onError: (error: unknown) => showError(error, { form }),
  };
  const analyse = useMutation(trpc.surveys.analyseFollowUp.mutationOptions(done));
  const close = useMutation(trpc.surveys.closeFollowUp.mutationOptions(done));
  const analysing = followUp.status === 'open';
  return (
    <Modal
      open
      title={`${analysing ? t('surveys.followUps.analyse') : t('surveys.followUps.close')} · ${followUp.customerName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={analyse.isPending || close.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ cause: 'service', checkBackOn: dayjs().add(14, 'day') }}
        onFinish={(values: {
          cause: (typeof CAUSES)[number];
          causeText?: string;
          improvement: string;
          checkBackOn: Dayjs;
          result: string;
        }) =>
          analysing
            ? analyse.mutate({
                id: followUp.id,
                cause: values.cause,
                causeText: values.causeText || null,
                improvement: values.improvement,
                checkBackOn: values.checkBackOn.format('YYYY-MM-DD'),
              })
            : close.mutate({ id: followUp.id, result: values.result })
        }
      >
        {analysing ? (
          <>
            <Form.Item name="cause" label={t('surveys.followUps.cause')} rules={[{ required: true }]}>
              <Select
                options={CAUSES.map((cause) => ({
                  value: cause,
                  label: t(`surveys.followUps.causes.${cause}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="causeText" label={t('surveys.followUps.causeText')}>
              <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
            <Form.Item
              name="improvement"
              label={t('surveys.followUps.improvement')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
            <Form.Item
              name="checkBackOn"
              label={t('surveys.followUps.checkBackOn')}
              rules={[{ required: true }]}
            >
              <DatePicker disabledDate={(day) => day.isBefore(dayjs(), 'day')} />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="result"
            label={t('surveys.followUps.result')}
            extra={t('surveys.followUps.resultHelp')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 6 }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
