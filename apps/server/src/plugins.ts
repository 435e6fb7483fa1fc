import { createPluginRegistry, type Logger, type PluginRegistry } from '@crm/api';
import b2b from '@crm/plugin-b2b';
import corporateBanking from '@crm/plugin-corporate-banking';
import retail from '@crm/plugin-retail';
import { SDK_VERSION } from '@crm/plugin-sdk';

/**
 * The industry plugins this server runs with, in order. A plugin is an ordinary workspace
 * package whose default export is `definePlugin({...})`; adding one here (and as a dependency
 * of apps/server) is all it takes to offer a new profile. Each is validated at start-up; a
 * broken one is refused with a log line naming it and each problem, and the others load.
 */
export const CONFIGURED_PLUGINS: readonly unknown[] = [retail, b2b, corporateBanking];

/** The SDK version this server implements: every plugin's `sdk` range must admit it. */
export const HOST_SDK_VERSION = SDK_VERSION;

export function createServerPluginRegistry(
  logger?: Logger,
  plugins: readonly unknown[] = CONFIGURED_PLUGINS,
): PluginRegistry {
  const registry = createPluginRegistry(plugins, { sdkVersion: HOST_SDK_VERSION, ...(logger && { logger }) });
  logger?.info(
    {
      loaded: registry.plugins.map((plugin) => `${plugin.id}@${plugin.version}`),
      refused: registry.refused.map((plugin) => plugin.id),
    },
    `industry plugins: ${registry.plugins.length} loaded${registry.refused.length > 0 ? `, ${registry.refused.length} refused (${registry.refused.map((plugin) => plugin.id).join(', ')})` : ''}`,
  );
  return registry;
}
