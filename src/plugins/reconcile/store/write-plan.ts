import type { Knex } from 'knex';
import { bulkInsert, bulkUpdateById, selectRaw } from '../../../db/helpers/bulk-write.js';
import { DEFAULT_TAG_COLOR } from '../../../domain/tags.js';
import { formatTimestamp } from '../../../domain/time.js';
import { CounterDeltas, countersByTrigger, countersByWriter, lockCounted } from './counters.js';
import type { ExistingState } from './state.js';
import type { AssetHistory, AssetValues, AssetWrites, PlanWrites } from './types.js';

/** Name → id of everything an asset row may refer to, stored or created by this run. */
export interface WriteIds {
  projects: Map<string, number>;
  tags: Map<string, number>;
  /** Hosts stored before the run and created by it, known when the catalogs were written. */
  hosts: Map<string, number>;
  /**
   * The plan's host state, which grows as each asset chunk loads the hosts its stored rows link to
   * (an asset that keeps a host the batch never names): resolved here too, or it would lose its host.
   */
  stateHosts: ExistingState['hosts'];
  /** The run's timestamp for created_at/updated_at. */
  now: string;
  /** Counter changes of every asset chunk, written once by the caller before the commit (CounterDeltas.apply). */
  counters: CounterDeltas;
  /** Who runs it and which run: each created or changed address gets an entry naming the run. */
  history?: { userId: number | null; username: string | null; runId: number | null };
}

/**
 * Writes the catalog and host part of a plan set-based, in the caller's transaction: chunked
 * multi-row statements. `state` is what the plan was made from (loaded in the same transaction),
 * so name → id lookups need no further reads. Returns the ids the asset chunks resolve against.
 */
