import { useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { useTRPC } from '../lib/trpc';
import { me } from '../test/fixtures';
import { renderRoute } from '../test/render';
import { answerTrpc, callsOf, TrpcTestError } from '../test/trpc-msw';
import { Route as rootRoute } from './__root';
import { Route as signInRoute } from './sign-in';

/** The catalogue's INVALID_CREDENTIALS (packages/api/src/errors.ts), as the server translates it. */
const INVALID_CREDENTIALS = { 'zh-CN': '邮箱或密码不正确', en: 'Incorrect email or password' };
/** As written: antd's space between two Chinese characters (登 录) is turned off (AntdProviders). */
const SUBMIT = /^登录$/;

/** Where sign-in lands: shows who the cache now says is signed in. */
const customerPage = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers/$customerId',
  component: function Landing() {
    const trpc = useTRPC();
    const signedIn = useQuery(trpc.auth.me.queryOptions());
    return <p data-testid="landing">{signedIn.data?.user.name}</p>;
  },
});

function renderSignIn(url = '/sign-in') {
  return renderRoute({
    url,
    public: [
      { route: signInRoute, path: '/sign-in' },
      { route: customerPage, path: '/customers/$customerId' },
    ],
  });
}

function answerBadCredentials() {
  answerTrpc({
    'auth.me': () => null,
    'auth.signIn': (_input, call) => {
      const locale = call.locale === 'en' ? 'en' : 'zh-CN';
      throw new TrpcTestError('UNAUTHORIZED', 'INVALID_CREDENTIALS', INVALID_CREDENTIALS[locale]);
    },
  });
}

describe('sign-in page', () => {
  it('shows the server’s zh-CN message on bad credentials and stays on the form', async () => {
    answerBadCredentials();
    const { user, router } = renderSignIn();

    await user.type(await screen.findByLabelText('邮箱'), 'wang@example.cn');
    await user.type(screen.getByLabelText('密码'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: SUBMIT }));

    expect(await screen.findByRole('alert')).toHaveTextContent('邮箱或密码不正确');
    const [call] = callsOf('auth.signIn');
    expect(call?.input).toEqual({ email: 'wang@example.cn', password: 'wrong-password' });
    expect(call?.locale).toBe('zh-CN');
    expect(router.state.location.pathname).toBe('/sign-in');
    // Editing the form clears the error.
    await user.type(screen.getByLabelText('密码'), 'x');
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
  });

  it('shows the English message and labels when the interface is in English', async () => {
    await i18n.changeLanguage('en');
    answerBadCredentials();
    const { user } = renderSignIn();

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Email'), 'wang@example.cn');
    await user.type(screen.getByLabelText('Password'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect email or password');
    expect(callsOf('auth.signIn')[0]?.locale).toBe('en');
  });

  it('checks the fields before calling the server', async () => {
    answerTrpc({ 'auth.me': () => null });
    const { user } = renderSignIn();

    await user.click(await screen.findByRole('button', { name: SUBMIT }));
    // Both fields are validated, each on its own tick: wait for the two messages, not the first.
    await waitFor(() => expect(screen.getAllByText('请填写此项')).toHaveLength(2));

    await user.type(screen.getByLabelText('邮箱'), 'not-an-email');
    expect(await screen.findByText('请输入正确的邮箱地址')).toBeInTheDocument();
    expect(callsOf('auth.signIn')).toHaveLength(0);
  });

  it('signs in and goes on to the page it was sent from', async () => {
    answerTrpc({
      'auth.me': () => null,
      'auth.signIn': () => me,
    });
    const target = '/customers/5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
    const { user, router } = renderSignIn(`/sign-in?redirect=${encodeURIComponent(target)}`);

    await user.type(await screen.findByLabelText('邮箱'), 'wang@example.cn');
    await user.type(screen.getByLabelText('密码'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: SUBMIT }));

    expect(await screen.findByTestId('landing')).toHaveTextContent('王经理');
    expect(router.state.location.pathname).toBe(target);
    // The signed-in user came from the sign-in answer: no second auth.me after it.
    expect(callsOf('auth.me')).toHaveLength(1);
  });

  it('lands on the workbench (工作台) when it was not sent from a page', async () => {
    answerTrpc({ 'auth.me': () => null, 'auth.signIn': () => me });
    const { user, router } = renderSignIn();

    await user.type(await screen.findByLabelText('邮箱'), 'wang@example.cn');
    await user.type(screen.getByLabelText('密码'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: SUBMIT }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/workbench'));
  });

  it('does not follow a redirect to another site: the workbench instead', async () => {
    answerTrpc({ 'auth.me': () => null, 'auth.signIn': () => me });
    const { user, router } = renderSignIn('/sign-in?redirect=//evil.example/phish');

    await user.type(await screen.findByLabelText('邮箱'), 'wang@example.cn');
    await user.type(screen.getByLabelText('密码'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: SUBMIT }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/workbench'));
  });
});
