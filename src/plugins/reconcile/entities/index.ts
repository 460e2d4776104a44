import { devices } from './devices.js';
import { hosts } from './hosts.js';
import { ipAssets } from './ip-assets.js';
import { missingDevices } from './missing-devices.js';
import { projects } from './projects.js';
import { ranges } from './ranges.js';
import { tags } from './tags.js';
import { vendors } from './vendors.js';

/**
 * The reconcile engine's entities, in the order they are prepared, planned and written: an
 * entity may refer (by name) to the ones before it. A new entity is one file in this folder and
 * one line here. The order is also the order of the plan's counts and of the API's summary.
 */
export const ENTITY_HANDLERS = [
  vendors,
  projects,
  tags,
  ranges,
  hosts,
  // Before the addresses: a device names itself host of the batch's records of its NIC addresses (entities/devices.ts).
  devices,
  ipAssets,
  // After every device of the run: what a complete run no longer reports.
  missingDevices,
] as const;

export type Entity = (typeof ENTITY_HANDLERS)[number]['entity'];

export const ENTITIES: readonly Entity[] = ENTITY_HANDLERS.map((h) => h.entity);
