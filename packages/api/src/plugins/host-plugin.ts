import { type AnyPlugin, validatePlugin, validateTierModel } from '@crm/plugin-sdk';

/** A plugin the host has validated and loaded. */
export type HostPlugin = AnyPlugin;

/** One thing wrong with a plugin, in both languages (from the SDK's validatePlugin or the host). */
export type PluginProblem = {
  code: string;
  /** Where in the envelope (e.g. `settings.schema.thresholds.key`), '' for the whole plugin. */
  path: string;
  message: { 'zh-CN': string; en: string };
};

type SdkProblem = {
  code?: unknown;
  path?: unknown;
  message?: unknown;
};

function asProblem(raw: unknown): PluginProblem {
  const problem = (typeof raw === 'object' && raw !== null ? raw : {}) as SdkProblem;
  const path = Array.isArray(problem.path) ? problem.path.join('.') : String(problem.path ?? '');
  const message =
    typeof problem.message === 'object' && problem.message !== null
      ? (problem.message as { 'zh-CN'?: string; en?: string })
      : { en: String(problem.message ?? problem.code ?? 'invalid') };
  const en = message.en ?? message['zh-CN'] ?? String(problem.code);
  return {
    code: String(problem.code ?? 'PLUGIN_INVALID'),
    path,
    message: { 'zh-CN': message['zh-CN'] ?? en, en },
  };
}

function problem(code: string, path: string, zh: string, en: string): PluginProblem {
  return { code, path, message: { 'zh-CN': zh, en } };
}

/**
 * Everything the host checks of one plugin before it loads it: the SDK's own
 * `validatePlugin` (envelope, SDK range, labels, keys, defaults …) and what the host itself
 * relies on — the settings' defaults parse, and the tier model validates with the defaults.
 * Never throws: a plugin that throws while being checked is a problem of that plugin.
 */
export function validateForHost(candidate: unknown, sdkVersion: string): PluginProblem[] {
  const problems: PluginProblem[] = [];
  try {
    problems.push(...validatePlugin(candidate, { sdkVersion }).map(asProblem));
  } catch (error) {
    problems.push(
      problem(
        'PLUGIN_VALIDATION_FAILED',
        '',
        `检查插件时出错：${(error as Error).message}`,
        `checking the plugin failed: ${(error as Error).message}`,
      ),
    );
  }
  if (problems.length > 0) return problems;
  if (typeof candidate !== 'object' || candidate === null) {
    return [
      problem('PLUGIN_INVALID', '', '插件不是 definePlugin 返回的对象', 'not an object made by definePlugin'),
    ];
  }
  const plugin = candidate as HostPlugin;
  if (typeof plugin.id !== 'string' || plugin.settings?.schema === undefined) {
    return [
      problem('PLUGIN_INVALID', '', '插件不是 definePlugin 返回的对象', 'not an object made by definePlugin'),
    ];
  }
  let defaults: Record<string, unknown>;
  try {
    const parsed = plugin.settings.schema.safeParse({});
    if (!parsed.success) {
      return parsed.error.issues.map((issue) =>
        problem(
          'PLUGIN_SETTINGS_DEFAULT_INVALID',
          ['settings', ...issue.path.map(String)].join('.'),
          `设置项「${issue.path.join('.')}」的默认值无效：${issue.message}`,
          `the default of the setting "${issue.path.join('.')}" is invalid: ${issue.message}`,
        ),
      );
    }
    defaults = parsed.data;
  } catch (error) {
    return [
      problem(
        'PLUGIN_SETTINGS_DEFAULT_INVALID',
        'settings',
        `读取默认设置时出错：${(error as Error).message}`,
        `reading the default settings failed: ${(error as Error).message}`,
      ),
    ];
  }
  try {
    if (plugin.tierModel) {
      for (const tierProblem of validateTierModel(plugin.tierModel, defaults)) {
        problems.push({
          code: tierProblem.code,
          path: tierProblem.setting ? `settings.${tierProblem.setting}` : `tierModel.${tierProblem.path}`,
          message: tierProblem.message,
        });
      }
    }
  } catch (error) {
    problems.push(
      problem(
        'PLUGIN_TIER_MODEL_INVALID',
        'tierModel',
        `用默认设置检查分层模型时出错：${(error as Error).message}`,
        `checking the tier model with the default settings failed: ${(error as Error).message}`,
      ),
    );
  }
  return problems;
}
