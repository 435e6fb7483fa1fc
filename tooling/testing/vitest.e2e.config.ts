import { defineConfig } from 'vitest/config';

/** End-to-end tests: the real server (built web app included) driven in Debian's Chromium. */
export default defineConfig({
  test: {
    root: new URL('../../', import.meta.url).pathname,
    include: ['apps/server/test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
