import { CalendarOutlined, DeleteOutlined } from '@ant-design/icons';
import { createWorkCalendar, describeDay, toStatutoryMap } from '@crm/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Calendar,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import type { CalendarOverride, CalendarYear } from './types';

const COLORS = { holiday: 'red', makeUp: 'blue', companyOff: 'purple', companyWork: 'cyan' } as const;

type Props = {
  data: CalendarYear;
  /** The day the calendar shows (its month and year). */
  value: Dayjs;
  onChange: (value: Dayjs) => void;
  canEdit: boolean;
};

/** The year at a glance: statutory holidays, 调休上班, the tenant's own days; a day opens its override. */
export function WorkCalendarCard({ data, value, onChange, canEdit }: Props) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const [editing, setEditing] = useState<string | null>(null);
  const calendar = useMemo(
    () => createWorkCalendar(data.settings, data.overrides, toStatutoryMap(data.statutory)),
    [data],
  );
  const statutoryByDay = useMemo(
    () => new Map(data.statutory.map((day) => [day.day, day])),
    [data.statutory],
  );
  const year = value.year();
  const notCovered = year > data.statutoryYears.last;

  const cell = (date: Dayjs) => {
    const day = date.format('YYYY-MM-DD');
    const description = describeDay(calendar, day);
    if (description.source === 'weekday') return null;
    const statutory = statutoryByDay.get(day);
    const name =
      description.source === 'statutory' && english && statutory ? statutory.nameEn : description.name;
    const color =
      description.source === 'override'
        ? description.working
          ? COLORS.companyWork
          : COLORS.companyOff
        : description.working
          ? COLORS.makeUp
          : COLORS.holiday;
    const short = description.working
      ? t('workCalendar.view.workShort')
      : t('workCalendar.view.holidayShort');
    return (
      <Tag
        color={color}
        style={{ marginInlineEnd: 0, maxWidth: '100%', whiteSpace: 'normal', lineHeight: '18px' }}
        data-testid={`calendar-mark-${day}`}
      >
        {short} {name}
      </Tag>
    );
  };

  /** Each month's statutory days off and the tenant's own days, in the year view. */
  const monthCell = (date: Dayjs) => {
    const prefix = date.format('YYYY-MM-');
    const holidays = data.statutory.filter((day) => day.day.startsWith(prefix) && !day.working).length;
    const makeUp = data.statutory.filter((day) => day.day.startsWith(prefix) && day.working).length;
    const own = data.overrides.filter((day) => day.day.startsWith(prefix)).length;
    return (
      <Space direction="vertical" size={2}>
        {holidays > 0 ? (
          <Badge color={COLORS.holiday} text={`${t('workCalendar.view.legendHoliday')} ${holidays}`} />
        ) : null}
        {makeUp > 0 ? (
          <Badge color={COLORS.makeUp} text={`${t('workCalendar.view.legendMakeUp')} ${makeUp}`} />
        ) : null}
        {own > 0 ? (
          <Badge color={COLORS.companyOff} text={`${t('workCalendar.view.legendCompanyOff')} ${own}`} />
        ) : null}
      </Space>
    );
  };

  return (
    <Card
      title={
        <span>
          <CalendarOutlined style={{ marginInlineEnd: 8, color: '#1f5eff' }} />
          {t('workCalendar.view.title')}
        </span>
      }
      extra={
        <Space wrap size={4}>
          <Tag color={COLORS.holiday}>{t('workCalendar.view.legendHoliday')}</Tag>
          <Tag color={COLORS.makeUp}>{t('workCalendar.view.legendMakeUp')}</Tag>
          <Tag color={COLORS.companyOff}>{t('workCalendar.view.legendCompanyOff')}</Tag>
          <Tag color={COLORS.companyWork}>{t('workCalendar.view.legendCompanyWork')}</Tag>
        </Space>
      }
    >
      {canEdit ? (
        <Typography.Paragraph type="secondary">{t('workCalendar.view.description')}</Typography.Paragraph>
      ) : null}
      {notCovered ? (
        <Alert
          type="warning"
          showIcon
          title={t('workCalendar.view.notCovered', { year })}
          style={{ marginBottom: 12 }}
          data-testid="calendar-not-covered"
        />
      ) : null}
      <div data-testid="work-calendar">
        <Calendar
          value={value}
          onPanelChange={(date) => onChange(date)}
          onSelect={(date, info) => {
            onChange(date);
            if (info.source === 'date' && canEdit) setEditing(date.format('YYYY-MM-DD'));
          }}
          cellRender={(date, info) =>
            info.type === 'date' ? cell(date) : info.type === 'month' ? monthCell(date) : info.originNode
          }
        />
      </div>
      <CompanyDays
        year={year}
        overrides={data.overrides}
        canEdit={canEdit}
        onOpen={(day) => setEditing(day)}
      />
      {editing ? (
        <OverrideModal
          day={editing}
          existing={data.overrides.find((entry) => entry.day === editing) ?? null}
          currentlyWorking={describeDay(calendar, editing).working}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}

function CompanyDays({
  year,
  overrides,
  canEdit,
  onOpen,
}: {
  year: number;
  overrides: readonly CalendarOverride[];
  canEdit: boolean;
  onOpen: (day: string) => void;
}) {
  const { t } = useTranslation();
  const remove = useRemoveOverride();
  return (
    <div style={{ marginTop: 16 }}>
      <Typography.Title level={5}>{t('workCalendar.view.companyDays', { year })}</Typography.Title>
      {overrides.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workCalendar.view.noCompanyDays')} />
      ) : (
        <List
          size="small"
          bordered
          dataSource={[...overrides]}
          data-testid="calendar-company-days"
          renderItem={(entry) => (
            <List.Item
              actions={
                canEdit
                  ? [
                      <Button key="edit" type="link" size="small" onClick={() => onOpen(entry.day)}>
                        {t('common.edit')}
                      </Button>,
                      <Popconfirm
                        key="remove"
                        title={t('workCalendar.override.removeConfirm', { name: entry.name })}
                        onConfirm={() => remove.mutate({ day: entry.day })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                      >
                        <Button
                          type="link"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                        />
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Flex gap={12} align="center">
                <Typography.Text strong>{entry.day}</Typography.Text>
                <Tag color={entry.working ? COLORS.companyWork : COLORS.companyOff}>
                  {entry.working
                    ? t('workCalendar.view.legendCompanyWork')
                    : t('workCalendar.view.legendCompanyOff')}
                </Tag>
                <Typography.Text>{entry.name}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}

function useRemoveOverride(onDone?: () => void) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  return useMutation(
    trpc.calendar.removeOverride.mutationOptions({
      onSuccess: async ({ day }) => {
        void message.success(t('workCalendar.override.removed', { day }));
        onDone?.();
        await queryClient.invalidateQueries(trpc.calendar.get.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );
}

type OverrideValues = { working: boolean; name: string };

function OverrideModal({
  day,
  existing,
  currentlyWorking,
  onClose,
}: {
  day: string;
  existing: CalendarOverride | null;
  currentlyWorking: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<OverrideValues>();
  const save = useMutation(
    trpc.calendar.setOverride.mutationOptions({
      onSuccess: async (saved) => {
        void message.success(
          t('workCalendar.override.saved', {
            day: saved.day,
            kind: saved.working ? t('workCalendar.override.kindWork') : t('workCalendar.override.kindOff'),
          }),
        );
        onClose();
        await queryClient.invalidateQueries(trpc.calendar.get.pathFilter());
      },
      onError: (error) => showError(error, { form, fields: ['name', 'working'] }),
    }),
  );
  const remove = useRemoveOverride(onClose);
  return (
    <Modal
      open
      title={
        existing
          ? t('workCalendar.override.titleEdit', { day })
          : t('workCalendar.override.titleNew', { day })
      }
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="space-between">
          <span>
            {existing ? (
              <Popconfirm
                title={t('workCalendar.override.removeConfirm', { name: existing.name })}
                onConfirm={() => remove.mutate({ day })}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
              >
                <Button danger loading={remove.isPending} data-testid="calendar-override-remove">
                  {t('workCalendar.override.remove')}
                </Button>
              </Popconfirm>
            ) : null}
          </span>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={save.isPending}
              onClick={() => form.submit()}
              data-testid="calendar-override-save"
            >
              {t('workCalendar.override.save')}
            </Button>
          </Space>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">
        {t('workCalendar.override.currently', {
          state: currentlyWorking ? t('workCalendar.override.working') : t('workCalendar.override.off'),
        })}
      </Typography.Paragraph>
      <Form<OverrideValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ working: existing?.working ?? !currentlyWorking, name: existing?.name ?? '' }}
        onFinish={(values) => save.mutate({ day, working: values.working, name: values.name })}
      >
        <Form.Item name="working" label={t('workCalendar.override.kind')}>
          <Radio.Group data-testid="calendar-override-kind">
            <Space direction="vertical">
              <Radio value={false}>{t('workCalendar.override.off_label')}</Radio>
              <Radio value={true}>{t('workCalendar.override.work_label')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="name"
          label={t('workCalendar.override.name')}
          rules={[{ required: true, whitespace: true, message: t('workCalendar.override.nameRequired') }]}
        >
          <Input
            maxLength={50}
            placeholder={t('workCalendar.override.namePlaceholder')}
            data-testid="calendar-override-name"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
