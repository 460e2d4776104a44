import type { PluginCatalog } from '../services/connector-configs.js';
import type { ServicesConfig } from '../services/index.js';
import type { Plugin } from './define-plugin.js';
import { secretKeys, unknownOptionKeys } from './options.js';
import { getPlugin } from './registry.js';

/** The registry as the services see it (they import no plugin code; this is handed to them). */
export const pluginCatalog: PluginCatalog<Plugin> = {
  find(name) {
    try {
      return getPlugin(name);
    } catch {
      return null;
    }
  },
  secretKeys,
  unknownOptionKeys,
};

/** The services' settings from the app's, with the plugin registry (what createServices needs). */
export function servicesConfig(config: Omit<ServicesConfig, 'plugins'>): ServicesConfig {
  return { autoHostForBmc: config.autoHostForBmc, secretKey: config.secretKey, tokenTtlSeconds: config.tokenTtlSeconds, sessionMaxSeconds: config.sessionMaxSeconds, plugins: pluginCatalog };
}
