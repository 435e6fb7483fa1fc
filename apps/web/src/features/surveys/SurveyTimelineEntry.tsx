import { FormOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { useBilingual } from './survey-meta';

/** A survey answer on the customer's timeline: which survey, the score, red when unhappy. */
export function surveyTimelineView(data: Record<string, unknown>): {
  title: ReactNode;
  color: string;
  icon: ReactNode;
} {
  return {
    color: data.low === true ? 'red' : 'green',
    icon: <FormOutlined />,
    title: <SurveyTimelineTitle data={data} />,
  };
}

function SurveyTimelineTitle({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const label = useBilingual();
  const surveys = useQuery({ ...trpc.surveys.list.queryOptions(), staleTime: 5 * 60_000 });
  const key = typeof data.surveyKey === 'string' ? data.surveyKey : '';
  const title = label(surveys.data?.items.find((survey) => survey.key === key)?.title) || key;
  const score = data.score === null || data.score === undefined ? null : Number(data.score);
  return (
    <span data-testid="timeline-survey">
      <Typography.Text strong>{t('surveys.timeline.answered', { survey: title })}</Typography.Text>{' '}
      {score !== null ? (
        <Tag color={data.low === true ? 'red' : 'green'}>{t('surveys.timeline.score', { score })}</Tag>
      ) : null}
    </span>
  );
}
