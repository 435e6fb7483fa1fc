import { CopyOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Select,
  Skeleton,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useBilingual } from './survey-meta';

/** 满意度 on the customer 360: the last NPS and CSAT, answers, what waits, and 发送问卷. */
export function SatisfactionCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canSend = useCan('surveys.send');
  const [sending, setSending] = useState(false);
  const summary = useQuery(trpc.surveys.customer.queryOptions({ customerId }));
  const surveys = useQuery(trpc.surveys.list.queryOptions());
  const label = useBilingual();
  const titleOf = (key: string) =>
    label(surveys.data?.items.find((survey) => survey.key === key)?.title) || key;

  if (summary.isPending) {
    return (
      <Card size="small" title={t('surveys.card.title')}>
        <Skeleton active paragraph={{ rows: 2 }} />
      </Card>
    );
  }
  if (summary.isError) return null;
  const data = summary.data;
  return (
    <Card
      size="small"
      title={t('surveys.card.title')}
      data-testid="satisfaction-card"
      extra={
        canSend ? (
          <Button
            size="small"
            icon={<SendOutlined />}
            onClick={() => setSending(true)}
            data-testid="send-survey"
          >
            {t('surveys.send.button')}
          </Button>
        ) : null
      }
    >
      <Flex gap={32} wrap style={{ marginBottom: data.recent.length ? 12 : 0 }}>
        <Statistic title={t('surveys.card.lastNps')} value={data.lastNps ?? t('surveys.results.none')} />
        <Statistic
          title={t('surveys.card.lastCsat')}
          value={data.lastCsat === null ? t('surveys.results.none') : `${Math.round(data.lastCsat)}`}
          suffix={data.lastCsat === null ? undefined : '/ 100'}
        />
        <Statistic title={t('surveys.card.responses')} value={data.responses} />
        <Statistic title={t('surveys.card.pending')} value={data.pendingInvitations} />
        <Statistic title={t('surveys.card.openFollowUps')} value={data.openFollowUps} />
      </Flex>
      {data.recent.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('surveys.card.empty')} />
      ) : (
        <List
          size="small"
          header={<Typography.Text type="secondary">{t('surveys.card.recent')}</Typography.Text>}
          dataSource={data.recent}
          renderItem={(response) => (
            <List.Item>
              <Flex gap={8} wrap align="center">
                <Typography.Text>{titleOf(response.surveyKey)}</Typography.Text>
                {response.score !== null ? (
                  <Tag color={response.low ? 'red' : 'green'}>
                    {t('surveys.timeline.score', { score: response.score })}
                  </Tag>
                ) : null}
                <Typography.Text type="secondary">{formatDate(response.respondedAt)}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
      {sending ? <SendSurveyModal customerIds={[customerId]} onClose={() => setSending(false)} /> : null}
    </Card>
  );
}

/** 发送问卷: a survey and a channel; a link channel shows the link to copy into WeChat. */
export function SendSurveyModal({ customerIds, onClose }: { customerIds: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const label = useBilingual();
  const [form] = Form.useForm<{ key: string; channel: 'email' | 'sms' | 'link' }>();
  const [link, setLink] = useState<string | null>(null);
  const surveys = useQuery(trpc.surveys.list.queryOptions());
  const invite = useMutation(
    trpc.surveys.invite.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({ queryKey: trpc.surveys.pathKey() });
        if (result.links[0]) setLink(result.links[0].url);
        else if (result.invited === 0) message.warning(t('surveys.send.skipped'));
        else {
          message.success(t('surveys.send.sent'));
          onClose();
        }
      },
      onError: (error) => showError(error, { form }),
    }),
  );
  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      message.success(t('surveys.send.copied'));
    } catch {
      // No clipboard (an insecure origin): the field stays selected for a manual copy.
    }
  };
  return (
    <Modal
      open
      title={t('surveys.send.title')}
      onCancel={onClose}
      okText={link ? t('common.confirm') : t('surveys.send.submit')}
      onOk={() => (link ? onClose() : form.submit())}
      confirmLoading={invite.isPending}
      destroyOnHidden
    >
      {link ? (
        <Flex vertical gap={8}>
          <Typography.Text>{t('surveys.send.linkReady')}</Typography.Text>
          <Flex gap={8}>
            <Input
              readOnly
              value={link}
              data-testid="survey-link"
              onFocus={(event) => event.target.select()}
            />
            <Button icon={<CopyOutlined />} onClick={() => void copy()}>
              {t('surveys.send.copy')}
            </Button>
          </Flex>
        </Flex>
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ channel: 'link' }}
          onFinish={(values) => invite.mutate({ ...values, customerIds })}
        >
          <Form.Item name="key" label={t('surveys.send.survey')} rules={[{ required: true }]}>
            <Select
              data-testid="send-survey-select"
              loading={surveys.isPending}
              options={(surveys.data?.items ?? []).map((survey) => ({
                value: survey.key,
                label: label(survey.title),
              }))}
            />
          </Form.Item>
          <Form.Item name="channel" label={t('surveys.send.channel')} rules={[{ required: true }]}>
            <Select
              options={(['link', 'email', 'sms'] as const).map((channel) => ({
                value: channel,
                label: t(`surveys.channels.${channel}`),
              }))}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
