import type { z } from 'zod';
import {
  type AnyPlugin,
  type PluginEnvelope,
  parseSettings,
  resolvePlugin,
  type SettingsSchema,
  tierModelOf,
} from '../define-plugin';
import { evaluateTierModel, type TierCustomer, type TierResult } from '../tiering';
import { jsonEqual, type Problem, type ValidateOptions, validatePlugin } from '../validate';

/** Customers of every kind, to run a plugin's rules on when checking they are deterministic. */
export const SAMPLE_CUSTOMERS: readonly TierCustomer[] = [
  { id: 'new', facts: {} },
  {
    id: 'small',
    facts: {
      amount_12m: 800,
      amount_lifetime: 800,
      profit_12m: 80,
      order_count_12m: 1,
      order_count: 1,
      recency_days: 200,
    },
  },
  {
    id: 'regular',
    facts: {
      amount_12m: 45_000,
      amount_lifetime: 120_000,
      profit_12m: 9_000,
      order_count_12m: 6,
      order_count: 20,
      recency_days: 20,
    },
  },
  {
    id: 'large',
    facts: {
      amount_12m: 2_500_000,
      amount_lifetime: 9_000_000,
      profit_12m: 600_000,
      order_count_12m: 40,
      order_count: 150,
      recency_days: 3,
    },
  },
  {
    id: 'lapsed',
    facts: {
      amount_12m: 0,
      amount_lifetime: 300_000,
      profit_12m: 0,
      order_count_12m: 0,
      order_count: 12,
      recency_days: 400,
      months_without_order: 13,
    },
  },
];

export type ContractOptions = ValidateOptions & {
  /** Customers to run the tier model on (default: SAMPLE_CUSTOMERS). */
  customers?: readonly TierCustomer[];
};

function problemOf(plugin: AnyPlugin, code: Problem['code'], path: string, zh: string, en: string): Problem {
  return {
    code,
    plugin: plugin.id,
    path,
    message: { 'zh-CN': `插件「${plugin.id}」：${zh}`, en: `Plugin "${plugin.id}": ${en}` },
  };
}

/**
 * Checks a plugin's contract without a test runner: everything the host checks at start-up
 * (`validatePlugin`: envelope, SDK range, labels complete, keys, defaults parse, settings
 * migration idempotent, tiers and settings referenced …), that it was made by definePlugin
 * (frozen), and that its rules are deterministic — resolving them and running the tier
 * model twice on the same customers gives the same result. Returns the problems (none when
 * the plugin is fine).
 */
export function checkPluginContract(plugin: AnyPlugin, options: ContractOptions = {}): Problem[] {
  const problems = validatePlugin(plugin, options);
  if (problems.length > 0) return problems;
  if (!Object.isFrozen(plugin) || !Object.isFrozen(plugin.labels)) {
    problems.push(
      problemOf(
        plugin,
        'PLUGIN_ENVELOPE_INVALID',
        '',
        '插件须由 definePlugin 创建（定义须冻结，不可修改）',
        'the plugin must be made by definePlugin (its envelope is frozen)',
      ),
    );
  }
  try {
    if (!jsonEqual(resolvePlugin(plugin), resolvePlugin(plugin))) {
      problems.push(
        problemOf(
          plugin,
          'PLUGIN_RULES_NOT_DETERMINISTIC',
          '',
          '同样的设置两次得到不同的规则',
          'the same settings give different rules twice',
        ),
      );
    }
    if (plugin.tierModel !== undefined) {
      const customers = options.customers ?? SAMPLE_CUSTOMERS;
      const settings = plugin.settings.schema.parse({});
      const first = evaluateTierModel(tierModelOf(plugin), settings, customers);
      const second = evaluateTierModel(tierModelOf(plugin), settings, [...customers].reverse());
      const byId = new Map(second.map((result) => [result.id, result]));
      if (!first.every((result) => jsonEqual(result, byId.get(result.id)))) {
        problems.push(
          problemOf(
            plugin,
            'PLUGIN_RULES_NOT_DETERMINISTIC',
            'tierModel',
            '分层结果取决于客户的顺序',
            'tiers depend on the order of the customers',
          ),
        );
      }
    }
  } catch (error) {
    problems.push(
      problemOf(
        plugin,
        'PLUGIN_TIER_MODEL_FAILED',
        'tierModel',
        `按默认设置运行规则时出错：${(error as Error).message}`,
        `running the rules with the default settings failed: ${(error as Error).message}`,
      ),
    );
  }
  return problems;
}

/**
 * Runs the plugin's tier model on fixture customers, exactly as the core's SQL does for a
 * tenant: `settings` are a tenant's overrides (`{}` for the defaults), parsed by the
 * plugin's schema. Each customer's tier, score (null for value thresholds) and explanation
 * (each dimension's raw value, normalised score, weight and contribution; the rule that
 * placed it). Min–max, percentiles and quantiles are over the customers given.
 */
export function runTierModel<S extends SettingsSchema>(
  plugin: PluginEnvelope<S, string>,
  settings: z.input<S>,
  customers: readonly TierCustomer[],
): TierResult[] {
  if (plugin.tierModel === undefined) {
    throw new Error(`Plugin "${plugin.id}" declares no tier model`);
  }
  const parsed = parseSettings(plugin, settings);
  if (!parsed.success) {
    throw new Error(
      `Plugin "${plugin.id}": invalid settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
    );
  }
  return evaluateTierModel(tierModelOf(plugin), parsed.data, customers);
}

/** Problems as lines a test failure shows: code, path and both messages. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems
    .map(
      (problem) =>
        `${problem.code} at ${problem.path || '(plugin)'}\n  ${problem.message.en}\n  ${problem.message['zh-CN']}`,
    )
    .join('\n');
}
