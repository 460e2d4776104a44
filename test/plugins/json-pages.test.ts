/**
 * Packed records (deflated pages of JSON lines): what goes in comes out, in order, across pages,
 * through a transfer to another thread's copy, and in a fraction of the text's bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeviceList } from '../../src/plugins/device-list.js';
import { PackedRecords } from '../../src/plugins/reconcile/core/records.js';
import type { BatchDevice } from '../../src/plugins/batch-devices.js';

/** ~1 KB each: 3,000 of them fill three 1 MB pages. */
function device(i: number): BatchDevice {
  return {
    loc: `vms[${i}]`,
    source: 'nutanix',
    source_id: `uuid-${i}`,
    name: i % 7 === 0 ? `vm-${i}-München-🚀` : `vm-${i}`,
    kind: 'vm',
    memory_mb: 1024 + i,
    nics: [{ mac: `50:6b:8d:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, ips: [`10.1.${i >> 8}.${i & 255}`] }],
    raw: { metadata: { uuid: `uuid-${i}` }, spec: { name: `vm-${i}`, description: 'x'.repeat(700), resources: { num_sockets: 2 } } },
  } as BatchDevice;
}

test('packed records come back whole and in order, across pages, a chunk at a time or all at once', () => {
  const packed = new PackedRecords<{ i: number; name: string; tags?: string[]; gone?: string }>();
  const input = Array.from({ length: 3000 }, (_, i) => ({ i, name: `vm-${i}-Zürich-${'é'.repeat(i % 5)}-${'y'.repeat(900)}`, tags: i % 2 ? ['a', 'b'] : [], gone: undefined }));
  for (const r of input) packed.push(r);
  assert.equal(packed.length, 3000);
  const expected = input.map(({ gone: _, ...r }) => r);
  assert.deepEqual(packed.slice(0, 3), expected.slice(0, 3));
  assert.deepEqual(packed.slice(2998, 5000), expected.slice(2998));
  assert.deepEqual(packed.slice(1000, 1000), []);
  // Chunk by chunk, as the pipeline reads them.
  const chunks: unknown[] = [];
  for (let i = 0; i < packed.length; i += 700) chunks.push(...packed.slice(i, i + 700));
  assert.deepEqual(chunks, expected);
  // Out of order too (a page inflated again).
  assert.deepEqual(packed.slice(5, 6), expected.slice(5, 6));
  packed.revive = (r) => ({ ...r, name: r.name.toUpperCase() });
  assert.deepEqual([...packed].map((r) => r.name), expected.map((r) => r.name.toUpperCase()));
});

test('a device list crosses to another thread as deflated pages and drains to the same records, raw as its JSON text', () => {
  const list = new DeviceList();
  const input = Array.from({ length: 3000 }, (_, i) => device(i));
  const text = input.reduce((n, d) => n + JSON.stringify(d).length, 0);
  for (const d of input) list.push(d);
  assert.equal(list.length, 3000);
  const pages = list.take();
  assert.equal(list.length, 0);
  const bytes = pages.pages.reduce((n, p) => n + p.byteLength, 0);
  assert.ok(bytes < text / 3, `${bytes} bytes deflated for ${text} characters of JSON`);
  // As runOnOwnConnection hands them to its worker: transferred, the sender's copies detached.
  const moved = structuredClone(pages, { transfer: pages.pages });
  assert.ok(pages.pages.every((p) => p.byteLength === 0));
  const out = [...DeviceList.from(moved).drain()] as (BatchDevice & { raw: string })[];
  assert.equal(out.length, 3000);
  assert.deepEqual(out.map((d) => d.name), input.map((d) => d.name));
  assert.deepEqual(JSON.parse(out[2999]!.raw), input[2999]!.raw);
  assert.deepEqual(out[7]!.nics, input[7]!.nics);
});
