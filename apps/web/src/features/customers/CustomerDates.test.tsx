import { createRoute } from '@tanstack/react-router';
import { screen, waitFor } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../lib/api-types';
import { Route as rootRoute } from '../../routes/__root';
import { customerRecord, industryCurrent, members, ownerShell, tags } from '../../test/fixtures';
import { renderRoute } from '../../test/render';
import { answerTrpc, callsOf, TrpcTestError } from '../../test/trpc-msw';
import { ContactFormModal } from '../contacts/ContactFormModal';
import { ContactsTab } from '../contacts/ContactsTab';
import { CustomerFormDrawer } from './CustomerFormDrawer';

/*
 * 首次合作时间 and 纪念日 are typed in the customer form, and a contact's birthday and 纪念日
 * in the contact form (issue 15: what an import brings can also be entered and corrected).
 */

const CUSTOMER_ID = '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d';
const CONTACT_ID = '4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e';
const stored = customerRecord({
  id: CUSTOMER_ID,
  name: '杭州云帆科技有限公司',
  kind: 'company',
  firstCooperationOn: '2019-03-05',
  anniversaryOn: null,
});
const contact: Contact = {
  id: CONTACT_ID,
  customerId: CUSTOMER_ID,
  name: '陈静',
  title: '采购经理',
  phones: ['+8613611112222'],
  emails: [],
  birthday: '1988-03-15',
  birthdayCalendar: 'solar',
  anniversaryOn: '2015-10-01',
  isPrimary: true,
  note: null,
};

function route(path: string, component: () => React.ReactNode) {
  return createRoute({ getParentRoute: () => rootRoute, path, component });
}

function answerForm() {
  answerTrpc({
    'members.list': () => members,
    'tags.list': () => tags,
    'customFields.list': () => [],
    'industry.current': () => industryCurrent,
    'industry.profiles': () => [
      {
        id: 'retail',
        labels: { 'zh-CN': '零售', en: 'Retail' },
        description: null,
        defaultCustomerKind: 'person',
      },
    ],
    'duplicates.check': () => ({ matches: [], hidden: 0 }),
    'customers.create': (input) => customerRecord({ id: CUSTOMER_ID, name: input.name, kind: input.kind }),
    'customers.update': (input) => ({
      ...stored,
      anniversaryOn: input.anniversaryOn ?? stored.anniversaryOn,
    }),
  });
}

/** Types a date into an antd DatePicker's input and confirms it. */
async function pickDate(user: UserEvent, testId: string, date: string) {
  const input = await screen.findByTestId(testId);
  await user.click(input);
  await user.clear(input);
  await user.paste(date);
  await user.keyboard('{Enter}');
}

