import type { Knex } from 'knex';
import { ConflictError, UnresolvedReferenceError, ValidationError } from '../../domain/errors.js';
import { tryParseAddress } from '../../domain/ip/address.js';
import { formatTimestamp } from '../../domain/time.js';
import { forUpdate } from '../../db/transaction.js';
import type { ServiceContext } from '../context.js';
import { insertRow } from '../rows.js';
import { recordAssetChanges, snapshotAssets } from './history.js';

/** What a host create/update says about its addresses (undefined: leave as is). */
export interface HostAddressLinks {
  os_ip?: string | null;
  bmc_ip?: string | null;
  project_id?: number | null;
}

/*
 * The IP-asset side of a host edit: the hosts service calls these (inside its transaction) so
 * that every write to ip_assets, and each address's IP_ASSET history entry, stays in the assets
 * aggregate. They do not import the AssetsService class, which itself calls the hosts service
 * (the BMC auto-host).
 */

/**
 * Links the OS/BMC addresses given (creating missing assets of that type; `null` unlinks the
 * current one, keeping the asset) and applies project_id to every linked IP. Without a
 * project_id, an IP newly linked to a host whose IPs share one project gets that project when
 * it has none (the host is "in" that project; an IP of another project keeps its own). Each
 * address that changes gets its own entry, so its history shows the host edit.
 */
export async function linkHostAddresses(ctx: ServiceContext, hostId: number, data: HostAddressLinks): Promise<void> {
  const { db } = ctx;
  const keys = [data.os_ip, data.bmc_ip].map((v) => (v ? tryParseAddress(v)?.key : undefined)).filter((k): k is string => k !== undefined);
  const touched = (q: Knex.QueryBuilder): void => void q.where('a.host_id', hostId).orWhereIn('a.ip_key', keys);
  const before = await snapshotAssets(db, touched);
  if (data.project_id != null && !(await db('projects').where({ id: data.project_id }).first('id'))) {
    throw new UnresolvedReferenceError('project_id', 'Project not found.', `Project ${data.project_id} does not exist.`);
  }
  // Read before the current links are replaced: the host's project is that of the IPs it has now.
  const hostProject = data.project_id !== undefined ? data.project_id : await soleProject(ctx, hostId);
  const now = formatTimestamp();
  for (const [field, type] of [['os_ip', 'OS'], ['bmc_ip', 'BMC']] as const) {
    const value = data[field];
    if (value === undefined) continue;
    await db('ip_assets').where({ host_id: hostId, type }).update({ host_id: null, updated_at: now });
    if (value === null || value === '') continue;
    const parsed = tryParseAddress(value);
    if (!parsed) throw ValidationError.field(field, 'Invalid IP address.');
    // Locked (and the insert's unique key checked): of hosts linking one address in parallel, one wins, the rest get 409.
    const taken = new ConflictError(`${parsed.address} is already linked to another host.`, field);
    const existing = (await forUpdate(db, db('ip_assets').select('id', 'host_id').where({ ip_key: parsed.key }).first())) as { id: number; host_id: number | null } | undefined;
    if (existing && existing.host_id !== null && Number(existing.host_id) !== hostId) throw taken;
    if (existing) {
      await db('ip_assets').where({ id: existing.id }).update({ host_id: hostId, type, archived: false, updated_at: now });
      if (hostProject !== null) await db('ip_assets').where({ id: existing.id }).whereNull('project_id').update({ project_id: hostProject });
    } else {
      const row = { ip_address: parsed.address, ip_version: parsed.version, ip_key: parsed.key, type, host_id: hostId, project_id: hostProject, archived: false, created_at: now, updated_at: now };
      await insertRow(db, 'ip_assets', row, taken);
    }
  }
  if (data.project_id !== undefined) await db('ip_assets').where({ host_id: hostId }).update({ project_id: data.project_id, updated_at: now });
  await recordAssetChanges(ctx, before, await snapshotAssets(db, (q) => (touched(q), void q.orWhereIn('a.id', [...before.keys()]))));
}

/** Before a host is deleted: its IP assets stay and lose the link, each with an entry. */
export async function unlinkHostAddresses(ctx: ServiceContext, hostId: number): Promise<void> {
  const { db } = ctx;
  const before = await snapshotAssets(db, (q) => q.where('a.host_id', hostId));
  await db('ip_assets').where({ host_id: hostId }).update({ host_id: null, updated_at: formatTimestamp() });
  await recordAssetChanges(ctx, before, await snapshotAssets(db, (q) => q.whereIn('a.id', [...before.keys()])));
}

/** Active linked IPs per host of `hostIds` (one grouped query; hosts with none are absent). */
export async function activeIpCounts(db: ServiceContext['db'], hostIds: readonly number[]): Promise<Map<number, number>> {
  if (hostIds.length === 0) return new Map();
  const counts = (await db('ip_assets').select('host_id').count({ n: '*' }).whereIn('host_id', hostIds).where('archived', false).groupBy('host_id')) as { host_id: number; n: number | string }[];
  return new Map(counts.map((c) => [Number(c.host_id), Number(c.n)]));
}

/** The one project every active IP of the host is in; null when it has none, an unassigned IP, or several projects. */
async function soleProject(ctx: ServiceContext, hostId: number): Promise<number | null> {
  const rows = (await ctx.db('ip_assets').distinct('project_id').where({ host_id: hostId, archived: false })) as { project_id: number | null }[];
  return rows.length === 1 && rows[0]!.project_id !== null ? Number(rows[0]!.project_id) : null;
}
