import { BatchDeviceSchema } from '../../batch.js';
import { fieldLoc } from '../../batch.js';
import { defineEntity } from '../core/contract.js';
import type { PrepareContext } from '../core/prepare.js';
import type { z } from 'zod';

export type DeviceRecord = z.output<typeof BatchDeviceSchema>;

/** Validates the batch's device records; each problem is an error at the record's field. */
export function prepareDevices(raw: readonly unknown[], ctx: PrepareContext): DeviceRecord[] {
  const out: DeviceRecord[] = [];
  raw.forEach((d, i) => {
    const loc = typeof (d as { loc?: unknown })?.loc === 'string' ? (d as { loc: string }).loc : `data.devices[${i}]`;
    const parsed = BatchDeviceSchema.safeParse(d);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.error(issue.path.length ? fieldLoc(loc, issue.path.join('.')) : loc, issue.message);
      return;
    }
    out.push(parsed.data);
  });
  return out;
}

/** Devices: validated, not yet planned (the matching and merge land next). */
export const devices = defineEntity({
  entity: 'devices',
  chunked: true,
  matchKeys: [],
  prepare: (batch, ctx) => prepareDevices(batch.devices ?? [], ctx),
  keysToLoad: () => ({}),
  load: async () => ({ rows: [] as { id: number }[] }),
  plan: () => null,
  write: async () => {},
});
