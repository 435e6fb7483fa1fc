import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../lib/api-types';

const ROLE_COLORS: Record<Role, string> = {
  owner: 'gold',
  admin: 'volcano',
  sales_manager: 'blue',
  sales_rep: 'geekblue',
  service_agent: 'cyan',
  marketing: 'magenta',
  analyst: 'purple',
  viewer: 'default',
};

export function RoleTag({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <Tag color={ROLE_COLORS[role]} style={{ marginInlineEnd: 0 }}>
      {t(`roles.${role}`)}
    </Tag>
  );
}
