import { MenuFoldOutlined, MenuUnfoldOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { createFileRoute, Link, Outlet, redirect, useRouterState } from '@tanstack/react-router';
import { Button, Flex, Grid, Layout, Menu, Tooltip } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AntdProviders } from '../components/AntdProviders';
import { FullPageSpin } from '../components/FullPageSpin';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { Logo } from '../components/Logo';
import { CreateOrganisationModal } from '../components/shell/CreateOrganisationModal';
import { NAV_ITEMS } from '../components/shell/nav';
import { TenantSwitcher } from '../components/shell/TenantSwitcher';
import { UserMenu } from '../components/shell/UserMenu';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { TaskNavBadge } from '../features/tasks/TaskNavBadge';
import { appCodeOf } from '../lib/errors';
import { ShellContext } from '../lib/shell-context';
import { useTRPC } from '../lib/trpc';

/** The signed-in part of the app: side menu, header and the active tenant. */
export const Route = createFileRoute('/_app')({
  /**
   * Nothing is awaited before the loaders run: who is signed in, their tenant and the page's
   * own data (its route's loader, e.g. the customer list's first page) are asked for at once,
   * in one batched request, while the route's code loads — not one after the other. Signed
   * out, the tenant and page calls answer UNAUTHENTICATED and this loader sends the user to
   * sign in.
   */
  loader: async ({ context, location }) => {
    const [me] = await Promise.all([
      context.queryClient.fetchQuery({ ...context.trpc.auth.me.queryOptions(), staleTime: 30_000 }),
      // Warm the cache; the component shows the error states (no active tenant …) itself.
      context.queryClient.prefetchQuery(context.trpc.tenants.current.queryOptions()),
      context.queryClient.prefetchQuery(context.trpc.tenants.list.queryOptions()),
    ]);
    if (!me) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    return { me };
  },
  component: AppLayout,
});

const NO_TENANT_CODES = new Set(['NO_ACTIVE_TENANT', 'NOT_A_MEMBER']);

// The shell's rarer states (no organisation yet, the tenant failed to load) use antd's Result and
// its illustrations: loaded when shown, not with every first screen.
const NoTenant = lazy(() =>
  import('../components/shell/NoTenant').then((module) => ({ default: module.NoTenant })),
);
const LoadFailed = lazy(() =>
  import('../components/shell/LoadFailed').then((module) => ({ default: module.LoadFailed })),
);

function AppLayout() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState(false);
  const [createOrgOpen, setCreateOrgOpen] = useState(false);
  const pathname = useRouterState({ select: (state) => state.location.pathname });

  const loaded = Route.useLoaderData();
  const meQuery = useQuery(trpc.auth.me.queryOptions());
  const me = meQuery.data ?? loaded.me;
  const current = useQuery({ ...trpc.tenants.current.queryOptions(), enabled: Boolean(me.activeTenantId) });

  const selected = NAV_ITEMS.find((item) => pathname === item.to || pathname.startsWith(`${item.to}/`))?.key;
  // Before the first measurement every breakpoint is undefined: assume a wide screen, don't flash the narrow layout.
  const narrow = screens.lg === false;
  const medium = screens.md !== false;
  const siderCollapsed = narrow || collapsed;

  let content: ReactNode;
  if (!me.activeTenantId || NO_TENANT_CODES.has(appCodeOf(current.error) ?? '')) {
    content = (
      <Suspense fallback={<FullPageSpin />}>
        <NoTenant />
      </Suspense>
    );
  } else if (current.isPending) {
    content = <FullPageSpin />;
  } else if (current.isError) {
    content = (
      <Suspense fallback={<FullPageSpin />}>
        <LoadFailed error={current.error} onRetry={() => void current.refetch()} />
      </Suspense>
    );
  } else {
    content = (
      <ShellContext.Provider value={{ me, tenant: current.data }}>
        <Outlet />
      </ShellContext.Provider>
    );
  }

  // antd's theme, locale and App context (message, modal) for every page: the layout's, loaded with it.
  return (
    <AntdProviders>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider
          width={220}
          collapsedWidth={64}
          collapsed={siderCollapsed}
          trigger={null}
          style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
        >
          <div
            style={{
              height: 64,
              display: 'flex',
              alignItems: 'center',
              paddingInline: siderCollapsed ? 18 : 20,
            }}
          >
            <Link to="/customers" style={{ minWidth: 0 }}>
              <Logo collapsed={siderCollapsed} />
            </Link>
          </div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            style={{ borderInlineEnd: 'none' }}
            items={NAV_ITEMS.filter(
              (item) =>
                !('permission' in item) ||
                (current.data?.permissions as readonly string[] | undefined)?.includes(item.permission),
            ).map((item) => ({
              key: item.key,
              icon: item.icon,
              label: (
                <Link to={item.to} data-testid={`nav-${item.key}`}>
                  {t(`nav.${item.key}`)}
                  {item.key === 'tasks' ? (
                    <TaskNavBadge
                      enabled={Boolean(current.data?.permissions.includes('customers.read'))}
                      collapsed={siderCollapsed}
                    />
                  ) : null}
                </Link>
              ),
            }))}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{
              position: 'sticky',
              top: 0,
              zIndex: 10,
              height: 64,
              paddingInline: 16,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              gap: 12,
              borderBottom: '1px solid #e8ebf2',
            }}
          >
            <Flex align="center" gap={8} style={{ minWidth: 0 }}>
              {narrow ? null : (
                <Tooltip title={collapsed ? t('nav.expand') : t('nav.collapse')}>
                  <Button
                    type="text"
                    aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
                    icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                    onClick={() => setCollapsed((value) => !value)}
                  />
                </Tooltip>
              )}
              <TenantSwitcher width={medium ? 260 : 160} />
            </Flex>
            <Flex align="center" gap={medium ? 12 : 4}>
              <Tooltip title={medium ? undefined : t('header.createOrg')}>
                <Button
                  data-testid="create-org"
                  icon={<PlusOutlined />}
                  onClick={() => setCreateOrgOpen(true)}
                >
                  {medium ? t('header.createOrg') : null}
                </Button>
              </Tooltip>
              <LanguageSwitcher size="small" />
              {current.data?.permissions.includes('notifications.own') ? <NotificationBell /> : null}
              <UserMenu me={me} />
            </Flex>
          </Layout.Header>
          <Layout.Content style={{ padding: medium ? 24 : 12, minWidth: 0 }}>
            <div style={{ maxWidth: 1440, margin: '0 auto' }}>{content}</div>
          </Layout.Content>
        </Layout>
        <CreateOrganisationModal open={createOrgOpen} onClose={() => setCreateOrgOpen(false)} />
      </Layout>
    </AntdProviders>
  );
}
