import type { Logger } from '../logger';
import { type HostPlugin, type PluginProblem, validateForHost } from './host-plugin';

/** A plugin the server was configured with but refused at start-up, and why. */
export type RefusedPlugin = { id: string; version: string | null; problems: PluginProblem[] };

/** What the host knows about the profile a tenant is on. */
export type ProfileStatus =
  | { state: 'ok'; plugin: HostPlugin }
  | { state: 'unavailable'; id: string; problems: PluginProblem[] }
  | { state: 'unknown'; id: string };

/**
 * The industry plugins this server runs with: built once at start-up from an explicit list
 * (apps/server/src/plugins.ts). Each plugin is validated on its own and against the others;
 * a broken one is refused — with a log line naming it and each problem — and the rest load.
 * Tenants on a refused profile see INDUSTRY_PROFILE_UNAVAILABLE; nothing else of theirs is
 * affected.
 */
export type PluginRegistry = {
  readonly sdkVersion: string;
  /** Loaded plugins in the configured order. */
  readonly plugins: readonly HostPlugin[];
  readonly refused: readonly RefusedPlugin[];
  get(id: string): HostPlugin | undefined;
  status(id: string): ProfileStatus;
};

function idOf(candidate: unknown): string | null {
  if (typeof candidate !== 'object' || candidate === null) return null;
  const id = (candidate as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function versionOf(candidate: unknown): string | null {
  if (typeof candidate !== 'object' || candidate === null) return null;
  const version = (candidate as { version?: unknown }).version;
  return typeof version === 'string' ? version : null;
}

export type RegistryOptions = {
  /** The SDK version this host implements; each plugin's `sdk` range must admit it. */
  sdkVersion: string;
  logger?: Logger;
};

export function createPluginRegistry(
  candidates: readonly unknown[],
  options: RegistryOptions,
): PluginRegistry {
  const problemsByIndex = candidates.map((candidate) => validateForHost(candidate, options.sdkVersion));

  // Cross-plugin checks: ids unique, contributed custom field keys unique across plugins.
  const firstById = new Map<string, number>();
  const fieldOwner = new Map<string, string>();
  candidates.forEach((candidate, index) => {
    const problems = problemsByIndex[index] ?? [];
    if (problems.length > 0) return;
    const plugin = candidate as HostPlugin;
    const earlier = firstById.get(plugin.id);
    if (earlier !== undefined) {
      problems.push({
        code: 'PLUGIN_ID_DUPLICATE',
        path: 'id',
        message: {
          'zh-CN': `插件标识「${plugin.id}」已被前面配置的另一个插件使用`,
          en: `the plugin id "${plugin.id}" is already used by a plugin configured earlier`,
        },
      });
      return;
    }
    const collisions = (plugin.customFields ?? []).filter((field) => fieldOwner.has(field.key));
    for (const field of collisions) {
      problems.push({
        code: 'PLUGIN_FIELD_KEY_COLLISION',
        path: `customFields.${field.key}`,
        message: {
          'zh-CN': `自定义字段「${field.key}」与插件「${fieldOwner.get(field.key)}」的字段重名`,
          en: `the custom field "${field.key}" collides with a field of the plugin "${fieldOwner.get(field.key)}"`,
        },
      });
    }
    if (collisions.length > 0) return;
    firstById.set(plugin.id, index);
    for (const field of plugin.customFields ?? []) fieldOwner.set(field.key, plugin.id);
  });

  const plugins: HostPlugin[] = [];
  const refused: RefusedPlugin[] = [];
  candidates.forEach((candidate, index) => {
    const problems = problemsByIndex[index] ?? [];
    const id = idOf(candidate) ?? `#${index + 1}`;
    if (problems.length === 0) {
      plugins.push(candidate as HostPlugin);
      return;
    }
    refused.push({ id, version: versionOf(candidate), problems });
    options.logger?.error(
      {
        plugin: id,
        version: versionOf(candidate),
        problems: problems.map((problem) => ({
          code: problem.code,
          path: problem.path,
          message: problem.message.en,
        })),
      },
      `industry plugin "${id}" refused: ${problems.map((problem) => `${problem.path ? `${problem.path}: ` : ''}${problem.message.en}`).join('; ')} / 行业插件「${id}」未加载：${problems.map((problem) => problem.message['zh-CN']).join('；')}`,
    );
  });

  const byId = new Map(plugins.map((plugin) => [plugin.id, plugin]));
  const refusedById = new Map(refused.map((entry) => [entry.id, entry]));
  return {
    sdkVersion: options.sdkVersion,
    plugins,
    refused,
    get: (id) => byId.get(id),
    status(id) {
      const plugin = byId.get(id);
      if (plugin) return { state: 'ok', plugin };
      const refusal = refusedById.get(id);
      if (refusal) return { state: 'unavailable', id, problems: refusal.problems };
      return { state: 'unknown', id };
    },
  };
}

/** A registry with no plugins (every tenant's profile is unknown). */
export function emptyPluginRegistry(sdkVersion = '0.0.0'): PluginRegistry {
  return createPluginRegistry([], { sdkVersion });
}