export async function writeCatalogs(trx: Knex.Transaction, writes: PlanWrites, state: ExistingState): Promise<WriteIds> {
  const now = formatTimestamp();
  const stamp = { created_at: now, updated_at: now };

  const vendorIds = new Map([...state.vendors].map(([n, v]) => [n, v.id]));
  for (const r of await bulkInsert<{ id: number; name: string }>(trx, 'vendors', writes.vendors.create.map((name) => ({ name, ...stamp })), ['id', 'name'])) vendorIds.set(r.name, Number(r.id));

  const projectIds = new Map([...state.projects].map(([n, p]) => [n, p.id]));
  for (const r of await bulkInsert<{ id: number; name: string }>(trx, 'projects', writes.projects.create.map((p) => ({ ...p, ...stamp })), ['id', 'name'])) projectIds.set(r.name, Number(r.id));
  await bulkUpdateById(trx, 'projects', [{ name: 'description', type: 'text' }, { name: 'color', type: 'text' }, { name: 'updated_at', type: 'text' }], writes.projects.update.map((p) => ({ ...p, updated_at: now })));

  const tagIds = new Map([...state.tags].map(([n, t]) => [n, t.id]));
  for (const r of await bulkInsert<{ id: number; name: string }>(trx, 'tags', writes.tags.create.map((t) => ({ ...t, ...stamp })), ['id', 'name'])) tagIds.set(r.name, Number(r.id));
  await bulkUpdateById(trx, 'tags', [{ name: 'color', type: 'text' }, { name: 'updated_at', type: 'text' }], writes.tags.update.map((t) => ({ ...t, updated_at: now })));

  await bulkInsert(
    trx,
    'ranges',
    writes.ranges.create.map(({ name, notes, cidr: c }) => ({
      name,
      notes,
      cidr: c.cidr,
      ip_version: c.version,
      prefix: c.prefix,
      first_key: c.firstKey,
      last_key: c.lastKey,
      usable_first_key: c.usableFirstKey,
      usable_last_key: c.usableLastKey,
      ...stamp,
    })),
  );
  await bulkUpdateById(trx, 'ranges', [{ name: 'name', type: 'text' }, { name: 'notes', type: 'text' }, { name: 'updated_at', type: 'text' }], writes.ranges.update.map((r) => ({ ...r, updated_at: now })));

  const vendorId = (name: string | null): number | null => (name ? (vendorIds.get(name) ?? null) : null);
  const hostIds = new Map([...state.hosts].map(([n, h]) => [n, h.id]));
  const createdHosts = await bulkInsert<{ id: number; name: string }>(
    trx,
    'hosts',
    writes.hosts.create.map((h) => ({ name: h.name, notes: h.notes, vendor_id: vendorId(h.vendor_name), ...stamp })),
    ['id', 'name'],
  );
  for (const r of createdHosts) hostIds.set(r.name, Number(r.id));
  await bulkUpdateById(
    trx,
    'hosts',
    [{ name: 'notes', type: 'text' }, { name: 'vendor_id', type: 'integer' }, { name: 'updated_at', type: 'text' }],
    writes.hosts.update.map((h) => ({ id: h.id, notes: h.notes, vendor_id: vendorId(h.vendor_name), updated_at: now })),
  );
  return { projects: projectIds, tags: tagIds, hosts: hostIds, stateHosts: state.hosts, now, counters: new CounterDeltas() };
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
 * triggers are off for these statements: their changes are summed into `ids.counters`.
 */
export async function writeAssets(trx: Knex.Transaction, writes: AssetWrites, ids: WriteIds): Promise<void> {
  const { now, counters } = ids;
  await countersByWriter(trx);
  const newTags = new Set<string>();
  for (const a of writes.create) for (const t of a.tags) if (!ids.tags.has(t)) newTags.add(t);
  for (const a of writes.update) if (a.tagsChanged) for (const t of a.tags) if (!ids.tags.has(t)) newTags.add(t);
  const tagRows = [...newTags].map((name) => ({ name, color: DEFAULT_TAG_COLOR, created_at: now, updated_at: now }));
  for (const r of await bulkInsert<{ id: number; name: string }>(trx, 'tags', tagRows, ['id', 'name'])) ids.tags.set(r.name, Number(r.id));

  const refs = (a: AssetValues) => ({
    type: a.type,
    project_id: a.project_name ? resolve('project', a.project_name, ids.projects.get(a.project_name)) : null,
    host_id: a.host_name ? resolve('host', a.host_name, ids.hosts.get(a.host_name) ?? ids.stateHosts.get(a.host_name)?.id) : null,
    notes: a.notes,
    archived: a.archived,
    last_seen_at: a.last_seen_at,
  });
  const links: { ip_asset_id: number; tag_id: number }[] = [];
  const addLinks = (id: number, tags: readonly string[]): void => {
    for (const t of tags) links.push({ ip_asset_id: id, tag_id: ids.tags.get(t)! });
  };

  const creates = writes.create;
  const tagsByKey = new Map(creates.filter((a) => a.tags.length > 0).map((a) => [a.ip_key, a.tags]));
  const step = 5000;
  for (let i = 0; i < creates.length; i += step) {
    const rows = creates.slice(i, i + step).map((a) => ({
      ip_address: a.ip_address,
      ip_version: a.ip_version,
      ip_key: a.ip_key,
      ...refs(a),
      created_at: a.created_at,
      updated_at: a.updated_at,
    }));
    const inserted = await bulkInsert<{ id: number; ip_key: string }>(trx, 'ip_assets', rows, tagsByKey.size > 0 || ids.history ? ['id', 'ip_key'] : undefined);
    for (const r of rows) counters.asset(r, 1);
    for (const r of inserted) {
      const tags = tagsByKey.get(r.ip_key);
      if (tags) addLinks(Number(r.id), tags);
    }
    if (ids.history) {
      const idOf = new Map(inserted.map((r) => [r.ip_key, Number(r.id)]));
      await writeHistory(trx, ids, 'CREATE', creates.slice(i, i + step).map((a) => ({ id: idOf.get(a.ip_key)!, ip_address: a.ip_address, history: a.history })));
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
    if (ids.history) await writeHistory(trx, ids, 'UPDATE', chunk);
  }
  await bulkInsert(trx, 'ip_asset_tags', links);
  for (const l of links) counters.tag(l.tag_id, 1);
  await countersByTrigger(trx);
}

/** One audit entry per address of the chunk that has something to record, in one set-based insert. */
async function writeHistory(trx: Knex.Transaction, ids: WriteIds, action: 'CREATE' | 'UPDATE', assets: readonly ({ id: number; ip_address: string } & AssetHistory)[]): Promise<void> {
  const h = ids.history!;
  const rows = [];
  for (const a of assets) {
    const changes = a.history();
    if (changes === null) continue;
    rows.push({ user_id: h.userId, username: h.username, target_type: 'IP_ASSET', target_id: a.id, target_label: a.ip_address, action, changes, created_at: ids.now, run_id: h.runId });
  }
  await bulkInsert(trx, 'audit_log', rows);
}
