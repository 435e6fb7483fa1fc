import '@testing-library/jest-dom/vitest';
import { cleanup, configure, prettyDOM } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { i18n, i18nReady } from '../i18n';
import { queryClient } from '../lib/trpc';
import { server } from './server';
import { resetTrpc } from './trpc-msw';

configure({
  // A first render of an antd page in jsdom on a busy two-core machine can take seconds;
  // findBy/waitFor still return as soon as the screen shows what they wait for.
  asyncUtilTimeout: 10_000,
  // findBy/waitFor retry a query every 50 ms, and each miss printed the whole page into its
  // error: a third of a page test's time. The page is printed once, when the error is shown.
  getElementError: (message, container) => {
    const error = new Error();
    error.name = 'TestingLibraryElementError';
    let full: string | undefined;
    Object.defineProperty(error, 'message', {
      configurable: true,
      get: () => {
        full ??= [message, prettyDOM(container)].filter(Boolean).join('\n\n');
        return full;
      },
      set: (value: string) => {
        full = value;
      },
    });
    return error;
  },
});

// What antd asks of the browser and jsdom does not have.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver = ResizeObserverStub;

// The router restores the scroll position on navigation.
window.scrollTo = () => {};

// antd measures scrollbars with getComputedStyle(element, '::-webkit-scrollbar'), which jsdom does not implement.
const computedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element) => computedStyle(element);

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  await i18nReady;
});
afterEach(async () => {
  cleanup();
  queryClient.clear();
  server.resetHandlers();
  await i18n.changeLanguage('zh-CN');
  resetTrpc();
});
afterAll(() => server.close());
