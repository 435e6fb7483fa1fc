import { type BirthdayCalendar, lunarDateLabel, lunarDateOf } from '@crm/domain';
import { DatePicker, Form, Segmented, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../industry/json-schema';

/**
 * 生日 with its calendar: the day of birth (a solar date) and whether it is kept on the 公历
 * or the 农历. A lunar birthday shows the lunar date it recurs on (农历三月初八), which is
 * the day reminders follow each year.
 */
export function BirthdayField({ label, testId }: { label: ReactNode; testId: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label} required={false}>
      <Space.Compact block>
        <Form.Item name="birthdayCalendar" noStyle initialValue="solar">
          <Segmented<BirthdayCalendar>
            data-testid={`${testId}-calendar`}
            aria-label={t('birthdayCalendar.label')}
            options={[
              { value: 'solar', label: t('birthdayCalendar.solar') },
              { value: 'lunar', label: t('birthdayCalendar.lunar') },
            ]}
          />
        </Form.Item>
        <Form.Item name="birthday" noStyle>
          <DatePicker
            data-testid={testId}
            style={{ width: '100%', marginLeft: 8 }}
            disabledDate={(day) => day.isAfter(dayjs(), 'day')}
          />
        </Form.Item>
      </Space.Compact>
      <Form.Item
        noStyle
        shouldUpdate={(before, after) =>
          before.birthday !== after.birthday || before.birthdayCalendar !== after.birthdayCalendar
        }
      >
        {({ getFieldValue }) => {
          const birthday = getFieldValue('birthday') as Dayjs | null | undefined;
          if (getFieldValue('birthdayCalendar') !== 'lunar' || !birthday) return null;
          return (
            <Typography.Text type="secondary" data-testid={`${testId}-lunar`}>
              <LunarBirthday day={birthday.format('YYYY-MM-DD')} />
            </Typography.Text>
          );
        }}
      </Form.Item>
    </Form.Item>
  );
}

/** 农历三月初八 / lunar 3/8: the lunar date a solar day of birth recurs on. */
export function LunarBirthday({ day }: { day: string }) {
  const { i18n } = useTranslation();
  return <>{lunarDateLabel(lunarDateOf(day), languageOf(i18n.language))}</>;
}
