import { render, screen } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../components/AppProviders';
import type { RouterOutputs } from '../../lib/api-types';
import { answerTrpc } from '../../test/trpc-msw';
import { TierHelp } from './LevelHelp';
import { CustomerTags } from './profile-meta';

/**
 * A value level (高/中/低价值) and a tier may disagree on one profile; each says what it is
 * computed from, so the reader sees why: the value level only the 12-month amount against the
 * tenant's thresholds, the tier the industry profile's model.
 */
const rules: RouterOutputs['settings']['customerRules'] = {
  currency: 'CNY',
  lifecycleAtRiskDays: 90,
  lifecycleDormantDays: 180,
  lifecycleLoyalOrders: 5,
  valueHighAmount: '100000.00',
  valueMidAmount: '30000.00',
  activityWindowDays: 90,
  activityHighTouches: 6,
  activityMidTouches: 2,
  completenessWeights: { phone: 1 },
  completenessKeys: ['phone'],
};

const user = () => userEvent.setup({ delay: null, pointerEventsCheck: PointerEventsCheckLevel.Never });

describe('what the value level and the tier are computed from', () => {
  it('the value level tag names the 12-month amount and the tenant’s thresholds, and that it is not the tier', async () => {
    answerTrpc({ 'settings.customerRules': () => rules, 'tags.list': () => [] });
    render(
      <AppProviders>
        <CustomerTags customer={{ tagIds: [], valueLevel: 'low', activityLevel: 'mid', needType: null }} />
      </AppProviders>,
    );
    await user().hover(screen.getByText('低价值'));
    const help = await screen.findByTestId('value-level-help');
    await expect.poll(() => help.textContent).toContain('¥100,000.00');
    expect(help.textContent).toContain('近 12 个月已完成订单的金额');
    expect(help.textContent).toContain('¥30,000.00');
    expect(help.textContent).toContain('客户分层');
  });

  it('the tier card says which model places the customer, and that the value level may differ', async () => {
    render(
      <AppProviders>
        <TierHelp kind="rfm" />
      </AppProviders>,
    );
    await user().hover(screen.getByTestId('tier-help'));
    const text = await screen.findByTestId('tier-help-text');
    expect(text.textContent).toContain('RFM 模型');
    expect(text.textContent).toContain('行业配置');
    expect(text.textContent).toContain('价值等级');
  });
});
