import { Link } from '@tanstack/react-router';
import { Breadcrumb } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';

type Props = { title: string; subtitle?: ReactNode; extra?: ReactNode };

/** The header of a page under 设置: the way back (设置 / the page), its title, description and actions. */
export function SettingsPageHeader({ title, subtitle, extra }: Props) {
  const { t } = useTranslation();
  return (
    <PageHeader
      top={<Breadcrumb items={[{ title: <Link to="/settings">{t('settings.title')}</Link> }, { title }]} />}
      title={title}
      subtitle={subtitle}
      extra={extra}
    />
  );
}
