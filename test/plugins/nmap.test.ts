/** Nmap XML import: real nmap output against 127.0.0.1 only, the recorded samples, MAC-vendor typing, entity attacks. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { parseNmapXml } from '../../plugins/nmap/parse-nmap.js';
import { servicesFor } from '../helpers/services.js';
import { buildPluginTestApp, inventoryCounts, type PluginTestApp } from './helpers/app.js';

const run = promisify(execFile);
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../plugins/nmap/fixtures');

/** Real `nmap -oX` of one of our own listening ports on 127.0.0.1 (never any other address; -n: no DNS traffic). */
async function scanLoopback(port: number): Promise<string> {
  try {
    const { stdout } = await run('nmap', ['-n', '-sT', '-Pn', '-p', String(port), '-oX', '-', '127.0.0.1'], { timeout: 60_000 });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('nmap is not installed: apt-get install nmap', { cause: err });
    throw err;
  }
}

const xmlWithMacs = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sn 192.0.2.0/29" start="1795294598" version="7.93" xmloutputversion="1.05">
<host><status state="up" reason="arp-response"/><address addr="192.0.2.1" addrtype="ipv4"/><address addr="00:50:56:AA:BB:01" addrtype="mac" vendor="VMware"/><hostnames><hostname name="vm1.example" type="PTR"/></hostnames></host>
<host><status state="up" reason="arp-response"/><address addr="192.0.2.2" addrtype="ipv4"/><address addr="F8:BC:12:00:00:02" addrtype="mac" vendor="Dell"/></host>
<host><status state="up" reason="arp-response"/><address addr="192.0.2.3" addrtype="ipv4"/><address addr="52:54:00:00:00:03" addrtype="mac" vendor="QEMU virtual NIC"/></host>
<host><status state="up" reason="arp-response"/><address addr="192.0.2.4" addrtype="ipv4"/><address addr="00:25:90:00:00:04" addrtype="mac" vendor="Super Micro Computer"/></host>
<host><status state="up" reason="arp-response"/><address addr="192.0.2.5" addrtype="ipv4"/><address addr="B8:27:EB:00:00:05" addrtype="mac" vendor="Raspberry Pi Foundation"/></host>
<host><status state="down" reason="no-response"/><address addr="192.0.2.6" addrtype="ipv4"/></host>
<runstats><hosts up="5" down="1" total="6"/></runstats>
</nmaprun>
`;

describe('Nmap import', () => {
  let t: PluginTestApp;
  let server: http.Server;
  let port: number;
  before(async () => {
    t = await buildPluginTestApp();
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.close();
    await t.cleanup();
  });

  const upload = (xml: string | Buffer, opts: { dryRun?: boolean; query?: string } = {}) =>
    request(t.app)
      .post(`/import/nmap?${opts.dryRun ? 'dry_run=1&' : ''}${opts.query ?? ''}`)
      .set(opts.dryRun ? t.as.viewer : t.as.editor)
      .attach('file', Buffer.from(xml), 'scan.xml');

  test('a real nmap scan of 127.0.0.1 imports the up host with its open port', async () => {
    const xml = await scanLoopback(port);
    assert.match(xml, /<nmaprun/);
    const res = await upload(xml);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.summary.ip_assets, { would_create: 1, would_update: 0, would_skip: 0 });
    const asset = await servicesFor(t.db).assets.getByAddress('127.0.0.1');
    assert.equal(asset.type, 'OTHER');
    assert.deepEqual(asset.tags, ['nmap']);
    assert.match(asset.notes ?? '', new RegExp(`open ${port}/tcp`));
    const row = (await t.db('ip_assets').where({ ip_address: '127.0.0.1' }).first()) as { last_seen_at: string | null };
    assert.match(row.last_seen_at ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test('a rescan updates last-seen on the existing IP and keeps what the operator set', async () => {
    const s = servicesFor(t.db);
    await s.assets.update('127.0.0.1', { type: 'VM', notes: 'my loopback', tags: ['mine'] });
    await t.db('ip_assets').where({ ip_address: '127.0.0.1' }).update({ last_seen_at: '2000-01-01 00:00:00' });
    const res = await upload(await scanLoopback(port));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.summary.ip_assets, { would_create: 0, would_update: 1, would_skip: 0 });
    const asset = await s.assets.getByAddress('127.0.0.1');
    assert.deepEqual([asset.type, asset.notes, asset.tags], ['VM', 'my loopback', ['mine', 'nmap']]);
    const row = (await t.db('ip_assets').where({ ip_address: '127.0.0.1' }).first()) as { last_seen_at: string };
    assert.ok(row.last_seen_at > '2000-01-01 00:00:00');
  });

  test('every recorded sample parses (IPv4, IPv6, -sn, -sV, extraports)', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();
    assert.ok(files.length >= 6);
    const found: Record<string, string[]> = {};
    for (const f of files) {
      const res = await request(t.app).post('/import/nmap?dry_run=1&changes=all').set(t.as.viewer).attach('file', readFileSync(path.join(FIXTURES, f)), f);
      assert.equal(res.status, 200, `${f}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.errors, [], f);
      found[f] = res.body.changes.filter((c: { entity: string }) => c.entity === 'ip_assets').map((c: { key: string }) => c.key);
    }
    assert.deepEqual(found['nmap-sn-127.0.0.0-30.xml'], ['127.0.0.0', '127.0.0.1', '127.0.0.2', '127.0.0.3']);
    assert.deepEqual(found['nmap-sn-ipv6-loopback.xml'], ['::1']);
    const sv = parseNmapXml(readFileSync(path.join(FIXTURES, 'nmap-sT-sV-127.0.0.1.xml'), 'utf8'), 'sv.xml');
    assert.deepEqual(sv.hosts[0]!.hostnames, ['localhost']);
    assert.deepEqual(sv.hosts[0]!.openPorts[0], { port: 18390, protocol: 'tcp', service: 'http', product: 'Golang net/http server' });
    assert.ok(sv.hosts[0]!.openPorts.every((p) => p.port !== 18399), 'closed ports are left out');
  });

  test('the MAC vendor decides the type: hypervisors → VM, server makers → OS, else OTHER; down hosts are skipped', async () => {
    const res = await upload(xmlWithMacs, { query: 'tags=lab,scan' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const s = servicesFor(t.db);
    const types = await Promise.all(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'].map(async (ip) => (await s.assets.getByAddress(ip)).type));
    assert.deepEqual(types, ['VM', 'OS', 'VM', 'OS', 'OTHER']);
    assert.equal(await s.assets.findByAddress('192.0.2.6'), null);
    const vm = await s.assets.getByAddress('192.0.2.1');
    assert.deepEqual(vm.tags, ['lab', 'scan', 'vmware']);
    // The original's note for a new address (its ISO upload time), then the scan's details.
    assert.match(vm.notes ?? '', /^Discovered via nmap upload at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\nnmap: vm1\.example; MAC 00:50:56:AA:BB:01 \(VMware\)$/);
  });

  test('DOCTYPEs with entities or external references are refused and nothing is written', async () => {
    const before = await inventoryCounts(t.db);
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE nmaprun [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<nmaprun><host><status state="up"/><address addr="10.66.0.1" addrtype="ipv4"/><hostnames><hostname name="&lol2;"/></hostnames></host></nmaprun>`;
    const external = `<?xml version="1.0"?>
<!DOCTYPE nmaprun SYSTEM "file:///etc/passwd">
<nmaprun><host><status state="up"/><address addr="10.66.0.2" addrtype="ipv4"/></host></nmaprun>`;
    for (const xml of [laughs, external]) {
      const res = await upload(xml);
      assert.equal(res.status, 400);
      assert.match(res.body.detail, /(DOCTYPE|entity)/i);
    }
    const notXml = await upload('<nmaprun><host>');
    assert.equal(notXml.status, 400);
    assert.match(notXml.body.detail, /not well-formed XML/);
    const other = await upload('<?xml version="1.0"?><html><body/></html>');
    assert.equal(other.status, 400);
    assert.match(other.body.detail, /not Nmap XML/);
    assert.deepEqual(await inventoryCounts(t.db), before);
  });
});
