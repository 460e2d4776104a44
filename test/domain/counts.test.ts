import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatExact, pageRangeText } from '../../src/domain/counts.js';

describe('exact counts', () => {
  test('groups big decimal strings exactly, with thousands separators', () => {
    assert.equal(formatExact('18446744073709551615'), '18,446,744,073,709,551,615');
    assert.equal(formatExact(254), '254');
    assert.equal(formatExact('1000'), '1,000');
    assert.equal(formatExact(0), '0');
    assert.equal(formatExact(2n ** 64n), '18,446,744,073,709,551,616');
  });

  test('the pager line of a /64 names the exact first, last and total', () => {
    const total = '18446744073709551615';
    const lastOffset = (BigInt(total) - 1n) / 50n * 50n;
    assert.equal(pageRangeText(lastOffset.toString(), 15, total), '18,446,744,073,709,551,601–18,446,744,073,709,551,615 of 18,446,744,073,709,551,615');
    assert.equal(pageRangeText('0', 50, total), '1–50 of 18,446,744,073,709,551,615');
  });

  test('an empty page and a lower-bound total', () => {
    assert.equal(pageRangeText(0, 0, 0), '0 of 0');
    assert.equal(pageRangeText(9950, 50, 10000, false), '9,951–10,000 of 10,000+');
  });
});
