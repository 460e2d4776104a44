/** Zip bombs are refused before they cost CPU, and an instance runs only a few imports at once. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from '../api/app.js';

const MB = 1 << 20;

/** `mb` MiB of zeros as one raw deflate stream, built from one flushed 1 MiB block repeated (no need to compress gigabytes). */
function deflatedZeros(mb: number): { data: Buffer; crc: number; size: number } {
  const block = deflateRawSync(Buffer.alloc(MB), { finishFlush: constants.Z_FULL_FLUSH });
  const zeros = Buffer.alloc(MB);
  let crc = 0;
  for (let i = 0; i < mb; i++) crc = crc32(zeros, crc);
  // A final, empty fixed-Huffman block ends the stream.
  return { data: Buffer.concat([...Array.from({ length: mb }, () => block), Buffer.from([0x03, 0x00])]), crc, size: mb * MB };
}

/** A ZIP (deflate entries) whose headers declare `declared(size)` as each entry's uncompressed size. */
function zipOf(entries: { name: string; data: Buffer; crc: number; size: number }[], declared = (size: number) => size): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(declared(e.size), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(declared(e.size), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

describe(`zip bombs and import concurrency (${DIALECT})`, () => {
  let t: TestApp;
  let parts: { name: string; data: Buffer; crc: number; size: number }[];
  before(async () => {
    t = await buildTestApp();
    // The panel loads in the background after start: let it finish so it does not share the timings below.
    await request(t.app).get('/ui/login');
    const zeros = deflatedZeros(250);
    parts = Array.from({ length: 20 }, (_, i) => ({ name: `part-${i}.csv`, ...zeros }));
  });
  after(() => t.cleanup());

  const dryRun = (zip: Buffer) => request(t.app).post('/import/bundle?dry_run=1').set(t.as.viewer).attach('file', zip, 'bundle.zip');

  test('a 5 MB bomb declaring 5 GB is refused from its directory within milliseconds (413)', async () => {
    const zip = zipOf(parts);
    assert.ok(zip.length > 4 * MB && zip.length < 6 * MB, String(zip.length));
    const started = performance.now();
    const res = await dryRun(zip);
    const ms = performance.now() - started;
    assert.equal(res.status, 413, res.text);
    assert.match(res.body.detail, /expands to more than 268435456 bytes/);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms (was 46-74 s before the directory check)`);
    console.log(`honest 5 GB bomb refused in ${ms.toFixed(0)} ms`);
  });

  test('a bomb whose headers lie about the sizes is stopped while inflating, at the declared size', async () => {
    const started = performance.now();
    const res = await dryRun(zipOf(parts, () => 1000));
    const ms = performance.now() - started;
    assert.equal(res.status, 413, res.text);
    assert.match(res.body.detail, /more than the 1000 bytes it declares/);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms (was 46-74 s before the directory check)`);
    console.log(`lying bomb refused in ${ms.toFixed(0)} ms`);
  });

  test('ZIP64 markers and a truncated directory are refused as unreadable, not inflated', async () => {
    // /import/bundle answers an unreadable file as the original does: 200 with `errors`, nothing planned.
    const refused = (res: request.Response, why: RegExp): void => {
      assert.equal(res.status, 200, res.text);
      assert.match(JSON.stringify(res.body.errors), why);
      assert.equal(res.body.summary?.ip_assets?.would_create ?? 0, 0);
    };
    refused(await dryRun(zipOf(parts.slice(0, 1), () => 0xffffffff)), /ZIP64/);
    const cut = zipOf(parts.slice(0, 1));
    refused(await dryRun(cut.subarray(0, cut.length - 30)), /not a readable ZIP/);
  });

  test('at most 2 imports run at once on an instance: the rest get 429 with Retry-After', async () => {
    const assets = Array.from({ length: 20_000 }, (_, i) => ({ ip_address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, type: 'VM' }));
    const bundle = Buffer.from(JSON.stringify({ schema_version: '1', app: 'ipocket', data: { ip_assets: assets } }));
    const all = await Promise.all(Array.from({ length: 6 }, () => request(t.app).post('/import/bundle?dry_run=1&changes=none').set(t.as.viewer).attach('file', bundle, 'bundle.json')));
    const statuses = all.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','));
    assert.ok(statuses.filter((s) => s === 200).length >= 2, statuses.join(','));
    const refused = all.filter((r) => r.status === 429);
    assert.ok(refused.length >= 1, statuses.join(','));
    for (const r of refused) assert.ok(Number(r.headers['retry-after']) > 0);
    // Once they are done, the next one runs.
    assert.equal((await request(t.app).post('/import/bundle?dry_run=1&changes=none').set(t.as.viewer).attach('file', bundle, 'bundle.json')).status, 200);
  });
});
