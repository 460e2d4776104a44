import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniqueName } from '../../src/domain/unique-name.js';

describe('uniqueName', () => {
  it('keeps a free name, suffixes a taken one past every taken suffix, within the length limit', () => {
    const taken = new Set(['Office', 'Office (2)']);
    assert.equal(uniqueName('Lab', taken), 'Lab');
    assert.equal(uniqueName('Office', taken), 'Office (3)');
    assert.equal(uniqueName('Office', taken), 'Office (4)');
    assert.equal(uniqueName('Lab', taken), 'Lab (2)');
    const long = 'x'.repeat(128);
    assert.equal(uniqueName(long, new Set([long])), `${'x'.repeat(124)} (2)`);
  });
});
