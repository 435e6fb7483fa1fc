import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { ownerShell, viewerShell } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf } from '../../../test/trpc-msw';
import { Route as calendarRoute } from './calendar';

/**
 * 设置 → 工作日历: the month shows 法定节假日, 调休上班 and the company's own days; admins
 * change working hours and weekdays; other members only look.
 */
const october2026: RouterOutputs['calendar']['get'] = {
  settings: {
    timeZone: 'Asia/Shanghai',
    workingHours: { start: '09:00', end: '18:00', breakStart: '12:00', breakEnd: '13:30' },
    workingWeekdays: [1, 2, 3, 4, 5],
    slaMode: 'business',
  },
  overrides: [{ day: '2026-10-16', working: false, name: '公司年会' }],
  statutory: [
    ...['01', '02', '03', '04', '05', '06', '07'].map((date) => ({
      day: `2026-10-${date}`,
      working: false,
      name: '国庆节',
      nameEn: 'National Day',
    })),
    { day: '2026-10-10', working: true, name: '国庆节', nameEn: 'National Day' },
  ],
  statutoryYears: { first: 2004, last: 2026 },
};

function renderCalendar(shell = ownerShell) {
  answerTrpc({
    'calendar.get': () => october2026,
    'calendar.update': (input) => input as RouterOutputs['calendar']['update'],
  });
  return renderRoute({
    url: '/settings/calendar',
    shell,
    app: [{ route: calendarRoute, path: '/settings/calendar' }],
  });
}

beforeEach(() => {
  // The page opens on today's month: a fixed day in 国庆 week.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-10-09T10:00:00+08:00'));
});
afterEach(() => vi.useRealTimers());

describe('工作日历', () => {
  it('marks statutory holidays, the 调休 Saturday and company days in the month', async () => {
    renderCalendar();
    expect((await screen.findByTestId('calendar-mark-2026-10-01')).textContent).toBe('休 国庆节');
    expect(screen.getByTestId('calendar-mark-2026-10-10').textContent).toBe('班 国庆节');
    expect(screen.getByTestId('calendar-mark-2026-10-16').textContent).toBe('休 公司年会');
    expect(screen.queryByTestId('calendar-mark-2026-10-08')).toBeNull();
    expect(screen.getByTestId('calendar-day-length').textContent).toBe('每个工作日 7.5 小时');
    expect(screen.queryByTestId('calendar-not-covered')).toBeNull();
  });

  it('saves the working weekdays an admin ticks', async () => {
    const { user } = renderCalendar();
    const weekdays = await screen.findByTestId('calendar-weekdays');
    await user.click(weekdays.querySelectorAll('input')[5] as HTMLInputElement);
    await user.click(screen.getByTestId('calendar-save'));
    await waitFor(() => expect(callsOf('calendar.update')).toHaveLength(1));
    expect(callsOf('calendar.update')[0]?.input).toEqual({
      ...october2026.settings,
      workingWeekdays: [1, 2, 3, 4, 5, 6],
    });
  });

  it('is read-only for members without calendar.manage, in English too', async () => {
    await i18n.changeLanguage('en');
    try {
      renderCalendar(viewerShell);
      expect((await screen.findByTestId('calendar-mark-2026-10-10')).textContent).toBe('Work National Day');
      expect(
        screen.getByText('Only owners and admins can change the work calendar; you can view it.'),
      ).toBeTruthy();
      expect(screen.queryByTestId('calendar-save')).toBeNull();
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});
