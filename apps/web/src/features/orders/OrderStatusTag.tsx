import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderStatus } from '../../lib/api-types';

const COLORS: Readonly<Record<OrderStatus, string>> = {
  completed: 'success',
  pending: 'processing',
  refunded: 'warning',
  void: 'default',
};

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`orders.status.${status}`)}
    </Tag>
  );
}
