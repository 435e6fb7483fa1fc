import { ShopOutlined, UserOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerKind } from '../../lib/api-types';

export function KindTag({ kind }: { kind: CustomerKind }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={kind === 'company' ? 'geekblue' : 'cyan'}
      icon={kind === 'company' ? <ShopOutlined /> : <UserOutlined />}
      style={{ marginInlineEnd: 0 }}
    >
      {t(`customers.kind.${kind}`)}
    </Tag>
  );
}
