/**
 * Bundles between the original ipocket and this one, on the database the original wrote
 * (test/fixtures/ipocket-original.db): the bundle the original exports of it imports here with
 * nothing lost, and the bundle we export, read by the original's import rules, gives the same records.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import request from 'supertest';
import { parseAddress, tryParseAddress } from '../../src/domain/ip/address.js';
import { buildPluginTestApp, type PluginTestApp } from './helpers/app.js';
import { download } from './helpers/http.js';

const FIXTURE = new URL('../fixtures/ipocket-original.db', import.meta.url).pathname;
type Row = Record<string, unknown>;
type BundleAsset = { ip_address: string; type: string; project_name: string | null; host_name: string | null; notes: string | null; archived: boolean; created_at: string; updated_at: string; tags: string[] };
type BundleHost = { name: string; notes: string | null; vendor_name: string | null; project_name: string | null; os_ip: string | null; bmc_ip: string | null };
interface Bundle {
  app: string;
  schema_version: unknown;
  data: { vendors: { name: string }[]; projects: { name: string; description: string | null; color: string }[]; hosts: BundleHost[]; ip_assets: BundleAsset[] };
}

/** The bundle the original exports of its database (include_archived), by its documented format and rules. */
function originalExport(src: Database.Database): Bundle {
  const all = (sql: string): Row[] => src.prepare(sql).all() as Row[];
  const tags = all('SELECT l.ip_asset_id, t.name FROM ip_asset_tags l JOIN tags t ON t.id = l.tag_id ORDER BY t.name');
  const assets = all(`SELECT a.id, a.ip_address, a.type, p.name AS project_name, h.name AS host_name, a.host_id, a.notes, a.archived, a.created_at, a.updated_at
    FROM ip_assets a LEFT JOIN projects p ON p.id = a.project_id LEFT JOIN hosts h ON h.id = a.host_id ORDER BY a.ip_address`);
  const hosts = all('SELECT h.id, h.name, h.notes, v.name AS vendor_name FROM hosts h LEFT JOIN vendors v ON v.id = h.vendor_id ORDER BY h.name').map((h): BundleHost => {
    const mine = assets.filter((a) => a.host_id === h.id && Number(a.archived) === 0);
    const projects = mine.map((a) => a.project_name).filter((p): p is string => typeof p === 'string').sort();
    return {
      name: String(h.name),
      notes: (h.notes as string | null) ?? null,
      vendor_name: (h.vendor_name as string | null) ?? null,
      project_name: projects[0] ?? null,
      os_ip: (mine.find((a) => a.type === 'OS')?.ip_address as string | undefined) ?? null,
      bmc_ip: (mine.find((a) => a.type === 'BMC')?.ip_address as string | undefined) ?? null,
    };
  });
  return {
    app: 'ipocket',
    schema_version: '1',
    data: {
      vendors: all('SELECT name FROM vendors ORDER BY name') as { name: string }[],
      projects: all('SELECT name, description, color FROM projects ORDER BY name') as Bundle['data']['projects'],
      hosts,
      ip_assets: assets.map((a) => ({
        ip_address: String(a.ip_address),
        type: String(a.type),
        project_name: (a.project_name as string | null) ?? null,
        host_name: (a.host_name as string | null) ?? null,
        notes: (a.notes as string | null) ?? null,
        archived: Number(a.archived) === 1,
        created_at: String(a.created_at),
        updated_at: String(a.updated_at),
        tags: tags.filter((t) => t.ip_asset_id === a.id).map((t) => String(t.name)),
      })),
    },
  };
}

/**
 * The original's import rules for a bundle: schema_version "1"; vendor, project, host names
 * required; colours #rrggbb; valid address and type; every vendor/project/host a record names
 * listed in the bundle. Returns its errors, or the records it would hold.
 */