describe('customer form: 首次合作时间 and 纪念日', () => {
  // The first render of the drawer loads antd's date pickers: slow on a busy machine.
  it('sends both dates on create', { timeout: 60_000 }, async () => {
    answerForm();
    const { user } = renderRoute({
      url: '/new',
      shell: ownerShell,
      app: [{ route: route('/new', () => <CustomerFormDrawer open onClose={() => {}} />), path: '/new' }],
    });
    await waitFor(() => expect(callsOf('customFields.list').length).toBeGreaterThan(0));
    await user.click(await screen.findByTestId('customer-name'));
    await user.paste('宁波港联物流有限公司');
    // The duplicate check asks after a pause in typing: let it land in this test, not the next.
    await waitFor(() => expect(callsOf('duplicates.check').length).toBeGreaterThan(0));
    expect(screen.getByText('首次合作时间')).toBeInTheDocument();
    expect(screen.getByText('纪念日')).toBeInTheDocument();
    await pickDate(user, 'customer-first-cooperation-on', '2020-01-10');
    await pickDate(user, 'customer-anniversary-on', '2018-08-08');
    await user.click(screen.getByTestId('customer-submit'));
    await waitFor(() => expect(callsOf('customers.create')).toHaveLength(1));
    expect(callsOf('customers.create')[0]?.input).toMatchObject({
      name: '宁波港联物流有限公司',
      firstCooperationOn: '2020-01-10',
      anniversaryOn: '2018-08-08',
    });
  });

  it('shows the stored dates when editing, sends only what changed, and shows the server’s refusal on the field', {
    timeout: 60_000,
  }, async () => {
    answerForm();
    const { user } = renderRoute({
      url: '/edit',
      shell: ownerShell,
      app: [
        {
          route: route('/edit', () => <CustomerFormDrawer open onClose={() => {}} customer={stored} />),
          path: '/edit',
        },
      ],
    });
    await waitFor(() =>
      expect(screen.getByTestId('customer-first-cooperation-on')).toHaveValue('2019-03-05'),
    );
    await waitFor(() => expect(callsOf('duplicates.check').length).toBeGreaterThan(0));
    await pickDate(user, 'customer-anniversary-on', '2016-06-06');
    await user.click(screen.getByTestId('customer-submit'));
    await waitFor(() => expect(callsOf('customers.update')).toHaveLength(1));
    expect(callsOf('customers.update')[0]?.input).toEqual({ id: CUSTOMER_ID, anniversaryOn: '2016-06-06' });

    answerTrpc({
      'customers.update': () => {
        throw new TrpcTestError('BAD_REQUEST', 'INVALID_INPUT', '首次合作时间不能晚于今天', [
          { path: 'firstCooperationOn', message: '首次合作时间不能晚于今天' },
        ]);
      },
    });
    await pickDate(user, 'customer-first-cooperation-on', '2019-04-01');
    await user.click(screen.getByTestId('customer-submit'));
    expect(await screen.findByText('首次合作时间不能晚于今天')).toBeInTheDocument();
  });
});

describe('contacts: birthday and 纪念日', () => {
  it('lists both and edits the anniversary', async () => {
    answerTrpc({
      'contacts.list': () => [contact],
      'contacts.update': (input) => ({ id: input.id }),
    });
    const { user } = renderRoute({
      url: '/contacts',
      shell: ownerShell,
      app: [
        {
          route: route('/contacts', () => <ContactsTab customer={stored} editable />),
          path: '/contacts',
        },
      ],
    });
    const table = await screen.findByTestId('contacts-table');
    await waitFor(() => expect(table).toHaveTextContent('陈静'));
    expect(table).toHaveTextContent('纪念日');
    expect(table).toHaveTextContent('2015');
    await user.click(screen.getByTestId('contact-edit'));
    await waitFor(() => expect(screen.getByTestId('contact-anniversary-on')).toHaveValue('2015-10-01'));
    expect(screen.getByTestId('contact-birthday')).toHaveValue('1988-03-15');
    await pickDate(user, 'contact-anniversary-on', '2016-10-01');
    await user.click(screen.getByTestId('contact-submit'));
    await waitFor(() => expect(callsOf('contacts.update')).toHaveLength(1));
    expect(callsOf('contacts.update')[0]?.input).toEqual({ id: CONTACT_ID, anniversaryOn: '2016-10-01' });
  });

  it('sends the anniversary of a new contact', async () => {
    answerTrpc({ 'contacts.create': () => ({ id: CONTACT_ID }) });
    const { user } = renderRoute({
      url: '/contact-new',
      shell: ownerShell,
      app: [
        {
          route: route('/contact-new', () => (
            <ContactFormModal open onClose={() => {}} customerId={CUSTOMER_ID} />
          )),
          path: '/contact-new',
        },
      ],
    });
    await user.type(await screen.findByTestId('contact-name'), '李雷');
    await pickDate(user, 'contact-anniversary-on', '2012-12-12');
    await user.click(screen.getByTestId('contact-submit'));
    await waitFor(() => expect(callsOf('contacts.create')).toHaveLength(1));
    expect(callsOf('contacts.create')[0]?.input).toMatchObject({ name: '李雷', anniversaryOn: '2012-12-12' });
  });
});
