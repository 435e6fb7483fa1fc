import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { Result, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { ApiDocsPanel } from '../../../features/platform/ApiDocsPanel';
import { ApiKeysPanel } from '../../../features/platform/ApiKeysPanel';
import { WebhooksPanel } from '../../../features/platform/WebhooksPanel';
import { WecomPanel } from '../../../features/platform/WecomPanel';
import { oneOf, searchOf } from '../../../lib/search-params';
import { useCan } from '../../../lib/shell-context';

const TABS = ['keys', 'webhooks', 'wecom', 'docs'] as const;
type Tab = (typeof TABS)[number];
const searchSchema = searchOf({ tab: oneOf(TABS) });

export const Route = createFileRoute('/_app/settings/platform')({
  validateSearch: (search): { tab?: Tab } => searchSchema.parse(search),
  component: PlatformPage,
});

/** 设置 → 开放平台: API keys, webhooks with their delivery log, the 企业微信 robot, the API reference. */
function PlatformPage() {
  const { t } = useTranslation();
  const allowed = useCan('platform.manage');
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const tab: Tab = search.tab ?? 'keys';
  return (
    <>
      <PageHeader title={t('platform.title')} subtitle={t('platform.subtitle')} />
      {allowed || tab === 'docs' ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => void navigate({ search: { tab: key as Tab } })}
          items={[
            { key: 'keys', label: t('platform.tabs.keys'), children: allowed ? <ApiKeysPanel /> : null },
            {
              key: 'webhooks',
              label: t('platform.tabs.webhooks'),
              children: allowed ? <WebhooksPanel /> : null,
            },
            { key: 'wecom', label: t('platform.tabs.wecom'), children: allowed ? <WecomPanel /> : null },
            { key: 'docs', label: t('platform.tabs.docs'), children: <ApiDocsPanel /> },
          ]}
        />
      ) : (
        <Result status="403" subTitle={t('platform.noPermission')} />
      )}
    </>
  );
}
