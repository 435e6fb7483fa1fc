import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { ownerShell } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf } from '../../../test/trpc-msw';
import { Route as customerRulesRoute } from './customer-rules';

/**
 * 客户规则: value and activity levels and completeness are edited here; the lifecycle
 * thresholds are the industry profile's (行业配置) — shown as they are in force, with a link
 * there, and never sent by a save of this page.
 */
const rules: RouterOutputs['settings']['customerRules'] = {
  currency: 'CNY',
  lifecycleAtRiskDays: 120,
  lifecycleDormantDays: 240,
  lifecycleLoyalOrders: 1,
  valueHighAmount: '100000.00',
  valueMidAmount: '30000.00',
  activityWindowDays: 90,
  activityHighTouches: 6,
  activityMidTouches: 2,
  completenessWeights: { phone: 2, email: 1 },
  completenessKeys: ['phone', 'email'],
};

function renderRules() {
  answerTrpc({
    'settings.customerRules': () => rules,
    'settings.updateCustomerRules': () => rules,
    'customFields.list': () => [],
  });
  return renderRoute({
    url: '/settings/customer-rules',
    shell: ownerShell,
    app: [{ route: customerRulesRoute, path: '/settings/customer-rules' }],
  });
}

describe('客户规则', () => {
  it('shows the lifecycle thresholds in force read-only and links to 行业配置, the one place to change them', async () => {
    renderRules();
    const lifecycle = await screen.findByTestId('customer-rules-lifecycle');
    expect(lifecycle.textContent).toContain('流失预警天数120 天未成交');
    expect(lifecycle.textContent).toContain('沉睡天数240 天未成交');
    expect(lifecycle.textContent).toContain('行业配置');
    expect(screen.getByTestId('customer-rules-lifecycle-link').getAttribute('href')).toBe(
      '/settings/industry',
    );
    expect(screen.queryByTestId('customer-rules-at-risk-days')).toBeNull();
    expect(screen.queryByTestId('customer-rules-dormant-days')).toBeNull();
  });

  it('saves without the lifecycle thresholds', async () => {
    const { user } = renderRules();
    const windowDays = await screen.findByTestId('customer-rules-activity-window');
    await user.clear(windowDays);
    await user.type(windowDays, '60');
    await user.click(screen.getByTestId('customer-rules-save'));
    await waitFor(() => expect(callsOf('settings.updateCustomerRules')).toHaveLength(1));
    const input = callsOf('settings.updateCustomerRules')[0]?.input as Record<string, unknown>;
    expect(input.activityWindowDays).toBe(60);
    expect(Object.keys(input).filter((key) => key.startsWith('lifecycle'))).toEqual([]);
  });

  it('counts in English with plurals', async () => {
    await i18n.changeLanguage('en');
    try {
      renderRules();
      const lifecycle = await screen.findByTestId('customer-rules-lifecycle');
      expect(lifecycle.textContent).toContain('120 days without a deal');
      expect(lifecycle.textContent).toContain('1 order');
      expect(lifecycle.textContent).not.toContain('1 orders');
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});
