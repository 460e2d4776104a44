import { PLUGINS } from '../../plugins/index.js';
import type { Plugin } from './define-plugin.js';
import { UnknownPluginError } from './errors.js';
import { describeOptions } from './options.js';

/**
 * Every importer and connector, from the static list in plugins/index.ts (a static list works
 * the same under tsx and compiled in dist/, with no directory scanning at start-up).
 */
export function listPlugins(): readonly Plugin[] {
  return PLUGINS;
}

/** The plugin of that name, or UnknownPluginError (404). */
export function getPlugin(name: string): Plugin {
  const plugin = PLUGINS.find((p) => p.name === name);
  if (!plugin) throw new UnknownPluginError(name);
  return plugin;
}

/** What the panel and `GET /import/plugins` show: names, kinds, accepted files, the options form. */
export function describePlugin(p: Plugin): Record<string, unknown> {
  return { name: p.name, title: p.title, description: p.description ?? null, kind: p.kind, accepts: p.accepts ?? null, schedule: p.schedule ?? null, options: describeOptions(p.options) };
}
