import { z } from 'zod';
import type { Knex } from 'knex';
import type { Actor } from '../services/context.js';
import { SourceSchema } from '../services/devices/schemas.js';
import { parseInput } from '../services/validate.js';
import { emptyBatch, type BatchDevice } from './batch.js';
import { definePlugin } from './define-plugin.js';
import { runPlugin, type RunOutcome, type RunRequest } from './runner.js';

/** Devices one push may carry (the body cap bounds the bytes; this the work). */
export const MAX_PUSH_DEVICES = 20_000;

/**
 * The documented push body: the devices of one source. Each device's `source` may be left out
 * (it is the path's); `loc` defaults to `devices[i]`. Each record is validated by the devices
 * entity, so a bad one is an error at its own location and the push writes nothing.
 */
export const PushBodySchema = z
  .object({
    devices: z
      .array(z.record(z.string(), z.unknown()))
      .max(MAX_PUSH_DEVICES, `at most ${MAX_PUSH_DEVICES} devices per push; split the batch`)
      .describe('Device records (BatchDevice: source_id, name, kind, platform, serial, macs, nics[{mac, network, vlan, connected, ips}], disks, os_type/os_family/os_version, power_state, vcpus, memory_mb, cluster, hypervisor, location, project, tags, raw)'),
    complete: z.boolean().optional().describe("True when `devices` is the source's whole inventory: the devices earlier pushes reported and this one does not are marked missing (default false: a partial batch marks nothing)"),
    archive_missing_after_days: z.number().int().min(1).max(3650).optional().describe('With complete: archive a device this many days after every source stopped reporting it (left out: never)'),
  })
  .strict();
export type PushBody = z.input<typeof PushBodySchema>;

/** The actor a push runs as: no user; the source is named in the run, its audit entry and the device history. */
function pushActor(source: string): Actor {
  return { userId: null, username: `push:${source}`.slice(0, 64), role: 'editor' };
}

/** Runs pushed devices through the reconcile engine like any connector: one transaction, dry-run previews. */
export async function runPush(db: Knex, sourceInput: string, body: unknown, dryRun: boolean, more: Pick<RunRequest, 'onProgress' | 'chunkSize' | 'signal'> = {}): Promise<RunOutcome> {
  const source = parseInput(SourceSchema, sourceInput, 'source');
  const { devices, complete, archive_missing_after_days } = parseInput(PushBodySchema, body, 'body');
  const records = devices.map((d, i) => ({ loc: `devices[${i}]`, source, ...d }) as BatchDevice);
  const plugin = definePlugin({
    name: 'push',
    title: 'Push',
    kind: 'connector',
    options: z.object({}),
    async collect() {
      return { ...emptyBatch(`push:${source}`), devices: records, ...(complete ? { devicesComplete: { archiveAfterDays: archive_missing_after_days ?? null } } : {}) };
    },
  });
  return runPlugin(db, pushActor(source), { plugin, input: { files: [] }, options: {}, dryRun, source: `push:${source}`, seenIn: { scope: `push:${source}`, configId: null }, auditLabel: `sync_push_${source}`, ...more });
}
