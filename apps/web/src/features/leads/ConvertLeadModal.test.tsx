import { createRoute } from '@tanstack/react-router';
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../i18n';
import type { LeadDetail } from '../../lib/api-types';
import { Route as rootRoute } from '../../routes/__root';
import { customerRow, ownerShell } from '../../test/fixtures';
import { renderRoute } from '../../test/render';
import { answerTrpc, callsOf, TrpcTestError } from '../../test/trpc-msw';
import { ConvertLeadModal } from './ConvertLeadModal';
import { leadTimelineView } from './LeadTimelineEntry';

/*
 * 转化 from the lead: a new customer — refused as an exact duplicate, then created anyway with
 * a required reason sent as `force.reason` — or an existing one; afterwards the opportunity
 * opens. The converted lead's history reads on the customer's timeline in both languages.
 */

const LEAD_ID = '3b4c5d6e-7f80-4192-a3b4-c5d6e7f80912';
const CUSTOMER_ID = '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const OPPORTUNITY_ID = '5d6e7f80-9102-4314-b5c6-d7e8f9011223';

const lead = {
  id: LEAD_ID,
  personName: '周婷',
  companyName: '苏州恒远电子',
  name: '苏州恒远电子',
  needs: ['贴片产线扩产'],
  status: 'qualified',
} as unknown as LeadDetail;

const modalRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/leads',
  component: () => <ConvertLeadModal lead={lead} open onClose={() => {}} />,
});
const opportunitiesStandIn = createRoute({
  getParentRoute: () => rootRoute,
  path: '/opportunities',
  component: () => <p data-testid="opportunities-stand-in" />,
});

function render() {
  return renderRoute({
    url: '/leads',
    shell: ownerShell,
    app: [
      { route: modalRoute, path: '/leads' },
      { route: opportunitiesStandIn, path: '/opportunities' },
    ],
  });
}

afterEach(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('converting a lead', () => {
  it('a new customer refused as a duplicate is created anyway with a reason; then the opportunity opens', async () => {
    answerTrpc({
      'customers.list': () => ({ items: [], nextCursor: null }),
      'opportunities.convertLead': (input) => {
        if (input.customer.mode === 'new' && !input.customer.force)
          throw new TrpcTestError(
            'CONFLICT',
            'CUSTOMER_EXACT_DUPLICATE',
            '已有同一客户「苏州恒远电子有限公司」（企业名称相同）',
            [],
            { existingId: CUSTOMER_ID, name: '苏州恒远电子有限公司' },
          );
        return { customerId: CUSTOMER_ID, contactId: null, opportunityId: OPPORTUNITY_ID };
      },
    });
    const { user } = render();
    expect(await screen.findByText('转化线索「苏州恒远电子」')).toBeInTheDocument();
    expect(screen.getByText('新建客户「苏州恒远电子」')).toBeInTheDocument();
    await user.type(screen.getByTestId('lead-convert-name'), '贴片产线扩产项目');
    await user.click(screen.getByTestId('lead-convert-submit'));

    expect(await screen.findByTestId('exact-duplicate')).toHaveTextContent(
      '已有同一客户「苏州恒远电子有限公司」',
    );
    expect(screen.getByTestId('exact-duplicate-open')).toHaveAttribute('href', `/customers/${CUSTOMER_ID}`);
    await user.type(screen.getByTestId('create-anyway-reason'), '同名的另一家，在昆山');
    await user.click(screen.getByTestId('create-anyway'));

    await waitFor(() => expect(callsOf('opportunities.convertLead')).toHaveLength(2));
    expect(callsOf('opportunities.convertLead')[1]?.input).toEqual({
      leadId: LEAD_ID,
      customer: { mode: 'new', force: { reason: '同名的另一家，在昆山' } },
      opportunityName: '贴片产线扩产项目',
    });
    expect(await screen.findByTestId('opportunities-stand-in')).toBeInTheDocument();
  });

  it('attaches to an existing customer the member picks', async () => {
    answerTrpc({
      'customers.list': () => ({
        items: [customerRow({ id: CUSTOMER_ID, name: '苏州恒远电子有限公司' })],
        nextCursor: null,
      }),
      'opportunities.convertLead': () => ({
        customerId: CUSTOMER_ID,
        contactId: null,
        opportunityId: OPPORTUNITY_ID,
      }),
    });
    const { user } = render();
    await user.click(await screen.findByText('关联已有客户'));
    await user.click(screen.getByTestId('lead-convert-submit'));
    expect(await screen.findAllByText('选择客户')).not.toHaveLength(0);
    expect(callsOf('opportunities.convertLead')).toHaveLength(0);
    await user.click(screen.getByRole('combobox'));
    await user.click(await screen.findByTitle('苏州恒远电子有限公司'));
    await user.click(screen.getByTestId('lead-convert-submit'));
    await waitFor(() => expect(callsOf('opportunities.convertLead')).toHaveLength(1));
    expect(callsOf('opportunities.convertLead')[0]?.input).toEqual({
      leadId: LEAD_ID,
      customer: { mode: 'existing', customerId: CUSTOMER_ID },
    });
  });
});

describe('the converted lead on the customer’s timeline', () => {
  const entries = [
    { change: 'created' },
    { change: 'owner', reason: 'claim' },
    { change: 'grade', fromGrade: 'C', toGrade: 'B' },
    { change: 'contact', contactKind: 'call', summary: '约了下周演示' },
    { change: 'status', fromStatus: 'qualified', toStatus: 'converted' },
  ].map((data) => ({ leadId: LEAD_ID, lead: '苏州恒远电子', ...data }));
  const timelineRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: '/timeline',
    component: () => (
      <div>
        {entries.map((data) => {
          const view = leadTimelineView(data);
          return (
            <div key={String(data.change)} data-testid={`entry-${data.change}`}>
              {view.title}
              {view.details}
            </div>
          );
        })}
      </div>
    ),
  });
  const show = () =>
    renderRoute({ url: '/timeline', shell: ownerShell, app: [{ route: timelineRoute, path: '/timeline' }] });

  it('reads in Chinese, each entry under the lead’s name that opens the lead', async () => {
    show();
    expect(await screen.findByTestId('entry-created')).toHaveTextContent('线索苏州恒远电子创建了线索');
    expect(screen.getByTestId('entry-owner')).toHaveTextContent('更换了负责人从公海领取');
    expect(screen.getByTestId('entry-grade')).toHaveTextContent('等级：C → B');
    expect(screen.getByTestId('entry-contact')).toHaveTextContent('电话跟进约了下周演示');
    expect(screen.getByTestId('entry-status')).toHaveTextContent('状态：');
    expect(screen.getAllByRole('link', { name: '苏州恒远电子' })[0]).toHaveAttribute(
      'href',
      `/leads?lead=${LEAD_ID}`,
    );
  });

  it('reads in English', async () => {
    await i18n.changeLanguage('en');
    show();
    expect(await screen.findByTestId('entry-created')).toHaveTextContent('Lead苏州恒远电子lead created');
    expect(screen.getByTestId('entry-owner')).toHaveTextContent('owner changedclaimed from the pool');
    expect(screen.getByTestId('entry-grade')).toHaveTextContent('Grade: C → B');
  });
});
