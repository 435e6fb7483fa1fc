import { useQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { Flex, Result, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { PoolTable } from '../../features/pool/PoolTable';
import { oneOf, searchOf } from '../../lib/search-params';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';

const search = searchOf({ tab: oneOf(['leads', 'customers']) });

export const Route = createFileRoute('/_app/pool')({
  validateSearch: search,
  component: PoolPage,
});

/** 公海: leads and customers without an owner, to claim (within today's limit) or assign. */
function PoolPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const allowed = useCan('pool.claim');
  const { tab } = Route.useSearch();
  const navigate = Route.useNavigate();
  const summary = useQuery({ ...trpc.pool.summary.queryOptions(), enabled: allowed });
  if (!allowed) return <Result status="403" subTitle={t('pool.noPermission')} />;
  return (
    <>
      <PageHeader
        title={t('pool.title')}
        subtitle={t('pool.subtitle')}
        extra={
          summary.data ? (
            <Flex gap={8} align="center">
              <Tag color={summary.data.remaining > 0 ? 'blue' : 'red'} data-testid="pool-remaining">
                {t('pool.remaining', { remaining: summary.data.remaining, limit: summary.data.claimLimit })}
              </Tag>
            </Flex>
          ) : null
        }
      />
      <Tabs
        activeKey={tab ?? 'leads'}
        onChange={(key) => void navigate({ search: { tab: key as 'leads' | 'customers' } })}
        items={[
          {
            key: 'leads',
            label: `${t('pool.tabs.leads')}${summary.data ? ` · ${summary.data.leads}` : ''}`,
            children: <PoolTable entity="lead" />,
          },
          {
            key: 'customers',
            label: `${t('pool.tabs.customers')}${summary.data ? ` · ${summary.data.customers}` : ''}`,
            children: <PoolTable entity="customer" />,
          },
        ]}
      />
    </>
  );
}
