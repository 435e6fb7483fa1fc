import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/server/src/**/*.test.ts',
      'apps/server/test/**/*.test.ts',
      'plugins/*/src/**/*.test.ts',
      'packages/plugin-sdk/examples/*/src/**/*.test.ts',
      'apps/web/src/**/*.test.ts',
      'tooling/*/src/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
