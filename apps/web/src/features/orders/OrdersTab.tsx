import { EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Empty, Flex, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, Order, OrderLine, PaymentMethod } from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatMoney, formatQuantity } from '../../lib/format';
import { useCan } from '../../lib/shell-context';
import { useTRPC, useTRPCClient } from '../../lib/trpc';
import { TabPanel } from '../customers/TabPanel';
import { OrderFormDrawer } from './OrderFormDrawer';
import { OrderStatusTag } from './OrderStatusTag';
import { VoidOrderModal } from './VoidOrderModal';

const PAGE_SIZE = 20;

type Props = { customer: Customer; archived: boolean };

/** The customer's orders, newest first: status, payment method, lines on expanding; record, edit, void. */
export function OrdersTab({ customer, archived }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const canWrite = useCan('orders.write') && !archived;
  const canVoid = useCan('orders.void') && !archived;
  const [includeVoid, setIncludeVoid] = useState(true);
  // The order stays set while a drawer or modal closes, so its title does not flip mid-animation.
  const [form, setForm] = useState<{ open: boolean; order?: Order }>({ open: false });
  const [voiding, setVoiding] = useState<{ open: boolean; order?: Order }>({ open: false });

  // Not infiniteQueryOptions(): it adds a `direction` to the input, which the procedure's strict
  // input refuses. Same query key, so invalidating the procedure still refreshes it.
  const input = { customerId: customer.id, includeVoid, limit: PAGE_SIZE };
  const orders = useInfiniteQuery({
    queryKey: trpc.orders.list.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) => client.orders.list.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const rows = orders.data?.pages.flatMap((page) => page.items) ?? [];
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;

  const columns: ColumnsType<Order> = [
    {
      key: 'orderedAt',
      dataIndex: 'orderedAt',
      title: t('orders.columns.orderedAt'),
      width: 120,
      render: (value: string) => formatDate(value),
    },
    {
      key: 'orderNumber',
      dataIndex: 'orderNumber',
      title: t('orders.columns.orderNumber'),
      width: 160,
      ellipsis: true,
      render: (value: string | null) => (value ? <Typography.Text code>{value}</Typography.Text> : none),
    },
    {
      key: 'lines',
      dataIndex: 'lines',
      title: t('orders.columns.lines'),
      ellipsis: true,
      render: (lines: OrderLine[], order) =>
        lines.length > 0 ? (
          <Typography.Text ellipsis>
            {lines.map((line) => line.product).join('、')}
            <Typography.Text type="secondary">
              {' · '}
              {t('orders.lineCount', { count: lines.length })}
            </Typography.Text>
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary" ellipsis>
            {order.note || t('orders.noLines')}
          </Typography.Text>
        ),
    },
    {
      key: 'amount',
      dataIndex: 'amount',
      title: t('orders.columns.amount'),
      width: 150,
      align: 'right',
      render: (amount: string, order) => (
        <Typography.Text strong={order.status === 'completed'} delete={order.status === 'void'}>
          {formatMoney(amount, order.currency)}
        </Typography.Text>
      ),
    },
    {
      key: 'paymentMethod',
      dataIndex: 'paymentMethod',
      title: t('orders.columns.paymentMethod'),
      width: 130,
      render: (method: PaymentMethod | null) => (method ? t(`orders.paymentMethod.${method}`) : none),
    },
    {
      key: 'status',
      dataIndex: 'status',
      title: t('orders.columns.status'),
      width: 100,
      render: (status: Order['status']) => <OrderStatusTag status={status} />,
    },
    ...(canWrite || canVoid
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 150,
            render: (_: unknown, order: Order) =>
              order.status === 'void' ? null : (
                <Flex gap={4}>
                  {canWrite ? (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      data-testid="order-edit"
                      onClick={() => setForm({ open: true, order })}
                    >
                      {t('common.edit')}
                    </Button>
                  ) : null}
                  {canVoid ? (
                    <Button
                      type="link"
                      danger
                      size="small"
                      icon={<StopOutlined />}
                      data-testid="order-void"
                      onClick={() => setVoiding({ open: true, order })}
                    >
                      {t('orders.void')}
                    </Button>
                  ) : null}
                </Flex>
              ),
          },
        ]
      : []),
  ];

  const lineColumns: ColumnsType<OrderLine> = [
    { key: 'product', dataIndex: 'product', title: t('orders.form.product') },
    {
      key: 'quantity',
      dataIndex: 'quantity',
      title: t('orders.form.quantity'),
      width: 100,
      align: 'right',
      render: (value: string) => formatQuantity(value),
    },
    {
      key: 'unitPrice',
      dataIndex: 'unitPrice',
      title: t('orders.form.unitPrice'),
      width: 140,
      align: 'right',
      render: (value: string) => formatMoney(value, customer.currency),
    },
    {
      key: 'amount',
      dataIndex: 'amount',
      title: t('orders.form.lineAmount'),
      width: 150,
      align: 'right',
      render: (value: string) => formatMoney(value, customer.currency),
    },
  ];

  return (
    <TabPanel
      description={t('orders.figuresHint')}
      extra={
        <>
          <Flex gap={8} align="center">
            <Switch
              size="small"
              checked={includeVoid}
              onChange={setIncludeVoid}
              data-testid="orders-show-void"
            />
            <Typography.Text type="secondary">{t('orders.showVoid')}</Typography.Text>
          </Flex>
          {canWrite ? (
            <Button
              data-testid="order-new"
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setForm({ open: true })}
            >
              {t('orders.new')}
            </Button>
          ) : null}
        </>
      }
    >
      <div data-testid="orders-table">
        <Table<Order>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={orders.isPending}
          pagination={false}
          scroll={{ x: 960 }}
          rowClassName={(order) => (order.status === 'void' ? 'crm-void-row' : '')}
          expandable={{
            rowExpandable: (order) =>
              order.lines.length > 0 || Boolean(order.note) || Boolean(order.voidReason),
            expandedRowRender: (order) => (
              <Flex vertical gap={8} style={{ padding: '4px 0' }}>
                {order.voidReason ? (
                  <Typography.Text type="danger">
                    {t('orders.voidReasonLabel', { reason: order.voidReason })}
                  </Typography.Text>
                ) : null}
                {order.lines.length > 0 ? (
                  <Table<OrderLine>
                    size="small"
                    rowKey={(_line, index) => String(index)}
                    columns={lineColumns}
                    dataSource={order.lines}
                    pagination={false}
                    summary={() => (
                      <Table.Summary.Row>
                        <Table.Summary.Cell index={0} colSpan={3} align="right">
                          {t('orders.form.total')}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={3} align="right">
                          <Typography.Text strong>
                            {formatMoney(order.amount, order.currency)}
                          </Typography.Text>
                        </Table.Summary.Cell>
                      </Table.Summary.Row>
                    )}
                  />
                ) : null}
                {order.note ? (
                  <Typography.Paragraph type="secondary" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {t('orders.columns.note')}
                    {t('common.colon')}
                    {order.note}
                  </Typography.Paragraph>
                ) : null}
              </Flex>
            ),
          }}
          locale={{
            emptyText: orders.isError ? (
              <Typography.Text type="danger">
                {errorMessage(orders.error, { network: t('errors.network'), unknown: t('errors.unknown') })}
              </Typography.Text>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orders.empty')}>
                {canWrite ? (
                  <Typography.Text type="secondary">{t('orders.emptyHint')}</Typography.Text>
                ) : null}
              </Empty>
            ),
          }}
        />
      </div>
      {orders.hasNextPage ? (
        <Flex justify="center">
          <Button
            data-testid="orders-load-more"
            loading={orders.isFetchingNextPage}
            onClick={() => void orders.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        </Flex>
      ) : null}
      {canWrite ? (
        <OrderFormDrawer
          open={form.open}
          onClose={() => setForm((current) => ({ ...current, open: false }))}
          customerId={customer.id}
          currency={customer.currency}
          order={form.order}
        />
      ) : null}
      {canVoid ? (
        <VoidOrderModal
          open={voiding.open}
          order={voiding.order}
          onClose={() => setVoiding((current) => ({ ...current, open: false }))}
        />
      ) : null}
    </TabPanel>
  );
}
