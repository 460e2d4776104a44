import { countersByTrigger, countersByWriter } from '../../../db/helpers/bulk-counters.js';
import { bulkInsert, bulkUpdateById, selectRaw } from '../../../db/helpers/bulk-write.js';
import { DEFAULT_TAG_COLOR } from '../../../domain/tags.js';
import { createdRow, fieldChangeRows, writeChanges, type ChangeAuthor } from '../../../services/devices/history.js';
import type { WriteContext } from '../core/contract.js';
import { lockCounted } from './counters.js';
import type { AssetHistory, AssetValues, AssetWrites, HostWrites, ProjectWrites, RangeWrites, Sighting, TagWrites, VendorWrites } from './types.js';

/*
 * The writers: set-based (chunked multi-row statements), in the run's transaction. The ids of
 * stored rows come from the plan (`ctx.plan.ids`, loaded in the same transaction), so name → id
 * lookups need no further reads; each writer adds the ids of the rows it creates.
 */

function stampOf(ctx: WriteContext): { created_at: string; updated_at: string } {
  return { created_at: ctx.now, updated_at: ctx.now };
}

export async function writeVendors(writes: VendorWrites, ctx: WriteContext): Promise<void> {
  const ids = ctx.plan.ids('vendors');
  for (const r of await bulkInsert<{ id: number; name: string }>(ctx.trx, 'vendors', writes.create.map((name) => ({ name, ...stampOf(ctx) })), ['id', 'name'])) ids.add(Number(r.id), r.name);
}

export async function writeProjects(writes: ProjectWrites, ctx: WriteContext): Promise<void> {
  const ids = ctx.plan.ids('projects');
  for (const r of await bulkInsert<{ id: number; name: string }>(ctx.trx, 'projects', writes.create.map((p) => ({ ...p, ...stampOf(ctx) })), ['id', 'name'])) ids.add(Number(r.id), r.name);
  await bulkUpdateById(ctx.trx, 'projects', [{ name: 'description', type: 'text' }, { name: 'color', type: 'text' }, { name: 'updated_at', type: 'text' }], writes.update.map((p) => ({ ...p, updated_at: ctx.now })));
}

export async function writeTags(writes: TagWrites, ctx: WriteContext): Promise<void> {
  const ids = ctx.plan.ids('tags');
  for (const r of await bulkInsert<{ id: number; name: string }>(ctx.trx, 'tags', writes.create.map((t) => ({ ...t, ...stampOf(ctx) })), ['id', 'name'])) ids.add(Number(r.id), r.name);
  await bulkUpdateById(ctx.trx, 'tags', [{ name: 'color', type: 'text' }, { name: 'updated_at', type: 'text' }], writes.update.map((t) => ({ ...t, updated_at: ctx.now })));
}

export async function writeRanges(writes: RangeWrites, ctx: WriteContext): Promise<void> {
  await bulkInsert(
    ctx.trx,
    'ranges',
    writes.create.map(({ name, notes, cidr: c }) => ({
      name,
      notes,
      cidr: c.cidr,
      ip_version: c.version,
      prefix: c.prefix,
      first_key: c.firstKey,
      last_key: c.lastKey,
      usable_first_key: c.usableFirstKey,
      usable_last_key: c.usableLastKey,
      ...stampOf(ctx),
    })),
  );
  await bulkUpdateById(ctx.trx, 'ranges', [{ name: 'name', type: 'text' }, { name: 'notes', type: 'text' }, { name: 'updated_at', type: 'text' }], writes.update.map((r) => ({ ...r, updated_at: ctx.now })));
}

