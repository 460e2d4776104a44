import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCount, toFlag, toNumber, toText } from '../../src/domain/coerce.js';

test('toNumber reads numbers and numeric strings only', () => {
  assert.deepEqual(['1', ' 2.5 ', 3, '', 'abc', '1e3', NaN, null, '0x10', Infinity].map(toNumber), [1, 2.5, 3, null, null, 1000, null, null, null, null]);
});
test('toCount: whole non-negative numbers, rounded', () => {
  assert.deepEqual(['4096', 2.6, -1, 'x'].map(toCount), [4096, 3, null, null]);
});
test('toText trims, drops empties, stringifies numbers', () => {
  assert.deepEqual([' a ', '', 12, {}, null].map((v) => toText(v)), ['a', null, '12', null, null]);
});
test('toFlag: booleans, 1/0 and their strings', () => {
  assert.deepEqual([true, '1', 0, 'false', 'maybe'].map(toFlag), [true, true, false, false, null]);
});
