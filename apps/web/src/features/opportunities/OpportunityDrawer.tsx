import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpportunityDetail } from '../../lib/api-types';
import { formatDateTime, formatMoney } from '../../lib/format';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { usePick, usePipeline } from './pipeline-labels';
import { useMoveOpportunity } from './use-move';

const ROLES = ['decision_maker', 'influencer', 'user', 'gatekeeper', 'sponsor'] as const;

type Values = {
  name: string;
  amount?: number | null;
  expectedCloseOn?: dayjs.Dayjs | null;
  probability?: number;
  needs: string[];
  competitors: string[];
  lines: { product: string; quantity: number; unitPrice: number }[];
  decisionChain: { name: string; title?: string; role: (typeof ROLES)[number] }[];
  notes?: string;
};

function useDuration(): (seconds: number) => string {
  const { t } = useTranslation();
  return (seconds: number) => {
    const days = Math.floor(seconds / 86_400);
    return days === 0 ? t('opportunities.lessThanDay') : t('opportunities.days', { count: days });
  };
}

/** One opportunity: its fields, the stage's checklist, what moving on needs, line items, decision chain and stage history. */
export function OpportunityDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const trpc = useTRPC();
  const pick = usePick();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canWrite = useCan('opportunities.write');
  const { pipeline, stageLabel, reasonLabel } = usePipeline();
  const mover = useMoveOpportunity();
  const [form] = Form.useForm<Values>();
  const detail = useQuery({ ...trpc.opportunities.get.queryOptions({ id: id ?? '' }), enabled: id !== null });
  const data = detail.data;
  const settled = data?.stageKind === 'won' || data?.stageKind === 'lost';

  useEffect(() => {
    if (!data) return;
    form.setFieldsValue({
      name: data.name,
      amount: data.amount === null ? null : Number(data.amount),
      expectedCloseOn: data.expectedCloseOn ? dayjs(data.expectedCloseOn) : null,
      probability: data.probability,
      needs: data.needs,
      competitors: data.competitors,
      lines: data.lines.map((line) => ({
        product: line.product,
        quantity: Number(line.quantity),
        unitPrice: Number(line.unitPrice),
      })),
      decisionChain: data.decisionChain.map((person) => ({
        name: person.name,
        title: person.title ?? undefined,
        role: person.role,
      })),
      notes: data.notes ?? undefined,
    });
  }, [data, form]);

  const refresh = (next: OpportunityDetail) => {
    queryClient.setQueryData(trpc.opportunities.get.queryKey({ id: next.id }), next);
    void queryClient.invalidateQueries({ queryKey: trpc.opportunities.pathKey() });
  };
  const update = useMutation(
    trpc.opportunities.update.mutationOptions({
      onSuccess: (next) => {
        void message.success(t('opportunities.saved'));
        refresh(next);
      },
      onError: (error) => showError(error, { form }),
    }),
  );
  const setAction = useMutation(
    trpc.opportunities.setAction.mutationOptions({
      onSuccess: refresh,
      onError: (error) => showError(error),
    }),
  );

  const save = (values: Values) => {
    if (!data) return;
    const lines = (values.lines ?? []).filter((line) => line?.product);
    update.mutate({
      id: data.id,
      name: values.name,
      amount:
        lines.length === 0 && values.amount !== undefined && values.amount !== null
          ? String(values.amount)
          : null,
      expectedCloseOn: values.expectedCloseOn ? values.expectedCloseOn.format('YYYY-MM-DD') : null,
      probability: values.probability,
      needs: (values.needs ?? []).map((need) => need.trim()).filter(Boolean),
      competitors: (values.competitors ?? []).map((name) => name.trim()).filter(Boolean),
      lines: lines.map((line) => ({
        product: line.product,
        quantity: String(line.quantity),
        unitPrice: String(line.unitPrice),
      })),
      decisionChain: (values.decisionChain ?? [])
        .filter((person) => person?.name)
        .map((person) => ({ name: person.name, title: person.title || null, role: person.role })),
      notes: values.notes?.trim() || null,
    });
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={720}
      title={data?.name ?? ''}
      destroyOnHidden
      extra={
        data && canWrite && !settled ? (
          <Select
            aria-label={t('opportunities.moveTo')}
            data-testid="drawer-move"
            style={{ width: 180 }}
            value={data.stage}
            onChange={(stage) => mover.request(data.id, stage)}
            options={(pipeline?.stages ?? []).map((stage) => ({
              value: stage.key,
              label: pick(stage.labels),
            }))}
          />
        ) : null
      }
    >
      {mover.dialog}
      {!data ? (
        <Skeleton active />
      ) : (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('opportunities.stage')}>
              <Tag color="blue">{stageLabel(data.stage)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('opportunities.inStage')}>
              {duration(data.secondsInStage)}
            </Descriptions.Item>
            <Descriptions.Item label={t('opportunities.customer')}>
              {data.customerId ? (
                <Link to="/customers/$customerId" params={{ customerId: data.customerId }}>
                  {data.customerName}
                </Link>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('opportunities.owner')}>{data.ownerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('opportunities.amount')}>
              {data.amount ? formatMoney(data.amount, data.currency) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('opportunities.probability')}>{data.probability}%</Descriptions.Item>
          </Descriptions>
          {data.stageKind === 'won' ? (
            <Alert type="success" showIcon message={t('opportunities.wonInfo')} />
          ) : null}
          {data.stageKind === 'lost' ? (
            <Alert
              type="warning"
              showIcon
              message={t('opportunities.lostInfo', { reason: reasonLabel(data.lostReason) })}
              description={data.lostNote}
            />
          ) : null}
          {data.checklist.length > 0 ? (
            <>
              <Divider />
              <Typography.Title level={5}>{t('opportunities.checklist')}</Typography.Title>
              <Flex vertical gap={6} data-testid="checklist">
                {data.checklist.map((item) => (
                  <Flex key={item.key} gap={8} align="center">
                    <Checkbox
                      checked={item.done}
                      disabled={!canWrite || settled || setAction.isPending}
                      onChange={(event) =>
                        setAction.mutate({ id: data.id, action: item.key, done: event.target.checked })
                      }
                    >
                      {pick(item.labels)}
                    </Checkbox>
                    {!item.done && item.dueAt ? (
                      <Tag color="orange">{t('opportunities.due', { time: formatDateTime(item.dueAt) })}</Tag>
                    ) : null}
                  </Flex>
                ))}
              </Flex>
            </>
          ) : null}
          {data.stageKind === 'open' ? (
            <div style={{ marginTop: 12 }}>
              {data.blockers.length > 0 ? (
                <Alert
                  type="info"
                  showIcon
                  data-testid="blockers"
                  message={t('opportunities.gates')}
                  description={
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {data.blockers.map((blocker) => (
                        <li key={`${blocker.stage}-${blocker.missing.en}`}>{pick(blocker.missing)}</li>
                      ))}
                    </ul>
                  }
                />
              ) : (
                <Alert type="success" showIcon message={t('opportunities.gatesPassed')} />
              )}
            </div>
          ) : null}

          <Divider />
          <Form form={form} layout="vertical" disabled={!canWrite || settled} onFinish={save}>
            <Form.Item name="name" label={t('opportunities.name')} rules={[{ required: true }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="amount" label={t('opportunities.amount')}>
                  <InputNumber min={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="expectedCloseOn" label={t('opportunities.expectedCloseOn')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="probability" label={t('opportunities.probability')}>
                  <InputNumber min={0} max={100} suffix="%" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="needs" label={t('opportunities.needs')}>
              <Select
                mode="tags"
                open={false}
                tokenSeparators={['\n']}
                placeholder={t('opportunities.addNeed')}
                data-testid="needs-input"
              />
            </Form.Item>
            <Form.Item name="competitors" label={t('opportunities.competitors')}>
              <Select mode="tags" open={false} />
            </Form.Item>
            <Typography.Text strong>{t('opportunities.lines')}</Typography.Text>
            <Form.List name="lines">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Flex key={field.key} gap={8} align="baseline">
                      <Form.Item
                        name={[field.name, 'product']}
                        rules={[{ required: true }]}
                        style={{ flex: 3 }}
                      >
                        <Input placeholder={t('opportunities.product')} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'quantity']}
                        rules={[{ required: true }]}
                        style={{ flex: 1 }}
                      >
                        <InputNumber
                          min={0.001}
                          placeholder={t('opportunities.quantity')}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'unitPrice']}
                        rules={[{ required: true }]}
                        style={{ flex: 2 }}
                      >
                        <InputNumber
                          min={0}
                          placeholder={t('opportunities.unitPrice')}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                      <Button
                        aria-label="remove"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                      />
                    </Flex>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })} block>
                    {t('opportunities.addLine')}
                  </Button>
                </>
              )}
            </Form.List>
            <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
              {t('opportunities.decisionChain')}
            </Typography.Text>
            <Form.List name="decisionChain">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Flex key={field.key} gap={8} align="baseline">
                      <Form.Item name={[field.name, 'name']} rules={[{ required: true }]} style={{ flex: 2 }}>
                        <Input placeholder={t('opportunities.personName')} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'title']} style={{ flex: 2 }}>
                        <Input placeholder={t('opportunities.personTitle')} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'role']} rules={[{ required: true }]} style={{ flex: 2 }}>
                        <Select
                          placeholder={t('opportunities.role')}
                          options={ROLES.map((role) => ({
                            value: role,
                            label: t(`opportunities.roles.${role}`),
                          }))}
                        />
                      </Form.Item>
                      <Button
                        aria-label="remove"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                      />
                    </Flex>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ role: 'influencer' })}
                    block
                  >
                    {t('opportunities.addPerson')}
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item name="notes" label={t('opportunities.notes')} style={{ marginTop: 12 }}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
            {canWrite && !settled ? (
              <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="drawer-save">
                {t('opportunities.save')}
              </Button>
            ) : null}
          </Form>

          <Divider />
          <Typography.Title level={5}>{t('opportunities.history')}</Typography.Title>
          <Timeline
            items={data.history.map((entry) => ({
              children: (
                <div>
                  <div>
                    {entry.fromStage
                      ? t('opportunities.historyEntry', {
                          from: stageLabel(entry.fromStage),
                          to: stageLabel(entry.toStage),
                        })
                      : t('opportunities.created', { stage: stageLabel(entry.toStage) })}
                    {entry.secondsInFrom !== null ? (
                      <Typography.Text type="secondary">
                        {' '}
                        · {t('opportunities.stayed', { duration: duration(entry.secondsInFrom) })}
                      </Typography.Text>
                    ) : null}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(entry.changedAt)} {entry.changedByName ?? ''}
                  </Typography.Text>
                </div>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}
