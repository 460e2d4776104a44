import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assignVerdict, conflict, seenWithin, sortConflicts, spansOverlap } from '../../src/domain/pools/conflicts.js';
import { reclaimCutoff } from '../../src/domain/pools/lifecycle.js';
import { alertState, effectiveStatus, projectedDepletion } from '../../src/domain/pools/utilization.js';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('pool utilization by state', () => {
  test('alert over the pool threshold, depleted at 100%, exact at the boundary', () => {
    assert.equal(alertState({ total: 100n, reserved: 0n, assigned: 79n }, 80), 'ok');
    assert.equal(alertState({ total: 100n, reserved: 1n, assigned: 79n }, 80), 'alert');
    assert.equal(alertState({ total: 100n, reserved: 0n, assigned: 50n }, 40), 'alert');
    assert.equal(alertState({ total: 4n, reserved: 2n, assigned: 2n }, 80), 'depleted');
    // 99.999% of a huge pool rounds to 100 in float: still not depleted.
    assert.equal(alertState({ total: 10n ** 7n, reserved: 0n, assigned: 10n ** 7n - 1n }, 80), 'alert');
  });

  test('ACTIVE turns DEPLETED at 100% and back; RESERVED and MAINTENANCE stay', () => {
    const full = { total: 2n, reserved: 0n, assigned: 2n };
    const room = { total: 2n, reserved: 0n, assigned: 1n };
    assert.equal(effectiveStatus('ACTIVE', full), 'DEPLETED');
    assert.equal(effectiveStatus('DEPLETED', room), 'ACTIVE');
    assert.equal(effectiveStatus('MAINTENANCE', full), 'MAINTENANCE');
    assert.equal(effectiveStatus('RESERVED', full), 'RESERVED');
  });

  test('projected depletion from the last 30 days: 60 left at 2 a day is 30 days away', () => {
    assert.deepEqual(projectedDepletion({ available: 60n, consumedInWindow: 60, now: NOW }), new Date('2026-12-31T12:00:00Z'));
    assert.equal(projectedDepletion({ available: 60n, consumedInWindow: 0, now: NOW }), null);
    assert.deepEqual(projectedDepletion({ available: 0n, consumedInWindow: 0, now: NOW }), NOW);
    assert.equal(projectedDepletion({ available: 2n ** 64n, consumedInWindow: 1000, now: NOW }), null);
  });
});

describe('pool conflicts', () => {
  const held = conflict('RESERVATION_EXISTS', '192.0.2.10', 'held', { holder: { subscriber_id: 'sub-1' } });
  const seen = conflict('LIVE_EVIDENCE', '192.0.2.10', 'seen');
  const other = conflict('IN_OTHER_POOL', '192.0.2.10', 'other');

  test('a holder is never forceable; live evidence and another pool need force', () => {
    assert.deepEqual(assignVerdict([held, seen], true), { ok: false, blocking: [held], needsForce: false });
    assert.deepEqual(assignVerdict([other, seen], false), { ok: false, blocking: [seen, other], needsForce: true });
    assert.deepEqual(assignVerdict([other, seen], true), { ok: true, forced: [seen, other] });
    assert.deepEqual(assignVerdict([], false), { ok: true, forced: [] });
  });

  test('worst first', () => {
    assert.deepEqual(sortConflicts([other, seen, held]).map((c) => c.conflict_type), ['RESERVATION_EXISTS', 'LIVE_EVIDENCE', 'IN_OTHER_POOL']);
  });

  test('spans and sightings', () => {
    assert.equal(spansOverlap({ lo: 0n, hi: 10n }, { lo: 10n, hi: 20n }), true);
    assert.equal(spansOverlap({ lo: 0n, hi: 9n }, { lo: 10n, hi: 20n }), false);
    assert.equal(seenWithin(new Date('2026-11-25T12:00:00Z'), NOW, 7), true);
    assert.equal(seenWithin(new Date('2026-11-20T12:00:00Z'), NOW, 7), false);
    assert.equal(seenWithin(null, NOW, 7), false);
  });
});

describe('reservation lifecycle', () => {
  test('reclaim cutoff', () => {
    assert.deepEqual(reclaimCutoff(NOW, 30), new Date('2026-11-01T12:00:00Z'));
  });
});
