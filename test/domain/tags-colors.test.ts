import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeAssetType } from '../../src/domain/asset-types.js';
import { describeChanges, diffFields } from '../../src/domain/changes.js';
import { contrastRatio, normalizeHexColor, randomPleasantColor, readableTextColor } from '../../src/domain/colors.js';
import { normalizeTagList, normalizeTagName } from '../../src/domain/tags.js';

describe('tag names', () => {
  it('are trimmed and lower-cased, limited to [a-z0-9_-]', () => {
    assert.equal(normalizeTagName('  Prod '), 'prod');
    assert.equal(normalizeTagName('rack_12-b'), 'rack_12-b');
    assert.equal(normalizeTagName('has space'), null);
    assert.equal(normalizeTagName('émoji'), null);
    assert.equal(normalizeTagName('   '), null);
  });

  it('lists split on commas, de-duplicate, sort and report rejects', () => {
    assert.deepEqual(normalizeTagList('web, Prod,web,,'), { names: ['prod', 'web'], invalid: [] });
    assert.deepEqual(normalizeTagList(['ok', 'not ok']), { names: ['ok'], invalid: ['not ok'] });
  });
});

describe('colours', () => {
  it('normalise hex forms and refuse others', () => {
    assert.equal(normalizeHexColor('#ABC'), '#aabbcc');
    assert.equal(normalizeHexColor('1e40af'), '#1e40af');
    assert.equal(normalizeHexColor('red'), null);
    assert.equal(normalizeHexColor('#12345'), null);
  });

  it('pick readable text on light and dark chips', () => {
    assert.equal(readableTextColor('#e2e8f0'), '#0f172a');
    assert.equal(readableTextColor('#1e3a8a'), '#ffffff');
    assert.equal(readableTextColor('#facc15'), '#0f172a');
    for (const bg of ['#000000', '#ffffff', '#94a3b8', '#ef4444', '#10b981']) {
      assert.ok(contrastRatio(bg, readableTextColor(bg)) >= 4.5, `${bg} contrast`);
    }
  });

  it('random colours are valid hex and readable with one of the text colours', () => {
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 50; i++) {
      const c = randomPleasantColor(rnd);
      assert.match(c, /^#[0-9a-f]{6}$/);
      assert.ok(contrastRatio(c, readableTextColor(c)) >= 3, c);
    }
  });
});

describe('asset types and change text', () => {
  it('accept aliases case-insensitively', () => {
    assert.equal(normalizeAssetType('vm'), 'VM');
    assert.equal(normalizeAssetType('IPMI_iLO'), 'BMC');
    assert.equal(normalizeAssetType('router'), null);
  });

  it('describe only the fields that changed', () => {
    const changes = diffFields({ type: 'VM', notes: 'a', tags: ['x', 'y'] }, { type: 'OS', notes: 'a', tags: ['y', 'z'] });
    assert.equal(describeChanges(changes), 'type: VM → OS; tags: +z -x');
    assert.equal(diffFields({ tags: ['a', 'b'] }, { tags: ['b', 'a'] }).length, 0);
  });
});
