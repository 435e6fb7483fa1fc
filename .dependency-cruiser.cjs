/**
 * The import boundaries of the monorepo (shared/ARCHITECTURE.md), checked by `pnpm lint:boundaries`
 * (part of `pnpm lint` and CI). dependency-cruiser rather than Biome's noRestrictedImports:
 * it follows workspace packages to their files, so it can say "api may not import apps",
 * and it finds import cycles, which no lint rule does.
 *
 *   apps → api → (domain, db, auth, jobs, plugin-sdk); plugins → plugin-sdk only;
 *   domain and plugin-sdk import nothing of ours with I/O; nothing imports apps; no cycles.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the module or move what both need below them.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-apps',
      severity: 'error',
      comment: 'Apps are the top of the graph: packages and plugins never import them.',
      from: { path: '^(packages|plugins)/' },
      to: { path: '^apps/' },
    },
    {
      name: 'web-imports-types-only-from-server-code',
      severity: 'error',
      comment: 'The web app imports the API only for its types (AppRouter), and never db, auth or jobs.',
      from: { path: '^apps/web/' },
      to: { path: '^(packages/(db|auth|jobs)|apps/server)/' },
    },
    {
      name: 'plugins-only-use-the-sdk',
      severity: 'error',
      comment: 'A plugin is written against @crm/plugin-sdk alone (docs/plugins.md).',
      from: { path: '^plugins/' },
      to: { path: '^(packages/(?!plugin-sdk/)|apps/)' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'packages/domain holds pure rules: no database, queue, HTTP, file system or other package of ours.',
      from: { path: '^packages/domain/' },
      to: {
        path: '^(packages/(?!domain/)|apps/|plugins/)|node_modules/(kysely|postgres|@electric-sql|pg-boss|hono|@trpc)/',
      },
    },
    {
      name: 'domain-uses-zod-only',
      severity: 'error',
      comment: 'The only package packages/domain may import is zod (and vitest in tests).',
      from: { path: '^packages/domain/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'],
        pathNot: 'node_modules/(zod|vitest|fast-check)/',
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a missing dependency in package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'domain-no-node-io',
      severity: 'error',
      from: { path: '^packages/domain/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(fs|net|http|https|child_process|dgram|worker_threads)$' },
    },
    {
      name: 'sdk-is-standalone',
      severity: 'error',
      comment: 'The plugin SDK is what partners install: it depends on zod, not on the core.',
      from: { path: '^packages/plugin-sdk/' },
      to: { path: '^(packages/(?!plugin-sdk/)|apps/|plugins/)' },
    },
    {
      name: 'lower-packages-do-not-import-api',
      severity: 'error',
      comment: 'db, auth, jobs and domain sit below api.',
      from: { path: '^packages/(db|auth|jobs|domain)/' },
      to: { path: '^packages/api/' },
    },
    {
      name: 'data-layer-is-transport-free',
      severity: 'error',
      comment:
        'Repositories, services and the error catalogue return values and throw AppError; only routers and the edges know tRPC (not even through another module).',
      from: { path: '^packages/api/src/(.+\\.(repository|service)|errors|i18n|locale|logger)\\.ts$' },
      to: { path: '(^packages/api/src/trpc\\.ts$|node_modules/@trpc/)', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|routeTree\\.gen\\.ts$|/dist/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
