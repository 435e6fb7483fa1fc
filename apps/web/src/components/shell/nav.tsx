import {
  AuditOutlined,
  CheckSquareOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FormOutlined,
  FundProjectionScreenOutlined,
  HomeOutlined,
  InboxOutlined,
  MessageOutlined,
  NotificationOutlined,
  SettingOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

/** The product areas, in the order of the side menu. */
export const NAV_ITEMS = [
  { key: 'workbench', to: '/workbench', icon: <HomeOutlined /> },
  { key: 'customers', to: '/customers', icon: <TeamOutlined /> },
  { key: 'orders', to: '/orders', icon: <ShoppingCartOutlined /> },
  { key: 'interactions', to: '/interactions', icon: <MessageOutlined /> },
  { key: 'leads', to: '/leads', icon: <ThunderboltOutlined /> },
  // 公海: leads and customers without an owner, for who may claim from it.
  { key: 'pool', to: '/pool', icon: <InboxOutlined />, permission: 'pool.claim' },
  // 营销: campaigns and hosted lead forms, for who runs them.
  { key: 'marketing', to: '/marketing', icon: <NotificationOutlined />, permission: 'campaigns.manage' },
  { key: 'opportunities', to: '/opportunities', icon: <FundProjectionScreenOutlined /> },
  { key: 'tasks', to: '/tasks', icon: <CheckSquareOutlined /> },
  // Managers' inbox of maintenance plans waiting for approval: shown to who may decide them.
  { key: 'approvals', to: '/plans/approvals', icon: <AuditOutlined />, permission: 'plans.approve' },
  { key: 'tickets', to: '/tickets', icon: <CustomerServiceOutlined /> },
  { key: 'surveys', to: '/surveys', icon: <FormOutlined /> },
  { key: 'dashboards', to: '/dashboards', icon: <DashboardOutlined /> },
  { key: 'settings', to: '/settings', icon: <SettingOutlined /> },
] as const satisfies readonly { key: string; to: string; icon: ReactNode; permission?: string }[];

export type NavKey = (typeof NAV_ITEMS)[number]['key'];