export async function writeHosts(writes: HostWrites, ctx: WriteContext): Promise<void> {
  const vendors = ctx.plan.ids('vendors').byName;
  const vendorId = (name: string | null): number | null => (name ? (vendors.get(name) ?? null) : null);
  const ids = ctx.plan.ids('hosts');
  const created = await bulkInsert<{ id: number; name: string }>(
    ctx.trx,
    'hosts',
    writes.create.map((h) => ({ name: h.name, notes: h.notes, vendor_id: vendorId(h.vendor_name), ...stampOf(ctx) })),
    ['id', 'name'],
  );
  for (const r of created) ids.add(Number(r.id), r.name);
  await bulkUpdateById(
    ctx.trx,
    'hosts',
    [{ name: 'notes', type: 'text' }, { name: 'vendor_id', type: 'integer' }, { name: 'updated_at', type: 'text' }],
    writes.update.map((h) => ({ id: h.id, notes: h.notes, vendor_id: vendorId(h.vendor_name), updated_at: ctx.now })),
  );
  // A host is a device: what the run created or changed joins the device's history, naming the run
  // (one multi-row insert; an unchanged host has no update, so an unchanged re-run writes none).
  const by: ChangeAuthor = { changedBy: ctx.history?.username ?? null, runId: ctx.history?.runId ?? null, source: ctx.history?.source ?? null };
  await writeChanges(ctx.trx, [...created.map((r) => createdRow(Number(r.id), by, ctx.now)), ...writes.update.flatMap((h) => fieldChangeRows(h.id, h.changes, by, ctx.now))]);
}

/**
 * A name the plan kept must have an id: writing null instead would unlink the asset without the
 * plan (or the audit entry) saying so. Failing rolls the whole run back.
 */
function resolve(kind: string, name: string, id: number | undefined): number {
  if (id === undefined) throw new Error(`import writer: no id for ${kind} "${name}" the plan refers to`);
  return id;
}

/**
 * Writes one chunk of asset rows and their tag links. Tags the chunk uses that do not exist yet
 * are created first (default colour), so a chunk never links to a missing tag. The counter
 * triggers are off for these statements: their changes are summed into `ctx.counters`.
 * Returns the sightings of the created rows (now that they have ids) when the run records them.
 */
