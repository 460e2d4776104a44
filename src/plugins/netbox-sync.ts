import type { Knex } from 'knex';
import { NetBoxClient } from '../../plugins/netbox/client.js';
import { NetBoxOptions, type NetBoxSettings } from '../../plugins/netbox/options.js';
import type { Actor } from '../services/context.js';
import type { Services } from '../services/index.js';
import { NetBoxSync } from '../services/netbox/sync.js';

/**
 * The NetBox connection: the first saved connector configuration of plugin `netbox` (secrets
 * decrypted), or null when none is saved (then nothing is queued or sent).
 */
export async function netboxSettings(configs: Services['connectorConfigs']): Promise<NetBoxSettings | null> {
  const saved = (await configs.list()).filter((c) => c.plugin === 'netbox').sort((a, b) => a.id - b.id)[0];
  if (!saved) return null;
  const { options } = await configs.runtime(saved.id);
  return NetBoxOptions.parse(options);
}

/** A sync (services) over the plugin's client to NetBox, acting as `actor` (`leaseWaitMs`: see NetBoxSyncDeps). Close it after use. */
export function netboxSyncFor(db: Knex, actor: Actor, settings: NetBoxSettings, signal?: AbortSignal, leaseWaitMs?: number): NetBoxSync {
  return new NetBoxSync({ db, actor, api: new NetBoxClient(settings, signal), released: settings.released, ...(leaseWaitMs !== undefined ? { leaseWaitMs } : {}) });
}

/** A sync over the saved connection; null without one. */
export async function openNetBoxSync(db: Knex, actor: Actor, configs: Services['connectorConfigs'], signal?: AbortSignal): Promise<NetBoxSync | null> {
  const settings = await netboxSettings(configs);
  return settings ? netboxSyncFor(db, actor, settings, signal) : null;
}
