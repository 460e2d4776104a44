import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHostPort, keyToAddress, parseAddress, tryParseAddress } from '../../src/domain/ip/address.js';
import { tryParseCidr } from '../../src/domain/ip/cidr.js';
import { InvalidAddressError } from '../../src/domain/errors.js';

describe('addresses', () => {
  it('canonicalises IPv4 and compresses IPv6 per RFC 5952', () => {
    assert.equal(parseAddress(' 10.0.0.1 ').address, '10.0.0.1');
    assert.equal(parseAddress('2001:0DB8:0000:0000:0000:0000:0000:0001').address, '2001:db8::1');
    assert.equal(parseAddress('2001:db8:0:0:1:0:0:1').address, '2001:db8::1:0:0:1');
    assert.equal(parseAddress('::').address, '::');
    assert.equal(parseAddress('::1').version, 6);
  });

  it('folds IPv4-mapped IPv6 into the IPv4 address, with the same key', () => {
    const mapped = parseAddress('::ffff:10.0.0.1');
    assert.equal(mapped.address, '10.0.0.1');
    assert.equal(mapped.version, 4);
    assert.equal(mapped.key, parseAddress('10.0.0.1').key);
    assert.equal(parseAddress('::ffff:a00:1').address, '10.0.0.1');
  });

  it('rejects leading zeros, short forms, zones, prefixes and garbage', () => {
    for (const bad of ['010.0.0.1', '10.0.0.01', '10.1', '10.0.0.256', '1.2.3.4.5', 'fe80::1%eth0', '10.0.0.0/24', '', 'abc', '::ffff:010.0.0.1', '1:2:3:4:5:6:7:8:9', "1' OR 1=1"]) {
      assert.equal(tryParseAddress(bad), null, bad);
    }
    assert.throws(() => parseAddress('300.1.1.1'), InvalidAddressError);
  });

  it('keys sort numerically, IPv4 mapped into the 128-bit space', () => {
    const keys = ['10.0.0.11', '10.0.0.2', '9.255.255.255'].map((a) => parseAddress(a).key).sort();
    assert.deepEqual(keys.map((k) => keyToAddress(k, 4)), ['9.255.255.255', '10.0.0.2', '10.0.0.11']);
    assert.equal(parseAddress('10.0.0.1').key, '00000000000000000000ffff0a000001');
    assert.equal(parseAddress('2001:db8::1').key, '20010db8000000000000000000000001');
    assert.equal(keyToAddress('20010db8000000000000000000000001', 6), '2001:db8::1');
  });

  it('brackets IPv6 in host:port', () => {
    assert.equal(formatHostPort(parseAddress('2001:db8::1'), 9100), '[2001:db8::1]:9100');
    assert.equal(formatHostPort(parseAddress('10.0.0.1'), 9100), '10.0.0.1:9100');
  });
});

describe('CIDRs', () => {
  it('normalises host bits away', () => {
    assert.equal(tryParseCidr('10.0.0.5/24')?.cidr, '10.0.0.0/24');
    assert.equal(tryParseCidr('2001:DB8::1/64')?.cidr, '2001:db8::/64');
  });

  it('counts size and usable addresses on the edges', () => {
    const cases: [string, bigint, bigint][] = [
      ['10.0.0.0/24', 256n, 254n],
      ['10.0.0.0/30', 4n, 2n],
      ['10.0.0.0/31', 2n, 2n],
      ['10.0.0.1/32', 1n, 1n],
      ['0.0.0.0/0', 2n ** 32n, 2n ** 32n - 2n],
      ['2001:db8::/64', 2n ** 64n, 2n ** 64n - 1n],
      ['2001:db8::/127', 2n, 2n],
      ['2001:db8::1/128', 1n, 1n],
      ['::/0', 2n ** 128n, 2n ** 128n - 1n],
    ];
    for (const [text, size, usable] of cases) {
      const c = tryParseCidr(text);
      assert.ok(c, text);
      assert.equal(c.size, size, `${text} size`);
      assert.equal(c.usable, usable, `${text} usable`);
    }
  });

  it('gives first/last and usable bounds as keys', () => {
    const c = tryParseCidr('192.168.1.0/24')!;
    assert.equal(keyToAddress(c.firstKey, 4), '192.168.1.0');
    assert.equal(keyToAddress(c.lastKey, 4), '192.168.1.255');
    assert.equal(keyToAddress(c.usableFirstKey, 4), '192.168.1.1');
    assert.equal(keyToAddress(c.usableLastKey, 4), '192.168.1.254');
    const p2p = tryParseCidr('192.168.1.0/31')!;
    assert.equal(keyToAddress(p2p.usableFirstKey, 4), '192.168.1.0');
  });

  it('rejects bad prefixes and mapped networks', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/024', '10.0.0.0', '10.0.0.0/', '2001:db8::/129', '::ffff:10.0.0.0/120', 'x/8', '10.0.0.0/-1']) {
      assert.equal(tryParseCidr(bad), null, bad);
    }
  });
});
