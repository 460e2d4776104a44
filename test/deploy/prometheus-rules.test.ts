/**
 * The pool alerting rules shipped in deploy/prometheus/ are valid Prometheus rules and fire as
 * documented (promtool's own unit tests: threshold per pool, depletion, projected depletion).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const DIR = path.resolve('deploy/prometheus');
const RULES = path.join(DIR, 'ipocket-pools.rules.yml');
const TESTS = path.join(DIR, 'ipocket-pools.rules.test.yml');

async function promtool(...args: string[]): Promise<{ code: number; out: string }> {
  assert.ok(existsSync(PROMTOOL), `promtool is not installed at ${PROMTOOL}: apt-get install prometheus`);
  try {
    const { stdout, stderr } = await promisify(execFile)(PROMTOOL, args, { cwd: DIR });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

test('promtool check rules accepts the pool rules file', async () => {
  const r = await promtool('check', 'rules', RULES);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS: 3 rules found/);
});

test('promtool test rules: threshold per pool, depletion and projected depletion fire as documented', async () => {
  const r = await promtool('test', 'rules', TESTS);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS/);
});

test('the unit tests would catch a rule that ignores the per-pool threshold', async () => {
  // A copy of the rules with a fixed 80% threshold: the "strict" pool (40%) must then go unalerted and the test fail.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-rules-'));
  try {
    const broken = readFileSync(RULES, 'utf8').replace('ipocket_pool_utilization_ratio >= on (pool) group_left () ipocket_pool_alert_threshold_ratio', 'ipocket_pool_utilization_ratio >= 0.8');
    assert.notEqual(broken, readFileSync(RULES, 'utf8'));
    writeFileSync(path.join(dir, 'ipocket-pools.rules.yml'), broken);
    writeFileSync(path.join(dir, 'ipocket-pools.rules.test.yml'), readFileSync(TESTS, 'utf8'));
    const r = await promtool('test', 'rules', path.join(dir, 'ipocket-pools.rules.test.yml'));
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /strict/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every metric the rules read is one /metrics exports', () => {
  const text = readFileSync(RULES, 'utf8');
  const used = new Set(text.match(/ipocket_[a-z_]+/g));
  const metrics = readFileSync(path.resolve('src/metrics/pools.ts'), 'utf8');
  for (const name of used) assert.ok(metrics.includes(`'${name}'`), `${name} is not declared in src/metrics/pools.ts`);
});
