import type { Plugin } from '../src/plugins/define-plugin.js';
import { bundlePlugin } from './bundle/index.js';
import { csvPlugin } from './csv/index.js';
import { librenmsPlugin } from './librenms/index.js';
import { netdiscoPlugin } from './netdisco/index.js';
import { netboxPlugin } from './netbox/index.js';
import { nmapPlugin } from './nmap/index.js';
import { nutanixPlugin } from './nutanix/index.js';
import { prometheusPlugin } from './prometheus/index.js';
import { vcenterPlugin } from './vcenter/index.js';

/**
 * Every importer and connector. Add a plugin by creating plugins/<name>/index.ts (a
 * `definePlugin({...})` export) and listing it here.
 */
export const PLUGINS: readonly Plugin[] = [bundlePlugin, csvPlugin, nmapPlugin, prometheusPlugin, vcenterPlugin, netboxPlugin,
  // device sources (issue 15)
  nutanixPlugin, netdiscoPlugin, librenmsPlugin] as unknown as readonly Plugin[];

const names = new Set<string>();
for (const p of PLUGINS) {
  if (names.has(p.name)) throw new Error(`Two plugins are named "${p.name}"`);
  names.add(p.name);
}
