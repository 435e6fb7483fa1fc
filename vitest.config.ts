import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Deadlines, not expectations: a test waits for events, and these bound how long a busy
    // machine (both cores loaded by other work) may take before the wait counts as a failure.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/server/src/**/*.test.ts',
            'apps/server/test/**/*.test.ts',
            'plugins/*/src/**/*.test.ts',
            'packages/plugin-sdk/examples/*/src/**/*.test.ts',
            'apps/web/src/**/*.test.ts',
            'apps/web/build/*.test.ts',
            'tooling/*/src/**/*.test.ts',
          ],
        },
      },
      {
        // The web app's component and page tests: a DOM, and msw answering the API.
        extends: true,
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['apps/web/src/test/setup.ts'],
          isolate: false,
        },
      },
    ],
  },
});
