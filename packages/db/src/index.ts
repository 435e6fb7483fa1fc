export { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
export { backupPglite, backupPostgres, restorePglite, restorePostgres } from './backup';
export {
  boundTransaction,
  type CopyIn,
  type CrmDatabase,
  copyText,
  type DatabaseConfig,
  executeAndCommit,
  type HeavyReads,
  type MemberAccess,
  openDatabase,
  type Scope,
} from './connection';
export { distributionViolations, REFERENCE_TABLES } from './distribution-lint';
export { MOVE_LIFECYCLE_THRESHOLDS } from './migrations/2026-12-07-0801-lifecycle-one-place';
export { dropDatabase, type ProvisionedUrls, provisionDatabase } from './provision';
export { currentRequestId, runWithRequestId } from './request-context';
export { checkRuntimeRole, type RuntimeRoleReport } from './role-check';
export { APP_ROLE, OWNER_ROLE } from './roles';
export * from './tables';
