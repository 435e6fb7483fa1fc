import { createFileRoute } from '@tanstack/react-router';
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { FollowUpsTab } from '../../features/surveys/FollowUpsTab';
import { ResultsTab } from '../../features/surveys/ResultsTab';
import { SurveysListTab } from '../../features/surveys/SurveysListTab';
import { oneOf, searchOf } from '../../lib/search-params';
import { useCan } from '../../lib/shell-context';

const TAB_KEYS = ['list', 'results', 'followUps'] as const;
type TabKey = (typeof TAB_KEYS)[number];
const search = searchOf({ tab: oneOf(TAB_KEYS) });

export const Route = createFileRoute('/_app/surveys')({
  validateSearch: search,
  component: SurveysPage,
});

/** 问卷: the surveys, their results (NPS / CSAT) and the follow-ups of unhappy answers. */
function SurveysPage() {
  const { t } = useTranslation();
  const { tab } = Route.useSearch();
  const navigate = Route.useNavigate();
  const canResults = useCan('surveys.results');
  const canFollowUp = useCan('surveys.send');
  const items = [
    { key: 'list' as const, label: t('surveys.tabs.list'), children: <SurveysListTab /> },
    ...(canResults
      ? [{ key: 'results' as const, label: t('surveys.tabs.results'), children: <ResultsTab /> }]
      : []),
    ...(canFollowUp
      ? [{ key: 'followUps' as const, label: t('surveys.tabs.followUps'), children: <FollowUpsTab /> }]
      : []),
  ];
  const active: TabKey = items.some((item) => item.key === tab) ? (tab as TabKey) : 'list';
  return (
    <>
      <PageHeader title={t('surveys.title')} subtitle={t('surveys.subtitle')} />
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(key) => void navigate({ search: { tab: key === 'list' ? undefined : (key as TabKey) } })}
        items={items}
      />
    </>
  );
}
