import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddressSearch, singleWindow } from '../../src/domain/ip/search.js';

const v4 = (hex: string): string => `00000000000000000000ffff${hex}`;

describe('parseAddressSearch', () => {
  it('reads an address, a CIDR (host bits cleared) and IPv4/IPv6 prefixes as key windows', () => {
    assert.deepEqual(parseAddressSearch('10.20.0.11'), { kind: 'keys', windows: [{ version: 4, firstKey: v4('0a14000b'), lastKey: v4('0a14000b') }] });
    assert.deepEqual(parseAddressSearch(' 10.20.0.7/24 '), { kind: 'keys', windows: [{ version: 4, firstKey: v4('0a140000'), lastKey: v4('0a1400ff') }] });
    assert.deepEqual(parseAddressSearch('10.20.'), { kind: 'keys', windows: [{ version: 4, firstKey: v4('0a140000'), lastKey: v4('0a14ffff') }] });
    // "10.1.2" starts 10.1.2.x, 10.1.20-29.x and 10.1.200-255.x.
    const spans = parseAddressSearch('10.1.2');
    assert.equal(spans.kind, 'keys');
    assert.deepEqual(spans.kind === 'keys' && spans.windows.map((w) => [w.firstKey.slice(24), w.lastKey.slice(24)]), [['0a010200', '0a0102ff'], ['0a011400', '0a011dff'], ['0a01c800', '0a01ffff']]);
    assert.deepEqual(parseAddressSearch('2001:db8:'), { kind: 'keys', windows: [{ version: 6, firstKey: '20010db8' + '0'.repeat(24), lastKey: '20010db8' + 'f'.repeat(24) }] });
    assert.equal(singleWindow(parseAddressSearch('10.1.2'), 4), null);
    assert.equal(singleWindow(parseAddressSearch('10.1.2.'), 6), 'none');
  });

  it('leaves anything else to the text search', () => {
    for (const q of ['web-01', '10', 'db8', '10.300.', '10.01.', '2001:db8::1:', '10.0.0.0/33', 'rack 4']) assert.deepEqual(parseAddressSearch(q), { kind: 'text', text: q }, q);
  });
});
