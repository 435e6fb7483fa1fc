import { defineConfig } from 'vitest/config';

/**
 * Reliability drills (docs/scaling.md): each runs on a PostgreSQL cluster of its own (initdb
 * in a temp folder) or an embedded database, restarts or kills things on purpose and prints
 * its figures. One at a time: they load the machine.
 */
export default defineConfig({
  test: {
    root: new URL('../../', import.meta.url).pathname,
    include: ['apps/server/drills/**/*.drill.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
