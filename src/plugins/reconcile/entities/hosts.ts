import type { RecordSeq } from '../core/records.js';
import { parseAddressFast } from '../../../domain/ip/address-fast.js';
import type { ParsedAddress } from '../../../domain/ip/address.js';
import { fieldLoc, type HostPolicy } from '../../batch.js';
import { defineEntity } from '../core/contract.js';
import { diffRecord, mergeField } from '../core/diff.js';
import { MAX_HOST_NAME, MAX_NAME, MESSAGES, text } from '../core/prepare.js';
import { reportBadReferences } from '../core/references.js';
import { loadHosts, type StoredHost } from '../store/state.js';
import type { HostWrites } from '../store/types.js';
import { writeHosts } from '../store/write-plan.js';
import type { VendorRecord } from './vendors.js';

export interface HostRecord {
  loc: string;
  name: string;
  notes?: string | null;
  vendor_name?: string | null;
  project_name?: string | null;
  policy: HostPolicy;
}

/** A host record's OS/BMC address, handed to the ip_assets entity (which merges it with the address records). */
export interface HostLink {
  loc: string;
  ip: ParsedAddress;
  type: 'OS' | 'BMC';
  host: string;
  project_name?: string | null;
}

export const hosts = defineEntity({
  entity: 'hosts',
  matchKeys: [{ name: 'name', incoming: (r: HostRecord) => r.name, stored: (s: StoredHost) => s.name }],

  prepare(batch, ctx) {
    const out: HostRecord[] = [];
    // A host's vendor is created on demand (unless the batch requires listed vendors): it joins the vendor records.
    const vendorRecords = ctx.recordsOf<VendorRecord>('vendors');
    const listed = new Set(vendorRecords.map((v) => v.name));
    for (const h of batch.hosts) {
      const name = ctx.checkName(h.loc, 'name', h.name, MAX_HOST_NAME);
      if (name === null) ctx.error(h.loc, MESSAGES.hostName);
      const vendor = ctx.checkName(h.loc, 'vendor_name', h.vendor_name, MAX_NAME);
      const project = ctx.checkName(h.loc, 'project_name', h.project_name, MAX_NAME);
      if (!name || !ctx.firstOf('host', name, h.loc)) {
        ctx.droppedRefs.push({ loc: h.loc, vendor_name: vendor, project_name: project });
        continue;
      }
      let ok = true;
      const links: HostLink[] = [];
      for (const [field, type] of [['os_ip', 'OS'], ['bmc_ip', 'BMC']] as const) {
        const raw = text(h[field]);
        if (!raw) continue;
        const ip = parseAddressFast(raw);
        if (!ip) {
          ctx.error(fieldLoc(h.loc, field), MESSAGES.ip);
          ok = false;
          continue;
        }
        links.push({ loc: fieldLoc(h.loc, field), ip, type, host: name, project_name: project ?? undefined });
      }
      // The links of a host left out still become addresses (as they always have): only the host record is dropped.
      for (const link of links) ctx.handTo('ip_assets', link);
      if (!ok) {
        ctx.droppedRefs.push({ loc: h.loc, vendor_name: vendor, project_name: project });
        continue;
      }
      out.push({ loc: h.loc, name, notes: text(h.notes), vendor_name: vendor, project_name: project, policy: { ...ctx.hostDefaults, ...h.policy } });
      if (vendor && !listed.has(vendor) && !ctx.vendorsMustExist) {
        listed.add(vendor);
        vendorRecords.push({ loc: fieldLoc(h.loc, 'vendor_name'), name: vendor });
      }
    }
    return out;
  },

  // The hosts the batch names, as hosts and as the addresses' (and left-out records') host.
  keysToLoad(records, ctx) {
    const names = new Set<string>(records.map((h) => h.name));
    const assets = (ctx.prepared.records.get('ip_assets') ?? []) as RecordSeq<{ host_name?: string | null }>;
    for (const a of assets) if (a.host_name) names.add(a.host_name);
    for (const r of ctx.prepared.droppedRefs) if (r.host_name) names.add(r.host_name);
    return { name: [...names] };
  },
  load: async (db, keys) => ({ rows: await loadHosts(db, 'name', keys.name ?? []) }),

  plan(items, loaded, ctx): HostWrites {
    ctx.addStored('hosts', loaded.rows);
    const known = ctx.known('hosts');
    for (const { record: h } of items) known.add(h.name);
    // Every name a record may refer to is known now: the references of the records left out
    // for other errors are checked here (their other problems are already listed).
    for (const r of ctx.prepared.droppedRefs) reportBadReferences(ctx, r, true);
    const vendorNames = ctx.ids('vendors').byId;
    const writes: HostWrites = { create: [], update: [] };
    for (const { record: h, stored: cur } of items) {
      if (reportBadReferences(ctx, h, true)) continue;
      if (!cur) {
        const row = { name: h.name, notes: h.notes ?? null, vendor_name: h.vendor_name ?? null };
        writes.create.push(row);
        ctx.record('hosts', h.name, h.loc, 'CREATE', diffRecord({}, { name: row.name, notes: row.notes, vendor: row.vendor_name }));
        continue;
      }
      const before = { notes: cur.notes, vendor: cur.vendor_id === null ? null : (vendorNames.get(cur.vendor_id) ?? null) };
      const after = { notes: mergeField(h.policy.notes, before.notes, h.notes), vendor: mergeField(h.policy.vendor, before.vendor, h.vendor_name) };
      const diff = diffRecord(before, after);
      if (diff.length > 0) writes.update.push({ id: cur.id, name: h.name, notes: after.notes, vendor_name: after.vendor, changes: diff });
      ctx.record('hosts', h.name, h.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }
    return writes;
  },

  write: writeHosts,
});
