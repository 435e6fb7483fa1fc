import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AntdProviders } from '../../components/AntdProviders';
import { AppProviders } from '../../components/AppProviders';
import type { RouterOutputs } from '../../lib/api-types';
import { type Shell, ShellContext } from '../../lib/shell-context';
import { customerRecord, members, ownerShell, tenant } from '../../test/fixtures';
import { answerTrpc, callsOf } from '../../test/trpc-msw';
import { CustomerFormDrawer } from './CustomerFormDrawer';

/*
 * Guards on every field (issue 15, point 3) in the create form: the bounds of custom fields
 * shown and checked while the user types (with the server's own rule and words), the phone
 * checked while typed, a B2B tenant's form starting at 企业 with its primary contact, and a
 * company's form without 身份证号 / 银行卡号.
 */

type CustomField = RouterOutputs['customFields']['list'][number];
const field = (fields: Partial<CustomField> & Pick<CustomField, 'key' | 'labelZh' | 'labelEn' | 'type'>) =>
  ({
    id: `0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c${String(fields.key.length).padStart(2, '0')}`,
    options: [],
    required: false,
    position: 0,
    source: 'plugin',
    archived: false,
    sensitive: false,
    validation: {},
    ...fields,
  }) satisfies CustomField;

const B2B_FIELDS: CustomField[] = [
  field({
    key: 'b2b_employees',
    labelZh: '员工人数',
    labelEn: 'Employees',
    type: 'number',
    validation: { integer: true, min: 0, max: 10_000_000 },
  }),
  field({
    key: 'b2b_willingness',
    labelZh: '合作意愿',
    labelEn: 'Willingness to cooperate',
    type: 'number',
    validation: { rating: true, min: 1, max: 5 },
  }),
];

const PROFILES: RouterOutputs['industry']['profiles'] = [
  {
    id: 'retail',
    labels: { 'zh-CN': '零售', en: 'Retail' },
    description: null,
    defaultCustomerKind: 'person',
  },
  {
    id: 'b2b',
    labels: { 'zh-CN': 'B2B 企业客户', en: 'B2B' },
    description: null,
    defaultCustomerKind: 'company',
  },
  {
    id: 'corporate-banking',
    labels: { 'zh-CN': '对公业务', en: 'Corporate banking' },
    description: null,
    defaultCustomerKind: 'company',
  },
];

const b2bShell: Shell = { ...ownerShell, tenant: { ...tenant, industry: 'b2b' } };

function renderForm(shell: Shell, fields: CustomField[] = B2B_FIELDS, onClose: () => void = () => {}) {
  answerTrpc({
    'customFields.list': () => fields,
    'members.list': () => members,
    'tags.list': () => [],
    'industry.profiles': () => PROFILES,
    'duplicates.check': () => ({ matches: [], hidden: 0 }),
    'customers.create': (input) =>
      customerRecord({ id: '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', name: input.name }),
  });
  const user = userEvent.setup({ delay: null, pointerEventsCheck: PointerEventsCheckLevel.Never });
  render(
    <AppProviders>
      <AntdProviders>
        <ShellContext.Provider value={shell}>
          <CustomerFormDrawer open onClose={onClose} />
        </ShellContext.Provider>
      </AntdProviders>
    </AppProviders>,
  );
  return user;
}

const kindChecked = (testId: string) =>
  screen
    .getByTestId(testId)
    .closest('.ant-radio-button-wrapper')
    ?.classList.contains('ant-radio-button-wrapper-checked');

describe('the create form of a customer', () => {
  it('a B2B tenant starts at 企业, offers the primary contact and no personal fields', async () => {
    renderForm(b2bShell);
    await waitFor(() => expect(kindChecked('customer-kind-company')).toBe(true));
    expect(await screen.findByTestId('primary-contact')).toBeInTheDocument();
    expect(screen.getByTestId('customer-credit-code')).toBeInTheDocument();
    expect(screen.queryByTestId('customer-national-id')).toBeNull();
    expect(screen.queryByTestId('customer-bank-card')).toBeNull();
  });

  it('a retail tenant starts at 个人, with 身份证号 and 银行卡号 and no primary contact', async () => {
    renderForm(ownerShell, []);
    expect(await screen.findByTestId('customer-national-id')).toBeInTheDocument();
    await waitFor(() => expect(kindChecked('customer-kind-person')).toBe(true));
    expect(screen.getByTestId('customer-bank-card')).toBeInTheDocument();
    expect(screen.queryByTestId('primary-contact')).toBeNull();
  });

  it('shows the bounds of custom fields, a rating as stars, and checks a value while it is typed', async () => {
    const user = renderForm(b2bShell);
    await waitFor(() => expect(kindChecked('customer-kind-company')).toBe(true));
    let employees = await screen.findByTestId('custom-field-b2b_employees');
    expect(within(employees).getByRole('spinbutton')).toHaveAttribute('placeholder', '0–10,000,000，整数');
    expect(employees).toHaveTextContent('取值范围：0–10,000,000，整数');
    const willingness = screen.getByTestId('custom-field-b2b_willingness');
    expect(willingness.querySelector('.ant-rate')).not.toBeNull();
    expect(willingness).toHaveTextContent('星级：1–5');

    employees = screen.getByTestId('custom-field-b2b_employees');
    await user.type(within(employees).getByRole('spinbutton'), '-5');
    // No submit: the message comes while typing, in the server's words.
    expect(await within(employees).findByText('员工人数不能小于 0')).toBeInTheDocument();
    await user.clear(within(employees).getByRole('spinbutton'));
    await user.type(within(employees).getByRole('spinbutton'), '12.5');
    expect(await within(employees).findByText('员工人数须为整数')).toBeInTheDocument();
    expect(callsOf('customers.create')).toHaveLength(0);
  });

  it('checks the phone while it is typed, not only after submit', async () => {
    const user = renderForm(b2bShell);
    await waitFor(() => expect(kindChecked('customer-kind-company')).toBe(true));
    await user.type(await screen.findByTestId('customer-phone'), '12345');
    expect(await screen.findByText(/电话号码格式不正确/)).toBeInTheDocument();
    await user.clear(screen.getByTestId('customer-phone'));
    await user.type(screen.getByTestId('customer-phone'), '0571-8755 8212');
    await waitFor(() => expect(screen.queryByText(/电话号码格式不正确/)).toBeNull());
    expect(callsOf('customers.create')).toHaveLength(0);
  });

  it('creates a company with its primary contact in one call', async () => {
    let closed = false;
    const user = renderForm(b2bShell, B2B_FIELDS, () => {
      closed = true;
    });
    await waitFor(() => expect(kindChecked('customer-kind-company')).toBe(true));
    await user.type(screen.getByTestId('customer-name'), '杭州精工机械有限公司');
    await user.type(screen.getByTestId('primary-contact-name'), '王经理');
    await user.type(screen.getByTestId('primary-contact-title'), '采购经理');
    await user.type(screen.getByTestId('primary-contact-phone'), '138 1234 5678');
    await user.click(screen.getByTestId('customer-submit'));
    await waitFor(() => expect(callsOf('customers.create')).toHaveLength(1));
    expect(callsOf('customers.create')[0]?.input).toMatchObject({
      name: '杭州精工机械有限公司',
      kind: 'company',
      primaryContact: { name: '王经理', title: '采购经理', phone: '138 1234 5678', email: null },
    });
    expect(callsOf('customers.create')[0]?.input).not.toHaveProperty('nationalId');
    // The save finishes inside the test: the drawer closes on success, with no error after it.
    await waitFor(() => expect(closed).toBe(true));
  });
});
