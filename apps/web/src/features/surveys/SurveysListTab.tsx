import { EditOutlined, InboxOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, List, Popconfirm, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useTiers } from '../industry/tiers';
import { ProfileMappingTag } from './ProfileMapping';
import { SurveyDesigner, type SurveyItem } from './SurveyDesigner';
import { useBilingual } from './survey-meta';

const KIND_COLORS = { nps: 'purple', csat: 'green', needs: 'blue', custom: 'default' } as const;

/** 问卷列表: the plugin's surveys and the tenant's, their schedule, audience and answers. */
export function SurveysListTab() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const canManage = useCan('surveys.manage');
  const label = useBilingual();
  const { tierLabel } = useTiers();
  const [editing, setEditing] = useState<SurveyItem | 'new' | null>(null);
  const surveys = useQuery(trpc.surveys.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.surveys.pathKey() });
  const setEnabled = useMutation(
    trpc.surveys.setEnabled.mutationOptions({ onSuccess: refresh, onError: (error) => showError(error) }),
  );
  const archive = useMutation(
    trpc.surveys.archive.mutationOptions({ onSuccess: refresh, onError: (error) => showError(error) }),
  );

  const scheduleText = (survey: SurveyItem) => {
    const schedule = survey.schedule;
    if (!schedule) return t('surveys.schedule.manual');
    if ('after' in schedule) {
      const event = schedule.after as 'first_order';
      return schedule.delayDays === 0
        ? t(`surveys.schedule.rightAfter.${event}`)
        : t(`surveys.schedule.after.${event}`, { days: schedule.delayDays });
    }
    return t(`surveys.schedule.every.${schedule.every as 'month'}`);
  };

  const columns: ColumnsType<SurveyItem> = [
    {
      key: 'title',
      title: t('surveys.columns.title'),
      render: (_, survey) => (
        <Flex vertical>
          <Typography.Text strong>{label(survey.title)}</Typography.Text>
          {survey.description ? (
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 420 }}>
              {label(survey.description)}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'kind',
      title: t('surveys.columns.kind'),
      width: 110,
      render: (_, survey) => <Tag color={KIND_COLORS[survey.kind]}>{t(`surveys.kinds.${survey.kind}`)}</Tag>,
    },
    {
      key: 'source',
      title: t('surveys.columns.source'),
      width: 110,
      render: (_, survey) => t(`surveys.sources.${survey.source}`),
    },
    {
      key: 'schedule',
      title: t('surveys.columns.schedule'),
      width: 170,
      render: (_, survey) => scheduleText(survey),
    },
    {
      key: 'audience',
      title: t('surveys.columns.audience'),
      width: 200,
      render: (_, survey) =>
        survey.audienceTiers.length === 0 ? (
          t('surveys.everyone')
        ) : (
          <Flex gap={4} wrap>
            {survey.audienceTiers.map((tier) => (
              <Tag key={tier}>{tierLabel(tier)}</Tag>
            ))}
          </Flex>
        ),
    },
    {
      key: 'responses',
      title: t('surveys.columns.responses'),
      width: 150,
      align: 'right',
      render: (_, survey) =>
        t('surveys.responsesOf', { responded: survey.responded, invited: survey.invited }),
    },
    {
      key: 'enabled',
      title: t('surveys.columns.enabled'),
      width: 80,
      render: (_, survey) => (
        <Switch
          size="small"
          checked={survey.enabled}
          disabled={!canManage || !survey.schedule}
          aria-label={`${t('surveys.columns.enabled')} ${label(survey.title)}`}
          onChange={(enabled) => setEnabled.mutate({ key: survey.key, enabled })}
        />
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 170,
      render: (_, survey) =>
        survey.source === 'tenant' && canManage ? (
          <Flex gap={4}>
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(survey)}>
              {t('surveys.edit')}
            </Button>
            <Popconfirm
              title={t('surveys.archiveConfirm')}
              onConfirm={() => archive.mutate({ key: survey.key })}
            >
              <Button type="link" size="small" icon={<InboxOutlined />}>
                {t('surveys.archive')}
              </Button>
            </Popconfirm>
          </Flex>
        ) : null,
    },
  ];

  return (
    <>
      {canManage ? (
        <Flex justify="end" style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="survey-create"
          >
            {t('surveys.create')}
          </Button>
        </Flex>
      ) : null}
      <Table
        rowKey="key"
        size="middle"
        loading={surveys.isPending}
        dataSource={surveys.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 1000 }}
        expandable={{
          expandedRowRender: (survey) => (
            <List
              size="small"
              header={t('surveys.preview')}
              dataSource={survey.questions}
              renderItem={(question, index) => (
                <List.Item>
                  <Flex gap={8} wrap>
                    <Typography.Text>
                      {index + 1}. {label(question.labels)}
                    </Typography.Text>
                    <Tag>{t(`surveys.types.${question.type}`)}</Tag>
                    {question.required ? <Tag color="red">{t('surveys.designer.required')}</Tag> : null}
                    <ProfileMappingTag
                      mapping={question.profile}
                      optionLabel={(value) =>
                        label(question.options.find((option) => option.value === value)?.labels) || value
                      }
                    />
                  </Flex>
                </List.Item>
              )}
            />
          ),
        }}
      />
      {editing ? (
        <SurveyDesigner survey={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}
