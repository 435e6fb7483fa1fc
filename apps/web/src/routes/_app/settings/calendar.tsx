import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { Alert, Button, Col, Result, Row, Skeleton } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WorkCalendarCard } from '../../../features/calendar/WorkCalendarCard';
import { WorkingHoursCard } from '../../../features/calendar/WorkingHoursCard';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import { errorMessage } from '../../../lib/errors';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';

export const Route = createFileRoute('/_app/settings/calendar')({
  component: WorkCalendarPage,
});

function WorkCalendarPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canEdit = useCan('calendar.manage');
  const [shown, setShown] = useState(() => dayjs());
  const year = shown.year();
  const calendar = useQuery({
    ...trpc.calendar.get.queryOptions({ year }),
    placeholderData: keepPreviousData,
  });

  let body: ReactNode;
  if (calendar.isPending) body = <Skeleton active paragraph={{ rows: 12 }} />;
  else if (calendar.isError) {
    body = (
      <Result
        status="error"
        title={t('errors.loadFailed')}
        subTitle={errorMessage(calendar.error, {
          network: t('errors.network'),
          unknown: t('errors.unknown'),
        })}
        extra={<Button onClick={() => calendar.refetch()}>{t('common.retry')}</Button>}
      />
    );
  } else {
    body = (
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <WorkingHoursCard settings={calendar.data.settings} canEdit={canEdit} />
        </Col>
        <Col xs={24} xl={15}>
          <WorkCalendarCard data={calendar.data} value={shown} onChange={setShown} canEdit={canEdit} />
        </Col>
      </Row>
    );
  }

  return (
    <>
      <SettingsPageHeader title={t('workCalendar.title')} subtitle={t('workCalendar.subtitle')} />
      {canEdit ? null : (
        <Alert type="info" showIcon title={t('workCalendar.readOnly')} style={{ marginBottom: 16 }} />
      )}
      {body}
    </>
  );
}
