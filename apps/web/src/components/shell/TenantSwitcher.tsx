import { ApartmentOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Flex, Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIndustryName } from '../../lib/industry-profiles';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useAfterTenantChange } from '../../lib/use-tenant-change';

/** tenants.list in a Select; choosing one calls tenants.switch and starts over in that tenant. */
export function TenantSwitcher({ width = 260 }: { width?: number }) {
  const { t } = useTranslation();
  const industryName = useIndustryName();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const afterTenantChange = useAfterTenantChange();
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const active = tenants.data?.find((tenant) => tenant.active);

  const switchTenant = useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: async ({ activeTenantId }) => {
        const name = tenants.data?.find((tenant) => tenant.id === activeTenantId)?.name ?? '';
        await afterTenantChange();
        void message.success(t('header.switched', { tenant: name }));
      },
      onError: (error) => showError(error),
    }),
  );

  return (
    <Select
      data-testid="tenant-switcher"
      aria-label={t('header.tenantSwitcher')}
      title={t('header.tenantSwitcher')}
      style={{ width, maxWidth: '100%' }}
      loading={tenants.isPending || switchTenant.isPending}
      disabled={switchTenant.isPending}
      value={active?.id}
      placeholder={t('header.tenantSwitcher')}
      prefix={<ApartmentOutlined style={{ color: '#8c8c8c' }} />}
      popupMatchSelectWidth={320}
      onChange={(tenantId: string) => {
        if (tenantId !== active?.id) switchTenant.mutate({ tenantId });
      }}
      options={(tenants.data ?? []).map((tenant) => ({
        value: tenant.id,
        label: tenant.name,
        tenant,
      }))}
      optionRender={(option) => {
        const tenant = option.data.tenant;
        return (
          <Flex justify="space-between" align="center" gap={8}>
            <div style={{ minWidth: 0 }}>
              <Typography.Text ellipsis style={{ display: 'block' }}>
                {tenant.name}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {industryName(tenant.industry)}
              </Typography.Text>
            </div>
            <Tag style={{ marginInlineEnd: 0 }}>{t(`roles.${tenant.role}`)}</Tag>
          </Flex>
        );
      }}
    />
  );
}