export async function writeAssets(writes: AssetWrites, ctx: WriteContext): Promise<Sighting[]> {
  const { trx, now, counters } = ctx;
  const tagIds = ctx.plan.ids('tags');
  const projects = ctx.plan.ids('projects').byName;
  // Hosts stored before the run, created by it, and loaded by each chunk for the stored rows that link to them.
  const hosts = ctx.plan.ids('hosts').byName;
  await countersByWriter(trx);
  const newTags = new Set<string>();
  for (const a of writes.create) for (const t of a.tags) if (!tagIds.byName.has(t)) newTags.add(t);
  for (const a of writes.update) if (a.tagsChanged) for (const t of a.tags) if (!tagIds.byName.has(t)) newTags.add(t);
  const tagRows = [...newTags].map((name) => ({ name, color: DEFAULT_TAG_COLOR, created_at: now, updated_at: now }));
  for (const r of await bulkInsert<{ id: number; name: string }>(trx, 'tags', tagRows, ['id', 'name'])) tagIds.add(Number(r.id), r.name);

  const refs = (a: AssetValues) => ({
    type: a.type,
    project_id: a.project_name ? resolve('project', a.project_name, projects.get(a.project_name)) : null,
    host_id: a.host_name ? resolve('host', a.host_name, hosts.get(a.host_name)) : null,
    notes: a.notes,
    archived: a.archived,
    last_seen_at: a.last_seen_at,
  });
  const links: { ip_asset_id: number; tag_id: number }[] = [];
  const addLinks = (id: number, tags: readonly string[]): void => {
    for (const t of tags) links.push({ ip_asset_id: id, tag_id: tagIds.byName.get(t)! });
  };

  const creates = writes.create;
  const tagsByKey = new Map(creates.filter((a) => a.tags.length > 0).map((a) => [a.ip_key, a.tags]));
  const step = 5000;
  const created: Sighting[] = [];
  for (let i = 0; i < creates.length; i += step) {
    const rows = creates.slice(i, i + step).map((a) => ({
      ip_address: a.ip_address,
      ip_version: a.ip_version,
      ip_key: a.ip_key,
      ...refs(a),
      created_at: a.created_at,
      updated_at: a.updated_at,
      // Its first sighting is this one (sightings.ts): stamped here rather than by a second write of the row.
      last_sighted_at: ctx.seenAs ? a.seenAt : null,
    }));
    const inserted = await bulkInsert<{ id: number; ip_key: string }>(trx, 'ip_assets', rows, tagsByKey.size > 0 || ctx.history || ctx.seenAs ? ['id', 'ip_key'] : undefined);
    for (const r of rows) counters.asset(r, 1);
    for (const r of inserted) {
      const tags = tagsByKey.get(r.ip_key);
      if (tags) addLinks(Number(r.id), tags);
    }
    if (ctx.history || ctx.seenAs) {
      const idOf = new Map(inserted.map((r) => [r.ip_key, Number(r.id)]));
      const part = creates.slice(i, i + step);
      if (ctx.history) await writeHistory(ctx, 'CREATE', part.map((a) => ({ id: idOf.get(a.ip_key)!, ip_address: a.ip_address, history: a.history })));
      if (ctx.seenAs) for (const a of part) if (a.seenAt !== null) created.push({ id: idOf.get(a.ip_key)!, at: a.seenAt });
    }
  }

  const updates = writes.update;
  const cols = [
    { name: 'type', type: 'text' as const },
    { name: 'project_id', type: 'integer' as const },
    { name: 'host_id', type: 'integer' as const },
    { name: 'notes', type: 'text' as const },
    { name: 'archived', type: 'boolean' as const },
    { name: 'last_seen_at', type: 'text' as const },
    { name: 'updated_at', type: 'text' as const },
  ];
  for (let i = 0; i < updates.length; i += step) {
    const chunk = updates.slice(i, i + step);
    const byId = new Map(chunk.map((a) => [a.id, a]));
    for (const old of await lockCounted(trx, chunk.map((a) => a.id))) {
      counters.asset(old, -1);
      counters.asset({ ...refs(byId.get(old.id)!), ip_key: old.ip_key }, 1);
    }
    await bulkUpdateById(trx, 'ip_assets', cols, chunk.map((a) => ({ id: a.id, ...refs(a), updated_at: now })));
    const retagged = chunk.filter((a) => a.tagsChanged);
    for (let j = 0; j < retagged.length; j += 5000) {
      const gone = retagged.slice(j, j + 5000).map((a) => a.id);
      const unlinked = await selectRaw<{ tag_id: number }>(trx, `DELETE FROM ip_asset_tags WHERE ip_asset_id IN (${gone.map(() => '?').join(', ')}) RETURNING tag_id`, gone);
      for (const l of unlinked) counters.tag(Number(l.tag_id), -1);
    }
    for (const a of retagged) addLinks(a.id, a.tags);
    if (ctx.history) await writeHistory(ctx, 'UPDATE', chunk);
  }
  await bulkInsert(trx, 'ip_asset_tags', links);
  for (const l of links) counters.tag(l.tag_id, 1);
  await countersByTrigger(trx);
  return created;
}

/** One audit entry per address of the chunk that has something to record, in one set-based insert. */
async function writeHistory(ctx: WriteContext, action: 'CREATE' | 'UPDATE', assets: readonly ({ id: number; ip_address: string } & AssetHistory)[]): Promise<void> {
  const h = ctx.history!;
  const rows = [];
  for (const a of assets) {
    const changes = a.history();
    if (changes === null) continue;
    rows.push({ user_id: h.userId, username: h.username, target_type: 'IP_ASSET', target_id: a.id, target_label: a.ip_address, action, changes, created_at: ctx.now, run_id: h.runId });
  }
  await bulkInsert(ctx.trx, 'audit_log', rows);
}
