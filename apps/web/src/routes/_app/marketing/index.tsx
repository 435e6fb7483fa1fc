import { createFileRoute } from '@tanstack/react-router';
import { Result, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { CampaignsTab } from '../../../features/marketing/CampaignsTab';
import { LeadFormsTab } from '../../../features/marketing/LeadFormsTab';
import { oneOf, searchOf } from '../../../lib/search-params';
import { useCan } from '../../../lib/shell-context';

const search = searchOf({ tab: oneOf(['campaigns', 'forms']) });

export const Route = createFileRoute('/_app/marketing/')({
  validateSearch: search,
  component: MarketingPage,
});

/** 营销: campaigns (营销活动) and hosted lead forms (线索表单). */
function MarketingPage() {
  const { t } = useTranslation();
  const allowed = useCan('campaigns.manage');
  const { tab } = Route.useSearch();
  const navigate = Route.useNavigate();
  if (!allowed) return <Result status="403" subTitle={t('marketing.noPermission')} />;
  return (
    <>
      <PageHeader title={t('marketing.title')} subtitle={t('marketing.subtitle')} />
      <Tabs
        activeKey={tab ?? 'campaigns'}
        onChange={(key) => void navigate({ search: { tab: key as 'campaigns' | 'forms' } })}
        items={[
          { key: 'campaigns', label: t('marketing.tabs.campaigns'), children: <CampaignsTab /> },
          { key: 'forms', label: t('marketing.tabs.forms'), children: <LeadFormsTab /> },
        ]}
      />
    </>
  );
}
