/**
 * The NetBox client against the fake NetBox (NetBox's REST shapes): limit/offset pages followed to
 * the end, both token forms, and each error answered as NetBox does — 400 with field errors,
 * 401/403, 404, 409 when a prefix is out of space, 429 and 503 — turned into a message naming it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NetBoxClient } from '../../plugins/netbox/client.js';
import { NetBoxError, type NbIpAddress } from '../../src/domain/netbox.js';
import { NetBoxOptions } from '../../plugins/netbox/options.js';
import { FakeNetBox } from '../fakes/netbox.js';

const fake = new FakeNetBox({ token: 'v1-token', v2: { key: 'abc123', token: 'secretpart' }, readOnlyToken: 'ro-token' });
let url = '';
let close: () => Promise<void>;
const client = (token: string, extra: Record<string, unknown> = {}): NetBoxClient => new NetBoxClient(NetBoxOptions.parse({ url, token, timeout: 2, retries: 0, ...extra }));
const failure = async (p: Promise<unknown>): Promise<NetBoxError> => {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof NetBoxError, String(err));
    return err;
  }
  throw new Error('expected a NetBoxError');
};

before(async () => {
  ({ url, close } = await fake.listen());
  for (let i = 1; i <= 450; i++) fake.addIp({ address: `10.1.${i >> 8}.${i & 255}/16`, description: `host-${i}` });
  fake.addPrefix({ prefix: '192.0.2.0/30', status: 'active' });
});
after(() => close());

test('lists follow limit/offset pages to the end ({count, next, previous, results})', async () => {
  const c = client('v1-token');
  const from = fake.requests.length;
  const all = await c.list<NbIpAddress>('ipam/ip-addresses/', { parent: '10.1.0.0/16' });
  c.close();
  assert.equal(all.length, 450);
  assert.equal(new Set(all.map((a) => a.id)).size, 450);
  assert.deepEqual(fake.requests.slice(from).map((r) => r.path.replace(/^.*\?/, '')), [
    'parent=10.1.0.0%2F16&limit=200&offset=0',
    'parent=10.1.0.0%2F16&limit=200&offset=200',
    'parent=10.1.0.0%2F16&limit=200&offset=400',
  ]);
  const page = JSON.parse(JSON.stringify(await client('v1-token').call<Record<string, unknown>>('GET', 'ipam/ip-addresses/?limit=2&offset=2')));
  assert.equal(page.count, 450);
  assert.match(String(page.next), /limit=2&offset=4/);
  assert.match(String(page.previous), /limit=2&offset=0/);
});

test('both token forms authenticate: "Token <t>" and "Bearer nbt_<key>.<token>"; a wrong token is refused with 403, none with 401', async () => {
  assert.ok(await client('v1-token').find('ipam/prefixes/451/'));
  assert.ok(await client('nbt_abc123.secretpart').find('ipam/prefixes/451/'));
  const wrong = await failure(client('nbt_abc123.wrong').call('GET', 'ipam/prefixes/'));
  assert.equal(wrong.httpStatus, 403);
  assert.match(wrong.message, /refused the token \(403: Invalid token\)/);
  assert.equal(wrong.transient, false);
  const res = await fetch(`${url}/api/ipam/prefixes/`);
  assert.equal(res.status, 401);
  const ro = await failure(client('ro-token').call('POST', 'ipam/prefixes/', { prefix: '10.9.0.0/24' }));
  assert.equal(ro.httpStatus, 403);
  assert.match(ro.message, /permission/);
});

test('400 names the fields, 404 and 409 (out of space) say what happened', async () => {
  const c = client('v1-token');
  const bad = await failure(c.call('POST', 'ipam/ip-addresses/', { address: 'nonsense', status: 'bogus' }));
  assert.equal(bad.httpStatus, 400);
  assert.match(bad.message, /address: Enter a valid IPv4 or IPv6 address with mask\..*status: "bogus" is not a valid choice\./);
  assert.equal((await failure(c.call('GET', 'ipam/prefixes/999999/'))).httpStatus, 404);
  assert.equal(await c.find('ipam/prefixes/999999/'), null);
  // A /30 has two host addresses: the third request is refused.
  const created = await c.call<{ address: string }[]>('POST', 'ipam/prefixes/451/available-ips/', [{}, {}]);
  assert.deepEqual(created.map((a) => a.address), ['192.0.2.1/30', '192.0.2.2/30']);
  const full = await failure(c.call('POST', 'ipam/prefixes/451/available-ips/', {}));
  assert.equal(full.httpStatus, 409);
  assert.match(full.message, /Insufficient resources are available/);
  c.close();
});

test('429 and 503 are transient: retried (Retry-After honoured) up to `retries`, then thrown as transient', async () => {
  fake.throttleNext = 1;
  const started = Date.now();
  assert.ok(await client('v1-token', { retries: 2 }).find('ipam/prefixes/451/'), 'the retry after the 429 answered');
  assert.ok(Date.now() - started >= 900, 'waited for Retry-After: 1');
  fake.failNext = 5;
  const down = await failure(client('v1-token', { retries: 1 }).call('GET', 'ipam/prefixes/'));
  assert.equal(down.httpStatus, 503);
  assert.equal(down.transient, true);
  fake.failNext = 0;
  fake.throttleNext = 1;
  const slow = await failure(client('v1-token').call('GET', 'ipam/prefixes/'));
  assert.equal(slow.httpStatus, 429);
  assert.equal(slow.retryAfterMs, 1000);
});
