/**
 * bcrypt's cost: 12 in production, never below 10 there, and bcrypt's minimum 4 only under node's
 * test runner (which is how the suite itself runs at 4; see scripts/run-tests.mjs).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { bcryptRounds, DEFAULT_BCRYPT_ROUNDS } from '../../src/services/password-cost.js';

const production = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: '/usr/bin', ...extra });

test('production hashes at cost 12, may go down to 10 and no lower', () => {
  assert.equal(DEFAULT_BCRYPT_ROUNDS, 12);
  assert.equal(bcryptRounds(production()), 12);
  assert.equal(bcryptRounds(production({ IPOCKET_BCRYPT_ROUNDS: '11' })), 11);
  assert.equal(bcryptRounds(production({ IPOCKET_BCRYPT_ROUNDS: '4' })), 10);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ipocket-password-cost-'));
  assert.throws(() => loadConfig(production({ IPOCKET_DATA_DIR: dataDir, IPOCKET_BCRYPT_ROUNDS: '9' })), (e: unknown) => e instanceof ConfigError && /IPOCKET_BCRYPT_ROUNDS: must be at least 10/.test(e.message));
  assert.equal(loadConfig(production({ IPOCKET_DATA_DIR: dataDir, IPOCKET_BCRYPT_ROUNDS: '10' })).port > 0, true);
});

test('under the test runner the cost may be bcrypt\'s minimum, 4, and this process runs at it', () => {
  assert.ok(process.env.NODE_TEST_CONTEXT, 'node --test sets NODE_TEST_CONTEXT in each file\'s process');
  assert.equal(bcryptRounds({ NODE_TEST_CONTEXT: 'child-v8', IPOCKET_BCRYPT_ROUNDS: '4' }), 4);
  assert.equal(bcryptRounds({ NODE_TEST_CONTEXT: 'child-v8' }), 12);
  assert.throws(() => loadConfig({ NODE_TEST_CONTEXT: 'child-v8', IPOCKET_DATA_DIR: tmpdir(), IPOCKET_BCRYPT_ROUNDS: '3' }), /IPOCKET_BCRYPT_ROUNDS: must be at least 4/);
});
