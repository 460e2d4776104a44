/** When a device counts as missing and when the archive policy archives it (src/domain/devices/missing.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daysUntil, missingState } from '../../src/domain/devices/missing.js';

test('missing only once every source has it missing; archive at the last missing_since + the longest delay', () => {
  assert.deepEqual(missingState([]), { missing_since: null, archive_at: null }, 'a manual device (no source) is never missing');
  assert.deepEqual(missingState([{ missing_since: '2026-01-01 00:00:00', archive_after_days: 3 }, { missing_since: null, archive_after_days: null }]), { missing_since: null, archive_at: null });
  assert.deepEqual(missingState([{ missing_since: '2026-01-01 00:00:00', archive_after_days: 3 }, { missing_since: '2026-01-02 12:00:00', archive_after_days: 1 }]), { missing_since: '2026-01-02 12:00:00', archive_at: '2026-01-04 00:00:00' });
  assert.deepEqual(missingState([{ missing_since: '2026-01-01 00:00:00', archive_after_days: 3 }, { missing_since: '2026-01-02 00:00:00', archive_after_days: null }]), { missing_since: '2026-01-02 00:00:00', archive_at: null }, 'a source that never archives keeps it');
});

test('days until the archive round up and stop at 0', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  assert.equal(daysUntil('2026-01-06 00:00:00', now), 5);
  assert.equal(daysUntil('2026-01-01 06:00:00', now), 1);
  assert.equal(daysUntil('2025-12-30 00:00:00', now), 0);
});
