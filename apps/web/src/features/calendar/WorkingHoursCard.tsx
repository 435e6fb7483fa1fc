import { ClockCircleOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Radio,
  Select,
  Space,
  Switch,
  TimePicker,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { type CalendarSettings, WEEKDAYS, type Weekday } from './types';

type Values = {
  timeZone: string;
  hours: [Dayjs, Dayjs];
  hasBreak: boolean;
  lunch: [Dayjs, Dayjs] | null;
  workingWeekdays: number[];
  slaMode: CalendarSettings['slaMode'];
};

const FORMAT = 'HH:mm';
const toTime = (text: string) => dayjs(`2000-01-01T${text}`);
const minutes = (time: Dayjs) => time.hour() * 60 + time.minute();

function valuesOf(settings: CalendarSettings): Values {
  const { start, end, breakStart, breakEnd } = settings.workingHours;
  return {
    timeZone: settings.timeZone,
    hours: [toTime(start), toTime(end)],
    hasBreak: breakStart !== null,
    lunch: breakStart !== null && breakEnd !== null ? [toTime(breakStart), toTime(breakEnd)] : null,
    workingWeekdays: [...settings.workingWeekdays],
    slaMode: settings.slaMode,
  };
}

/** The zones this browser knows, the tenant's own first if the list lacks it. */
function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}

/** Time zone, working hours and lunch break, working weekdays and the SLA time mode. */
export function WorkingHoursCard({ settings, canEdit }: { settings: CalendarSettings; canEdit: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const hasBreak = Form.useWatch('hasBreak', form);
  const hours = Form.useWatch('hours', form);
  const lunch = Form.useWatch('lunch', form);
  const zones = useMemo(() => timeZones(settings.timeZone), [settings.timeZone]);

  useEffect(() => {
    if (!dirty) form.setFieldsValue(valuesOf(settings));
  }, [settings, dirty, form]);

  const save = useMutation(
    trpc.calendar.update.mutationOptions({
      onSuccess: async () => {
        setDirty(false);
        void message.success(t('workCalendar.settings.saved'));
        await queryClient.invalidateQueries(trpc.calendar.get.pathFilter());
      },
      onError: (error) => showError(error, { form, fields: ['timeZone', 'workingWeekdays', 'slaMode'] }),
    }),
  );

  const submit = (values: Values) => {
    const lunchHours = values.hasBreak ? values.lunch : null;
    save.mutate({
      timeZone: values.timeZone,
      workingHours: {
        start: values.hours[0].format(FORMAT),
        end: values.hours[1].format(FORMAT),
        breakStart: lunchHours ? lunchHours[0].format(FORMAT) : null,
        breakEnd: lunchHours ? lunchHours[1].format(FORMAT) : null,
      },
      workingWeekdays: [...values.workingWeekdays].sort((a, b) => a - b),
      slaMode: values.slaMode,
    });
  };

  const dayLength =
    hours?.[0] && hours[1]
      ? (minutes(hours[1]) -
          minutes(hours[0]) -
          (hasBreak && lunch?.[0] && lunch[1] ? minutes(lunch[1]) - minutes(lunch[0]) : 0)) /
        60
      : null;

  return (
    <Card
      title={
        <span>
          <ClockCircleOutlined style={{ marginInlineEnd: 8, color: '#1f5eff' }} />
          {t('workCalendar.settings.title')}
        </span>
      }
      style={{ height: '100%' }}
    >
      <Typography.Paragraph type="secondary">{t('workCalendar.settings.description')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={!canEdit}
        initialValues={valuesOf(settings)}
        onValuesChange={() => setDirty(true)}
        onFinish={submit}
        data-testid="calendar-settings-form"
      >
        <Form.Item
          name="timeZone"
          label={t('workCalendar.settings.timeZone')}
          extra={t('workCalendar.settings.timeZoneHint')}
        >
          <Select
            showSearch
            options={zones.map((zone) => ({ value: zone, label: zone }))}
            data-testid="calendar-time-zone"
          />
        </Form.Item>
        <Form.Item
          name="hours"
          label={t('workCalendar.settings.hours')}
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: async (_rule, value: Values['hours'] | undefined) => {
                if (value?.[0] && value[1] && minutes(value[1]) <= minutes(value[0]))
                  throw new Error(t('workCalendar.settings.hoursOrder'));
              },
            },
          ]}
        >
          <TimePicker.RangePicker
            format={FORMAT}
            minuteStep={5}
            allowClear={false}
            data-testid="calendar-hours"
          />
        </Form.Item>
        <Form.Item
          label={t('workCalendar.settings.lunchBreak')}
          extra={t('workCalendar.settings.lunchBreakHint')}
        >
          <Space align="start" wrap>
            <Form.Item name="hasBreak" valuePropName="checked" noStyle>
              <Switch data-testid="calendar-has-break" />
            </Form.Item>
            {hasBreak ? (
              <Form.Item
                name="lunch"
                noStyle
                dependencies={['hours']}
                rules={[
                  { required: true, message: t('common.required') },
                  ({ getFieldValue }) => ({
                    validator: async (_rule, value: [Dayjs, Dayjs] | null) => {
                      const day = getFieldValue('hours') as Values['hours'] | undefined;
                      if (!value?.[0] || !value[1] || !day?.[0] || !day[1]) return;
                      const inside =
                        minutes(day[0]) < minutes(value[0]) &&
                        minutes(value[0]) < minutes(value[1]) &&
                        minutes(value[1]) < minutes(day[1]);
                      if (!inside) throw new Error(t('workCalendar.settings.breakInside'));
                    },
                  }),
                ]}
              >
                <TimePicker.RangePicker format={FORMAT} minuteStep={5} allowClear={false} />
              </Form.Item>
            ) : null}
          </Space>
        </Form.Item>
        <Form.Item
          name="workingWeekdays"
          label={t('workCalendar.settings.weekdays')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('workCalendar.settings.weekdaysRequired') },
          ]}
        >
          <Checkbox.Group
            data-testid="calendar-weekdays"
            options={WEEKDAYS.map((day: Weekday) => ({
              value: day,
              label: t(`workCalendar.weekday.${day}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="slaMode"
          label={t('workCalendar.settings.slaMode')}
          extra={t('workCalendar.settings.slaModeHint')}
        >
          <Radio.Group data-testid="calendar-sla-mode">
            <Space direction="vertical">
              <Radio value="business">
                {t('workCalendar.settings.slaBusiness')}
                <Typography.Text type="secondary">
                  {' '}
                  · {t('workCalendar.settings.slaBusinessHint')}
                </Typography.Text>
              </Radio>
              <Radio value="calendar">
                {t('workCalendar.settings.slaCalendar')}
                <Typography.Text type="secondary">
                  {' '}
                  · {t('workCalendar.settings.slaCalendarHint')}
                </Typography.Text>
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Text type="secondary" data-testid="calendar-day-length">
            {dayLength !== null && dayLength > 0
              ? t('workCalendar.settings.dayLength', { hours: Math.round(dayLength * 100) / 100 })
              : null}
          </Typography.Text>
          {canEdit ? (
            <Space>
              <Button
                disabled={!dirty}
                onClick={() => {
                  form.setFieldsValue(valuesOf(settings));
                  setDirty(false);
                }}
              >
                {t('workCalendar.settings.discard')}
              </Button>
              <Button
                type="primary"
                htmlType="submit"
                loading={save.isPending}
                disabled={!dirty}
                data-testid="calendar-save"
              >
                {t('workCalendar.settings.save')}
              </Button>
            </Space>
          ) : null}
        </Flex>
      </Form>
    </Card>
  );
}
