import {
  CalendarOutlined,
  FieldTimeOutlined,
  FundOutlined,
  ImportOutlined,
  ShoppingCartOutlined,
  TransactionOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Card, Col, Descriptions, Flex, Row, Statistic, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../lib/api-types';
import { formatDate, formatMoney } from '../../lib/format';

type Figure = {
  key: string;
  title: string;
  icon: ReactNode;
  value: string;
  muted: boolean;
  hint?: string;
  testId?: string;
};

/** The transaction facts the server derives from completed orders, as a row of Statistic cards. */
export function KeyFigures({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const noDeal = t('customers.detail.stats.noDeal');
  const since = (iso: string | null) => (iso ? dayjs(iso).fromNow() : undefined);
  const figures: Figure[] = [
    {
      key: 'amount12m',
      title: t('customers.detail.stats.amount12m'),
      icon: <FundOutlined />,
      value: formatMoney(customer.amount12m, customer.currency),
      muted: false,
      testId: 'customer-amount-12m',
    },
    {
      key: 'amountLifetime',
      title: t('customers.detail.stats.amountLifetime'),
      icon: <WalletOutlined />,
      value: formatMoney(customer.amountLifetime, customer.currency),
      muted: false,
      testId: 'customer-amount-lifetime',
    },
    {
      key: 'orderCount',
      title: t('customers.detail.stats.orderCount'),
      icon: <ShoppingCartOutlined />,
      value: String(customer.orderCount),
      muted: false,
      testId: 'customer-order-count',
    },
    {
      key: 'averageOrderValue',
      title: t('customers.detail.stats.averageOrderValue'),
      icon: <TransactionOutlined />,
      value: customer.averageOrderValue
        ? formatMoney(customer.averageOrderValue, customer.currency)
        : t('common.none'),
      muted: !customer.averageOrderValue,
      testId: 'customer-average-order',
    },
    {
      key: 'firstDealAt',
      title: t('customers.detail.stats.firstDealAt'),
      icon: <CalendarOutlined />,
      value: customer.firstDealAt ? formatDate(customer.firstDealAt) : noDeal,
      muted: !customer.firstDealAt,
      hint: since(customer.firstDealAt),
      testId: 'customer-first-deal',
    },
    {
      key: 'lastDealAt',
      title: t('customers.detail.stats.lastDealAt'),
      icon: <FieldTimeOutlined />,
      value: customer.lastDealAt ? formatDate(customer.lastDealAt) : noDeal,
      muted: !customer.lastDealAt,
      hint: since(customer.lastDealAt),
      testId: 'customer-last-deal',
    },
  ];

  return (
    <>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {figures.map((figure) => (
          <Col key={figure.key} xs={12} md={8} xl={4}>
            <Card size="small" style={{ height: '100%' }} styles={{ body: { padding: '14px 16px' } }}>
              <Tooltip
                title={figure.key === 'orderCount' ? t('customers.detail.stats.completedOnly') : figure.hint}
              >
                <Statistic
                  title={
                    <span>
                      <span style={{ marginInlineEnd: 6, color: '#8c8c8c' }}>{figure.icon}</span>
                      {figure.title}
                    </span>
                  }
                  value={figure.value}
                  formatter={() => (
                    <span data-testid={figure.testId} style={figure.muted ? { color: '#bfbfbf' } : undefined}>
                      {figure.value}
                    </span>
                  )}
                  styles={{ content: { fontSize: 20, fontWeight: 600, whiteSpace: 'nowrap' } }}
                />
              </Tooltip>
            </Card>
          </Col>
        ))}
      </Row>
      {customer.openingBalance ? <OpeningBalance customer={customer} /> : null}
    </>
  );
}

/**
 * 导入的期初数据: the figures another system had as of a date, which the facts above build on
 * (docs/imports.md, "Opening balance").
 */
function OpeningBalance({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const opening = customer.openingBalance;
  if (!opening) return null;
  const asOf = formatDate(opening.asOf);
  const items = [
    {
      key: 'amount12m',
      label: t('importTargets.opening.amount12m'),
      value: formatMoney(opening.amount12m, customer.currency),
    },
    {
      key: 'amountLifetime',
      label: t('importTargets.opening.amountLifetime'),
      value: formatMoney(opening.amountLifetime, customer.currency),
    },
    { key: 'orderCount', label: t('importTargets.opening.orderCount'), value: String(opening.orderCount) },
    {
      key: 'lastDealOn',
      label: t('importTargets.opening.lastDealOn'),
      value: opening.lastDealOn ? formatDate(opening.lastDealOn) : t('common.none'),
    },
  ];
  return (
    <Card
      size="small"
      data-testid="customer-opening-balance"
      style={{ marginBottom: 16 }}
      title={
        <Flex gap={8} align="center">
          <ImportOutlined style={{ color: '#8c8c8c' }} />
          <span>{t('importTargets.opening.title')}</span>
          <Typography.Text
            type="secondary"
            style={{ fontWeight: 'normal' }}
            data-testid="customer-opening-as-of"
          >
            {t('importTargets.opening.asOf', { date: asOf })}
          </Typography.Text>
        </Flex>
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 4 }}
        items={items.map((item) => ({
          key: item.key,
          label: item.label,
          children: <span data-testid={`customer-opening-${item.key}`}>{item.value}</span>,
        }))}
      />
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
        {t('importTargets.opening.explain', { date: asOf })}
      </Typography.Paragraph>
    </Card>
  );
}
