/**
 * The plugin test kit: `checkPluginContract` (pure, any test runner), `runTierModel`
 * (the tier model on fixture customers, as the core's SQL computes it) and
 * `describePluginContract` (the checks as vitest tests).
 */
export type { TierCustomer, TierExplanation, TierResult } from '../tiering';
export {
  type ContractOptions,
  checkPluginContract,
  formatProblems,
  runTierModel,
  SAMPLE_CUSTOMERS,
} from './contract';
export { describePluginContract } from './vitest';
