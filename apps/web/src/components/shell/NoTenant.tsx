import { ApartmentOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Result, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIndustryName } from '../../lib/industry-profiles';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useAfterTenantChange } from '../../lib/use-tenant-change';
import { OrganisationForm } from './OrganisationForm';

/** No active tenant (a new user from an expired invitation, or removed from the last one): pick one or create one. */
export function NoTenant() {
  const { t } = useTranslation();
  const industryName = useIndustryName();
  const trpc = useTRPC();
  const showError = useShowError();
  const afterTenantChange = useAfterTenantChange();
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const switchTenant = useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: () => afterTenantChange(),
      onError: (error) => showError(error),
    }),
  );
  const others = tenants.data ?? [];

  return (
    <Flex vertical align="center" style={{ paddingTop: 24 }}>
      <div style={{ width: '100%', maxWidth: 560 }}>
        <Result
          icon={<ApartmentOutlined style={{ color: '#1f5eff' }} />}
          title={t('noTenant.title')}
          subTitle={t('noTenant.description')}
          style={{ paddingBottom: 8 }}
        />
        {others.length > 0 ? (
          <Card title={t('noTenant.chooseTitle')} style={{ marginBottom: 16 }}>
            <Flex vertical gap={4}>
              {others.map((tenant) => (
                <Flex
                  key={tenant.id}
                  justify="space-between"
                  align="center"
                  gap={12}
                  style={{ padding: '8px 0' }}
                >
                  <div style={{ minWidth: 0 }}>
                    <Typography.Text strong ellipsis style={{ display: 'block' }}>
                      {tenant.name}
                    </Typography.Text>
                    <Flex gap={8} align="center">
                      <Typography.Text type="secondary">{industryName(tenant.industry)}</Typography.Text>
                      <Tag>{t(`roles.${tenant.role}`)}</Tag>
                    </Flex>
                  </div>
                  <Button
                    loading={switchTenant.isPending && switchTenant.variables?.tenantId === tenant.id}
                    onClick={() => switchTenant.mutate({ tenantId: tenant.id })}
                  >
                    {t('noTenant.enter')}
                  </Button>
                </Flex>
              ))}
            </Flex>
          </Card>
        ) : null}
        <Card title={t('org.createTitle')}>
          <OrganisationForm />
        </Card>
      </div>
    </Flex>
  );
}
