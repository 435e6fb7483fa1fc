import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';

/** On a customer merged into another: where its history went. */
export function TombstoneBanner({ survivorId }: { survivorId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const survivor = useQuery(trpc.customers.get.queryOptions({ id: survivorId }));
  return (
    <Alert
      data-testid="customer-merged-banner"
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('duplicates.tombstone', { name: survivor.data?.name ?? '…' })}
      description={
        <Link to="/customers/$customerId" params={{ customerId: survivorId }}>
          {t('duplicates.tombstoneLink')}
        </Link>
      }
    />
  );
}