function originalRead(b: Bundle): { errors: string[]; assets: Map<string, Omit<BundleAsset, 'ip_address'>>; hosts: Map<string, { notes: string | null; vendor: string | null }>; projects: Map<string, { description: string | null; color: string }> } {
  const errors: string[] = [];
  if (b.schema_version !== '1') errors.push('schema_version');
  const vendors = new Set(b.data.vendors.map((v) => v.name));
  const projects = new Set(b.data.projects.map((p) => p.name));
  const hostNames = new Set(b.data.hosts.map((h) => h.name));
  b.data.vendors.forEach((v, i) => !v.name.trim() && errors.push(`vendors[${i}] name`));
  b.data.projects.forEach((p, i) => {
    if (!p.name.trim()) errors.push(`projects[${i}] name`);
    if (p.color && !/^#[0-9a-fA-F]{6}$/.test(p.color)) errors.push(`projects[${i}] color`);
  });
  b.data.hosts.forEach((h, i) => {
    if (!h.name.trim()) errors.push(`hosts[${i}] name`);
    if (h.vendor_name && !vendors.has(h.vendor_name)) errors.push(`hosts[${i}] vendor_name`);
  });
  b.data.ip_assets.forEach((a, i) => {
    if (!tryParseAddress(a.ip_address)) errors.push(`ip_assets[${i}] ip_address`);
    if (!['OS', 'BMC', 'VM', 'VIP', 'OTHER'].includes(a.type)) errors.push(`ip_assets[${i}] type`);
    if (a.project_name && !projects.has(a.project_name)) errors.push(`ip_assets[${i}] project_name`);
    if (a.host_name && !hostNames.has(a.host_name)) errors.push(`ip_assets[${i}] host_name`);
  });
  return {
    errors,
    // The original reads only its own keys: the last_seen_at our exports add is not among them.
    assets: new Map(b.data.ip_assets.map(({ ip_address, last_seen_at: _seen, ...rest }: BundleAsset & { last_seen_at?: unknown }) => [parseAddress(ip_address).address, { ...rest, tags: [...rest.tags].sort() }])),
    hosts: new Map(b.data.hosts.map((h) => [h.name, { notes: h.notes, vendor: h.vendor_name }])),
    projects: new Map(b.data.projects.map((p) => [p.name, { description: p.description, color: p.color }])),
  };
}

describe('bundles between the original and this ipocket', () => {
  let t: PluginTestApp;
  let src: Database.Database;
  let dir: string;
  before(async () => {
    t = await buildPluginTestApp();
    // A copy: opening the WAL-mode fixture would leave -shm/-wal files beside it.
    dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bundle-original-'));
    const copy = path.join(dir, 'ipocket.db');
    copyFileSync(FIXTURE, copy);
    src = new Database(copy, { readonly: true });
  });
  after(async () => {
    src.close();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the database holds, read by the same rules as originalRead's output. */
  async function ours(): Promise<ReturnType<typeof originalRead>> {
    const doc = JSON.parse((await download(t.app, t.as.viewer, '/export/bundle.json?include_archived=1')).body.toString('utf8')) as Bundle;
    return originalRead(doc);
  }

  test('the bundle the original exports of its database imports with nothing lost', async () => {
    const bundle = originalExport(src);
    assert.ok(bundle.data.ip_assets.some((a) => a.archived) && bundle.data.ip_assets.some((a) => a.ip_address.includes(':')), 'archived and IPv6 assets in the source');
    const res = await request(t.app).post('/import/bundle').set(t.as.editor).attach('file', Buffer.from(JSON.stringify(bundle)), 'ipocket-bundle.json');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.errors, []);
    assert.equal(res.body.applied, true);
    const expected = originalRead(bundle);
    assert.deepEqual(expected.errors, []);
    const got = await ours();
    assert.deepEqual(got.errors, []);
    assert.deepEqual(got.projects, expected.projects, 'projects with descriptions and colours');
    assert.deepEqual(got.hosts, expected.hosts, 'hosts with notes and vendors');
    assert.deepEqual(got.assets, expected.assets, 'every asset with type, project, host, notes, archived, timestamps and tags');
  });

  test('our bundle, read by the original\'s import rules, gives the same records (hosts\' project and OS/BMC IPs included)', async () => {
    const doc = JSON.parse((await download(t.app, t.as.viewer, '/export/bundle.json?include_archived=1')).body.toString('utf8')) as Bundle;
    assert.equal(doc.schema_version, '1');
    const read = originalRead(doc);
    assert.deepEqual(read.errors, [], 'the original would accept it');
    const source = originalExport(src);
    const expected = originalRead(source);
    assert.deepEqual(read.assets, expected.assets);
    assert.deepEqual(read.hosts, expected.hosts);
    assert.deepEqual(read.projects, expected.projects);
    // Hosts carry what the original's own export says about them.
    assert.deepEqual(
      doc.data.hosts.map((h) => [h.name, h.project_name, h.os_ip, h.bmc_ip]),
      source.data.hosts.map((h) => [h.name, h.project_name, h.os_ip, h.bmc_ip]),
    );
  });
});
